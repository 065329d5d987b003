//! `bulletin serve`: builds the site, serves it on a local address, watches `content/` and
//! `templates/`, and on every change rebuilds in-process what the change affects, replacing the
//! changed files of the served folder one by one (each atomically). Open pages reload by
//! themselves; a content or template error keeps the last good site served and shows the
//! error over the page until a good save clears it.
//!
//! Owns the watcher, the in-memory state kept between rebuilds (each output file's fingerprint,
//! the rendered Markdown bodies, and what the fast path for saves of item files needs, see
//! [`incremental::hot`]) and the live-reload state the pages poll.

pub mod conn;
pub mod http;

use std::collections::{BTreeMap, HashSet};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult};

use crate::build::{BuildError, BuildOptions};
use crate::incremental::{self, deps::Fingerprint, hot};
use crate::view::BodyCache;

/// How long the watcher waits for a burst of writes (an editor's save) to settle.
const DEBOUNCE: Duration = Duration::from_millis(30);

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub out: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    /// List every file each rebuild writes.
    pub verbose: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {msg}")]
    Listen { addr: String, msg: String },
    #[error("cannot watch {}: {msg}", path.display())]
    Watch { path: PathBuf, msg: String },
    #[error(transparent)]
    Io(#[from] crate::fsio::IoError),
    /// An output folder that may not be replaced: a usage error.
    #[error(transparent)]
    Usage(#[from] crate::output::guard::UsageError),
}

/// What open pages learn by polling: a counter bumped by every rebuild, and the error of the
/// last one if it failed.
#[derive(Default)]
pub struct Live {
    state: Mutex<(u64, Option<String>)>,
    changed: Condvar,
}

impl Live {
    fn publish(&self, error: Option<String>) {
        if let Ok(mut s) = self.state.lock() {
            s.0 += 1;
            s.1 = error;
        }
        self.changed.notify_all();
    }

    /// The state as JSON, once it differs from generation `since` or `timeout` has passed.
    pub fn wait(&self, since: Option<u64>, timeout: Duration) -> String {
        let Ok(guard) = self.state.lock() else {
            return "{\"generation\":0,\"error\":null}".into();
        };
        let guard = match since {
            Some(g) => match self
                .changed
                .wait_timeout_while(guard, timeout, |s| s.0 == g)
            {
                Ok((g, _)) => g,
                Err(p) => p.into_inner().0,
            },
            None => guard,
        };
        serde_json::json!({ "generation": guard.0, "error": guard.1 }).to_string()
    }
}

enum Msg {
    /// Files or folders the watcher saw change.
    Changed(Vec<PathBuf>),
    Stop,
}

/// What a rebuild starts from.
struct State {
    bodies: BodyCache,
    parsed: crate::load::ParseCache,
    fingerprints: BTreeMap<String, Fingerprint>,
    /// Set after a good general rebuild, dropped after a failed one: a save of one file must not
    /// clear the error of another file.
    hot: Option<hot::Hot>,
    /// The search index's state for the next general rebuild, when known to match the served
    /// files: the build cache's at start-up.
    search: Option<crate::search::State>,
}

/// Runs until Ctrl-C. Prints the address it serves on as `serving http://ADDR/`.
pub fn serve(opts: &ServeOptions) -> Result<(), ServeError> {
    let out = std::path::absolute(&opts.out).unwrap_or_else(|_| opts.out.clone());
    let live = Arc::new(Live::default());
    let build_opts = BuildOptions {
        root: opts.root.clone(),
        out: out.clone(),
        progress: false,
    };
    let start = Instant::now();
    let built = incremental::build(&build_opts, false);
    let good = built.is_ok();
    match built {
        Ok(r) => println!(
            "built {} pages into {} in {:.2?}",
            r.pages,
            out.display(),
            start.elapsed()
        ),
        Err(BuildError::Content(d)) => {
            live.publish(Some(d.to_string()));
            eprintln!("{d}");
        }
        Err(BuildError::Io(e)) => return Err(e.into()),
        Err(BuildError::Usage(e)) => return Err(e.into()),
    }
    // The bodies the build rendered or read, so the first save does not render them all.
    let bodies = incremental::cache::read_bodies(&opts.root);
    let (fingerprints, search) = incremental::cache::Cache::read(&opts.root, &out)
        .map(|c| {
            let search = incremental::cache::read_search(&opts.root, &c.search);
            (c.fingerprints, search)
        })
        .unwrap_or_default();
    let mut state = State {
        bodies,
        parsed: Default::default(),
        fingerprints,
        hot: None,
        search,
    };

    if good {
        // Loads the site into memory for the fast path (about a second at 10,000 pages); renders
        // nothing when the build above left the site as the content says. Before `serving`
        // is printed, so that the first save after it can take the fast path.
        general(opts, &out, &mut state, &live, false);
    }

    let addr = std::net::SocketAddr::new(opts.bind, opts.port);
    let server = conn::Server::bind(addr).map_err(|e| ServeError::Listen {
        addr: addr.to_string(),
        msg: e.to_string(),
    })?;
    let bound = server
        .local_addr()
        .map_or_else(|_| addr.to_string(), |a| a.to_string());
    let base = base_path(&opts.root);
    let stop_server = server.stopper();
    {
        let (live, out) = (live.clone(), out.clone());
        std::thread::spawn(move || {
            server.run(
                move |req| http::handle(req, &out, &base, &live),
                http::is_poll,
            )
        });
    }

    let (tx, rx) = mpsc::channel();
    let stop = tx.clone();
    // Without a handler Ctrl-C would kill the process in the middle of writing a file.
    let _ = ctrlc::set_handler(move || {
        let _ = stop.send(Msg::Stop);
    });
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |r: DebounceEventResult| {
        // Reading files is an event too (the rebuild's own reads): only changes count.
        let changed: Vec<PathBuf> = match r {
            Ok(events) => events
                .iter()
                .filter(|e| !matches!(e.kind, EventKind::Access(_)))
                .flat_map(|e| e.paths.iter().cloned())
                .collect(),
            Err(errors) => {
                for e in errors {
                    eprintln!("warning: watching for changes: {e}");
                }
                Vec::new()
            }
        };
        if !changed.is_empty() {
            let _ = tx.send(Msg::Changed(changed));
        }
    })
    .map_err(|e| ServeError::Watch {
        path: opts.root.clone(),
        msg: e.to_string(),
    })?;
    for dir in ["content", "templates"] {
        let path = opts.root.join(dir);
        debouncer
            .watch(&path, RecursiveMode::Recursive)
            .map_err(|e| ServeError::Watch {
                path: path.clone(),
                msg: e.to_string(),
            })?;
    }
    println!("serving http://{bound}/ (Ctrl-C to stop)");

    while let Ok(msg) = rx.recv() {
        match msg {
            Msg::Stop => break,
            Msg::Changed(mut changed) => {
                // Saves that arrived meanwhile are covered by this rebuild.
                let mut stop = false;
                while let Ok(m) = rx.try_recv() {
                    match m {
                        Msg::Stop => stop = true,
                        Msg::Changed(more) => changed.extend(more),
                    }
                }
                if stop {
                    break;
                }
                rebuild(opts, &out, &mut state, &live, &changed);
            }
        }
    }
    stop_server.store(true, std::sync::atomic::Ordering::Relaxed);
    println!("stopped");
    Ok(())
}

