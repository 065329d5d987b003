//! The real SMTP server the delivery tests send to (tests/tools/smtp_server.py, aiosmtpd on
//! loopback): plain, behind STARTTLS or TLS from the first byte, storing what it receives.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use super::python_has;
use crate::support::repo;

/// The login the server requires.
pub const USER: &str = "digest";
pub const PASSWORD: &str = "s3cret-密码";

/// How the server protects the connection, with its certificate chain and key.
#[derive(Clone, Copy)]
pub enum Tls<'a> {
    Starttls { cert: &'a Path, key: &'a Path },
    Implicit { cert: &'a Path, key: &'a Path },
}

/// A real SMTP server storing what it receives in a folder.
pub struct SmtpServer {
    child: Child,
    pub port: u16,
    dir: tempfile::TempDir,
}

impl SmtpServer {
    /// `die_after`: accept that many messages, then drop the connection on the next and exit.
    pub fn start(die_after: Option<usize>) -> Option<SmtpServer> {
        if !python_has("aiosmtpd") {
            return None;
        }
        let dir = tempfile::tempdir().expect("tempdir");
        Some(Self::start_in(dir, die_after, None, None))
    }

    /// A server that speaks TLS (STARTTLS or from the first byte) with the given certificate.
    pub fn start_tls(tls: Tls) -> Option<SmtpServer> {
        if !python_has("aiosmtpd") {
            return None;
        }
        let dir = tempfile::tempdir().expect("tempdir");
        Some(Self::start_in(dir, None, None, Some(tls)))
    }

    fn start_in(
        dir: tempfile::TempDir,
        die_after: Option<usize>,
        port: Option<u16>,
        tls: Option<Tls>,
    ) -> SmtpServer {
        let port = port.unwrap_or_else(|| {
            std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("free port")
                .port()
        });
        let mut cmd = Command::new("python3");
        cmd.arg(repo().join("tests/tools/smtp_server.py"))
            .arg("--dir")
            .arg(dir.path())
            .args(["--port", &port.to_string()])
            .args(["--user", USER, "--password", PASSWORD])
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(k) = die_after {
            cmd.args(["--die-after", &k.to_string()]);
        }
        let (mode, cert, key) = match tls {
            Some(Tls::Starttls { cert, key }) => ("starttls", cert, key),
            Some(Tls::Implicit { cert, key }) => ("implicit", cert, key),
            None => ("", Path::new(""), Path::new("")),
        };
        if !mode.is_empty() {
            cmd.args(["--tls", mode])
                .arg("--cert")
                .arg(cert)
                .arg("--key")
                .arg(key);
        }
        let mut child = cmd.spawn().expect("start python3");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read");
        assert_eq!(line.trim(), "ready", "SMTP server did not start");
        SmtpServer { child, port, dir }
    }

    /// The same messages and port, a fresh plain server (after one that died).
    pub fn restart(mut self) -> SmtpServer {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let dir = tempfile::tempdir().expect("tempdir");
        for e in std::fs::read_dir(self.dir.path()).expect("ls") {
            let e = e.expect("entry");
            std::fs::copy(e.path(), dir.path().join(e.file_name())).expect("copy");
        }
        Self::start_in(dir, None, Some(self.port), None)
    }

    pub fn messages(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .expect("ls")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        v.sort();
        v
    }

    fn per_message(&self, ext: &str) -> Vec<String> {
        self.messages()
            .iter()
            .map(|p| {
                std::fs::read_to_string(p.with_extension(ext))
                    .unwrap_or_else(|e| panic!("{ext} of {}: {e}", p.display()))
                    .trim()
                    .to_string()
            })
            .collect()
    }

    /// Envelope recipients of every stored message, in arrival order.
    pub fn recipients(&self) -> Vec<String> {
        self.per_message("rcpt")
    }

    /// The TLS version each stored message arrived over (`none`: clear text), in arrival order.
    pub fn tls_versions(&self) -> Vec<String> {
        self.per_message("tls")
    }

    /// Every AUTH attempt the server saw: `ok|refused TLS-VERSION`.
    pub fn auth_attempts(&self) -> Vec<String> {
        match std::fs::read_to_string(self.dir.path().join("auth.log")) {
            Ok(s) => s.lines().map(str::to_string).collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => panic!("auth.log: {e}"),
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
