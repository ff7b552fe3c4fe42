//! `gongkai audit verify` and `gongkai audit anchor`: the hash chain checked a piece at a time,
//! and its head signed with the installation's ed25519 key so that a copy kept elsewhere proves,
//! later, that nothing before it was rewritten — even by someone who recomputed every hash.

use std::{
    io::Write,
    path::{Path, PathBuf},
    process::ExitCode,
};

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use gongkai_domain::{
    audit::{Broken, ChainHead},
    store::{Store, check_audit_chain},
};
use gongkai_law::RuleViolation;
use serde_json::json;

use super::store_failure;
use crate::{cli::AuditCommand, failure::Failure};

const FORMAT: &str = "gongkai-audit-anchor/1";

pub async fn run<S: Store>(
    store: &S,
    command: AuditCommand,
    data_dir: &Path,
) -> Result<ExitCode, Failure> {
    match command {
        AuditCommand::Verify {
            anchor,
            public_key,
            key,
        } => {
            let anchor = match anchor {
                Some(path) => {
                    let anchor = Anchor::read(&path)?;
                    let signer = match public_key {
                        Some(hex) => parse_public_key(&hex)?,
                        None => installation_public_key(&key_path(key, data_dir))?,
                    };
                    anchor.check_signature(&signer)?;
                    Some(anchor)
                }
                None => None,
            };
            verify(store, anchor.as_ref()).await
        }
        AuditCommand::Anchor { out, key } => sign_head(store, &key_path(key, data_dir), out).await,
    }
}

fn key_path(given: Option<PathBuf>, data_dir: &Path) -> PathBuf {
    given.unwrap_or_else(|| data_dir.join("keys").join("audit-anchor.key"))
}

