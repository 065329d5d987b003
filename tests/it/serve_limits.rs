//! `serve` under abuse: an oversized request head gets 431, idle and half-sent connections cost
//! no thread and are closed after the head timeout (408), and other readers are answered all
//! the while. Only loopback, bounded in count and time.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::serve::Served;
use crate::support::SiteTest;

/// Threads of a process, from /proc.
fn threads(pid: u32) -> usize {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("Threads line")
}

fn raw(addr: &str, request: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    // The server may answer and close before it has read everything we send.
    let _ = s.write_all(request);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn oversized_heads_idle_connections_and_floods_are_bounded() {
    let site = SiteTest::fixture();
    site.build().ok();
    let served = Served::start(&site);
    let addr = served.addr.clone();
    let pid = served.pid();

    // A 1 MB header line: refused once the head passes 16 KiB, and the server lives on.
    let mut big = b"GET / HTTP/1.1\r\nX-Big: ".to_vec();
    big.extend(std::iter::repeat_n(b'a', 1 << 20));
    big.extend_from_slice(b"\r\n\r\n");
    let answer = raw(&addr, &big);
    assert!(
        answer.starts_with("HTTP/1.1 431 "),
        "{}",
        &answer[..answer.len().min(200)]
    );
    assert_eq!(served.get("/").0, 200);

    // Methods and HEAD.
    let post = raw(&addr, b"POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
    assert!(
        post.starts_with("HTTP/1.1 405 ") && post.contains("Allow: GET, HEAD"),
        "{post}"
    );
    let head = raw(&addr, b"HEAD / HTTP/1.1\r\n\r\n");
    assert!(
        head.starts_with("HTTP/1.1 200 ") && head.ends_with("\r\n\r\n"),
        "{head}"
    );
    assert!(raw(&addr, b"GET * HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 400 "));

    // 600 idle connections and 50 that send their head a byte at a time.
    let idle: Vec<TcpStream> = (0..600)
        .map(|_| TcpStream::connect(&addr).expect("connect"))
        .collect();
    let mut slow: Vec<TcpStream> = (0..50)
        .map(|_| TcpStream::connect(&addr).expect("connect"))
        .collect();
    let start = Instant::now();
    let mut answered = 0;
    while start.elapsed() < Duration::from_secs(3) {
        for s in &mut slow {
            let _ = s.write_all(b"G");
        }
        let t = Instant::now();
        assert_eq!(
            served.get("/").0,
            200,
            "a reader is answered while the server is flooded"
        );
        assert!(
            t.elapsed() < Duration::from_secs(2),
            "answered, but after {:?}",
            t.elapsed()
        );
        answered += 1;
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(answered >= 10);
    let n = threads(pid);
    assert!(n < 40, "650 open connections hold {n} threads");

    // Past the head timeout, each is told so and closed.
    let mut first = idle.into_iter().next().expect("one");
    first
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let mut out = String::new();
    let _ = first.read_to_string(&mut out);
    assert!(out.starts_with("HTTP/1.1 408 "), "{out}");
    assert_eq!(served.get("/").0, 200);
    drop(slow);
    let (status, _) = served.stop();
    assert!(status.success());
}
