//! The watch loop both hosts share: wait for the data directory to change
//! (filesystem notifications, else polling), let a writer's burst settle,
//! then ask the component what changed since the last snapshot. The
//! comparison itself is the component's (`queue.diff`); this only decides
//! when to ask.

use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use notify::{EventKind, RecursiveMode, Watcher as _};

use crate::diff::Snapshot;
use crate::error::Error;
use crate::model::{QueryError, ReadOptions, TaskQuery, WatchEvent};
use crate::session::Session;

/// How often the loop looks at its stop condition while waiting.
const TICK: Duration = Duration::from_millis(50);

/// A check that fails on a file is tried again this many times before the
/// error is reported. The component has already read a torn file again
/// through its own window; a writer slower than that is given more.
const RETRIES: u32 = 3;

/// After a failed check, the next one comes at the next change, or after
/// this long without one: the component's own window for a call.
const RETRY_AFTER: Duration = Duration::from_millis(100);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchOptions {
    pub read: ReadOptions,
    /// How often to check when polling.
    pub interval: Duration,
    /// How long the directory must stay quiet after a notification before
    /// the check, so that a burst of writes makes one check. A steady
    /// stream of writes is checked at least every four times this.
    pub debounce: Duration,
    /// Poll even when notifications are available.
    pub poll: bool,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            read: ReadOptions::default(),
            interval: Duration::from_secs(1),
            debounce: Duration::from_millis(150),
            poll: false,
        }
    }
}

/// How a watcher learns of changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchMode {
    Notify,
    Poll,
}

/// Yields each non-empty batch of events, as they happen, until the
/// `interrupted` check returns true. An error is yielded as an item and
/// the watch goes on.
pub struct Watcher {
    session: Session,
    query: TaskQuery,
    options: WatchOptions,
    clock: Box<dyn Fn() -> Timestamp + Send>,
    interrupted: Box<dyn Fn() -> bool + Send>,
    snapshot: Snapshot,
    /// `None` while polling.
    notifications: Option<Notifications>,
    failures: u32,
}

struct Notifications {
    /// Kept alive: dropping it stops the notifications.
    _watcher: notify::RecommendedWatcher,
    changed: Receiver<()>,
}

impl Watcher {
    /// Starts watching and takes the first snapshot, which reports
    /// nothing; an error here (a bad query, a file that stays unreadable
    /// through the retries) ends the watch before it starts. `clock` stamps
    /// events and anchors relative time bounds.
    pub fn start(
        session: Session,
        query: TaskQuery,
        options: WatchOptions,
        clock: Box<dyn Fn() -> Timestamp + Send>,
        interrupted: Box<dyn Fn() -> bool + Send>,
    ) -> Result<Watcher, Error> {
        // Watching starts before the first snapshot, so that nothing
        // written in between goes unnoticed.
        let notifications = if options.poll { None } else { notifications(session.dir()) };
        let mut watcher = Watcher {
            session,
            query,
            options,
            clock,
            interrupted,
            snapshot: Snapshot(Vec::new()),
            notifications,
            failures: 0,
        };
        loop {
            match watcher.session.diff(None, &watcher.query, (watcher.clock)(), watcher.options.read) {
                Ok(first) => {
                    watcher.snapshot = first.snapshot;
                    watcher.failures = 0;
                    return Ok(watcher);
                }
                Err(e @ Error::Guest(QueryError::File(_))) if watcher.failures < RETRIES => {
                    watcher.failures += 1;
                    if !watcher.wait() {
                        return Err(e);
                    }
                }
                Err(e) => return Err(e),
            }
        }
    }

    pub fn mode(&self) -> WatchMode {
        if self.notifications.is_some() { WatchMode::Notify } else { WatchMode::Poll }
    }

    /// The tasks of the last successful check.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    fn check(&mut self) -> Result<Vec<WatchEvent>, Error> {
        let diff = self.session.diff(Some(&self.snapshot), &self.query, (self.clock)(), self.options.read)?;
        self.snapshot = diff.snapshot;
        Ok(diff.events)
    }

    /// Returns false when interrupted. After a failed check (or first
    /// snapshot: counted, then waited for), the next change or
    /// [`RETRY_AFTER`], whichever comes first.
    fn wait(&mut self) -> bool {
        if self.failures > 0 {
            return self.retry_wait();
        }
        let Some(notifications) = &self.notifications else {
            return self.sleep(self.options.interval);
        };
        loop {
            if (self.interrupted)() {
                return false;
            }
            match notifications.changed.recv_timeout(TICK) {
                Ok(()) => break,
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => {
                    // The notifier died: carry on by polling.
                    self.notifications = None;
                    return self.sleep(self.options.interval);
                }
            }
        }
        let first = Instant::now();
        let latest = self.options.debounce.saturating_mul(4);
        while notifications.changed.recv_timeout(self.options.debounce).is_ok() {
            if first.elapsed() >= latest {
                break;
            }
        }
        true
    }

    fn retry_wait(&mut self) -> bool {
        if (self.interrupted)() {
            return false;
        }
        match &self.notifications {
            Some(notifications) => {
                let _ = notifications.changed.recv_timeout(RETRY_AFTER);
                !(self.interrupted)()
            }
            None => self.sleep(RETRY_AFTER),
        }
    }

    /// Sleeps in ticks, so an interrupt is noticed quickly. A wait too
    /// long for the clock to express lasts until the interrupt.
    fn sleep(&self, total: Duration) -> bool {
        let until = Instant::now().checked_add(total);
        loop {
            if (self.interrupted)() {
                return false;
            }
            let now = Instant::now();
            match until {
                Some(until) if now >= until => return true,
                Some(until) => std::thread::sleep(TICK.min(until - now)),
                None => std::thread::sleep(TICK),
            }
        }
    }
}

impl Iterator for Watcher {
    type Item = Result<Vec<WatchEvent>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if !self.wait() {
                return None;
            }
            match self.check() {
                Ok(events) => {
                    self.failures = 0;
                    if !events.is_empty() {
                        return Some(Ok(events));
                    }
                }
                Err(Error::Guest(QueryError::File(_))) if self.failures < RETRIES => self.failures += 1,
                Err(e) => {
                    self.failures = 0;
                    return Some(Err(e));
                }
            }
        }
    }
}

/// Notifications for anything under `dir`, or `None` where the platform
/// cannot give them (the caller then polls). Reads (access events) are
/// ignored: the checks themselves cause them.
fn notifications(dir: &Path) -> Option<Notifications> {
    let (tx, changed) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let relevant = match event {
            Ok(event) => !matches!(event.kind, EventKind::Access(_)),
            // An error (such as a queue overflow) may hide a change.
            Err(_) => true,
        };
        if relevant {
            let _ = tx.send(());
        }
    })
    .ok()?;
    watcher.watch(dir, RecursiveMode::Recursive).ok()?;
    Some(Notifications { _watcher: watcher, changed })
}