/// Exit 0 when the chain is intact (and agrees with the anchor); 1 and the first break when not.
async fn verify<S: Store>(store: &S, anchor: Option<&Anchor>) -> Result<ExitCode, Failure> {
    let mut at_anchor = None;
    let (head, verdict) = check_audit_chain(store, ChainHead::default(), |entry| {
        if anchor.is_some_and(|a| a.seq == entry.seq) {
            at_anchor = Some(entry.hash.clone());
        }
    })
    .await
    .map_err(store_failure)?;
    if let Err(Broken { seq, reason }) = verdict {
        println!("审计日志被改动：第 {seq} 条记录起哈希链断裂（{reason}）。");
        return Ok(ExitCode::from(1));
    }
    let Some(anchor) = anchor else {
        println!("审计日志完整：{} 条记录，哈希链无断裂。", head.seq);
        return Ok(ExitCode::SUCCESS);
    };
    match at_anchor {
        None => {
            println!(
                "审计日志只有 {} 条记录，少于锚点记载的第 {} 条：锚点签发后有记录被删除。",
                head.seq, anchor.seq
            );
            Ok(ExitCode::from(1))
        }
        Some(hash) if hash != anchor.hash => {
            println!(
                "第 {} 条记录的哈希与锚点（{} 签发）不符：此前的记录被改写并重新计算了哈希。",
                anchor.seq, anchor.signed_at
            );
            Ok(ExitCode::from(1))
        }
        Some(_) => {
            println!(
                "审计日志完整：{} 条记录，哈希链无断裂；与锚点一致（第 {} 条，{} 签发）：此前的记录未被改写。",
                head.seq, anchor.seq, anchor.signed_at
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Checks the whole chain, then signs its head; refuses to anchor a broken or empty chain.
async fn sign_head<S: Store>(
    store: &S,
    key_file: &Path,
    out: Option<PathBuf>,
) -> Result<ExitCode, Failure> {
    let mut head_at = String::new();
    let (head, verdict) = check_audit_chain(store, ChainHead::default(), |entry| {
        head_at.clone_from(&entry.record.at);
    })
    .await
    .map_err(store_failure)?;
    if let Err(Broken { seq, reason }) = verdict {
        println!("审计日志被改动：第 {seq} 条记录起哈希链断裂（{reason}），不能签发锚点。");
        return Ok(ExitCode::from(1));
    }
    if head.seq == 0 {
        return Err(Failure::Refused(
            "审计日志还没有任何记录，无可锚定。".into(),
        ));
    }
    if let Some(path) = &out
        && path.exists()
    {
        return Err(RuleViolation::new(
            "--out",
            format!("{} 已存在：锚点应逐次保留，请换一个文件名", path.display()),
            "the file exists; anchors are kept, not replaced",
        )
        .into());
    }
    let key = installation_key(key_file)?;
    let anchor = Anchor::sign(&key, head, head_at, jiff::Timestamp::now().to_string());
    let text = anchor.to_json();
    match out {
        Some(path) => {
            super::report::write_atomically(&path, text.as_bytes())?;
            println!(
                "已签发锚点：第 {} 条记录，公钥 {}，写入 {}。请另行保存（交上级监督机关或打印归档）。",
                anchor.seq,
                anchor.public_key,
                path.display()
            );
        }
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| Failure::io("无法写到标准输出", e))?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The head of the chain at one moment, signed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Anchor {
    seq: u64,
    hash: String,
    /// When the anchored entry was written.
    entry_at: String,
    signed_at: String,
    /// Hex, 32 bytes.
    public_key: String,
    /// Hex, 64 bytes.
    signature: String,
}

impl Anchor {
    /// What is signed: the format, the entry's number and hash, and when.
    fn message(seq: u64, hash: &str, signed_at: &str) -> String {
        format!("{FORMAT}\n{seq}\n{hash}\n{signed_at}")
    }

    fn sign(key: &SigningKey, head: ChainHead, entry_at: String, signed_at: String) -> Self {
        let signature = key.sign(Self::message(head.seq, &head.hash, &signed_at).as_bytes());
        Self {
            seq: head.seq,
            hash: head.hash,
            entry_at,
            signed_at,
            public_key: hex(key.verifying_key().as_bytes()),
            signature: hex(&signature.to_bytes()),
        }
    }

    fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(&json!({
            "format": FORMAT,
            "seq": self.seq,
            "hash": self.hash,
            "entry_at": self.entry_at,
            "signed_at": self.signed_at,
            "public_key": self.public_key,
            "signature": self.signature,
        }))
        .expect("an anchor serializes");
        text.push('\n');
        text
    }

    fn read(path: &Path) -> Result<Self, Failure> {
        let refused = |zh: String| -> Failure {
            RuleViolation::new("--anchor", zh, "not an audit anchor written by gongkai").into()
        };
        let metadata = std::fs::metadata(path)
            .map_err(|e| Failure::io(format!("无法读取 {}", path.display()), e))?;
        if metadata.len() > 4096 {
            return Err(refused(format!(
                "{} 有 {} 字节，不是锚点文件（锚点不足 1 KB）",
                path.display(),
                metadata.len()
            )));
        }
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::io(format!("无法读取 {}", path.display()), e))?;
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| refused(format!("{} 不是有效的 JSON：{e}", path.display())))?;
        if value["format"] != FORMAT {
            return Err(refused(format!(
                "{} 不是 gongkai 审计锚点（format 应为 {FORMAT}）",
                path.display()
            )));
        }
        let text_field = |name: &str| -> Result<String, Failure> {
            value[name]
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| refused(format!("锚点缺少字段 {name}")))
        };
        Ok(Self {
            seq: value["seq"]
                .as_u64()
                .filter(|n| *n > 0)
                .ok_or_else(|| refused("锚点的 seq 应为正整数".into()))?,
            hash: text_field("hash")?,
            entry_at: text_field("entry_at")?,
            signed_at: text_field("signed_at")?,
            public_key: text_field("public_key")?,
            signature: text_field("signature")?,
        })
    }

    /// The anchor must be signed by `signer`, over exactly what it states.
    fn check_signature(&self, signer: &VerifyingKey) -> Result<(), Failure> {
        let refused = |zh: String| -> Failure {
            RuleViolation::new("--anchor", zh, "the anchor's signature does not hold").into()
        };
        if self.public_key != hex(signer.as_bytes()) {
            return Err(refused(format!(
                "锚点由公钥 {} 签发，不是应核对的 {}：不是本系统签发的锚点",
                gongkai_law::excerpt(&self.public_key),
                hex(signer.as_bytes())
            )));
        }
        let signature = unhex::<64>(&self.signature)
            .map(|bytes| Signature::from_bytes(&bytes))
            .ok_or_else(|| refused("锚点的签名不是 128 位十六进制".into()))?;
        signer
            .verify(
                Self::message(self.seq, &self.hash, &self.signed_at).as_bytes(),
                &signature,
            )
            .map_err(|_| refused("锚点签名无效：文件内容在签发后被改动".into()))
    }
}

/// The installation's signing key, made on first use (readable by its owner only).
fn installation_key(path: &Path) -> Result<SigningKey, Failure> {
    if path.exists() {
        return read_key(path);
    }
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| Failure::io("无法取得随机数", e))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::io(format!("无法创建 {}", dir.display()), e))?;
    }
    let mut file = open_private(path)
        .map_err(|e| Failure::io(format!("无法创建密钥文件 {}", path.display()), e))?;
    file.write_all(format!("{}\n", hex(&seed)).as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| Failure::io(format!("无法写入密钥文件 {}", path.display()), e))?;
    eprintln!(
        "已生成本系统审计签名密钥 {}（gongkai backup 不含此密钥：请另行妥善保存，勿外传；核对锚点也可只用签发时打印的公钥）。",
        path.display()
    );
    Ok(SigningKey::from_bytes(&seed))
}

