//! Who is asking: the client's address behind trusted reverse proxies (`--trusted-proxy`),
//! grouped as the limits count it (IPv6 by /64 — one host gets a whole /64), and the growing
//! delay after failed logins, per account *and* address, so that an attacker cannot lock staff
//! out by failing on their behalf.

use std::{
    collections::HashMap,
    net::{IpAddr, Ipv6Addr},
    sync::Mutex,
};

use jiff::Timestamp;

/// A network in CIDR form (`10.0.0.0/8`, `fd00::/8`, or one address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let network: IpAddr = address.parse().map_err(|_| {
            format!(
                "「{}」不是 IP 地址或网段（如 10.0.0.0/8）",
                gongkai_law::excerpt(text)
            )
        })?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(|| {
                format!("「{}」的前缀长度应为0至{max}", gongkai_law::excerpt(text))
            })?,
        };
        Ok(Self { network, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// The client's address: the peer, or — when the peer is a trusted proxy — the nearest address
/// in `X-Forwarded-For` that is not itself a trusted proxy (what a client writes there itself
/// is never believed past the first untrusted hop).
pub fn client_address(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[Cidr]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|c| c.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let Some(header) = forwarded_for else {
        return peer;
    };
    let mut nearest = peer;
    // Read from the right: each trusted hop appended the address it received from.
    for hop in header.rsplit(',').take(16) {
        let Ok(ip) = hop.trim().parse::<IpAddr>() else {
            break;
        };
        nearest = ip;
        if !is_trusted(ip) {
            break;
        }
    }
    nearest
}

/// The address as limits count it: IPv4 as is, IPv6 by its /64.
pub fn limit_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & (u128::MAX << 64))),
        },
    }
}

/// Failed logins per (account, address): after [`FREE_FAILURES`], each further attempt waits
/// twice as long as the one before, up to [`MAX_DELAY_SECONDS`]; a success clears it.
pub struct LoginDelays {
    failures: Mutex<HashMap<(String, IpAddr), (u32, i64)>>,
}

pub const FREE_FAILURES: u32 = 5;
pub const MAX_DELAY_SECONDS: i64 = 15 * 60;

impl Default for LoginDelays {
    fn default() -> Self {
        Self {
            failures: Mutex::new(HashMap::new()),
        }
    }
}

impl LoginDelays {
    /// Seconds this account must still wait before trying again from this address.
    pub fn wait(&self, user: &str, ip: IpAddr, now: Timestamp) -> i64 {
        let failures = self.failures.lock().expect("login delays lock");
        failures
            .get(&(user.to_string(), limit_key(ip)))
            .map_or(0, |(_, until)| (until - now.as_second()).max(0))
    }

    pub fn failed(&self, user: &str, ip: IpAddr, now: Timestamp) {
        let mut failures = self.failures.lock().expect("login delays lock");
        let now = now.as_second();
        if failures.len() > 100_000 {
            failures.retain(|_, (_, until)| *until + MAX_DELAY_SECONDS > now);
        }
        let entry = failures
            .entry((user.to_string(), limit_key(ip)))
            .or_insert((0, now));
        entry.0 += 1;
        if entry.0 > FREE_FAILURES {
            let doubling = (entry.0 - FREE_FAILURES - 1).min(20);
            entry.1 = now + (1i64 << doubling).min(MAX_DELAY_SECONDS);
        }
    }

    pub fn succeeded(&self, user: &str, ip: IpAddr) {
        self.failures
            .lock()
            .expect("login delays lock")
            .remove(&(user.to_string(), limit_key(ip)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn networks_contain_their_addresses() {
        let private = Cidr::parse("10.0.0.0/8").unwrap();
        assert!(private.contains(ip("10.1.2.3")) && !private.contains(ip("11.0.0.1")));
        let one = Cidr::parse("::1").unwrap();
        assert!(one.contains(ip("::1")) && !one.contains(ip("::2")));
        assert!(Cidr::parse("10.0.0.0/33").is_err() && Cidr::parse("proxy").is_err());
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
    }

    #[test]
    fn the_client_is_found_behind_trusted_proxies_only() {
        let trusted = [Cidr::parse("10.0.0.0/8").unwrap()];
        // Direct client: its own header is ignored.
        assert_eq!(
            client_address(ip("8.8.8.8"), Some("1.1.1.1"), &trusted),
            ip("8.8.8.8")
        );
        // Through the proxy: the address the proxy saw.
        assert_eq!(
            client_address(ip("10.0.0.2"), Some("1.1.1.1, 203.0.113.9"), &trusted),
            ip("203.0.113.9")
        );
        // Two trusted hops.
        assert_eq!(
            client_address(ip("10.0.0.2"), Some("203.0.113.9, 10.0.0.7"), &trusted),
            ip("203.0.113.9")
        );
        assert_eq!(
            client_address(ip("10.0.0.2"), None, &trusted),
            ip("10.0.0.2")
        );
        assert_eq!(
            client_address(ip("10.0.0.2"), Some("garbage"), &trusted),
            ip("10.0.0.2")
        );
    }

    #[test]
    fn ipv6_counts_by_its_64() {
        assert_eq!(
            limit_key(ip("2001:db8:1:2:aaaa::1")),
            limit_key(ip("2001:db8:1:2:bbbb::9"))
        );
        assert_ne!(
            limit_key(ip("2001:db8:1:2::1")),
            limit_key(ip("2001:db8:1:3::1"))
        );
        assert_eq!(limit_key(ip("::ffff:1.2.3.4")), ip("1.2.3.4"));
    }

    #[test]
    fn failures_grow_a_delay_for_that_account_and_address_only() {
        let delays = LoginDelays::default();
        let t = |s: i64| Timestamp::from_second(1_700_000_000 + s).unwrap();
        let attacker = ip("198.51.100.7");
        for _ in 0..FREE_FAILURES {
            delays.failed("clerk", attacker, t(0));
        }
        assert_eq!(delays.wait("clerk", attacker, t(0)), 0);
        delays.failed("clerk", attacker, t(0));
        assert_eq!(delays.wait("clerk", attacker, t(0)), 1);
        delays.failed("clerk", attacker, t(0));
        assert_eq!(delays.wait("clerk", attacker, t(0)), 2);
        assert_eq!(
            delays.wait("clerk", ip("203.0.113.1"), t(0)),
            0,
            "the clerk at the office is not locked out"
        );
        for _ in 0..40 {
            delays.failed("clerk", attacker, t(0));
        }
        assert_eq!(delays.wait("clerk", attacker, t(0)), MAX_DELAY_SECONDS);
        delays.succeeded("clerk", attacker);
        assert_eq!(delays.wait("clerk", attacker, t(0)), 0);
    }
}
