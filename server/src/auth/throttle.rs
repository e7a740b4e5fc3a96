//! Throttling of password and reset-code guesses, per NIP and per client address, with the counters in the
//! database so every server node on it shares them: after [`ThrottleLimits::max_failures`] failures within the
//! window a subject is blocked for a minute; a failure soon after a block blocks it again for twice as long, up
//! to [`ThrottleLimits::max_block`]. While blocked, every attempt is answered `auth.throttled` with its wait, the
//! right password included. A block's start is audited.

use std::net::IpAddr;
use std::time::Duration;

use axum::http::HeaderMap;
use mysapk_model::Nip;
use sqlx::AnyPool;

use super::password::Argon2Gate;
use super::{millis, now_millis};
use crate::config::{canonical, IpNet, ThrottleLimits};
use crate::db::{self, throttle as store};
use crate::error::ServerError;

/// What is being guessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guess {
    /// A password at login.
    Login,
    /// A one-time code at `auth/reset`.
    ResetCode,
    /// A second-factor code (TOTP or recovery code) at login or when confirming an enrolment.
    Mfa,
}

impl Guess {
    fn scopes(self) -> (&'static str, &'static str) {
        match self {
            Guess::Login => ("login.nip", "login.addr"),
            Guess::ResetCode => ("reset.nip", "reset.addr"),
            Guess::Mfa => ("mfa.nip", "mfa.addr"),
        }
    }
}

/// The guard of one server's password checks: the throttle's limits, who may name the client in
/// `X-Forwarded-For`, and the gate every argon2 hash of a login or reset passes.
#[derive(Debug, Clone, Default)]
pub struct Throttle {
    pub limits: ThrottleLimits,
    pub trusted_proxies: Vec<IpNet>,
    pub argon2: Argon2Gate,
}

/// The error of a blocked attempt: `auth.throttled`, answered 429 with `Retry-After`.
pub fn throttled(wait: Duration) -> ServerError {
    ServerError::Throttled { retry_after: wait.max(Duration::from_secs(1)) }
}

impl Throttle {
    /// The client's address: the socket's peer, or — only when the peer is a trusted proxy — the right-most
    /// `X-Forwarded-For` entry that is not itself a trusted proxy (the left part of the header is the client's
    /// own say and proves nothing).
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = canonical(peer);
        let trusted = |ip: IpAddr| self.trusted_proxies.iter().any(|net| net.contains(ip));
        if !trusted(peer) {
            return peer;
        }
        let entries: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for entry in entries.iter().rev() {
            match entry.parse::<IpAddr>() {
                Ok(ip) => {
                    client = canonical(ip);
                    if !trusted(client) {
                        break;
                    }
                }
                // A malformed entry was not written by a trusted proxy: the last good one stands.
                Err(_) => break,
            }
        }
        client
    }

    /// Refuse the attempt while the NIP or the address is blocked.
    pub async fn check(&self, pool: &AnyPool, guess: Guess, nip: &Nip, ip: IpAddr) -> Result<(), ServerError> {
        let (nip_scope, addr_scope) = guess.scopes();
        let ip = ip.to_string();
        let mut conn = pool.acquire().await?;
        let until = store::blocked_until(&mut conn, &[(nip_scope, nip.as_str()), (addr_scope, &ip)]).await?;
        let now = now_millis();
        if until > now {
            return Err(throttled(Duration::from_millis(u64::try_from(until - now).unwrap_or(0))));
        }
        Ok(())
    }

    /// Count a failed attempt against the NIP and the address; a block that starts is audited.
    pub async fn failed(&self, pool: &AnyPool, guess: Guess, nip: &Nip, ip: IpAddr) -> Result<(), ServerError> {
        let (nip_scope, addr_scope) = guess.scopes();
        let ip = ip.to_string();
        let mut conn = pool.acquire().await?;
        // One attempt, one moment: the blocks it starts on the NIP and on the address end together (a clock read
        // per scope let the address's block outlast the NIP's by the NIP's round trips).
        let now = now_millis();
        let window = millis(self.limits.window);
        for (scope, subject) in [(nip_scope, nip.as_str()), (addr_scope, ip.as_str())] {
            let seen = store::count_failure(&mut conn, scope, subject, now, window).await?;
            let again = seen.blocks > 0 && seen.blocked_until + window > now;
            let limit = i64::from(self.limits.max_failures.max(1));
            if seen.failures < limit && !again {
                continue;
            }
            let wait = self.block_length(seen.blocks);
            if store::start_block(&mut conn, scope, subject, seen, now, now + millis(wait)).await? {
                tracing::warn!(scope, subject, wait_secs = wait.as_secs(), "throttled");
                db::audit(
                    &mut conn,
                    db::Audit {
                        actor: nip.as_str(),
                        action: "auth.throttle_block",
                        entity: scope,
                        entity_id: subject,
                        subject: Some(nip.as_str()),
                        details: serde_json::json!({
                            "address": ip,
                            "failures": seen.failures,
                            "block": seen.blocks + 1,
                            "wait_secs": wait.as_secs(),
                        }),
                        ..db::Audit::default()
                    },
                )
                .await?;
            }
        }
        Ok(())
    }

    /// Forget the NIP's failures after a success (the address's stay: one address may guess many NIPs).
    pub async fn succeeded(&self, pool: &AnyPool, guess: Guess, nip: &Nip) -> Result<(), ServerError> {
        let mut conn = pool.acquire().await?;
        store::clear(&mut conn, guess.scopes().0, nip.as_str()).await
    }

    /// The length of the block after `blocks` blocks in a row: the first doubled that often, at most the longest.
    fn block_length(&self, blocks: i64) -> Duration {
        let doublings = u32::try_from(blocks.clamp(0, 16)).unwrap_or(16);
        self.limits.first_block.saturating_mul(1 << doublings).min(self.limits.max_block)
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;
    use crate::config::parse_ip_nets;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    fn xff(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_str(v).expect("header"));
        h
    }

    #[test]
    fn forwarded_for_counts_only_from_a_trusted_proxy() {
        let t = Throttle { trusted_proxies: parse_ip_nets("10.0.0.0/8").expect("nets"), ..Throttle::default() };
        // An untrusted peer cannot name another client.
        assert_eq!(t.client_ip(ip("203.0.113.9"), &xff("1.2.3.4")), ip("203.0.113.9"));
        // Behind the proxy: the right-most entry that is not a proxy; the client's own left part is ignored.
        assert_eq!(t.client_ip(ip("10.0.0.2"), &xff("6.6.6.6, 198.51.100.7")), ip("198.51.100.7"));
        assert_eq!(t.client_ip(ip("10.0.0.2"), &xff("198.51.100.7, 10.0.0.3")), ip("198.51.100.7"));
        assert_eq!(t.client_ip(ip("10.0.0.2"), &HeaderMap::new()), ip("10.0.0.2"));
        assert_eq!(t.client_ip(ip("10.0.0.2"), &xff("garbage")), ip("10.0.0.2"));
        assert_eq!(t.client_ip(ip("::ffff:203.0.113.9"), &xff("1.2.3.4")), ip("203.0.113.9"));
    }

    #[test]
    fn blocks_double_up_to_the_longest() {
        let t = Throttle::default();
        let mins = |b| t.block_length(b).as_secs() / 60;
        assert_eq!([mins(0), mins(1), mins(2), mins(3), mins(4), mins(40)], [1, 2, 4, 8, 15, 15]);
    }
}
