//! `orch watch`, end to end: the built binary watches a scratch data
//! directory while the test writes to it the ways the orchestrator does
//! (atomic rename and in place). Every change must show within a second,
//! and once.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use orch_tests::{data_dir, orch, task_json};
use serde_json::Value;

/// The spec's bound on how late a change may show.
const WITHIN: Duration = Duration::from_secs(1);

/// A running `orch watch`, killed when dropped.
struct Watch {
    child: Child,
    lines: Receiver<String>,
}

impl Watch {
    /// Starts `orch watch --format jsonl` on `dir`, once it has taken its
    /// first snapshot.
    fn start(dir: &Path, args: &[&str]) -> Watch {
        Watch::start_with(dir, &[&["--format", "jsonl"][..], args].concat())
    }

    /// Starts `orch watch` on `dir` and waits until it has taken its first
    /// snapshot (its "watching" line on stderr).
    fn start_with(dir: &Path, args: &[&str]) -> Watch {
        let mut child = orch()
            .args(["watch", "--data-dir"])
            .arg(dir)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = spawn_reader(child.stdout.take().unwrap());
        let stderr = spawn_reader(child.stderr.take().unwrap());
        // Starting includes loading the component; that is not a change and has no bound.
        let ready = stderr.recv_timeout(Duration::from_secs(60)).expect("orch watch did not start");
        assert!(ready.starts_with("watching "), "{ready}");
        Watch { child, lines }
    }

    /// The next event, which must come within the bound.
    fn next(&self) -> Value {
        let line = self.lines.recv_timeout(WITHIN).expect("no event within 1 s");
        serde_json::from_str(&line).unwrap()
    }

    /// Asserts that the next event is `expected` (task id, change, fields).
    fn expect(&self, id: &str, change: &str, fields: &[&str]) -> Value {
        let event = self.next();
        assert_eq!(event["task_id"], id, "{event}");
        assert_eq!(event["change"], change, "{event}");
        assert_eq!(event["fields"], serde_json::json!(fields), "{event}");
        assert_eq!(event["at"], "2025-10-08T12:00:30Z", "{event}");
        event
    }