/// Rebuilds after a change of `changed` and replaces the changed files of the served folder:
/// through the fast path when only item files changed, else through the general one.
fn rebuild(opts: &ServeOptions, out: &Path, state: &mut State, live: &Live, changed: &[PathBuf]) {
    let start = Instant::now();
    // A save within the file system's timestamp granularity of an earlier read keeps the stamp:
    // what the watcher names is read again whatever its stamp.
    state.parsed.forget(&opts.root, changed);
    if let Some(h) = state.hot.as_mut() {
        match h.apply(
            &opts.root,
            out,
            changed,
            &state.bodies,
            &mut state.fingerprints,
        ) {
            Ok(hot::Fast::Done { written, removed }) => {
                if opts.verbose {
                    for w in &written {
                        println!("wrote {w}");
                    }
                }
                println!(
                    "rebuilt in {:.0?}: {} written, {} removed (fast path)",
                    start.elapsed(),
                    written.len(),
                    removed.len()
                );
                live.publish(None);
                return;
            }
            Ok(hot::Fast::Unchanged) => return,
            Ok(hot::Fast::Fallback) => {}
            Err(e) => {
                // Some page may be half-replaced: the next save takes the general path.
                state.hot = None;
                live.publish(Some(format!("error: {e}")));
                eprintln!("error: {e}");
                return;
            }
        }
    }
    general(opts, out, state, live, true);
}

/// The general path: loads everything, fingerprints every page and renders and replaces those
/// whose fingerprint changed. `report` prints what it did.
fn general(opts: &ServeOptions, out: &Path, state: &mut State, live: &Live, report: bool) {
    let start = Instant::now();
    // The index as the last good rebuild left it (a fast path that fell back left it as the
    // served files are), so only the changed items are indexed again.
    let search = match state.hot.take() {
        Some(h) if h.search_written => Some(h.search),
        Some(_) => None,
        None => state.search.take(),
    };
    let fingerprints = &state.fingerprints;
    let (planned, hot) = match incremental::plan_hot(
        &opts.root,
        &state.bodies,
        Some(&state.parsed),
        search,
        &|p| fingerprints.get(p).map(String::as_str),
        true,
        &indicatif::ProgressBar::hidden(),
        None,
    ) {
        Ok(p) => (p.planned, p.hot),
        Err(d) => {
            // Published before it is printed: whoever reads the message (an editor, a test)
            // finds the open pages already able to show it.
            live.publish(Some(d.to_string()));
            eprintln!("{d}");
            return;
        }
    };
    let next: HashSet<&str> = planned.iter().map(|p| p.path.as_str()).collect();
    let removed: Vec<String> = fingerprints
        .keys()
        .filter(|p| !next.contains(p.as_str()))
        .cloned()
        .collect();
    if let Err(e) = incremental::replace_in_place(&opts.root, out, &planned, &removed) {
        live.publish(Some(format!("error: {e}")));
        eprintln!("error: {e}");
        return;
    }
    let written: Vec<&str> = planned
        .iter()
        .filter(|p| p.is_new())
        .map(|p| p.path.as_str())
        .collect();
    if opts.verbose {
        for w in &written {
            println!("wrote {w}");
        }
    }
    if report {
        println!(
            "rebuilt in {:.0?}: {} written, {} removed",
            start.elapsed(),
            written.len(),
            removed.len()
        );
        live.publish(None);
    }
    state.fingerprints = planned
        .into_iter()
        .map(|p| (p.path, p.fingerprint))
        .collect();
    state.hot = hot;
}

/// The site's base path (`/bulletin/`) from `site.yaml`, so absolute links (the 404 page's)
/// work when served; `/` when it cannot be read.
fn base_path(root: &Path) -> String {
    let rel = Path::new("content/site.yaml");
    crate::fsio::read_to_string(&root.join(rel))
        .ok()
        .and_then(|t| crate::load::parse_site_config(rel, &t).ok())
        .map_or_else(|| "/".into(), |c| c.base_url.path().to_string())
}
