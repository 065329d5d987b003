//! Where a command's time goes: with `BULLETIN_TIMINGS=1` in the environment, each stage of a
//! build prints its wall time to stderr (`timing load: 180.2 ms`). For benchmarks and profiles
//! (docs/benchmarks.md); off, it costs one relaxed atomic load per stage.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// 0: not yet read from the environment, 1: off, 2: on.
static STATE: AtomicU8 = AtomicU8::new(0);
static LAST: Mutex<Option<Instant>> = Mutex::new(None);

fn on() -> bool {
    match STATE.load(Ordering::Relaxed) {
        0 => {
            let on = std::env::var_os("BULLETIN_TIMINGS").is_some_and(|v| v == "1");
            STATE.store(if on { 2 } else { 1 }, Ordering::Relaxed);
            on
        }
        s => s == 2,
    }
}

/// Ends the stage `what` (begun at the previous call, or at the first one).
pub fn stage(what: &str) {
    if !on() {
        return;
    }
    let now = Instant::now();
    let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(t) = *last {
        eprintln!("timing {what}: {:.1} ms", (now - t).as_secs_f64() * 1000.0);
    }
    *last = Some(now);
}
