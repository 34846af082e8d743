//! The queue operations behind the WIT `queue` interface.

use std::collections::HashMap;

use jiff::Timestamp;

use crate::error::{Error, FileError, FileErrorKind};
use crate::model::{StatusReport, StatusSource, Task, TaskPage, TaskQuery};
use crate::scan::{DataDir, ScanOptions};
use crate::status_file::parse_status;
use crate::task_file::{QueueEntry, parse_queue_entry, parse_task};
use crate::task_filter::TaskFilter;
use crate::task_order::page;

/// The plugin fixture's layout.
pub const FIXTURE_TASKS: &str = "tasks";
/// The storage backend's layout: task records, and queue entries carrying priorities.
pub const BACKEND_TASKS: &str = "queue.rkvs/tasks";
pub const BACKEND_QUEUE: &str = "queue.rkvs/queue";
pub const STATUS_FILE: &str = "status.json";

/// Every task in both layouts, in file-name order, plus the files skipped
/// under `skip_invalid`.
pub struct Loaded {
    pub tasks: Vec<Task>,
    pub skipped: Vec<FileError>,
}

pub fn load_tasks(dir: &DataDir, opts: ScanOptions) -> Result<Loaded, Error> {
    let mut loaded = Loaded { tasks: Vec::new(), skipped: Vec::new() };
    let mut priorities: HashMap<String, i64> = HashMap::new();
    for_each_file(dir, BACKEND_QUEUE, opts, &mut loaded.skipped, parse_queue_entry, |QueueEntry { task_id, priority }| {
        priorities.insert(task_id, priority);
    })?;
    for_each_file(dir, FIXTURE_TASKS, opts, &mut loaded.skipped, parse_task, |task| loaded.tasks.push(task))?;
    for_each_file(dir, BACKEND_TASKS, opts, &mut loaded.skipped, parse_task, |mut task| {
        if let Some(&priority) = priorities.get(&task.id) {
            task.priority = priority;
        }
        loaded.tasks.push(task);
    })?;
    Ok(loaded)
}

