//! A progress line on standard error while a scan walks the tree: only when standard error is a
//! terminal, so that nothing is added to piped or redirected output (CI logs, `2>file`).

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// A running progress line; [`Progress::finish`] (or dropping it) clears it.
pub struct Progress {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts drawing the count of files walked, if standard error is a terminal; returns the
    /// counter to give the scan (`None`: no progress wanted).
    pub fn start(label: &str) -> (Progress, Option<Arc<AtomicUsize>>) {
        let stop = Arc::new(AtomicBool::new(false));
        if !std::io::stderr().is_terminal() {
            return (Progress { stop, thread: None }, None);
        }
        let count = Arc::new(AtomicUsize::new(0));
        let (c, s, label) = (count.clone(), stop.clone(), label.to_owned());
        let thread = std::thread::spawn(move || {
            let frames = ['|', '/', '-', '\\'];
            let mut i = 0;
            loop {
                let n = c.load(Ordering::Relaxed);
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r\x1b[2K{} {label}: {n} files", frames[i % 4]);
                let _ = err.flush();
                drop(err);
                if s.load(Ordering::Relaxed) {
                    let _ = write!(std::io::stderr(), "\r\x1b[2K");
                    break;
                }
                i += 1;
                std::thread::sleep(Duration::from_millis(80));
            }
        });
        (
            Progress {
                stop,
                thread: Some(thread),
            },
            Some(count),
        )
    }

    /// Clears the progress line.
    pub fn finish(mut self) {
        self.end();
    }

    fn end(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.end();
    }
}