#[cfg(unix)]
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

fn read_key(path: &Path) -> Result<SigningKey, Failure> {
    let not_a_key = || -> Failure {
        RuleViolation::new(
            "--key",
            format!(
                "{} 不是 gongkai 的签名密钥（应为 64 位十六进制）",
                path.display()
            ),
            "not a gongkai signing key",
        )
        .into()
    };
    // A key is 65 bytes; a larger file is refused before it is read.
    let metadata = std::fs::metadata(path)
        .map_err(|e| Failure::io(format!("无法读取密钥文件 {}", path.display()), e))?;
    if metadata.len() > 1024 {
        return Err(not_a_key());
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::io(format!("无法读取密钥文件 {}", path.display()), e))?;
    unhex::<32>(text.trim())
        .map(|seed| SigningKey::from_bytes(&seed))
        .ok_or_else(not_a_key)
}

/// The public key to check an anchor against when none is given: the installation's own.
fn installation_public_key(path: &Path) -> Result<VerifyingKey, Failure> {
    if !path.exists() {
        return Err(RuleViolation::new(
            "--public-key",
            format!(
                "本机没有签名密钥 {}，无法确认锚点的签发者：请用 --public-key 给出签发时打印的公钥",
                path.display()
            ),
            "no installation key here: give the signer's public key",
        )
        .into());
    }
    Ok(read_key(path)?.verifying_key())
}

fn parse_public_key(text: &str) -> Result<VerifyingKey, Failure> {
    unhex::<32>(text.trim())
        .and_then(|bytes| VerifyingKey::from_bytes(&bytes).ok())
        .ok_or_else(|| {
            RuleViolation::new(
                "--public-key",
                format!(
                    "「{}」不是 ed25519 公钥（应为 64 位十六进制）",
                    gongkai_law::excerpt(text)
                ),
                "not an ed25519 public key in hex",
            )
            .into()
        })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    if text.len() != 2 * N || !text.is_ascii() {
        return None;
    }
    let mut out = [0u8; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchor(key: &SigningKey) -> Anchor {
        let head = ChainHead {
            seq: 42,
            hash: "ab".repeat(32),
        };
        Anchor::sign(
            key,
            head,
            "2026-12-01T00:00:00Z".into(),
            "2026-12-02T00:00:00Z".into(),
        )
    }

    #[test]
    fn an_anchor_holds_only_for_what_it_states_and_its_signer() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let good = anchor(&key);
        assert!(good.check_signature(&key.verifying_key()).is_ok());
        let mut moved = good.clone();
        moved.seq = 41;
        assert!(moved.check_signature(&key.verifying_key()).is_err());
        let mut rehashed = good.clone();
        rehashed.hash = "cd".repeat(32);
        assert!(rehashed.check_signature(&key.verifying_key()).is_err());
        let other = SigningKey::from_bytes(&[8; 32]);
        let forged = anchor(&other);
        assert!(
            forged.check_signature(&key.verifying_key()).is_err(),
            "an anchor by another key is not the installation's"
        );
    }

    #[test]
    fn hex_round_trips_and_refuses_what_is_not_hex() {
        let bytes = [0u8, 1, 0xab, 0xff];
        assert_eq!(unhex::<4>(&hex(&bytes)), Some(bytes));
        assert_eq!(unhex::<4>("0001abf"), None);
        assert_eq!(unhex::<4>("0001abzz"), None);
        assert_eq!(unhex::<2>("é1"), None);
    }
}
