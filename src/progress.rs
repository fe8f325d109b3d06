//! A progress indicator on stderr for long runs: shown only when a command
//! asked for it ([`enable`], `kdl lint` in human format and `kdl list` as a
//! table), stderr is a terminal (not `TERM=dumb`), the catalog has at least
//! [`THRESHOLD`] files, and the run is still going after a short delay. It
//! draws on one line from a background thread and erases it when the run
//! ends, so it never mixes with a command's output.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::i18n::Lang;

/// Catalogs smaller than this finish too fast to need a progress line.
pub const THRESHOLD: usize = 2000;

/// Nothing is drawn before the run has taken this long.
const DELAY: Duration = Duration::from_millis(300);
const TICK: Duration = Duration::from_millis(100);

/// 0: off; 1: Swedish; 2: English.
static ENABLED: AtomicU8 = AtomicU8::new(0);

/// Lets the next runs show progress (the caller knows its output is for a
/// person). Whether it is drawn still depends on the terminal and size.
pub fn enable(lang: Lang) {
    let v = match lang {
        Lang::Sv => 1,
        Lang::En => 2,
    };
    ENABLED.store(v, Ordering::Relaxed);
}

fn enabled() -> Option<Lang> {
    match ENABLED.load(Ordering::Relaxed) {
        1 => Some(Lang::Sv),
        2 => Some(Lang::En),
        _ => None,
    }
}

struct Shared {
    stage: AtomicUsize,
    done: AtomicBool,
}

/// The progress of one run; erased when dropped.
#[derive(Default)]
pub struct Progress {
    inner: Mutex<Option<(Arc<Shared>, JoinHandle<()>)>>,
}

/// Pipeline stages in order, as `lint` names them when each ends.
const STAGES: &[&str] = &["walk", "read+parse", "validate", "resolve", "check"];

impl Progress {
    pub fn new() -> Progress {
        Progress::default()
    }

    /// Starts drawing, if enabled and worthwhile, for `files` files.
    pub fn start(&self, files: usize) {
        let Some(lang) = enabled() else { return };
        let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
        if files < THRESHOLD || dumb || !std::io::stderr().is_terminal() {
            return;
        }
        let shared = Arc::new(Shared {
            stage: AtomicUsize::new(1),
            done: AtomicBool::new(false),
        });
        let s = Arc::clone(&shared);
        let handle = std::thread::spawn(move || draw_loop(&s, lang, files));
        if let Ok(mut inner) = self.inner.lock() {
            *inner = Some((shared, handle));
        }
    }

    /// The stage `name` has ended: show the next one.
    pub fn finished(&self, name: &str) {
        let Some(i) = STAGES.iter().position(|s| *s == name) else {
            return;
        };
        if let Ok(inner) = self.inner.lock() {
            if let Some((shared, _)) = inner.as_ref() {
                shared.stage.store(i + 1, Ordering::Relaxed);
            }
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        let taken = self.inner.lock().ok().and_then(|mut i| i.take());
        if let Some((shared, handle)) = taken {
            shared.done.store(true, Ordering::Relaxed);
            handle.thread().unpark();
            let _ = handle.join();
        }
    }
}

fn draw_loop(shared: &Shared, lang: Lang, files: usize) {
    let started = Instant::now();
    let mut drawn = false;
    let mut tick = 0usize;
    while !shared.done.load(Ordering::Relaxed) {
        std::thread::park_timeout(TICK);
        if shared.done.load(Ordering::Relaxed) {
            break;
        }
        let elapsed = started.elapsed();
        if elapsed < DELAY {
            continue;
        }
        let text = line(
            lang,
            shared.stage.load(Ordering::Relaxed),
            files,
            elapsed,
            tick,
        );
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{text}");
        let _ = err.flush();
        drawn = true;
        tick += 1;
    }
    if drawn {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K");
        let _ = err.flush();
    }
}

/// One progress line: spinner, stage, file count, elapsed seconds.
pub fn line(lang: Lang, stage: usize, files: usize, elapsed: Duration, tick: usize) -> String {
    const SPIN: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
    let what = match (lang, stage) {
        (Lang::Sv, 0 | 1) => "läser och tolkar",
        (Lang::Sv, 2) => "validerar mot scheman",
        (Lang::Sv, 3) => "löser referenser i",
        (Lang::Sv, 4) => "kontrollerar regler för",
        (Lang::Sv, _) => "sammanställer",
        (Lang::En, 0 | 1) => "reading and parsing",
        (Lang::En, 2) => "validating against the schemas",
        (Lang::En, 3) => "resolving references in",
        (Lang::En, 4) => "checking rules for",
        (Lang::En, _) => "collating",
    };
    let secs = elapsed.as_secs_f64();
    // `tick % SPIN.len()` is always in range; the blank is never shown.
    let spin = SPIN.get(tick % SPIN.len()).copied().unwrap_or(' ');
    match lang {
        Lang::Sv => format!(
            "{} kdl: {what} {files} filer … {}",
            spin,
            format!("{secs:.1} s").replace('.', ",")
        ),
        Lang::En => format!("{spin} kdl: {what} {files} files … {secs:.1} s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_name_the_stage() {
        let l = line(Lang::Sv, 1, 12000, Duration::from_millis(2150), 0);
        assert_eq!(l, "⠋ kdl: läser och tolkar 12000 filer … 2,1 s");
        let l = line(Lang::En, 4, 12000, Duration::from_millis(2150), 1);
        assert_eq!(l, "⠙ kdl: checking rules for 12000 files … 2.1 s");
    }

    #[test]
    fn disabled_progress_draws_nothing_and_drops_cleanly() {
        let p = Progress::new();
        p.start(1_000_000);
        p.finished("validate");
        assert!(p.inner.lock().unwrap().is_none());
    }
}
