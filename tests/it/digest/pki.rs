//! A throwaway certificate authority for the TLS tests, made with the openssl CLI (Debian's
//! `openssl` package) in a temporary folder: a CA, and server certificates it issues for the
//! names a test chooses.

use std::path::PathBuf;
use std::process::Command;

use super::has_tool;

/// A throwaway CA and certificates it issues, in a temporary folder.
pub struct Pki {
    dir: tempfile::TempDir,
}

impl Pki {
    pub fn new() -> Option<Pki> {
        let ok = Command::new("openssl")
            .arg("version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !has_tool("openssl (Debian package openssl)", ok) {
            return None;
        }
        Some(Pki {
            dir: tempfile::tempdir().expect("tempdir"),
        })
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs `openssl` with `args` (split at spaces: no argument here has one) in the folder.
    pub fn openssl(&self, args: &str) {
        let args: Vec<&str> = args.split_whitespace().collect();
        let out = Command::new("openssl")
            .args(&args)
            .current_dir(self.dir.path())
            .output()
            .expect("openssl");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// A self-signed CA: `NAME.pem` and `NAME.key`.
    pub fn ca(&self, name: &str) -> PathBuf {
        self.openssl(&format!(
            "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
             -keyout {name}.key -out {name}.pem -days 2 -subj /CN={name}-internal-CA \
             -addext basicConstraints=critical,CA:TRUE \
             -addext keyUsage=critical,keyCertSign,cRLSign"
        ));
        self.path(&format!("{name}.pem"))
    }

    /// A server certificate issued by `ca` for the subjectAltNames `sans` (e.g.
    /// `IP:127.0.0.1,DNS:localhost`): `NAME.pem` and `NAME.key`.
    pub fn server(&self, ca: &str, name: &str, sans: &str) -> (PathBuf, PathBuf) {
        self.issue(
            ca,
            name,
            &format!("subjectAltName={sans}\nextendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"),
        );
        (
            self.path(&format!("{name}.pem")),
            self.path(&format!("{name}.key")),
        )
    }

    /// An intermediate CA issued by `ca`, as organisations run under their root.
    pub fn intermediate(&self, ca: &str, name: &str) -> PathBuf {
        self.issue(
            ca,
            name,
            "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n",
        );
        self.path(&format!("{name}.pem"))
    }

    /// A self-signed server certificate (no CA at all) for `sans`.
    pub fn self_signed(&self, name: &str, sans: &str) -> (PathBuf, PathBuf) {
        self.openssl(&format!(
            "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
             -keyout {name}.key -out {name}.pem -days 2 -subj /CN={name} \
             -addext subjectAltName={sans} -addext extendedKeyUsage=serverAuth \
             -addext basicConstraints=critical,CA:FALSE"
        ));
        (
            self.path(&format!("{name}.pem")),
            self.path(&format!("{name}.key")),
        )
    }

    /// A key and a certificate for it issued by `ca`, with the extensions `ext` (openssl's
    /// extension file format): `NAME.pem` and `NAME.key`.
    fn issue(&self, ca: &str, name: &str, ext: &str) {
        std::fs::write(self.path(&format!("{name}.ext")), ext).expect("write ext");
        self.openssl(&format!(
            "req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
             -keyout {name}.key -out {name}.csr -subj /CN={name}"
        ));
        self.openssl(&format!(
            "x509 -req -in {name}.csr -CA {ca}.pem -CAkey {ca}.key -set_serial 2 -days 2 \
             -extfile {name}.ext -out {name}.pem"
        ));
    }
}
