//! Serving one client connection: read each request, apply its fault or forward it, send the response back.

use std::io;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use super::faults::answer;
use super::http::{with_close, Framing, Head, Reader};
use super::{lock, Fault, Seen, Shared};

pub(super) async fn serve(mut client: TcpStream, s: Arc<Shared>) -> io::Result<()> {
    let _ = client.set_nodelay(true);
    let (handshake, force_close) = {
        let c = lock(&s.config);
        (c.handshake_rtt.then_some(c.up.latency + c.down.latency), c.force_close)
    };
    if let Some(rtt) = handshake {
        tokio::time::sleep(rtt).await;
    }
    let mut from_client = Reader::new();
    let mut server: Option<(TcpStream, Reader)> = None;
    loop {
        let Some(raw_head) = from_client.head(&mut client).await? else { return Ok(()) };
        let head = Head::parse(&raw_head, true)?;
        let body = from_client.body(&mut client, head.framing(true, &head.first)).await?;
        s.counters.requests.fetch_add(1, Ordering::Relaxed);
        *lock(&s.last_request) = Some(Instant::now());
        let fault = s.decide(&head.target);
        if let Some(f) = &fault {
            s.count_fault(f);
        }
        let mut seen =
            Seen { at: Instant::now(), method: head.first.clone(), path: head.target.clone(), status: None, fault };
        // Faults answered here, without the server.
        if let Some(Fault::DropBeforeForward) = &seen.fault {
            s.record(seen);
            return Ok(());
        }
        if let Some((status, bytes)) = answer(seen.fault.as_ref()) {
            // The request still crossed the link before the emulator "answered" at the far end.
            tokio::time::sleep(s.link(true).latency).await;
            s.counters.bytes_up.fetch_add((raw_head.len() + body.len()) as u64, Ordering::Relaxed);
            s.transmit(&mut client, &bytes, false).await?;
            s.counters.responses.fetch_add(1, Ordering::Relaxed);
            seen.status = Some(status);
            s.record(seen);
            if force_close {
                return Ok(());
            }
            continue;
        }
        // Forward.
        if server.is_none() {
            let addr = *lock(&s.upstream);
            let sock = TcpStream::connect(addr).await?;
            let _ = sock.set_nodelay(true);
            server = Some((sock, Reader::new()));
        }
        let Some((up_sock, from_server)) = server.as_mut() else { return Ok(()) };
        let mut request = if force_close { with_close(&raw_head) } else { raw_head };
        request.extend_from_slice(&body);
        s.transmit(up_sock, &request, true).await?;
        s.counters.forwarded.fetch_add(1, Ordering::Relaxed);
        let Some(resp_raw) = from_server.head(up_sock).await? else {
            s.record(seen);
            return Ok(());
        };
        let resp = Head::parse(&resp_raw, false)?;
        if resp.is_event_stream() {
            seen.status = resp.first.parse().ok();
            s.record(seen);
            return relay_stream(&mut client, up_sock, from_server, &resp_raw, &s).await;
        }
        let resp_body = from_server.body(up_sock, resp.framing(false, &head.first)).await?;
        seen.status = resp.first.parse().ok();
        let mut response = resp_raw.clone();
        response.extend_from_slice(&resp_body);
        if s.cut_response(&mut client, seen.fault.as_ref(), &response, resp_raw.len()).await? {
            s.record(seen);
            return Ok(());
        }
        s.transmit(&mut client, &response, false).await?;
        s.counters.responses.fetch_add(1, Ordering::Relaxed);
        s.record(seen);
        if force_close || resp.closes() || head.closes() || resp.framing(false, &head.first) == Framing::UntilClose {
            let _ = client.shutdown().await;
            return Ok(());
        }
    }
}

/// Relay an event stream from the server to the client over the down link as its bytes arrive, until either side
/// closes (faults apply to its request only).
async fn relay_stream(
    client: &mut TcpStream,
    up_sock: &mut TcpStream,
    from_server: &mut Reader,
    head: &[u8],
    s: &Shared,
) -> io::Result<()> {
    use tokio::io::AsyncReadExt;
    s.transmit(client, head, false).await?;
    s.counters.responses.fetch_add(1, Ordering::Relaxed);
    let buffered = from_server.take_buffered();
    if !buffered.is_empty() {
        s.transmit(client, &buffered, false).await?;
    }
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let n = up_sock.read(&mut chunk).await?;
        if n == 0 {
            let _ = client.shutdown().await;
            return Ok(());
        }
        s.transmit(client, &chunk[..n], false).await?;
    }
}
