//! 审计日志 — append-only, every entry carrying the hash of the one before it, so altering or
//! removing any entry breaks the chain from there on.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash the first entry chains to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an entry says, before it is sealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// UTC, RFC 3339.
    pub at: String,
    pub agency: String,
    pub actor: String,
    /// e.g. `application.approve_answer`, `application.read_personal_data`, `user.add`.
    pub action: String,
    /// What it is about, e.g. the application number.
    pub subject: String,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
}

impl AuditRecord {
    /// A record of `action` on `subject` by the stamp's actor.
    pub fn new(
        stamp: &crate::store::Stamp,
        agency: &str,
        action: &str,
        subject: &str,
        before: serde_json::Value,
        after: serde_json::Value,
    ) -> Self {
        Self {
            at: stamp.at.to_string(),
            agency: agency.to_string(),
            actor: stamp.actor.clone(),
            action: action.to_string(),
            subject: subject.to_string(),
            before,
            after,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: u64,
    pub record: AuditRecord,
    pub prev_hash: String,
    pub hash: String,
}

/// sha256 over the sequence number, the previous hash and the record's canonical JSON.
pub fn seal(seq: u64, prev_hash: &str, record: &AuditRecord) -> String {
    let mut hasher = Sha256::new();
    hasher.update(seq.to_string().as_bytes());
    hasher.update(b"\n");
    hasher.update(prev_hash.as_bytes());
    hasher.update(b"\n");
    hasher.update(serde_json::to_vec(record).expect("records serialize"));
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl AuditEntry {
    pub fn new(seq: u64, prev_hash: &str, record: AuditRecord) -> Self {
        let hash = seal(seq, prev_hash, &record);
        Self {
            seq,
            record,
            prev_hash: prev_hash.to_string(),
            hash,
        }
    }
}

/// Where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub seq: u64,
    pub reason: String,
}

/// How far the chain has been checked: the last entry's number and hash (0 and [`GENESIS`]
/// before the first), so a long log can be checked a piece at a time and new entries added
/// to a check already done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    pub seq: u64,
    pub hash: String,
}

impl Default for ChainHead {
    fn default() -> Self {
        Self {
            seq: 0,
            hash: GENESIS.to_string(),
        }
    }
}

impl ChainHead {
    /// Checks the entries that follow this head, in order, and moves the head past them;
    /// on a break the head stays at the last good entry.
    pub fn extend<'a>(
        &mut self,
        entries: impl IntoIterator<Item = &'a AuditEntry>,
    ) -> Result<(), Broken> {
        for entry in entries {
            let expected_seq = self.seq + 1;
            if entry.seq != expected_seq {
                return Err(Broken {
                    seq: entry.seq,
                    reason: format!(
                        "序号应为{expected_seq}，实为{}（有条目被删除或插入）",
                        entry.seq
                    ),
                });
            }
            if entry.prev_hash != self.hash {
                return Err(Broken {
                    seq: entry.seq,
                    reason: "与上一条的哈希不相连".into(),
                });
            }
            if seal(entry.seq, &entry.prev_hash, &entry.record) != entry.hash {
                return Err(Broken {
                    seq: entry.seq,
                    reason: "内容与哈希不符（条目被修改）".into(),
                });
            }
            self.seq = entry.seq;
            self.hash.clone_from(&entry.hash);
        }
        Ok(())
    }
}

/// Checks entries in order from the first: each links to the previous hash and its own hash
/// matches. Returns how many there are.
pub fn verify<'a>(entries: impl IntoIterator<Item = &'a AuditEntry>) -> Result<u64, Broken> {
    let mut head = ChainHead::default();
    head.extend(entries)?;
    Ok(head.seq)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(n: u64) -> AuditRecord {
        AuditRecord {
            at: format!("2024-01-0{n}T00:00:00Z"),
            agency: "demo".into(),
            actor: "clerk".into(),
            action: "application.register".into(),
            subject: format!("2024-{n}"),
            before: serde_json::Value::Null,
            after: serde_json::json!({"state": "registered"}),
        }
    }

    fn chain(n: u64) -> Vec<AuditEntry> {
        let mut entries: Vec<AuditEntry> = Vec::new();
        for i in 1..=n {
            let prev = entries
                .last()
                .map_or(GENESIS.to_string(), |e| e.hash.clone());
            entries.push(AuditEntry::new(i, &prev, record(i)));
        }
        entries
    }

    #[test]
    fn intact_chain_verifies_and_any_change_is_found() {
        let entries = chain(5);
        assert_eq!(verify(&entries), Ok(5));
        let mut edited = entries.clone();
        edited[2].record.actor = "intruder".into();
        assert_eq!(verify(&edited).unwrap_err().seq, 3);
        let mut removed = entries.clone();
        removed.remove(1);
        assert_eq!(verify(&removed).unwrap_err().seq, 3);
        let mut resealed = entries.clone();
        resealed[1].record.subject = "forged".into();
        resealed[1].hash = seal(2, &resealed[1].prev_hash, &resealed[1].record);
        assert_eq!(
            verify(&resealed).unwrap_err().seq,
            3,
            "re-sealing one entry breaks the next link"
        );
    }

    #[test]
    fn a_chain_checked_in_pieces_is_checked_as_a_whole() {
        let entries = chain(7);
        let mut head = ChainHead::default();
        for piece in entries.chunks(3) {
            head.extend(piece).unwrap();
        }
        assert_eq!(head.seq, 7);
        assert_eq!(head.hash, entries[6].hash);
        let mut tampered = entries.clone();
        tampered[4].record.after = serde_json::json!({"state": "forged"});
        let mut head = ChainHead::default();
        head.extend(&tampered[..3]).unwrap();
        assert_eq!(head.extend(&tampered[3..]).unwrap_err().seq, 5);
        assert_eq!(head.seq, 4, "the head stays at the last good entry");
        let mut skipped = ChainHead::default();
        assert_eq!(
            skipped.extend(&entries[1..]).unwrap_err().seq,
            2,
            "a piece that does not follow the head is refused"
        );
    }
}
