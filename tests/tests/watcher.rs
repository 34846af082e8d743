//! `orch_runtime::Watcher`, the loop both hosts share: it stops when its
//! host says so (the plugin's Ctrl-C), and reports changes in either mode.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use jiff::Timestamp;
use orch_runtime::model::{TaskChange, TaskQuery};
use orch_runtime::{Runtime, RuntimeOptions, Session, WatchMode, WatchOptions, Watcher};
use orch_tests::{cache_dir, data_dir, task_json};

fn session(dir: &std::path::Path) -> Session {
    let runtime = Runtime::new(RuntimeOptions { cache_dir: Some(cache_dir()), ..RuntimeOptions::default() }).unwrap();
    Session::new(Arc::new(runtime), dir)
}

fn fixed_clock() -> Box<dyn Fn() -> Timestamp + Send> {
    Box::new(|| "2025-10-08T12:00:30Z".parse().unwrap())
}

/// A watcher on `dir`, and the flag that stops it.
fn start(dir: &std::path::Path, poll: bool) -> (Watcher, Arc<AtomicBool>) {
    let options = WatchOptions { poll, interval: Duration::from_millis(100), ..WatchOptions::default() };
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let watcher = Watcher::start(
        session(dir),
        TaskQuery::default(),
        options,
        fixed_clock(),
        Box::new(move || flag.load(Ordering::Relaxed)),
    );
    (watcher.unwrap(), stop)
}

/// A data directory holding one pending task, `a`.
fn one_pending_task() -> tempfile::TempDir {
    data_dir(&[("tasks/a.json", &task_json("a", "pending", 1, "2025-10-08T10:00:00Z"))])
}

#[test]
fn an_interrupt_ends_the_stream_while_it_waits() {
    for poll in [false, true] {
        let dir = one_pending_task();
        let (mut watcher, stop) = start(dir.path(), poll);
        // Nothing changes: only the interrupt can end the wait.
        let interrupter = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            stop.store(true, Ordering::Relaxed);
        });
        assert!(watcher.next().is_none(), "poll: {poll}");
        interrupter.join().unwrap();
    }
}

#[test]
fn reports_changes_in_either_mode() {
    for poll in [false, true] {
        let dir = one_pending_task();
        let (mut watcher, _stop) = start(dir.path(), poll);
        assert_eq!(watcher.mode(), if poll { WatchMode::Poll } else { WatchMode::Notify });
        assert_eq!(watcher.snapshot().len(), 1);
        std::fs::write(dir.path().join("tasks/a.json"), task_json("a", "failed", 1, "2025-10-08T10:00:00Z")).unwrap();
        let events = watcher.next().unwrap().unwrap();
        assert_eq!(events.len(), 1, "poll: {poll}");
        assert_eq!(events[0].change, TaskChange::StatusChanged { from: "pending".into(), to: "failed".into() });
        assert_eq!(events[0].at.to_string(), "2025-10-08T12:00:30Z");
    }
}

#[test]
fn a_bad_query_fails_the_start() {
    let dir = data_dir(&[]);
    let query = TaskQuery { statuses: vec!["nope".into()], ..TaskQuery::default() };
    let err = Watcher::start(session(dir.path()), query, WatchOptions::default(), fixed_clock(), Box::new(|| false))
        .err()
        .unwrap();
    assert_eq!(err.code(), "orch::argument");
}

/// A writer that leaves a task file half-written for longer than the
/// component's own window for one call (250 ms of pauses), then finishes.
fn finish_late(path: std::path::PathBuf, text: String, after: Duration) -> std::thread::JoinHandle<()> {
    use std::io::Write;
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all(&text.as_bytes()[..text.len() / 2]).unwrap();
    file.flush().unwrap();
    std::thread::spawn(move || {
        std::thread::sleep(after);
        file.write_all(&text.as_bytes()[text.len() / 2..]).unwrap();
    })
}

#[test]
fn a_file_half_written_at_the_start_does_not_end_the_watch() {
    for poll in [false, true] {
        let dir = one_pending_task();
        let late = task_json("b", "running", 2, "2025-10-08T10:00:00Z");
        let writer = finish_late(dir.path().join("tasks/b.json"), late, Duration::from_millis(400));
        let (watcher, _stop) = start(dir.path(), poll);
        writer.join().unwrap();
        // Both tasks: without `--skip-invalid`, a file that stayed broken would have failed the start.
        assert_eq!(watcher.snapshot().len(), 2, "poll: {poll}");
    }
}

#[test]
fn a_file_half_written_during_the_watch_is_an_update_not_a_removal() {
    let dir = one_pending_task();
    let (mut watcher, _stop) = start(dir.path(), false);
    let done = task_json("a", "completed", 1, "2025-10-08T10:00:00Z");
    let writer = finish_late(dir.path().join("tasks/a.json"), done, Duration::from_millis(400));
    let events = watcher.next().unwrap().unwrap();
    writer.join().unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].change, TaskChange::StatusChanged { from: "pending".into(), to: "completed".into() });
}
