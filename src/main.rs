//! The `bulletin` command line: parses arguments and calls the library.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use bulletin::build::{self, BuildError, BuildOptions};
use clap::{Parser, Subcommand};

// mimalloc rather than glibc's malloc: rendering allocates many small, short-lived strings and
// JSON values on every thread. With glibc a 10,000-page build spent about a sixth of its CPU
// time in malloc and free and grew its per-thread heaps with ~30,000 `mprotect` calls; mimalloc
// cuts the build's CPU time by about a fifth (docs/README-bench.md).
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
    },
    /// Load and validate everything and check every internal link; write nothing.
    Check,
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
    },
}

/// Content and template errors exit with 1; usage errors (clap) with 2.
const EXIT_CONTENT: u8 = 1;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { out } => {
            let opts = BuildOptions {
                out: out.unwrap_or_else(|| cli.root.join("site")),
                root: cli.root,
                progress: interactive(),
            };
            match build::build(&opts) {
                Ok(r) => {
                    eprintln!(
                        "built {} pages ({} files) into {} in {:.2?}",
                        r.pages,
                        r.files,
                        opts.out.display(),
                        r.elapsed
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
        Command::Check => match build::check(&cli.root) {
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
        } => {
            let opts = bulletin::import::ImportOptions {
                series,
                id,
                root: cli.root,
                force,
            };
            match bulletin::import::import_file(&file, &opts) {
                Ok(report) => {
                    eprintln!("{report}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(EXIT_CONTENT)
                }
            }
        }
    }
}

fn fail(e: &BuildError) -> ExitCode {
    match e {
        BuildError::Content(d) => eprintln!("{d}"),
        BuildError::Io(e) => eprintln!("error: {e}"),
    }
    ExitCode::from(EXIT_CONTENT)
}

/// Progress bars only for a person at a terminal: not in CI, not when output is piped.
fn interactive() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}