/// Reads and parses every JSON file of `rel_dir`. A file that fails to
/// parse is read once more before it counts as bad: a writer rewriting it
/// in place may have been caught half-way.
fn for_each_file<T>(
    dir: &DataDir,
    rel_dir: &str,
    opts: ScanOptions,
    skipped: &mut Vec<FileError>,
    parse: fn(&str, &[u8]) -> Result<T, FileError>,
    mut keep: impl FnMut(T),
) -> Result<(), Error> {
    for file in dir.json_files(rel_dir)? {
        let result = file.and_then(|path| {
            let first = dir.read(&path, opts.max_file_size).and_then(|bytes| parse(&path, &bytes));
            match first {
                Err(e) if e.kind == FileErrorKind::Malformed => {
                    dir.read(&path, opts.max_file_size).and_then(|bytes| parse(&path, &bytes))
                }
                other => other,
            }
        });
        match result {
            Ok(item) => keep(item),
            Err(e) if opts.skip_invalid && skippable(&e) => skipped.push(e),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// `--skip-invalid` skips bad files, not a broken sandbox: a refused path
/// still fails the call.
fn skippable(e: &FileError) -> bool {
    !matches!(e.kind, FileErrorKind::Denied)
}

pub fn status(dir: &DataDir, now: Timestamp, opts: ScanOptions) -> Result<StatusReport, Error> {
    let age = |t: Option<Timestamp>| t.map(|t| now.duration_since(t));
    if let Some(bytes) = dir.read_optional(STATUS_FILE, opts.max_file_size)? {
        let file = parse_status(STATUS_FILE, &bytes)?;
        return Ok(StatusReport {
            running: Some(file.running),
            tasks_pending: file.tasks_pending,
            tasks_running: file.tasks_running,
            tasks_completed: file.tasks_completed,
            tasks_failed: file.tasks_failed,
            last_check: file.last_check,
            last_check_age: age(file.last_check),
            source: StatusSource::StatusFile,
            skipped: Vec::new(),
        });
    }
    let loaded = load_tasks(dir, opts)?;
    let count = |status: &str| loaded.tasks.iter().filter(|t| t.status == status).count() as u64;
    Ok(StatusReport {
        running: None,
        tasks_pending: count("pending"),
        tasks_running: count("running"),
        tasks_completed: Some(count("completed")),
        tasks_failed: Some(count("failed")),
        last_check: None,
        last_check_age: None,
        source: StatusSource::Derived,
        skipped: loaded.skipped,
    })
}

pub fn tasks(dir: &DataDir, query: &TaskQuery, opts: ScanOptions) -> Result<TaskPage, Error> {
    let filter = TaskFilter::from_query(query)?;
    let loaded = load_tasks(dir, opts)?;
    let matched: Vec<Task> = loaded.tasks.into_iter().filter(|t| filter.matches(t)).collect();
    let total = matched.len() as u64;
    Ok(TaskPage { tasks: page(matched, query.offset, query.limit), total, skipped: loaded.skipped })
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::Path;

    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn now() -> Timestamp {
        "2025-10-08T12:00:00Z".parse().unwrap()
    }

    fn query() -> TaskQuery {
        TaskQuery { now: now(), ..TaskQuery::default() }
    }

    fn both_layouts() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "tasks/a.json", r#"{"id": "a", "status": "pending", "priority": 2, "created_at": "2025-10-08T09:00:00Z"}"#);
        write(root, "tasks/b.json", r#"{"id": "b", "status": "running", "created_at": "2025-10-08T08:00:00Z"}"#);
        write(root, "queue.rkvs/tasks/u1.json", r#"{"id": "u1", "name": "db", "status": "Failed", "created_at": "2025-10-07T08:00:00Z"}"#);
        write(root, "queue.rkvs/tasks/u2.json", r#"{"id": "u2", "status": "Pending", "created_at": "2025-10-06T08:00:00Z"}"#);
        write(root, "queue.rkvs/queue/u2.json", r#"{"task_id": "u2", "priority": 8}"#);
        dir
    }

    #[test]
    fn merges_both_layouts_with_queue_priorities() {
        let dir = both_layouts();
        let page = tasks(&DataDir::new(dir.path()), &query(), ScanOptions::default()).unwrap();
        let got: Vec<_> = page.tasks.iter().map(|t| (t.id.as_str(), t.priority, t.status.as_str())).collect();
        assert_eq!(got, [("u2", 8, "pending"), ("a", 2, "pending"), ("u1", 0, "failed"), ("b", 0, "running")]);
        assert_eq!(page.total, 4);
    }

    #[test]
    fn derived_status_counts_the_queue() {
        let dir = both_layouts();
        let report = status(&DataDir::new(dir.path()), now(), ScanOptions::default()).unwrap();
        assert_eq!(report.source, StatusSource::Derived);
        assert_eq!((report.tasks_pending, report.tasks_running, report.tasks_failed), (2, 1, Some(1)));
        assert_eq!(report.running, None);
    }

    #[test]
    fn status_file_wins_and_reports_age() {
        let dir = both_layouts();
        write(dir.path(), "status.json", r#"{"running": true, "tasks_pending": 5, "tasks_running": 2, "last_check": "2025-10-08T11:59:30Z"}"#);
        let report = status(&DataDir::new(dir.path()), now(), ScanOptions::default()).unwrap();
        assert_eq!(report.source, StatusSource::StatusFile);
        assert_eq!(report.tasks_pending, 5);
        assert_eq!(report.last_check_age.unwrap().as_secs(), 30);
    }

    #[test]
    fn malformed_file_fails_unless_skipped() {
        let dir = both_layouts();
        write(dir.path(), "tasks/c.json", "{\"id\": \"c\",\n\"status\": }");
        let err = tasks(&DataDir::new(dir.path()), &query(), ScanOptions::default()).unwrap_err();
        assert_eq!(err.to_string(), "tasks/c.json:2:11: expected value");
        let opts = ScanOptions { skip_invalid: true, ..ScanOptions::default() };
        let page = tasks(&DataDir::new(dir.path()), &query(), opts).unwrap();
        assert_eq!(page.total, 4);
        assert_eq!(page.skipped.len(), 1);
        assert_eq!(page.skipped[0].path, "tasks/c.json");
    }

    #[test]
    fn empty_data_dir_has_no_tasks() {
        let dir = tempfile::tempdir().unwrap();
        let page = tasks(&DataDir::new(dir.path()), &query(), ScanOptions::default()).unwrap();
        assert_eq!(page.total, 0);
        assert!(page.tasks.is_empty());
    }

    #[test]
    fn bad_arguments_fail_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "tasks/c.json", "not json");
        let err = tasks(&DataDir::new(dir.path()), &TaskQuery { created_from: Some("soon".into()), ..query() }, ScanOptions::default())
            .unwrap_err();
        assert!(matches!(err, Error::InvalidArgument { .. }));
    }
}
