//! One shard's scan for the calls that need the whole queue at once (the
//! dependency graph, the workflows): every task slim, and the few asked
//! for by an id prefix whole, with their queue entries.

use super::load::{TaskRead, TaskSink, queue_entry};
use super::operations::Scan;
use super::queue_part::{QueuePart, WholeTask};
use super::scan::Shard;
use super::slim_part::SlimPart;
use crate::error::Error;
use crate::model::Task;

/// The tasks of `shard` (all, for `None`), slim, and whole those that
/// `whole` names: the task whose id it is, and the one whose id begins with
/// it, unless several do (then the prefix is ambiguous, and none is needed).
pub fn scan_part(mut scan: Scan, shard: Option<Shard>, whole: Option<&str>) -> Result<QueuePart, Error> {
    let mut sink = PartSink {
        prefix: whole.filter(|p| !p.is_empty()),
        tasks: SlimPart::default(),
        exact: None,
        starting: None,
        starting_count: 0,
    };
    let scanned = scan.each(shard, &mut sink)?;
    if scanned.misnamed && shard.is_some() {
        return Ok(QueuePart { misnamed: true, ..QueuePart::default() });
    }
    let mut part =
        QueuePart { tasks: sink.tasks.into_bytes(), whole: Vec::new(), skipped: scanned.skipped, misnamed: false };
    let unique_start = sink.starting.filter(|_| sink.starting_count == 1);
    for task in sink.exact.into_iter().chain(unique_start) {
        let queue_entry = match queue_entry(scan.dir, scan.opts, &task) {
            Ok(entry) => entry,
            Err(e) if scan.opts.skip_invalid => {
                part.skipped.push(e);
                None
            }
            Err(e) => return Err(e.into()),
        };
        part.whole.push(WholeTask { task, queue_entry });
    }
    part.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(part)
}

struct PartSink<'p> {
    /// The id prefix asked for whole; never empty.
    prefix: Option<&'p str>,
    tasks: SlimPart,
    exact: Option<Task>,
    starting: Option<Task>,
    starting_count: usize,
}

impl TaskSink for PartSink<'_> {
    const LENT: bool = true;

    fn expect(&mut self, n: usize) {
        self.tasks.reserve(n);
    }

    fn push(&mut self, task: Task) {
        self.tasks.push(&task);
        self.keep_whole(task);
    }

    /// A lent task costs no allocation, unless it is one of those asked for whole.
    fn take(&mut self, task: TaskRead<'_>) {
        match task {
            TaskRead::Whole(task) => self.push(task),
            TaskRead::Lent(raw) => {
                self.tasks.push_lent(&raw);
                if self.prefix.is_some_and(|p| raw.id.as_str().starts_with(p)) {
                    self.keep_whole(raw.into_task());
                }
            }
        }
    }
}

impl PartSink<'_> {
    /// Keeps a task whole if its id is, or begins with, the prefix asked for.
    fn keep_whole(&mut self, task: Task) {
        let Some(prefix) = self.prefix else { return };
        if task.id == prefix {
            // The first of a duplicated id is the one the graph names.
            self.exact.get_or_insert(task);
        } else if task.id.starts_with(prefix) {
            self.starting_count += 1;
            if self.starting_count == 1 {
                self.starting = Some(task);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use jiff::Timestamp;

    use super::*;
    use crate::fs::DataDir;
    use crate::queue::parse_cache::ParseCache;
    use crate::queue::scan::ScanOptions;
    use crate::queue::show::{show, show_parts};

    fn queue() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let tasks = dir.path().join("queue.rkvs/tasks");
        let entries = dir.path().join("queue.rkvs/queue");
        fs::create_dir_all(&tasks).unwrap();
        fs::create_dir_all(&entries).unwrap();
        let write = |id: &str, status: &str, deps: &str| {
            let task =
                format!(r#"{{"id": "{id}", "status": "{status}", "dependencies": [{deps}], "output": "out of {id}"}}"#);
            fs::write(tasks.join(format!("{id}.json")), task).unwrap();
            fs::write(entries.join(format!("{id}.json")), format!(r#"{{"task_id": "{id}", "priority": 3}}"#)).unwrap();
        };
        write("abc-1", "failed", "");
        write("abd-2", "pending", r#""abc-1""#);
        write("x-3", "pending", r#""abd-2""#);
        write("x", "completed", "");
        dir
    }

    fn now() -> Timestamp {
        "2025-10-08T12:00:00Z".parse().unwrap()
    }

    /// A scan of `dir` at the tests' "now".
    fn scan<'a>(dir: &'a DataDir, opts: ScanOptions, cache: &'a mut ParseCache) -> Scan<'a> {
        Scan { dir, now: now(), opts, cache }
    }

    fn parts(dir: &tempfile::TempDir, count: u32, whole: &str) -> Vec<QueuePart> {
        (0..count)
            .map(|index| {
                let shard = (count > 1).then_some(Shard { index, count });
                let data = DataDir::new(dir.path());
                scan_part(scan(&data, ScanOptions::default(), &mut ParseCache::default()), shard, Some(whole)).unwrap()
            })
            .collect()
    }

    #[test]
    fn a_part_holds_every_task_slim_and_the_named_ones_whole() {
        let dir = queue();
        let whole_ids = |prefix: &str| {
            let mut ids: Vec<String> = parts(&dir, 1, prefix)[0].whole.iter().map(|w| w.task.id.clone()).collect();
            ids.sort();
            ids
        };
        assert_eq!(crate::queue::queue_part::tasks(&[parts(&dir, 1, "x").remove(0).tasks]).unwrap().len(), 4);
        // The exact id and the one that alone begins with it.
        assert_eq!(whole_ids("x"), ["x", "x-3"]);
        assert_eq!(whole_ids("abd"), ["abd-2"]);
        // Ambiguous: nothing is needed whole.
        assert!(whole_ids("ab").is_empty());
        let part = parts(&dir, 1, "abd");
        assert_eq!(part[0].whole[0].task.output.as_deref(), Some("out of abd-2"));
        assert_eq!(part[0].whole[0].queue_entry.as_ref().map(|e| e.priority), Some(3));
    }

    #[test]
    fn show_over_shards_is_show_over_the_whole_queue() {
        let dir = queue();
        for id in ["x-3", "abd", "abc-1", "x"] {
            let data = DataDir::new(dir.path());
            let expected = show(scan(&data, ScanOptions::default(), &mut ParseCache::default()), id).unwrap();
            for count in 2..=3 {
                let detail = show_parts(id, now(), parts(&dir, count, id)).unwrap();
                assert_eq!(detail, expected, "{id} over {count} shards");
            }
        }
        let blocked = show_parts("x-3", now(), parts(&dir, 2, "x-3")).unwrap();
        assert_eq!(blocked.blocked_by, ["abc-1"]);
        assert_eq!(blocked.task.state.map(|s| s.name()), Some("blocked"));
        assert!(matches!(show_parts("ab", now(), parts(&dir, 2, "ab")), Err(Error::AmbiguousTask { .. })));
        assert!(matches!(show_parts("zz", now(), parts(&dir, 2, "zz")), Err(Error::UnknownTask { .. })));
    }

    #[test]
    fn a_misnamed_part_is_not_merged() {
        let dir = queue();
        fs::rename(dir.path().join("queue.rkvs/queue/x.json"), dir.path().join("queue.rkvs/queue/entry.json")).unwrap();
        let parts = parts(&dir, 2, "x");
        assert_eq!(parts.iter().filter(|p| p.misnamed).count(), 1);
        assert!(matches!(show_parts("x", now(), parts), Err(Error::InvalidArgument { .. })));
    }
}
