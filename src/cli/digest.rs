//! How `bulletin digest` reports to the person running it.

use std::process::ExitCode;

use super::{EXIT_CONTENT, EXIT_DELIVERY, EXIT_USAGE};
use crate::digest::{self, DigestError, DigestOptions, DigestReport};

/// `bulletin digest`: the report on stderr, and the exit code says whether every recipient got
/// it (the command line or the environment being wrong is a usage error, as for clap's own).
pub fn digest(opts: &DigestOptions) -> ExitCode {
    match digest::run(opts) {
        Ok(r) => {
            print_report(opts, &r);
            ExitCode::SUCCESS
        }
        Err(DigestError::Partial(r)) => {
            print_report(opts, &r);
            eprintln!("error: the digest did not reach every recipient; run the same command again to send to the rest");
            ExitCode::from(EXIT_DELIVERY)
        }
        Err(DigestError::Send(e)) => {
            let msg = e.to_string();
            if msg.starts_with("error: ") {
                eprintln!("{msg}");
            } else {
                eprintln!("error: {msg}");
            }
            ExitCode::from(EXIT_DELIVERY)
        }
        Err(DigestError::Usage(e)) => {
            eprintln!("{e}");
            ExitCode::from(EXIT_USAGE)
        }
        Err(DigestError::Io(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_CONTENT)
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(EXIT_CONTENT)
        }
    }
}

fn print_report(opts: &DigestOptions, r: &DigestReport) {
    eprintln!("digest {}: {} ({} items)", opts.month, r.subject, r.items);
    for p in &r.written {
        eprintln!("wrote {}", p.display());
    }
    if let Some(why) = &r.no_message {
        eprintln!("note: {why}");
    }
    let Some(o) = &r.outcome else { return };
    if !o.already.is_empty() {
        eprintln!(
            "already received {} (send log), skipped: {}{}",
            opts.month,
            o.already.join(", "),
            if o.delivered.is_empty() && o.failed.is_empty() {
                " (--resend sends again)"
            } else {
                ""
            }
        );
    }
    for a in &o.delivered {
        eprintln!("sent to {a}");
    }
    for (a, why) in &o.failed {
        eprintln!("NOT sent to {a}: {why}");
    }
    for a in &o.not_attempted {
        eprintln!("NOT sent to {a}: not attempted after the failure above");
    }
    eprintln!(
        "{} sent, {} already had it, {} not sent",
        o.delivered.len(),
        o.already.len(),
        o.failed.len() + o.not_attempted.len()
    );
}
