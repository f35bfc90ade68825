//! Progress on long runs (`--progress=auto|bar|plain|none`), always on stderr.
//!
//! Workers count files and bytes with two atomics; one display thread wakes a few times a second
//! and draws a bar (files, MB, MB/s, ETA) when stderr is a terminal, or prints a plain line every
//! few seconds otherwise (CI logs, `2> file`). Runs shorter than the first plain interval print
//! nothing in `auto` mode, so quick checks stay quiet.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use clap::ValueEnum;

/// How progress is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ProgressMode {
    /// A bar when stderr is a terminal, plain periodic lines otherwise.
    #[default]
    Auto,
    /// A bar redrawn in place (needs a terminal to look right).
    Bar,
    /// A plain line every few seconds and a summary line at the end.
    Plain,
    /// Nothing.
    None,
}

/// Seconds between plain progress lines.
const PLAIN_INTERVAL: Duration = Duration::from_secs(5);
/// Time between redraws of the bar.
const BAR_INTERVAL: Duration = Duration::from_millis(200);

struct Counters {
    files: AtomicU64,
    bytes: AtomicU64,
    stop: Mutex<bool>,
    wake: Condvar,
}

/// A running progress display. Call [`Progress::file_done`] from any thread; drop or
/// [`Progress::finish`] ends the display.
pub struct Progress {
    counters: Arc<Counters>,
    display: Option<JoinHandle<()>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Bar,
    Plain { always_summarise: bool },
}

impl Progress {
    /// Starts showing progress of `verb` (`checking`, `fingerprinting`) over `total_files`.
    pub fn start(mode: ProgressMode, verb: &'static str, total_files: u64) -> Progress {
        let counters = Arc::new(Counters {
            files: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            stop: Mutex::new(false),
            wake: Condvar::new(),
        });
        let style = match mode {
            ProgressMode::None => None,
            ProgressMode::Bar => Some(Style::Bar),
            ProgressMode::Plain => Some(Style::Plain {
                always_summarise: true,
            }),
            ProgressMode::Auto if std::io::stderr().is_terminal() => Some(Style::Bar),
            ProgressMode::Auto => Some(Style::Plain {
                always_summarise: false,
            }),
        };
        let display = style.map(|style| {
            let counters = counters.clone();
            std::thread::spawn(move || display(&counters, style, verb, total_files))
        });
        Progress { counters, display }
    }

    /// Records one finished file of `bytes` bytes.
    pub fn file_done(&self, bytes: u64) {
        self.counters.files.fetch_add(1, Ordering::Relaxed);
        self.counters.bytes.fetch_add(bytes, Ordering::Relaxed);
    }

    /// Stops the display (drawing the final state).
    pub fn finish(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some(display) = self.display.take() {
            *self.counters.stop.lock().unwrap_or_else(|e| e.into_inner()) = true;
            self.counters.wake.notify_all();
            let _ = display.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop();
    }
}

fn display(counters: &Counters, style: Style, verb: &str, total: u64) {
    let started = Instant::now();
    let interval = match style {
        Style::Bar => BAR_INTERVAL,
        Style::Plain { .. } => PLAIN_INTERVAL,
    };
    let mut printed = false;
    let mut stderr = std::io::stderr();
    loop {
        let stopped = {
            let stop = counters.stop.lock().unwrap_or_else(|e| e.into_inner());
            let (stop, _) = counters
                .wake
                .wait_timeout_while(stop, interval, |stop| !*stop)
                .unwrap_or_else(|e| e.into_inner());
            *stop
        };
        let state = State {
            files: counters.files.load(Ordering::Relaxed),
            bytes: counters.bytes.load(Ordering::Relaxed),
            total,
            elapsed: started.elapsed(),
        };
        match style {
            Style::Bar if stopped => {
                // Erase the bar and leave one summary line.
                let _ = writeln!(stderr, "\r\x1b[2K{}", state.summary(verb));
            }
            Style::Bar => {
                let _ = write!(stderr, "\r\x1b[2K{}", state.bar(verb));
                let _ = stderr.flush();
            }
            Style::Plain { always_summarise } if stopped => {
                if printed || always_summarise {
                    let _ = writeln!(stderr, "{}", state.summary(verb));
                }
            }
            Style::Plain { .. } => {
                let _ = writeln!(stderr, "{}", state.line(verb));
                printed = true;
            }
        }
        if stopped {
            return;
        }
    }
}

/// A snapshot of the counters.
struct State {
    files: u64,
    bytes: u64,
    total: u64,
    elapsed: Duration,
}

impl State {
    fn megabytes(&self) -> f64 {
        self.bytes as f64 / 1e6
    }

    fn rate(&self) -> f64 {
        self.megabytes() / self.elapsed.as_secs_f64().max(1e-3)
    }

    fn eta(&self) -> String {
        if self.files == 0 || self.files >= self.total {
            return "--".to_owned();
        }
        let remaining =
            self.elapsed.as_secs_f64() * (self.total - self.files) as f64 / self.files as f64;
        format_duration(remaining)
    }

    fn line(&self, verb: &str) -> String {
        format!(
            "gazette: {verb}: {}/{} files, {:.1} MB, {:.1} MB/s, ETA {}",
            self.files,
            self.total,
            self.megabytes(),
            self.rate(),
            self.eta()
        )
    }

    fn bar(&self, verb: &str) -> String {
        const WIDTH: usize = 24;
        let filled = if self.total == 0 {
            WIDTH
        } else {
            (self.files.min(self.total) as usize * WIDTH) / self.total as usize
        };
        format!(
            "{verb} [{}{}] {}/{} files  {:.1} MB  {:.1} MB/s  ETA {}",
            "#".repeat(filled),
            " ".repeat(WIDTH - filled),
            self.files,
            self.total,
            self.megabytes(),
            self.rate(),
            self.eta()
        )
    }

    fn summary(&self, verb: &str) -> String {
        format!(
            "gazette: {verb}: {} files, {:.1} MB in {}, {:.1} MB/s",
            self.files,
            self.megabytes(),
            format_duration(self.elapsed.as_secs_f64()),
            self.rate()
        )
    }
}

/// `42s`, `3m05s`, `1h02m`.
fn format_duration(seconds: f64) -> String {
    let seconds = seconds.round() as u64;
    match seconds {
        0..60 => format!("{seconds}s"),
        60..3600 => format!("{}m{:02}s", seconds / 60, seconds % 60),
        _ => format!("{}h{:02}m", seconds / 3600, seconds % 3600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_show_files_megabytes_rate_and_eta() {
        let state = State {
            files: 250,
            bytes: 5_000_000,
            total: 1000,
            elapsed: Duration::from_secs(10),
        };
        assert_eq!(
            state.line("checking"),
            "gazette: checking: 250/1000 files, 5.0 MB, 0.5 MB/s, ETA 30s"
        );
        assert_eq!(
            state.bar("checking"),
            "checking [######                  ] 250/1000 files  5.0 MB  0.5 MB/s  ETA 30s"
        );
        assert_eq!(
            state.summary("checking"),
            "gazette: checking: 250 files, 5.0 MB in 10s, 0.5 MB/s"
        );
        assert_eq!(format_duration(185.0), "3m05s");
        assert_eq!(format_duration(3720.0), "1h02m");
    }
}
