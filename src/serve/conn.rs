//! `serve`'s connections, with bounds a hostile or broken client cannot push past: a request
//! head of at most [`MAX_HEAD`] bytes (431 beyond it), [`HEAD_TIMEOUT`] to send it (408), at
//! most [`MAX_CONNECTIONS`] connections waiting for their head (the oldest is dropped for a new
//! one), a fixed pool of [`WORKERS`] threads for answers and at most [`MAX_POLLS`] live-reload
//! polls waiting at once (beyond that a poll is answered at once).
//!
//! Why not tiny_http, which `serve` used before: it reads a request head without a size limit,
//! keeps a thread for every connection however long it stays idle, and has no setting for
//! either. Idle and half-sent connections here cost a file descriptor and a small buffer in one
//! `poll(2)` loop, never a thread, so the preview keeps answering while being flooded. A preview
//! server needs only `GET`/`HEAD` and `Connection: close`, which keeps this small.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// The largest request head accepted; browsers send well under 8 KiB.
pub const MAX_HEAD: usize = 16 * 1024;
/// How long a client has to send its whole request head.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections waiting for their head at once.
pub const MAX_CONNECTIONS: usize = 1024;
/// Threads answering requests.
pub const WORKERS: usize = 8;
/// Live-reload polls waiting at once, each on a thread of its own.
pub const MAX_POLLS: usize = 64;
/// How long writing an answer may take.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// One request whose head has arrived, with the connection to answer on.
pub struct Request {
    pub method: String,
    pub target: String,
    stream: TcpStream,
}

impl Request {
    /// Answers and closes the connection. A client that has gone away is no error of ours.
    pub fn respond(mut self, status: u16, headers: &[(&str, &str)], body: &[u8]) {
        let head_only = self.method == "HEAD";
        let _ = write_response(&mut self.stream, status, headers, body, head_only);
    }
}

fn write_response(
    stream: &mut TcpStream,
    status: u16,
    headers: &[(&str, &str)],
    body: &[u8],
    head_only: bool,
) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        // Values are ours (never a client's), but a line break would still split the header.
        let value: String = value.chars().filter(|c| !c.is_control()).collect();
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()?;
    let _ = stream.shutdown(std::net::Shutdown::Write);
    Ok(())
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        _ => "",
    }
}

/// A listening server; requests go to `handle` on the worker pool, polls (`is_poll`) on threads
/// of their own.
pub struct Server {
    listener: TcpListener,
    stop: Arc<AtomicBool>,
}

