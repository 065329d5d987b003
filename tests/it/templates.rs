//! Template errors are errors: a macro that calls itself (which Tera would follow until the
//! stack overflows and the process aborts) makes `build` and `check` exit 1 naming the template
//! and the line, and `serve` report it and keep serving.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support::{bin, snapshot_dir, SiteTest};

const RECURSIVE: &str = "{% macro rr(n) %}{{ self::rr(n=n+1) }}{% endmacro rr %}\n";
const CALL: (&str, &str) = ("{% block content %}", "{% block content %}{{ m::rr(n=1) }}");

/// Adds the recursive macro to the end of macros.html and a call to it in article.html; returns
/// the line of the definition.
fn add_recursion(site: &SiteTest) -> usize {
    let macros = site.root().join("templates/macros.html");
    let text = std::fs::read_to_string(&macros).expect("read macros.html");
    let line = text.lines().count() + 1;
    std::fs::write(&macros, format!("{text}{RECURSIVE}")).expect("write macros.html");
    let article = site.root().join("templates/article.html");
    let text = std::fs::read_to_string(&article).expect("read article.html");
    assert!(text.contains(CALL.0), "article.html has no content block");
    std::fs::write(&article, text.replacen(CALL.0, CALL.1, 1)).expect("write article.html");
    line
}

#[test]
fn build_and_check_refuse_a_recursive_macro_at_its_definition() {
    let site = SiteTest::fixture();
    site.build().ok();
    let before = snapshot_dir(&site.out());
    let line = add_recursion(&site);
    let want = format!("templates/macros.html:{line}:10");
    for cmd in ["build", "check"] {
        let err = site.run(&[cmd]).fails_with(1);
        assert!(err.contains("macro `rr` calls itself"), "{cmd}: {err}");
        assert!(err.contains(&want), "{cmd}: no {want} in\n{err}");
        assert!(err.contains("{% for %}"), "{cmd}: no hint in\n{err}");
    }
    assert_eq!(
        snapshot_dir(&site.out()),
        before,
        "a refused build changed site/"
    );
}

#[test]
fn mutual_recursion_through_an_include_is_refused_too() {
    let site = SiteTest::fixture().file(
        "templates/part.html",
        "{% import \"macros.html\" as m %}{{ m::again() }}",
    );
    let macros = site.root().join("templates/macros.html");
    let text = std::fs::read_to_string(&macros).expect("read");
    let again = "{% macro again() %}{% include \"part.html\" %}{% endmacro %}\n";
    std::fs::write(&macros, format!("{text}{again}")).expect("write");
    let err = site.build().fails_with(1);
    assert!(
        err.contains(
            "macro `again` calls itself again: macros.html::again → include \"part.html\" → macros.html::again"
        ),
        "{err}"
    );
}

/// Sends `GET target` and returns the status code.
fn status_of(addr: &str, target: &str) -> u16 {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = String::new();
    let _ = s.read_to_string(&mut raw);
    raw.split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

struct Serve(Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_reports_a_recursive_macro_and_keeps_serving() {
    let site = SiteTest::fixture();
    let mut child = bin()
        .arg("--root")
        .arg(site.root())
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start serve");
    let (tx, lines) = mpsc::channel::<String>();
    for stream in [
        Box::new(child.stdout.take().expect("stdout")) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().expect("stderr")),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
    }
    let mut serve = Serve(child);
    let wait = |want: &dyn Fn(&str) -> bool| -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match lines.recv_timeout(left) {
                Ok(l) if want(&l) => return l,
                Ok(l) => seen.push(l),
                Err(_) => break,
            }
        }
        panic!(
            "serve did not print the expected line:\n{}",
            seen.join("\n")
        );
    };
    let first = wait(&|l| l.starts_with("serving http://"));
    let addr = first["serving http://".len()..]
        .split('/')
        .next()
        .expect("address")
        .to_string();

    let line = add_recursion(&site);
    wait(&|l| l.contains("macro `rr` calls itself"));
    let want = format!("macros.html:{line}:10");
    wait(&|l| l.contains(&want));
    assert_eq!(
        serve.0.try_wait().expect("wait"),
        None,
        "serve died on a recursive macro"
    );
    assert_eq!(status_of(&addr, "/"), 200, "the last good site is gone");
    let deadline = Instant::now() + Duration::from_secs(20);
    let poll = loop {
        let mut s = TcpStream::connect(&addr).expect("connect");
        write!(
            s,
            "GET /__bulletin/poll HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut raw = String::new();
        let _ = s.read_to_string(&mut raw);
        if raw.contains("calls itself") || Instant::now() > deadline {
            break raw;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(poll.contains("macro `rr` calls itself"), "{poll}");
}

/// Nesting deep enough to overflow Tera's recursion (5,000 `{% if %}`; a chain of 300 macros
/// each calling the next) is refused with the template and line, not a crash.
#[test]
fn nesting_deeper_than_tera_can_recurse_is_refused() {
    let site = SiteTest::fixture();
    let ifs = format!(
        "头\n{}x{}",
        "{% if true %}".repeat(5000),
        "{% endif %}".repeat(5000)
    );
    site.write("templates/deep.html", &ifs);
    let err = site.build().fails_with(1);
    assert!(
        err.contains("`{% if %}` tags nested more than 64 deep"),
        "{err}"
    );
    assert!(err.contains("templates/deep.html:2:833"), "{err}");

    site.write("templates/deep.html", "x");
    let macros = site.root().join("templates/macros.html");
    let text = std::fs::read_to_string(&macros).expect("read");
    let chain: String = (0..300)
        .map(|i| {
            format!(
                "{{% macro c{i}() %}}{{{{ self::c{}() }}}}{{% endmacro %}}\n",
                i + 1
            )
        })
        .chain(["{% macro c300() %}x{% endmacro %}\n".to_string()])
        .collect();
    std::fs::write(&macros, format!("{text}{chain}")).expect("write");
    let article = site.root().join("templates/article.html");
    let text = std::fs::read_to_string(&article).expect("read");
    std::fs::write(
        &article,
        text.replacen(CALL.0, "{% block content %}{{ m::c0() }}", 1),
    )
    .expect("write");
    for cmd in ["build", "check"] {
        let err = site.run(&[cmd]).fails_with(1);
        assert!(
            err.contains("levels deep (macro calls, includes and tags), more than 128"),
            "{cmd}: {err}"
        );
        assert!(err.contains("templates/article.html:1:1"), "{cmd}: {err}");
    }
}