    /// Ends the watch and returns what it printed after the events read so far.
    fn finish(mut self) -> Vec<String> {
        // Give a duplicate the same second to show as the changes had.
        let extra: Vec<String> = std::iter::from_fn(|| self.lines.recv_timeout(WITHIN).ok()).collect();
        self.child.kill().unwrap();
        extra
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn_reader(stream: impl std::io::Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Writes through a temporary file and a rename, as the orchestrator does.
fn write_atomic(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    let tmp = path.with_file_name(format!(".{}.tmp", path.file_name().unwrap().to_str().unwrap()));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
}

/// Truncates and rewrites the file itself.
fn write_in_place(dir: &Path, rel: &str, text: &str) {
    std::fs::write(dir.join(rel), text).unwrap();
}

fn queue() -> tempfile::TempDir {
    data_dir(&[
        ("tasks/a.json", &task_json("a", "pending", 1, "2025-10-08T10:00:00Z")),
        ("tasks/b.json", &task_json("b", "running", 2, "2025-10-08T10:00:00Z")),
        ("queue.rkvs/tasks/u1.json", r#"{"id": "u1", "status": "Pending", "created_at": "2025-10-08T09:00:00Z"}"#),
        ("queue.rkvs/queue/u1.json", r#"{"task_id": "u1", "priority": 3}"#),
    ])
}

#[test]
fn every_kind_of_change_shows_once_within_a_second() {
    let dir = queue();
    let d = dir.path();
    let watch = Watch::start(d, &[]);

    write_atomic(d, "tasks/c.json", &task_json("c", "pending", 5, "2025-10-08T11:00:00Z"));
    watch.expect("c", "added", &[]);

    write_in_place(d, "tasks/a.json", &task_json("a", "running", 1, "2025-10-08T10:00:00Z"));
    let event = watch.expect("a", "status_changed", &["status"]);
    assert_eq!((event["from"].as_str(), event["to"].as_str()), (Some("pending"), Some("running")));

    write_atomic(d, "tasks/a.json", &task_json("a", "running", 7, "2025-10-08T10:00:00Z"));
    watch.expect("a", "updated", &["priority"]);

    write_in_place(d, "tasks/b.json", &task_json("b", "running", 4, "2025-10-08T10:00:00Z"));
    watch.expect("b", "updated", &["priority"]);

    std::fs::remove_file(d.join("tasks/b.json")).unwrap();
    watch.expect("b", "removed", &[]);

    // The backend layout: a queue entry carries its task's priority.
    write_atomic(d, "queue.rkvs/queue/u1.json", r#"{"task_id": "u1", "priority": 9}"#);
    watch.expect("u1", "updated", &["priority"]);
    write_in_place(
        d,
        "queue.rkvs/tasks/u1.json",
        r#"{"id": "u1", "status": "Completed", "created_at": "2025-10-08T09:00:00Z"}"#,
    );
    watch.expect("u1", "status_changed", &["status"]);

    assert_eq!(watch.finish(), Vec::<String>::new(), "events reported twice or unasked for");
}

#[test]
fn a_burst_of_changes_to_several_files_shows_each_once() {
    let dir = queue();
    let d = dir.path();
    let watch = Watch::start(d, &[]);
    for id in ["x1", "x2", "x3"] {
        write_atomic(d, &format!("tasks/{id}.json"), &task_json(id, "pending", 0, "2025-10-08T11:00:00Z"));
    }
    std::fs::remove_file(d.join("tasks/a.json")).unwrap();
    let mut seen: Vec<(String, String)> = (0..4)
        .map(|_| watch.next())
        .map(|e| (e["task_id"].as_str().unwrap().to_string(), e["change"].as_str().unwrap().to_string()))
        .collect();
    seen.sort();
    let expected = [("a", "removed"), ("x1", "added"), ("x2", "added"), ("x3", "added")];
    assert_eq!(seen, expected.map(|(id, change)| (id.to_string(), change.to_string())));
    assert_eq!(watch.finish(), Vec::<String>::new());
}

#[test]
fn filters_select_what_is_reported() {
    let dir = queue();
    let d = dir.path();
    let watch = Watch::start(d, &["--status", "failed"]);
    // Neither before nor after a failed task: not reported.
    write_atomic(d, "tasks/a.json", &task_json("a", "pending", 8, "2025-10-08T10:00:00Z"));
    // Becoming one: reported as the status change it is.
    write_atomic(d, "tasks/b.json", &task_json("b", "failed", 2, "2025-10-08T10:00:00Z"));
    watch.expect("b", "status_changed", &["status"]);
    // Leaving the selection is reported too.
    write_atomic(d, "tasks/b.json", &task_json("b", "pending", 2, "2025-10-08T10:00:00Z"));
    watch.expect("b", "status_changed", &["status"]);
    assert_eq!(watch.finish(), Vec::<String>::new());
}

#[test]
fn polling_sees_changes_too() {
    let dir = queue();
    let d = dir.path();
    let watch = Watch::start(d, &["--poll", "--interval", "200ms"]);
    write_in_place(d, "tasks/a.json", &task_json("a", "cancelled", 1, "2025-10-08T10:00:00Z"));
    watch.expect("a", "status_changed", &["status"]);
    std::fs::remove_file(d.join("tasks/a.json")).unwrap();
    watch.expect("a", "removed", &[]);
    assert_eq!(watch.finish(), Vec::<String>::new());
}

#[test]
fn once_exits_after_the_first_batch() {
    for cache in [&[][..], &["--no-cache"]] {
        let dir = queue();
        let d = dir.path();
        let mut watch = Watch::start(d, cache);
        write_atomic(d, "tasks/a.json", &task_json("a", "pending", 6, "2025-10-08T10:00:00Z"));
        // Not --once: keeps running after an event.
        watch.expect("a", "updated", &["priority"]);
        assert!(watch.child.try_wait().unwrap().is_none());
        drop(watch);

        let mut once = Watch::start(d, &[&["--once"][..], cache].concat());
        write_atomic(d, "tasks/a.json", &task_json("a", "failed", 6, "2025-10-08T10:00:00Z"));
        once.expect("a", "status_changed", &["status"]);
        let status = once.child.wait().unwrap();
        assert!(status.success(), "{cache:?}");
    }
}

#[test]
fn text_format_is_one_line_per_event() {
    let dir = queue();
    let d = dir.path();
    let mut watch = Watch::start_with(d, &["--once"]);
    write_atomic(d, "tasks/a.json", &task_json("a", "running", 1, "2025-10-08T10:00:00Z"));
    let line = watch.lines.recv_timeout(WITHIN).unwrap();
    assert_eq!(line, "2025-10-08 12:00:30  status_changed  a  pending → running");
    assert!(watch.child.wait().unwrap().success());
}

#[test]
fn a_bad_query_fails_before_watching() {
    let dir = queue();
    let output = orch().args(["watch", "--status", "pendng", "--data-dir"]).arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8(output.stderr).unwrap().contains("invalid --status"));
    let output = orch().args(["watch", "--interval", "0s", "--data-dir"]).arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_malformed_file_fails_the_start_unless_skipped() {
    let dir = queue();
    let d = dir.path();
    std::fs::write(d.join("tasks/bad.json"), "{").unwrap();
    let output = orch().args(["watch", "--data-dir"]).arg(d).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let watch = Watch::start(d, &["--skip-invalid"]);
    // Repairing it adds its task.
    write_atomic(d, "tasks/bad.json", &task_json("fixed", "pending", 0, "2025-10-08T10:00:00Z"));
    watch.expect("fixed", "added", &[]);
    assert_eq!(watch.finish(), Vec::<String>::new());
}

#[test]
fn help_has_examples_and_the_flags() {
    let output = orch().args(["watch", "--help"]).output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    assert!(help.contains("Examples:\n  orch watch --data-dir examples/data\n"), "{help}");
    for flag in ["--status", "--from", "--workflow", "--once", "--poll", "--interval", "--no-cache"] {
        assert!(help.contains(flag), "{flag} missing from help");
    }
}
