//! Faults: deciding which request gets one, counting them, and applying them (canned answers, cut responses).

use std::io;
use std::sync::atomic::Ordering;

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use super::random::{next_random, unit};
use super::{lock, Fault, Shared};

impl Shared {
    /// The fault for the next request to `path`, by the plan's schedule or its probability.
    pub(super) fn decide(&self, path: &str) -> Option<Fault> {
        let config = lock(&self.config);
        let plan = &config.faults;
        if !plan.matches(path) {
            return None;
        }
        let mut st = lock(&self.plan_state);
        let index = st.0;
        st.0 += 1;
        if let Some(f) = plan.schedule.get(&index) {
            return Some(f.clone());
        }
        if plan.probability > 0.0 && !plan.pool.is_empty() && unit(&mut st.1) < plan.probability {
            let i = (next_random(&mut st.1) % plan.pool.len() as u64) as usize;
            return plan.pool.get(i).cloned();
        }
        None
    }

    /// Count one injected fault, in total and by [`Fault::name`].
    pub(super) fn count_fault(&self, f: &Fault) {
        self.counters.faults.fetch_add(1, Ordering::Relaxed);
        *lock(&self.fault_counts).entry(f.name()).or_insert(0) += 1;
    }

    /// Apply a fault that cuts a forwarded `response` (its head is `head_len` bytes) short: send part of it,
    /// then reset or close the client's connection. `false` when `fault` is not one of those.
    pub(super) async fn cut_response(
        &self,
        client: &mut TcpStream,
        fault: Option<&Fault>,
        response: &[u8],
        head_len: usize,
    ) -> io::Result<bool> {
        match fault {
            Some(Fault::ResetMidBody { after }) => {
                let n = (*after).min(response.len().saturating_sub(1));
                self.transmit(client, &response[..n], false).await?;
                let _ = client.set_zero_linger();
                Ok(true)
            }
            Some(Fault::Truncate) => {
                let n = head_len + (response.len() - head_len) / 2;
                self.transmit(client, &response[..n.min(response.len().saturating_sub(1))], false).await?;
                let _ = client.shutdown().await;
                Ok(true)
            }
            _ => Ok(false),
        }
    }
}

/// The status and bytes the emulator answers itself for `fault`, without the server; `None` for the others.
pub(super) fn answer(fault: Option<&Fault>) -> Option<(u16, Vec<u8>)> {
    match fault {
        Some(Fault::ServerError { status }) => Some((
            *status,
            canned(*status, "", r#"{"code":"server.unavailable","message":"Injected by the emulator."}"#),
        )),
        Some(Fault::TooManyRequests { retry_after }) => Some((
            429,
            canned(
                429,
                &format!("Retry-After: {retry_after}\r\n"),
                r#"{"code":"server.busy","message":"Injected by the emulator."}"#,
            ),
        )),
        Some(Fault::ExpiredToken) => {
            Some((401, canned(401, "", r#"{"code":"auth.expired_token","message":"The access token has expired."}"#)))
        }
        _ => None,
    }
}

fn canned(status: u16, extra: &str, body: &str) -> Vec<u8> {
    let reason = match status {
        401 => "Unauthorized",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    };
    format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{extra}\r\n{body}",
        body.len()
    )
    .into_bytes()
}
