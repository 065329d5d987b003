//! The `bulletin` command line: parses arguments and hands them to [`bulletin::cli`], which
//! runs the command, prints and picks the exit code.

use std::path::PathBuf;
use std::process::ExitCode;

use bulletin::cli;
use clap::builder::{PathBufValueParser, TypedValueParser};
use clap::{Parser, Subcommand};

// mimalloc rather than glibc's malloc: rendering allocates many small, short-lived strings and
// JSON values on every thread. With glibc a 10,000-page build spent about a sixth of its CPU
// time in malloc and free and grew its per-thread heaps with ~30,000 `mprotect` calls; mimalloc
// cuts the build's CPU time by about a fifth (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "bulletin",
    version,
    about = "Builds the bulletins' website and monthly digest from content/"
)]
struct Cli {
    /// The folder holding content/ and templates/.
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render content/ through templates/ into the site folder.
    Build {
        /// Where to write the site (default ROOT/site).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Ignore the build cache and the current site: render every page.
        #[arg(long)]
        clean: bool,
        /// List every file written (rendered or changed) rather than carried over.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Load and validate everything and check every internal link; write nothing.
    Check,
    /// Write a new content file with every required field, to fill in (never overwrites).
    New {
        /// article, policy, ranking, book or product.
        #[arg(value_parser = bulletin::new::parse_kind)]
        kind: bulletin::model::Kind,
        /// The file name and address: lowercase ASCII letters, digits and hyphens.
        slug: String,
        /// The title (or a product's name); a placeholder otherwise.
        #[arg(long)]
        title: Option<String>,
        /// The issue it belongs to, e.g. xinxi-zhaibian/2024-07 (must exist).
        #[arg(long)]
        issue: Option<String>,
    },
    /// Build, then serve the site locally, rebuilding and reloading open pages on every save.
    Serve {
        /// The port (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on. Anything but 127.0.0.1 exposes the preview to others.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Where to write the site (default ROOT/site).
        #[arg(long)]
        out: Option<PathBuf>,
        /// List every file each rebuild writes.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Turn a bulletin in the 《信息摘编》 text format into content files (new files only).
    Import {
        /// The bulletin's text file.
        file: PathBuf,
        /// The series' folder under content/issues/, e.g. xinxi-zhaibian.
        #[arg(long)]
        series: String,
        /// The edition's id, e.g. 2024-07.
        #[arg(long)]
        id: String,
        /// Overwrite files that already exist (editors' changes to them are lost).
        #[arg(long)]
        force: bool,
        /// The text's encoding: utf-8, utf-16le, utf-16be or gb18030 (default: detected).
        #[arg(long, value_name = "ENCODING")]
        encoding: Option<bulletin::encoding::TextEncoding>,
    },
    /// The monthly e-mail digest: write it (--out DIR) and/or send it (--send).
    #[command(group = clap::ArgGroup::new("action").required(true).multiple(true).args(["out", "send"]))]
    Digest {
        /// The month, YYYY-MM.
        #[arg(value_parser = parse_month)]
        month: bulletin::model::Month,
        /// Write email.html, email.txt and message.eml into DIR.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Send one message per recipient (settings: digest: in content/site.yaml; password:
        /// BULLETIN_SMTP_PASSWORD).
        #[arg(long)]
        send: bool,
        /// Send also to recipients the send log says already got this month.
        #[arg(long, requires = "send")]
        resend: bool,
        /// Produce the digest even when the month has no items.
        #[arg(long)]
        allow_empty: bool,
        /// Also trust the CA certificates in this PEM file for the SMTP server's certificate
        /// (a relay with a certificate from an internal CA).
        #[arg(long, value_name = "PEM", requires = "send", value_parser = PathBufValueParser::new().try_map(parse_ca_file))]
        ca_file: Option<bulletin::digest::CaFile>,
    },
}

fn parse_month(s: &str) -> Result<bulletin::model::Month, String> {
    s.parse::<bulletin::model::Month>()
        .map_err(|e| e.replace(" | hint: ", "; "))
}

/// Reads and checks the file while parsing, so a bad one is a usage error before anything runs.
fn parse_ca_file(p: PathBuf) -> Result<bulletin::digest::CaFile, bulletin::digest::CaFileError> {
    bulletin::digest::CaFile::load(&p)
}

fn main() -> ExitCode {
    bulletin::no_huge_pages();
    let cli = Cli::parse();
    let root = cli.root;
    // The folders are checked (and an interrupted update finished) before any command runs.
    let writes_site = match &cli.command {
        Command::Build { out, .. } | Command::Serve { out, .. } => {
            Some(out.clone().unwrap_or_else(|| cli::default_out(&root)))
        }
        _ => None,
    };
    let checked = match cli::prepare(&root, writes_site.as_deref()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    match cli.command {
        Command::Build { clean, verbose, .. } => cli::build(root, checked.out, clean, verbose),
        Command::Serve {
            port,
            bind,
            verbose,
            ..
        } => cli::serve(&bulletin::serve::ServeOptions {
            out: checked.out,
            root,
            bind,
            port,
            verbose,
        }),
        Command::New {
            kind,
            slug,
            title,
            issue,
        } => cli::new(&bulletin::new::NewOptions {
            root,
            kind,
            slug,
            title,
            issue,
            date: chrono::Local::now().date_naive(),
        }),
        Command::Check => cli::check(&root),
        Command::Import {
            file,
            series,
            id,
            force,
            encoding,
        } => cli::import(
            &file,
            &bulletin::import::ImportOptions {
                series,
                id,
                root,
                force,
                encoding,
            },
        ),
        Command::Digest {
            month,
            out,
            send,
            resend,
            allow_empty,
            ca_file,
        } => cli::digest(&bulletin::digest::DigestOptions {
            root,
            month,
            out,
            send,
            resend,
            allow_empty,
            ca_file,
        }),
    }
}
