//! The warm path: a `Session` keeps an instance per shard of a data
//! directory, and the component's parse cache in each re-reads only files
//! whose size or modification time changed, or that were too fresh to trust.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use jiff::Timestamp;
use orch_runtime::model::{ReadOptions, TaskQuery, WorkflowQuery};
use orch_runtime::{Limits, Runtime, RuntimeOptions, Session, TrapKind};
use orch_tests::{cache_dir, data_dir, task_json};

fn runtime(limits: Limits) -> Arc<Runtime> {
    Arc::new(Runtime::new(RuntimeOptions { limits, cache_dir: Some(cache_dir()) }).unwrap())
}

fn now() -> Timestamp {
    "2025-10-08T12:00:30Z".parse().unwrap()
}

fn statuses(session: &mut Session) -> Vec<String> {
    let page = session.tasks(&TaskQuery::default(), now(), ReadOptions::default()).unwrap();
    page.tasks.iter().map(|t| format!("{}:{}", t.id, t.status)).collect()
}

fn set_mtime(path: &Path, t: SystemTime) {
    std::fs::File::options().write(true).open(path).unwrap().set_modified(t).unwrap();
}

fn mtime(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

/// Files last modified an hour ago, which the cache may trust.
fn settled_queue() -> tempfile::TempDir {
    let dir = data_dir(&[
        ("tasks/a.json", &task_json("a", "pending", 1, "2025-10-08T10:00:00Z")),
        ("tasks/b.json", &task_json("b", "running", 2, "2025-10-08T10:00:00Z")),
        ("queue.rkvs/tasks/u1.json", r#"{"id": "u1", "status": "Pending"}"#),
        ("queue.rkvs/queue/u1.json", r#"{"task_id": "u1", "priority": 3}"#),
        ("status.json", r#"{"running": true, "tasks_pending": 5, "tasks_running": 2}"#),
    ]);
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    for rel in ["tasks/a.json", "tasks/b.json", "queue.rkvs/tasks/u1.json", "queue.rkvs/queue/u1.json", "status.json"] {
        set_mtime(&dir.path().join(rel), hour_ago);
    }
    dir
}

#[test]
fn a_same_size_rewrite_within_the_same_second_is_seen() {
    let dir = data_dir(&[]);
    let path = dir.path().join("tasks/a.json");
    let mut session = Session::new(runtime(Limits::default()), dir.path());
    // The instance is up before the file is written, so the file is read
    // within the same second, as the orchestrator's quick rewrites are.
    assert!(statuses(&mut session).is_empty());
    std::fs::create_dir(dir.path().join("tasks")).unwrap();
    std::fs::write(&path, task_json("a", "pending", 1, "2025-10-08T10:00:00Z")).unwrap();
    assert_eq!(statuses(&mut session), ["a:pending"]);
    // "running" is as long as "pending"; the old mtime is put back, as a
    // filesystem with one-second timestamps would show it.
    let before = mtime(&path);
    std::fs::write(&path, task_json("a", "running", 1, "2025-10-08T10:00:00Z")).unwrap();
    set_mtime(&path, before);
    assert_eq!(statuses(&mut session), ["a:running"]);
}

#[test]
fn unchanged_settled_files_are_served_from_the_cache() {
    let dir = settled_queue();
    let mut session = Session::new(runtime(Limits::default()), dir.path());
    let first = statuses(&mut session);
    let cold = session.cache_stats().unwrap();
    assert_eq!((cold.entries, cold.hits, cold.misses), (4, 0, 4));
    assert_eq!(statuses(&mut session), first);
    let warm = session.cache_stats().unwrap();
    assert_eq!((warm.entries, warm.hits, warm.misses), (4, 4, 4));
}

/// With the directory watched (inotify, on Linux), a repeat over unchanged
/// files stats nothing, even files too fresh for a stat to vouch for.
#[cfg(target_os = "linux")]
#[test]
fn a_watched_directory_that_did_not_change_is_not_even_stat_ed() {
    let dir = data_dir(&[
        ("tasks/a.json", &task_json("a", "pending", 1, "2025-10-08T10:00:00Z")),
        ("queue.rkvs/tasks/u1.json", r#"{"id": "u1", "status": "Pending"}"#),
        ("queue.rkvs/queue/u1.json", r#"{"task_id": "u1", "priority": 3}"#),
    ]);
    let mut session = Session::new(runtime(Limits::default()), dir.path());
    let first = statuses(&mut session);
    assert_eq!(statuses(&mut session), first);
    let stats = session.cache_stats().unwrap();
    assert_eq!((stats.hits, stats.unchecked, stats.misses), (3, 3, 3));
    // Any change ends the epoch: the next call stats again, and re-reads
    // the fresh files, which a stat cannot vouch for.
    std::fs::write(dir.path().join("tasks/b.json"), task_json("b", "failed", 2, "2025-10-08T10:00:00Z")).unwrap();
    assert_eq!(statuses(&mut session), ["u1:pending", "b:failed", "a:pending"]);
    let stats = session.cache_stats().unwrap();
    assert_eq!((stats.hits, stats.unchecked, stats.misses), (3, 3, 7));
}

#[test]
fn a_changed_file_is_read_again_and_only_it() {
    let dir = settled_queue();
    let mut session = Session::new(runtime(Limits::default()), dir.path());
    statuses(&mut session);
    let path = dir.path().join("tasks/b.json");
    let before = mtime(&path);
    std::fs::write(&path, task_json("b", "failed", 2, "2025-10-08T10:00:00Z")).unwrap();
    set_mtime(&path, before + Duration::from_secs(1));
    assert_eq!(statuses(&mut session), ["u1:pending", "b:failed", "a:pending"]);
    let stats = session.cache_stats().unwrap();
    assert_eq!((stats.hits, stats.misses), (3, 5));
}

#[test]
fn added_and_removed_files_are_followed() {
    let dir = settled_queue();
    let mut session = Session::new(runtime(Limits::default()), dir.path());
    statuses(&mut session);
    std::fs::remove_file(dir.path().join("tasks/a.json")).unwrap();
    std::fs::write(dir.path().join("tasks/c.json"), task_json("c", "pending", 9, "2025-10-08T10:00:00Z")).unwrap();
    assert_eq!(statuses(&mut session), ["c:pending", "u1:pending", "b:running"]);
    assert_eq!(session.cache_stats().unwrap().entries, 4);
}

#[test]
fn the_status_file_is_cached_and_revalidated() {
    let dir = settled_queue();
    let path = dir.path().join("status.json");
    let mut session = Session::new(runtime(Limits::default()), dir.path());
    let pending = |s: &mut Session| s.status(now(), ReadOptions::default()).unwrap().tasks_pending;
    assert_eq!(pending(&mut session), 5);
    assert_eq!(pending(&mut session), 5);
    assert_eq!(session.cache_stats().unwrap().hits, 1);
    // Rewritten (same size) with a later mtime: read again.
    let before = mtime(&path);
    std::fs::write(&path, r#"{"running": true, "tasks_pending": 6, "tasks_running": 2}"#).unwrap();
    set_mtime(&path, before + Duration::from_secs(1));
    assert_eq!(pending(&mut session), 6);
    // Modified just now, read, then rewritten with the same size and mtime
    // (one-second timestamps): it was too fresh to trust, so it is read again.
    let fresh = SystemTime::now();
    set_mtime(&path, fresh);
    assert_eq!(pending(&mut session), 6);
    std::fs::write(&path, r#"{"running": true, "tasks_pending": 7, "tasks_running": 2}"#).unwrap();
    set_mtime(&path, fresh);
    assert_eq!(pending(&mut session), 7);
}

#[test]
fn no_cache_reads_every_file_every_time() {
    let dir = settled_queue();
    let mut session = Session::new(runtime(Limits::default()), dir.path()).with_cache(false);
    statuses(&mut session);
    statuses(&mut session);
    let stats = session.cache_stats().unwrap();
    assert_eq!((stats.entries, stats.hits, stats.misses), (0, 0, 0));
    assert!(session.is_warm());
}

#[test]
fn a_trap_drops_the_instance_and_the_next_call_starts_afresh() {
    let dir = settled_queue();
    let limits = Limits { memory_bytes: 8 << 20, max_file_size: 64 << 20, ..Limits::default() };
    let mut session = Session::new(runtime(limits), dir.path());
    statuses(&mut session);
    assert!(session.is_warm());
    let big = format!(r#"{{"id": "big", "status": "pending", "pad": "{}"}}"#, "x".repeat(16 << 20));
    std::fs::write(dir.path().join("tasks/big.json"), big).unwrap();
    let err = session.tasks(&TaskQuery::default(), now(), ReadOptions::default()).unwrap_err();
    assert!(matches!(err, orch_runtime::Error::Trap { kind: TrapKind::Memory(_), .. }), "{err:?}");
    assert!(!session.is_warm());
    std::fs::remove_file(dir.path().join("tasks/big.json")).unwrap();
    assert_eq!(statuses(&mut session), ["u1:pending", "b:running", "a:pending"]);
    // A new instance: its cache started empty.
    assert_eq!(session.cache_stats().unwrap().hits, 0);
}

#[test]
fn sessions_serve_stats_and_diffs_too() {
    let dir = settled_queue();
    let mut session = Session::new(runtime(Limits::default()), dir.path());
    let stats = session.stats(&TaskQuery::default(), now(), ReadOptions::default()).unwrap();
    assert_eq!(stats.total, 3);
    let first = session.diff(None, &TaskQuery::default(), now(), ReadOptions::default()).unwrap();
    assert!(first.events.is_empty());
    assert_eq!(first.snapshot.len(), 3);
    std::fs::remove_file(dir.path().join("tasks/a.json")).unwrap();
    let next = session.diff(Some(&first.snapshot), &TaskQuery::default(), now(), ReadOptions::default()).unwrap();
    assert_eq!(next.events.len(), 1);
    assert_eq!(next.events[0].task_id, "a");
    // Paging does not apply to stats.
    let paged = TaskQuery { limit: Some(1), ..TaskQuery::default() };
    let err = session.stats(&paged, now(), ReadOptions::default()).unwrap_err();
    assert_eq!(err.code(), "orch::argument");
}

fn fresh_statuses(runtime: &Runtime, dir: &Path) -> Vec<String> {
    let page = runtime.tasks(dir, &TaskQuery::default(), now(), ReadOptions::default()).unwrap();
    page.tasks.iter().map(|t| format!("{}:{}", t.id, t.status)).collect()
}

// Two shards whatever the machine's cores, so the split is tested everywhere.
#[test]
fn a_session_over_two_shards_reads_each_file_once_then_serves_it_warm() {
    let dir = settled_queue();
    let runtime = runtime(Limits::default());
    let mut session = Session::with_shards(runtime.clone(), dir.path(), 2);
    let want = fresh_statuses(&runtime, dir.path());
    assert_eq!(statuses(&mut session), want);
    let cold = session.cache_stats().unwrap();
    // a, b, u1 and u1's queue entry: each read once, by one instance.
    assert_eq!((cold.entries, cold.hits, cold.misses), (4, 0, 4));
    assert_eq!(statuses(&mut session), want);
    let warm = session.cache_stats().unwrap();
    assert_eq!((warm.entries, warm.hits, warm.misses), (4, 4, 4));

    let query = TaskQuery::default();
    let stats = session.stats(&query, now(), ReadOptions::default()).unwrap();
    assert_eq!(stats, runtime.stats(dir.path(), &query, now(), ReadOptions::default()).unwrap());
    assert_eq!(session.cache_stats().unwrap().misses, 4, "stats used the same warm instances");
}

#[test]
fn a_misnamed_file_sends_a_sharded_session_to_one_instance_and_back() {
    let dir = settled_queue();
    let runtime = runtime(Limits::default());
    let mut session = Session::with_shards(runtime.clone(), dir.path(), 2);
    assert_eq!(statuses(&mut session), fresh_statuses(&runtime, dir.path()));
    // A task record not named after its task: no shard can be sure of its
    // queue priority, so the scan is done again as one.
    let misnamed = dir.path().join("queue.rkvs/tasks/renamed.json");
    std::fs::write(&misnamed, r#"{"id": "u2", "status": "failed"}"#).unwrap();
    let want = fresh_statuses(&runtime, dir.path());
    assert!(want.contains(&"u2:failed".to_string()), "{want:?}");
    assert_eq!(statuses(&mut session), want);
    assert_eq!(statuses(&mut session), want);
    std::fs::remove_file(&misnamed).unwrap();
    assert_eq!(statuses(&mut session), fresh_statuses(&runtime, dir.path()));
    let query = TaskQuery::default();
    let stats = session.stats(&query, now(), ReadOptions::default()).unwrap();
    assert_eq!(stats, runtime.stats(dir.path(), &query, now(), ReadOptions::default()).unwrap());
}

#[test]
fn a_sharded_session_s_show_and_workflows_answer_as_a_fresh_runtime_through_a_misnamed_file_and_back() {
    let dir = settled_queue();
    let runtime = runtime(Limits::default());
    let mut session = Session::with_shards(runtime.clone(), dir.path(), 2);
    let query = WorkflowQuery::default();
    let read = ReadOptions::default();
    let check = |session: &mut Session| {
        for id in ["a", "u1"] {
            let want = runtime.show(dir.path(), id, now(), read).unwrap();
            assert_eq!(session.show(id, now(), read).unwrap(), want);
        }
        let want = runtime.workflows(dir.path(), &query, now(), read).unwrap();
        assert_eq!(session.workflows(&query, now(), read).unwrap(), want);
        want
    };
    let before = check(&mut session);
    // An unknown id is the component's refusal: the kept part set goes with
    // it, and the next call starts afresh.
    assert!(session.show("nope", now(), read).is_err());
    let misnamed = dir.path().join("queue.rkvs/tasks/renamed.json");
    std::fs::write(&misnamed, r#"{"id": "u2", "status": "failed", "dependencies": ["u1"]}"#).unwrap();
    let with_u2 = check(&mut session);
    assert_ne!(with_u2, before, "the misnamed file's task counts");
    assert_eq!(session.show("u2", now(), read).unwrap().task.status, "failed");
    let u1 = session.show("u1", now(), read).unwrap();
    assert_eq!((u1.queue_entry.map(|e| e.priority), u1.dependents.len()), (Some(3), 1));
    std::fs::remove_file(&misnamed).unwrap();
    assert_eq!(check(&mut session), before);
}
