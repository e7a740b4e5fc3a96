//! HTTP/1.1 message boundaries: reading heads and bodies off a socket, framing, and `Connection: close`.

use std::io;

use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

/// A buffered reader over a socket.
pub(super) struct Reader {
    buf: Vec<u8>,
}

impl Reader {
    pub(super) fn new() -> Reader {
        Reader { buf: Vec::new() }
    }

    /// Bytes read past the last head or body, handed over (for relaying a stream as it comes).
    pub(super) fn take_buffered(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.buf)
    }

    async fn fill(&mut self, s: &mut TcpStream) -> io::Result<usize> {
        let mut chunk = [0u8; 16 * 1024];
        let n = s.read(&mut chunk).await?;
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(n)
    }

    /// Bytes up to and including the blank line; `None` on a clean close before any byte.
    pub(super) async fn head(&mut self, s: &mut TcpStream) -> io::Result<Option<Vec<u8>>> {
        loop {
            if let Some(end) = find(&self.buf, b"\r\n\r\n") {
                return Ok(Some(self.buf.drain(..end + 4).collect()));
            }
            if self.buf.len() > 64 * 1024 {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "HTTP head too large"));
            }
            if self.fill(s).await? == 0 {
                if self.buf.is_empty() {
                    return Ok(None);
                }
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
    }

    async fn exact(&mut self, s: &mut TcpStream, n: usize) -> io::Result<Vec<u8>> {
        while self.buf.len() < n {
            if self.fill(s).await? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
        Ok(self.buf.drain(..n).collect())
    }

    async fn line(&mut self, s: &mut TcpStream) -> io::Result<Vec<u8>> {
        loop {
            if let Some(end) = find(&self.buf, b"\r\n") {
                return Ok(self.buf.drain(..end + 2).collect());
            }
            if self.fill(s).await? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
    }

    async fn until_eof(&mut self, s: &mut TcpStream) -> io::Result<Vec<u8>> {
        while self.fill(s).await? > 0 {}
        Ok(std::mem::take(&mut self.buf))
    }

    /// The body after `head` with its framing bytes, as received.
    pub(super) async fn body(&mut self, s: &mut TcpStream, framing: Framing) -> io::Result<Vec<u8>> {
        match framing {
            Framing::None => Ok(Vec::new()),
            Framing::Length(n) => self.exact(s, n).await,
            Framing::UntilClose => self.until_eof(s).await,
            Framing::Chunked => {
                let mut out = Vec::new();
                loop {
                    let line = self.line(s).await?;
                    let size_text = String::from_utf8_lossy(&line);
                    let size_hex = size_text.trim().split(';').next().unwrap_or("").trim().to_owned();
                    let size = usize::from_str_radix(&size_hex, 16)
                        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad chunk size"))?;
                    out.extend_from_slice(&line);
                    if size == 0 {
                        // Trailers, then the blank line.
                        loop {
                            let t = self.line(s).await?;
                            let blank = t == b"\r\n";
                            out.extend_from_slice(&t);
                            if blank {
                                return Ok(out);
                            }
                        }
                    }
                    out.extend_from_slice(&self.exact(s, size + 2).await?);
                }
            }
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Framing {
    None,
    Length(usize),
    Chunked,
    UntilClose,
}

/// A parsed message head.
#[derive(Debug, Clone)]
pub(super) struct Head {
    /// Request: method; response: the status code as text.
    pub(super) first: String,
    /// Request: path; response: empty.
    pub(super) target: String,
    pub(super) headers: Vec<(String, String)>,
}

impl Head {
    pub(super) fn parse(raw: &[u8], request: bool) -> io::Result<Head> {
        let text = String::from_utf8_lossy(raw);
        let mut lines = text.split("\r\n");
        let start = lines.next().unwrap_or("");
        let mut parts = start.split(' ');
        let (first, target) = if request {
            (parts.next().unwrap_or("").to_owned(), parts.next().unwrap_or("").to_owned())
        } else {
            let _version = parts.next();
            (parts.next().unwrap_or("").to_owned(), String::new())
        };
        if first.is_empty() {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "bad HTTP start line"));
        }
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        Ok(Head { first, target, headers })
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// A server-sent event stream: relayed as it comes, never buffered whole (it does not end).
    pub(super) fn is_event_stream(&self) -> bool {
        self.header("content-type").is_some_and(|v| v.to_ascii_lowercase().starts_with("text/event-stream"))
    }

    pub(super) fn closes(&self) -> bool {
        self.header("connection").is_some_and(|v| v.eq_ignore_ascii_case("close"))
    }

    pub(super) fn framing(&self, request: bool, request_method: &str) -> Framing {
        if self.header("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked")) {
            return Framing::Chunked;
        }
        if let Some(n) = self.header("content-length").and_then(|v| v.parse::<usize>().ok()) {
            return Framing::Length(n);
        }
        if request {
            return Framing::None;
        }
        let status: u16 = self.first.parse().unwrap_or(200);
        if request_method == "HEAD" || (100..200).contains(&status) || status == 204 || status == 304 {
            Framing::None
        } else {
            Framing::UntilClose
        }
    }
}

/// Rewrite a head to carry `Connection: close`.
pub(super) fn with_close(raw: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(raw);
    let mut out = String::new();
    for line in text.split("\r\n") {
        if line.is_empty() {
            continue;
        }
        if line.to_ascii_lowercase().starts_with("connection:") {
            continue;
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    out.push_str("Connection: close\r\n\r\n");
    out.into_bytes()
}
