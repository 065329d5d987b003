//! The commands as the person at the terminal meets them: each function takes the parsed
//! options, calls the library, prints what happened and gives the exit code. `main.rs` only
//! parses the command line; what is printed, on which stream, and which code a failure exits
//! with are decided here, once.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::build::BuildError;

mod commands;
mod digest;

pub use commands::{build, check, import, new, serve};
pub use digest::digest;

/// Content and template errors exit with 1; usage errors (clap) with 2.
pub const EXIT_CONTENT: u8 = 1;
/// A usage error found after parsing (clap exits with 2 for its own): a root or output folder
/// that may not be used, a bad import series.
pub const EXIT_USAGE: u8 = 2;
/// The digest did not reach every recipient (or no one: login, server).
pub const EXIT_DELIVERY: u8 = 3;

/// The folders a command may use, checked before anything runs: the root, and the output
/// folder for commands that write the site (`build`, `serve`). A build killed while replacing
/// files of that site is finished first. `Err` is the exit code, the reason already printed.
pub fn prepare(root: &Path, out: Option<&Path>) -> Result<crate::output::guard::Checked, ExitCode> {
    use crate::output::guard;
    // Nothing may be created or replaced before the folders are known to be safe to use.
    let checked = match out {
        Some(out) => guard::resolve(root, out),
        None => guard::existing_root(root).map(|root| guard::Checked {
            out: root.join("site"),
            root,
        }),
    };
    let checked = checked.map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(EXIT_USAGE)
    })?;
    if let Err(e) = crate::output::journal::recover(&checked.root, Some(&checked.out)) {
        eprintln!(
            "error: cannot finish the interrupted update of {}: {e}",
            checked.out.display()
        );
        return Err(ExitCode::from(EXIT_CONTENT));
    }
    Ok(checked)
}

/// The default output folder of `root`.
pub fn default_out(root: &Path) -> PathBuf {
    root.join("site")
}

/// A build's or check's failure, printed, as its exit code.
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

/// Any other error of a command: printed after `error: `, exiting with `code`.
fn error(e: impl std::fmt::Display, code: u8) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(code)
}