impl Server {
    pub fn bind(addr: SocketAddr) -> std::io::Result<Server> {
        let listener = TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        Ok(Server {
            listener,
            stop: Arc::new(AtomicBool::new(false)),
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// A handle that stops [`Server::run`] within a fraction of a second.
    pub fn stopper(&self) -> Arc<AtomicBool> {
        self.stop.clone()
    }

    /// Accepts and reads until stopped.
    pub fn run<H, P>(self, handle: H, is_poll: P)
    where
        H: Fn(Request) + Send + Sync + 'static,
        P: Fn(&str) -> bool,
    {
        let handle = Arc::new(handle);
        let (tx, rx) = mpsc::channel::<Request>();
        let rx = Arc::new(Mutex::new(rx));
        for _ in 0..WORKERS {
            let (rx, handle) = (rx.clone(), handle.clone());
            std::thread::spawn(move || loop {
                let next = match rx.lock() {
                    Ok(r) => r.recv(),
                    Err(_) => return,
                };
                match next {
                    Ok(req) => handle(req),
                    Err(_) => return,
                }
            });
        }
        let polls = Arc::new(AtomicUsize::new(0));
        let mut waiting: Vec<Pending> = Vec::new();
        while !self.stop.load(Ordering::Relaxed) {
            self.wait_readable(&waiting);
            self.accept(&mut waiting);
            let now = Instant::now();
            let mut still = Vec::with_capacity(waiting.len());
            for mut p in waiting.drain(..) {
                match p.read() {
                    Head::Partial if now.duration_since(p.since) > HEAD_TIMEOUT => {
                        refuse(p.stream, 408, "request timeout")
                    }
                    Head::Partial => still.push(p),
                    Head::Closed => {}
                    Head::TooLarge => refuse(p.stream, 431, "request header too large"),
                    Head::Bad => refuse(p.stream, 400, "bad request"),
                    Head::Done(method, target) => {
                        let req = Request {
                            method,
                            target,
                            stream: p.stream,
                        };
                        if is_poll(&req.target) && polls.load(Ordering::Relaxed) < MAX_POLLS {
                            let (polls, handle) = (polls.clone(), handle.clone());
                            polls.fetch_add(1, Ordering::Relaxed);
                            std::thread::spawn(move || {
                                handle(req);
                                polls.fetch_sub(1, Ordering::Relaxed);
                            });
                        } else {
                            let _ = tx.send(req);
                        }
                    }
                }
            }
            waiting = still;
        }
    }

    /// Blocks until the listener or a waiting connection is readable, at most 200 ms (so that a
    /// stop or a timeout is noticed).
    fn wait_readable(&self, waiting: &[Pending]) {
        use rustix::event::{poll, PollFd, PollFlags, Timespec};
        let mut fds = Vec::with_capacity(waiting.len() + 1);
        fds.push(PollFd::new(&self.listener, PollFlags::IN));
        for p in waiting {
            fds.push(PollFd::new(&p.stream, PollFlags::IN));
        }
        let timeout = Timespec {
            tv_sec: 0,
            tv_nsec: 200_000_000,
        };
        let _ = poll(&mut fds, Some(&timeout));
    }

    fn accept(&self, waiting: &mut Vec<Pending>) {
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    if stream.set_nonblocking(true).is_err() {
                        continue;
                    }
                    if waiting.len() >= MAX_CONNECTIONS {
                        // The oldest has had the longest to send its head.
                        waiting.remove(0);
                    }
                    waiting.push(Pending {
                        stream,
                        buf: Vec::new(),
                        since: Instant::now(),
                    });
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => return,
                // Out of file descriptors and the like: try again on the next round.
                Err(_) => return,
            }
        }
    }
}

fn refuse(mut stream: TcpStream, status: u16, text: &str) {
    let headers = [("Content-Type", "text/plain; charset=utf-8")];
    // Answered from the accepting thread: the write is small and bounded by WRITE_TIMEOUT, but
    // a client that reads nothing must not stall the loop, so a short timeout here.
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
    let _ = write_response(&mut stream, status, &headers, text.as_bytes(), false);
}

/// A connection whose request head has not fully arrived.
struct Pending {
    stream: TcpStream,
    buf: Vec<u8>,
    since: Instant,
}

enum Head {
    Partial,
    Closed,
    TooLarge,
    Bad,
    Done(String, String),
}

impl Pending {
    /// Reads what has arrived, without blocking.
    fn read(&mut self) -> Head {
        let mut chunk = [0u8; 4096];
        loop {
            match self.stream.read(&mut chunk) {
                Ok(0) => return Head::Closed,
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    if let Some(end) = head_end(&self.buf) {
                        return parse_line(&self.buf[..end]);
                    }
                    if self.buf.len() > MAX_HEAD {
                        return Head::TooLarge;
                    }
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => return Head::Partial,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => return Head::Closed,
            }
        }
    }
}

/// Where the head ends (after its empty line), if it has.
fn head_end(buf: &[u8]) -> Option<usize> {
    let crlf = buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4);
    let lf = buf.windows(2).position(|w| w == b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The request line: `METHOD TARGET HTTP/1.x`. Headers are not needed.
fn parse_line(head: &[u8]) -> Head {
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let Ok(line) = std::str::from_utf8(line) else {
        return Head::Bad;
    };
    let mut parts = line.trim_end_matches('\r').split(' ');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(m), Some(t), Some(v), None)
            if !m.is_empty() && t.starts_with('/') && v.starts_with("HTTP/1.") =>
        {
            Head::Done(m.to_string(), t.to_string())
        }
        _ => Head::Bad,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_lines() {
        assert!(
            matches!(parse_line(b"GET /a?b HTTP/1.1\r\n"), Head::Done(m, t) if m == "GET" && t == "/a?b")
        );
        assert!(matches!(parse_line(b"GET * HTTP/1.1\r\n"), Head::Bad));
        assert!(matches!(
            parse_line(b"GET http://x/ HTTP/1.1\r\n"),
            Head::Bad
        ));
        assert!(matches!(parse_line(b"GET / HTTP/9.9\r\n"), Head::Bad));
        assert!(matches!(parse_line(b"\xff / HTTP/1.1\r\n"), Head::Bad));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"), Some(27));
        assert_eq!(head_end(b"GET / HTTP/1.0\n\n"), Some(16));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nHost"), None);
    }
}
