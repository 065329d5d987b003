//! `build`, `serve`, `check`, `new` and `import`: options in, library call, report out.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{error, fail, EXIT_CONTENT, EXIT_USAGE};
use crate::build::BuildOptions;

/// `bulletin build`.
pub fn build(root: PathBuf, out: PathBuf, clean: bool, verbose: bool) -> ExitCode {
    let opts = BuildOptions {
        out,
        root,
        progress: interactive(),
    };
    match crate::incremental::build(&opts, clean) {
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

/// `bulletin serve`.
pub fn serve(opts: &crate::serve::ServeOptions) -> ExitCode {
    match crate::serve::serve(opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e @ crate::serve::ServeError::Usage(_)) => error(e, EXIT_USAGE),
        Err(e) => error(e, EXIT_CONTENT),
    }
}

/// `bulletin check`.
pub fn check(root: &Path) -> ExitCode {
    match crate::check::run(root) {
        Ok(r) => {
            eprintln!("ok: {} pages checked, no errors", r.pages);
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

/// `bulletin new`: the new file's path on stdout (for scripts), what to do next on stderr.
pub fn new(opts: &crate::new::NewOptions) -> ExitCode {
    match crate::new::new_item(opts) {
        Ok(path) => {
            println!("{}", path.display());
            eprintln!(
                "wrote {}: fill in every `{}` value (`bulletin check` lists them)",
                path.display(),
                crate::new::PLACEHOLDER
            );
            ExitCode::SUCCESS
        }
        Err(e) => error(e, EXIT_CONTENT),
    }
}

/// `bulletin import`.
pub fn import(file: &Path, opts: &crate::import::ImportOptions) -> ExitCode {
    match crate::import::import_file(file, opts) {
        Ok(report) => {
            eprintln!("{report}");
            ExitCode::SUCCESS
        }
        // A bad --series or --id is the command line's fault, not the text's.
        Err(e) if e.is_usage() => error(e, EXIT_USAGE),
        Err(e) => error(e, EXIT_CONTENT),
    }
}

/// Progress bars only for a person at a terminal: not in CI, not when output is piped.
fn interactive() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}
