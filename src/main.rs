//! The `bulletin` command line: parses arguments and calls the library.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use bulletin::build::{BuildError, BuildOptions};
use clap::builder::{PathBufValueParser, TypedValueParser};
use clap::{Parser, Subcommand};

// mimalloc rather than glibc's malloc: rendering allocates many small, short-lived strings and
// JSON values on every thread. With glibc a 10,000-page build spent about a sixth of its CPU
// time in malloc and free and grew its per-thread heaps with ~30,000 `mprotect` calls; mimalloc
// cuts the build's CPU time by about a fifth (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod digest_cli;

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

/// Content and template errors exit with 1; usage errors (clap) with 2.
const EXIT_CONTENT: u8 = 1;
/// A usage error found after parsing (clap exits with 2 for its own): a root or output folder
/// that may not be used, a bad import series.
const EXIT_USAGE: u8 = 2;
/// The digest did not reach every recipient (or no one: login, server).
const EXIT_DELIVERY: u8 = 3;

fn main() -> ExitCode {
    bulletin::no_huge_pages();
    let mut cli = Cli::parse();
    let out = match &cli.command {
        Command::Build { out, .. } | Command::Serve { out, .. } => out.clone(),
        _ => None,
    };
    let out = out.unwrap_or_else(|| cli.root.join("site"));
    // Nothing may be created or replaced before the folders are known to be safe to use.
    let checked = match &cli.command {
        Command::Build { .. } | Command::Serve { .. } => {
            bulletin::output::guard::resolve(&cli.root, &out)
        }
        _ => bulletin::output::guard::existing_root(&cli.root).map(|root| {
            bulletin::output::guard::Checked {
                out: root.join("site"),
                root,
            }
        }),
    };
    let checked = match checked {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    // A build killed while replacing files of a site is finished before anything else runs.
    if let Err(e) = bulletin::output::journal::recover(&checked.root, Some(&checked.out)) {
        eprintln!(
            "error: cannot finish the interrupted update of {}: {e}",
            checked.out.display()
        );
        return ExitCode::from(EXIT_CONTENT);
    }
    if let Command::Build { out, .. } | Command::Serve { out, .. } = &mut cli.command {
        *out = Some(checked.out.clone());
    }
    match cli.command {
        Command::Build {
            out,
            clean,
            verbose,
        } => {
            let opts = BuildOptions {
                out: out.unwrap_or_else(|| cli.root.join("site")),
                root: cli.root,
                progress: interactive(),
            };
            match bulletin::incremental::build(&opts, clean) {
                Ok(r) if r.unchanged => {
                    eprintln!(
                        "up to date: {} pages ({} files) in {}, nothing changed ({:.2?})",
                        r.pages,
                        r.files,
                        opts.out.display(),
                        r.elapsed
                    );
                    ExitCode::SUCCESS
                }
                Ok(r) => {
                    if verbose {
                        for f in &r.written {
                            println!("wrote {f}");
                        }
                    }
                    eprintln!(
                        "built {} pages ({} files) into {} in {:.2?}: {} written, {} unchanged{}",
                        r.pages,
                        r.files,
                        opts.out.display(),
                        r.elapsed,
                        r.written.len(),
                        r.reused,
                        if r.fast { " (fast path)" } else { "" }
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
        Command::Serve {
            port,
            bind,
            out,
            verbose,
        } => {
            let opts = bulletin::serve::ServeOptions {
                out: out.unwrap_or_else(|| cli.root.join("site")),
                root: cli.root,
                bind,
                port,
                verbose,
            };
            match bulletin::serve::serve(&opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e @ bulletin::serve::ServeError::Usage(_)) => {
                    eprintln!("error: {e}");
                    ExitCode::from(EXIT_USAGE)
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(EXIT_CONTENT)
                }
            }
        }
        Command::New {
            kind,
            slug,
            title,
            issue,
        } => {
            let opts = bulletin::new::NewOptions {
                root: cli.root,
                kind,
                slug,
                title,
                issue,
                date: chrono::Local::now().date_naive(),
            };
            match bulletin::new::new_item(&opts) {
                Ok(path) => {
                    println!("{}", path.display());
                    eprintln!(
                        "wrote {}: fill in every `{}` value (`bulletin check` lists them)",
                        path.display(),
                        bulletin::new::PLACEHOLDER
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(EXIT_CONTENT)
                }
            }
        }
        Command::Check => match bulletin::check::run(&cli.root) {
            Ok(r) => {
                eprintln!("ok: {} pages checked, no errors", r.pages);
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
        Command::Import {
            file,
            series,
            id,
            force,
            encoding,
        } => {
            let opts = bulletin::import::ImportOptions {
                series,
                id,
                root: cli.root,
                force,
                encoding,
            };
            match bulletin::import::import_file(&file, &opts) {
                Ok(report) => {
                    eprintln!("{report}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    // A bad --series or --id is the command line's fault, not the text's.
                    if e.is_usage() {
                        ExitCode::from(EXIT_USAGE)
                    } else {
                        ExitCode::from(EXIT_CONTENT)
                    }
                }
            }
        }
        Command::Digest {
            month,
            out,
            send,
            resend,
            allow_empty,
            ca_file,
        } => {
            let opts = bulletin::digest::DigestOptions {
                root: cli.root,
                month,
                out,
                send,
                resend,
                allow_empty,
                ca_file,
            };
            digest_cli::run(&opts)
        }
    }
}

fn fail(e: &BuildError) -> ExitCode {
    match e {
        BuildError::Content(d) => eprintln!("{d}"),
        BuildError::Io(e) => eprintln!("error: {e}"),
        BuildError::Usage(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    }
    ExitCode::from(EXIT_CONTENT)
}

/// Progress bars only for a person at a terminal: not in CI, not when output is piped.
fn interactive() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}
