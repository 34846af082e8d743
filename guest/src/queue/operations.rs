//! The queue operations behind the WIT `queue` interface: status, a page of
//! tasks, figures, and the changes since a snapshot.

use jiff::Timestamp;

use super::STATUS_FILE;
use super::graph_part::{self, GraphBytes};
use super::live_read::LiveReader;
use super::load::{Scanned, TaskSink, for_each_task, load_tasks};
use super::parse_cache::ParseCache;
use super::scan::{ScanOptions, Shard};
use super::stats::Tally;
use super::status_file::parse_status;
use super::task_diff::{self, WatchEvent};
use super::task_filter::TaskFilter;
use super::task_order::Selection;
use super::task_states::{Placed, Unresolved};
use crate::error::{Error, FileError, FileErrorKind};
use crate::fs::DataDir;
use crate::model::{StatusReport, StatusSource, Task, TaskPage, TaskQuery, TaskStats};

/// One call's read of the queue: the directory, the host's "now" (which a
/// query's ages count back from), how files are read, and the cache the
/// read may go through.
pub struct Scan<'a> {
    pub dir: &'a DataDir,
    pub now: Timestamp,
    pub opts: ScanOptions,
    pub cache: &'a mut ParseCache,
}

impl Scan<'_> {
    /// Hands every task of `shard` (all, for `None`) to `sink`.
    pub(super) fn each(&mut self, shard: Option<Shard>, sink: &mut impl TaskSink) -> Result<Scanned, Error> {
        for_each_task(self.dir, self.opts, shard, self.cache, sink)
    }
}

pub fn status(scan: Scan) -> Result<StatusReport, Error> {
    let Scan { dir, now, opts, cache } = scan;
    let age = |t: Option<Timestamp>| t.map(|t| now.duration_since(t));
    let mut live = LiveReader::new(&opts);
    let mut read = |stamp| live.read(dir, STATUS_FILE, Some(stamp), parse_status);
    // Stat'ed before it is opened: the file is named, not found in a listing
    // that vouched for its type, and opening a FIFO would block.
    let file = match opts.cache_now {
        Some(cache_now) => cache.status.get(dir, STATUS_FILE, cache_now, opts.fs_epoch, read),
        None => dir.stamp(STATUS_FILE).and_then(|stamp| read(stamp).parsed),
    };
    let file = match file {
        Ok(file) => Some(file),
        Err(e) if e.kind == FileErrorKind::NotFound => None,
        Err(e) => return Err(e.into()),
    };
    if let Some(file) = file {
        return Ok(StatusReport {
            running: Some(file.running),
            tasks_pending: file.tasks_pending,
            tasks_running: file.tasks_running,
            tasks_completed: file.tasks_completed,
            tasks_failed: file.tasks_failed,
            last_check: file.last_check,
            last_check_age: age(file.last_check),
            data_dir: Default::default(),
            source: StatusSource::StatusFile,
            skipped: Vec::new(),
        });
    }
    let loaded = load_tasks(dir, opts, cache)?;
    let count = |status: &str| loaded.tasks.iter().filter(|t| t.status == status).count() as u64;
    Ok(StatusReport {
        running: None,
        tasks_pending: count("pending"),
        tasks_running: count("running"),
        tasks_completed: Some(count("completed")),
        tasks_failed: Some(count("failed")),
        last_check: None,
        last_check_age: None,
        data_dir: Default::default(),
        source: StatusSource::Derived,
        skipped: loaded.skipped,
    })
}

pub fn tasks(scan: Scan, query: &TaskQuery) -> Result<TaskPage, Error> {
    let selected = select(scan, query, None)?;
    let codes = graph_part::state_codes(&[selected.graph.into_bytes()])?.pop().unwrap_or_default();
    let (tasks, total) = selected.unresolved.resolve(&codes);
    Ok(TaskPage { tasks, total, skipped: selected.skipped })
}

/// What a scan for `tasks` selected, before the states are known.
struct Selected {
    unresolved: Unresolved,
    /// Every task the scan read, matched or not, in scan order: the graph's nodes.
    graph: GraphBytes,
    skipped: Vec<FileError>,
    misnamed: bool,
}

/// The tasks of `shard` that match `query`, as a page selected while
/// scanning (or, with a state filter, every match), and every task slim.
fn select(mut scan: Scan, query: &TaskQuery, shard: Option<Shard>) -> Result<Selected, Error> {
    let filter = TaskFilter::from_query(query, scan.now)?;
    let selection = Unresolved::selection(filter.states(), query.offset, query.limit);
    let mut sink = Filtered { filter: &filter, selection, graph: GraphBytes::default() };
    let scanned = scan.each(shard, &mut sink)?;
    Ok(Selected {
        unresolved: Unresolved::new(sink.selection, filter.states(), query.offset, query.limit),
        graph: sink.graph,
        skipped: scanned.skipped,
        misnamed: scanned.misnamed,
    })
}

struct Filtered<'f> {
    filter: &'f TaskFilter,
    selection: Selection<Placed>,
    graph: GraphBytes,
}

impl TaskSink for Filtered<'_> {
    fn expect(&mut self, n: usize) {
        self.selection.expect(n);
        self.graph.reserve(n);
    }
    fn push(&mut self, task: Task) {
        let at = self.graph.push(&task);
        if self.filter.matches(&task) {
            self.selection.push(Placed { task, at });
        }
    }
}

/// [`tasks`] over one shard, its states left for [`Unresolved::resolve`]
/// once one instance has built the graph of every shard's nodes; a host merges the shards' pages
/// by [`order_key`]. One shard of one is the whole queue. Through `cache`
/// when `opts.cache_now` allows it: a host that keeps an instance per shard
/// gives each the same shard every call.
pub fn tasks_shard(scan: Scan, query: &TaskQuery, shard: Shard) -> Result<ShardPage, Error> {
    let shard = (shard.count > 1).then_some(shard);
    let selected = select(scan, query, shard)?;
    if selected.misnamed && shard.is_some() {
        let nothing = Unresolved::new(Selection::new(0, Some(0)), &[], 0, None);
        return Ok(ShardPage { unresolved: nothing, graph: Vec::new(), skipped: Vec::new(), misnamed: true });
    }
    let graph = selected.graph.into_bytes();
    Ok(ShardPage { unresolved: selected.unresolved, graph, skipped: selected.skipped, misnamed: false })
}

pub struct ShardPage {
    pub unresolved: Unresolved,
    /// The shard's every task as a graph node, in scan order, for
    /// [`graph_part::state_codes`].
    pub graph: Vec<u8>,
    pub skipped: Vec<FileError>,
    /// See [`super::load::Scanned::misnamed`]: the page is empty and the whole scan must
    /// be done unsharded.
    pub misnamed: bool,
}

pub fn stats(scan: Scan, query: &TaskQuery) -> Result<TaskStats, Error> {
    let now = scan.now;
    let part = tally(scan, query, None)?;
    merge_stats(query, now, vec![part])
}

/// One shard's share of [`stats`]: what [`merge_stats`] makes the figures
/// from, with the shard's skipped files.
pub struct StatsPart {
    pub tally: Tally,
    pub skipped: Vec<FileError>,
    /// See [`super::load::Scanned::misnamed`]: the tally is empty, and the whole scan
    /// must be done unsharded.
    pub misnamed: bool,
}

/// [`stats`] over one shard, for [`merge_stats`] to combine with the
/// other shards'; through `cache` as [`tasks_shard`] is.
pub fn stats_part(scan: Scan, query: &TaskQuery, shard: Shard) -> Result<StatsPart, Error> {
    let shard = (shard.count > 1).then_some(shard);
    tally(scan, query, shard)
}

/// The figures over every part's tasks. The parts must cover disjoint
/// tasks, and none may be `misnamed`.
pub fn merge_stats(query: &TaskQuery, now: Timestamp, parts: Vec<StatsPart>) -> Result<TaskStats, Error> {
    reject_paging(query, "stats")?;
    let (from, to) = TaskFilter::from_query(query, now)?.created_bounds();
    let mut whole = Tally::default();
    let mut skipped = Vec::new();
    for part in parts {
        if part.misnamed {
            return Err(Error::argument("parts", "a part whose shard found a misnamed file cannot be merged"));
        }
        whole.merge(part.tally);
        skipped.extend(part.skipped);
    }
    // By path, as `tasks` over shards reports them: the same files in the
    // same order however the scan was split.
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(TaskStats { skipped, ..whole.finish(from, to, now) })
}

fn tally(mut scan: Scan, query: &TaskQuery, shard: Option<Shard>) -> Result<StatsPart, Error> {
    reject_paging(query, "stats")?;
    let filter = TaskFilter::from_query(query, scan.now)?;
    let mut sink = Tallied { filter: &filter, tally: Tally::default() };
    let scanned = scan.each(shard, &mut sink)?;
    if scanned.misnamed && shard.is_some() {
        return Ok(StatsPart { tally: Tally::default(), skipped: Vec::new(), misnamed: true });
    }
    Ok(StatsPart { tally: sink.tally, skipped: scanned.skipped, misnamed: false })
}

/// Tallies the tasks a filter keeps, and holds none of them.
struct Tallied<'f> {
    filter: &'f TaskFilter,
    tally: Tally,
}

impl TaskSink for Tallied<'_> {
    fn expect(&mut self, _: usize) {}
    fn push(&mut self, task: Task) {
        if self.filter.matches(&task) {
            self.tally.add(&task);
        }
    }
}

pub struct TaskDiff {
    pub events: Vec<WatchEvent>,
    /// Every task, unfiltered: the next call's `previous`.
    pub snapshot: Vec<Task>,
    pub skipped: Vec<FileError>,
}

/// The changes since `previous`, stamped with the query's `now`; with no
/// previous snapshot, only a first one.
pub fn diff(scan: Scan, previous: Option<&[Task]>, query: &TaskQuery) -> Result<TaskDiff, Error> {
    let Scan { dir, now, opts, cache } = scan;
    reject_paging(query, "watch")?;
    let filter = TaskFilter::from_query(query, now)?;
    let mut loaded = load_tasks(dir, opts, cache)?;
    if let Some(previous) = previous {
        keep_unreadable(previous, &mut loaded);
    }
    let events = previous
        .map(|previous| task_diff::diff(previous, &loaded.tasks, |t| filter.matches(t), now))
        .unwrap_or_default();
    Ok(TaskDiff { events, snapshot: loaded.tasks, skipped: loaded.skipped })
}

/// A task whose file was skipped as malformed (under `--skip-invalid`)
/// keeps its last state in the snapshot: a writer still half-way through
/// it after the retries is not a removal, and the next check, which reads
/// it whole, is not an addition. A file is matched to its task by name,
/// `<id>.json`, as both layouts name them.
fn keep_unreadable(previous: &[Task], loaded: &mut super::load::Loaded) {
    let stems: Vec<&str> = loaded
        .skipped
        .iter()
        .filter(|e| e.kind == FileErrorKind::Malformed)
        .filter_map(|e| e.path.file_stem()?.to_str())
        .collect();
    if stems.is_empty() {
        return;
    }
    let present: std::collections::HashSet<&str> = loaded.tasks.iter().map(|t| t.id.as_str()).collect();
    let kept: Vec<Task> = previous
        .iter()
        .filter(|t| stems.contains(&t.id.as_str()) && !present.contains(t.id.as_str()))
        .cloned()
        .collect();
    loaded.tasks.extend(kept);
}

/// Figures over "every matching task" must not silently cover a page, nor
/// a state filter that only `tasks` resolves.
fn reject_paging(query: &TaskQuery, what: &str) -> Result<(), Error> {
    if query.states.iter().any(|s| !s.trim().is_empty()) {
        return Err(Error::argument("state", format!("{what} does not filter by state; only tasks does")));
    }
    if query.offset != 0 {
        return Err(Error::argument("offset", format!("{what} covers every matching task; paging does not apply")));
    }
    if query.limit.is_some() {
        return Err(Error::argument("limit", format!("{what} covers every matching task; paging does not apply")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::Path;

    use super::*;
    use crate::queue::task_order::order_key;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// Each shard's page and total, resolved against every shard's tasks
    /// as a host has the cursors do.
    fn resolved(pages: Vec<ShardPage>) -> Vec<(Vec<Task>, u64)> {
        assert!(pages.iter().all(|p| !p.misnamed));
        let parts: Vec<Vec<u8>> = pages.iter().map(|p| p.graph.clone()).collect();
        let codes = graph_part::state_codes(&parts).unwrap();
        pages.into_iter().zip(codes).map(|(p, codes)| p.unresolved.resolve(&codes)).collect()
    }

    fn now() -> Timestamp {
        "2025-10-08T12:00:00Z".parse().unwrap()
    }

    /// A scan of `dir` at the tests' "now".
    fn scan<'a>(dir: &'a DataDir, opts: ScanOptions, cache: &'a mut ParseCache) -> Scan<'a> {
        Scan { dir, now: now(), opts, cache }
    }

    fn query() -> TaskQuery {
        TaskQuery::default()
    }

    /// The unsharded listing of `root` under `query`, scanned afresh.
    fn listed(root: &Path, query: &TaskQuery) -> Result<TaskPage, Error> {
        tasks(scan(&DataDir::new(root), ScanOptions::default(), &mut ParseCache::default()), query)
    }

    /// Every one of `count` shards' pages over `root`, each scanned afresh.
    fn shard_pages(root: &Path, query: &TaskQuery, opts: ScanOptions, count: u32) -> Vec<ShardPage> {
        (0..count)
            .map(|index| {
                tasks_shard(scan(&DataDir::new(root), opts, &mut ParseCache::default()), query, Shard { index, count })
                    .unwrap()
            })
            .collect()
    }

    /// `count` shards' pages, merged in queue order, are the unsharded
    /// listing: the same tasks in the same order, and the same total.
    fn assert_shards_merge_into_the_whole(root: &Path, query: &TaskQuery, count: u32) {
        let whole = listed(root, query).unwrap();
        let mut merged: Vec<(Vec<u8>, Task)> = Vec::new();
        let mut total = 0;
        for (page, shard_total) in resolved(shard_pages(root, query, ScanOptions::default(), count)) {
            total += shard_total;
            merged.extend(page.into_iter().map(|task| (order_key(&task), task)));
        }
        merged.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(total, whole.total);
        assert_eq!(merged.into_iter().map(|(_, t)| t).collect::<Vec<_>>(), whole.tasks, "{count} shards");
    }

    fn both_layouts() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "tasks/a.json",
            r#"{"id": "a", "status": "pending", "priority": 2, "created_at": "2025-10-08T09:00:00Z"}"#,
        );
        write(root, "tasks/b.json", r#"{"id": "b", "status": "running", "created_at": "2025-10-08T08:00:00Z"}"#);
        write(
            root,
            "queue.rkvs/tasks/u1.json",
            r#"{"id": "u1", "name": "db", "status": "Failed", "created_at": "2025-10-07T08:00:00Z"}"#,
        );
        write(
            root,
            "queue.rkvs/tasks/u2.json",
            r#"{"id": "u2", "status": "Pending", "created_at": "2025-10-06T08:00:00Z"}"#,
        );
        write(root, "queue.rkvs/queue/u2.json", r#"{"task_id": "u2", "priority": 8}"#);
        dir
    }

    #[test]
    fn merges_both_layouts_with_queue_priorities() {
        let dir = both_layouts();
        let page = listed(dir.path(), &query()).unwrap();
        let got: Vec<_> = page.tasks.iter().map(|t| (t.id.as_str(), t.priority, t.status.as_str())).collect();
        assert_eq!(got, [("u2", 8, "pending"), ("a", 2, "pending"), ("u1", 0, "failed"), ("b", 0, "running")]);
        assert_eq!(page.total, 4);
    }

    #[test]
    fn shards_partition_the_tasks_and_keep_queue_priorities() {
        let dir = both_layouts();
        for count in 1..=4 {
            assert_shards_merge_into_the_whole(dir.path(), &query(), count);
        }
    }

    /// A chain across files: `c` waits on `a` (pending), `d` is blocked
    /// through `u2` (pending) by `u1` (failed), `e` dangles.
    fn with_dependencies() -> tempfile::TempDir {
        let dir = both_layouts();
        let root = dir.path();
        write(root, "tasks/c.json", r#"{"id": "c", "status": "pending", "dependencies": ["a"]}"#);
        write(root, "queue.rkvs/tasks/u2.json", r#"{"id": "u2", "status": "pending", "dependencies": ["u1"]}"#);
        write(root, "tasks/d.json", r#"{"id": "d", "status": "pending", "priority": 1, "dependencies": ["u2"]}"#);
        write(root, "tasks/e.json", r#"{"id": "e", "status": "pending", "dependencies": ["gone"]}"#);
        dir
    }

    fn states(page: &[Task]) -> Vec<String> {
        page.iter().map(|t| format!("{}:{}", t.id, t.state.map_or("-", |s| s.name()))).collect()
    }

    #[test]
    fn pending_tasks_carry_their_state_and_others_none() {
        let dir = with_dependencies();
        let page = listed(dir.path(), &query()).unwrap();
        assert_eq!(
            states(&page.tasks),
            ["u2:blocked", "a:ready", "d:blocked", "u1:-", "b:-", "c:waiting", "e:dangling"]
        );
    }

    #[test]
    fn a_state_filter_combines_with_the_others_and_pages_after_it() {
        let dir = with_dependencies();
        let run = |query: TaskQuery| {
            tasks(scan(&DataDir::new(dir.path()), ScanOptions::default(), &mut ParseCache::default()), &query).unwrap()
        };
        let blocked = run(TaskQuery { states: vec!["Blocked".into()], ..query() });
        assert_eq!((states(&blocked.tasks), blocked.total), (vec!["u2:blocked".into(), "d:blocked".into()], 2));
        let paged = run(TaskQuery { states: vec!["blocked,dangling".into()], offset: 1, limit: Some(1), ..query() });
        assert_eq!((states(&paged.tasks), paged.total), (vec!["d:blocked".to_string()], 3));
        let high = run(TaskQuery { states: vec!["blocked".into()], min_priority: Some(1), ..query() });
        assert_eq!(states(&high.tasks), ["u2:blocked", "d:blocked"]);
        let none = run(TaskQuery { states: vec!["cycle".into()], ..query() });
        assert_eq!(none.total, 0);
        let bad = tasks(
            scan(&DataDir::new(dir.path()), ScanOptions::default(), &mut ParseCache::default()),
            &TaskQuery { states: vec!["stuck".into()], ..query() },
        );
        assert!(matches!(bad, Err(Error::InvalidArgument { name, .. }) if name == "state"));
    }

    #[test]
    fn states_over_shards_see_dependencies_in_other_shards() {
        let dir = with_dependencies();
        let query = TaskQuery { states: vec!["blocked,waiting".into()], ..query() };
        for count in 2..=4 {
            assert_shards_merge_into_the_whole(dir.path(), &query, count);
        }
    }

    #[test]
    fn only_tasks_filters_by_state() {
        let dir = with_dependencies();
        let query = TaskQuery { states: vec!["blocked".into()], ..query() };
        let stats = stats(scan(&DataDir::new(dir.path()), ScanOptions::default(), &mut ParseCache::default()), &query);
        assert!(matches!(stats, Err(Error::InvalidArgument { name, .. }) if name == "state"));
    }

    /// Both layouts with one file of `queue.rkvs` renamed, split into `count` shards.
    fn split_with_renamed(from: &str, to: &str, count: u32) -> (tempfile::TempDir, Vec<ShardPage>) {
        let dir = both_layouts();
        fs::rename(dir.path().join("queue.rkvs").join(from), dir.path().join("queue.rkvs").join(to)).unwrap();
        let pages = shard_pages(dir.path(), &query(), ScanOptions::default(), count);
        (dir, pages)
    }

    #[test]
    fn a_queue_entry_not_named_after_its_task_stops_the_split() {
        let (dir, pages) = split_with_renamed("queue/u2.json", "queue/entry-7.json", 3);
        // Only the shard that owns the entry can tell, and its page is empty.
        let flagged: Vec<&ShardPage> = pages.iter().filter(|p| p.misnamed).collect();
        assert_eq!(flagged.len(), 1);
        assert!(flagged[0].graph.is_empty());
        let misnamed = pages.into_iter().find(|p| p.misnamed).unwrap();
        assert_eq!(misnamed.unresolved.resolve(&[]), (Vec::new(), 0));
        // Unsharded, the entry still gives u2 its priority.
        let whole = listed(dir.path(), &query()).unwrap();
        assert_eq!((whole.tasks[0].id.as_str(), whole.tasks[0].priority), ("u2", 8));
    }

    #[test]
    fn of_two_entries_for_one_task_the_later_in_the_listing_sets_the_priority() {
        let priority_of_u2 = |extra: &str, priority: i64| {
            let dir = both_layouts();
            write(
                dir.path(),
                &format!("queue.rkvs/queue/{extra}.json"),
                &format!(r#"{{"task_id": "u2", "priority": {priority}}}"#),
            );
            let page = listed(dir.path(), &query()).unwrap();
            page.tasks.iter().find(|t| t.id == "u2").unwrap().priority
        };
        // `u2.json` says 8.
        assert_eq!(priority_of_u2("a", 1), 8);
        assert_eq!(priority_of_u2("zz", 3), 3);
    }

    #[test]
    fn a_task_record_not_named_after_its_task_stops_the_split() {
        let (_dir, pages) = split_with_renamed("tasks/u2.json", "tasks/record.json", 2);
        let misnamed = pages.iter().filter(|page| page.misnamed).count();
        assert_eq!(misnamed, 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_refused_entry_is_reported_by_one_shard() {
        let dir = both_layouts();
        let fifo = dir.path().join("tasks/pipe.json");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let opts = ScanOptions { skip_invalid: true, ..ScanOptions::default() };
        let skipped: usize = shard_pages(dir.path(), &query(), opts, 2).iter().map(|page| page.skipped.len()).sum();
        assert_eq!(skipped, 1);
    }

    #[test]
    fn derived_status_counts_the_queue() {
        let dir = both_layouts();
        let report =
            status(scan(&DataDir::new(dir.path()), ScanOptions::default(), &mut ParseCache::default())).unwrap();
        assert_eq!(report.source, StatusSource::Derived);
        assert_eq!((report.tasks_pending, report.tasks_running, report.tasks_failed), (2, 1, Some(1)));
        assert_eq!(report.running, None);
    }

    #[test]
    fn status_file_wins_and_reports_age() {
        let dir = both_layouts();
        write(
            dir.path(),
            "status.json",
            r#"{"running": true, "tasks_pending": 5, "tasks_running": 2, "last_check": "2025-10-08T11:59:30Z"}"#,
        );
        let report =
            status(scan(&DataDir::new(dir.path()), ScanOptions::default(), &mut ParseCache::default())).unwrap();
        assert_eq!(report.source, StatusSource::StatusFile);
        assert_eq!(report.tasks_pending, 5);
        assert_eq!(report.last_check_age.unwrap().as_secs(), 30);
    }

    #[test]
    fn malformed_file_fails_unless_skipped() {
        let dir = both_layouts();
        write(dir.path(), "tasks/c.json", "{\"id\": \"c\",\n\"status\": }");
        let err = listed(dir.path(), &query()).unwrap_err();
        assert_eq!(err.to_string(), "tasks/c.json:2:11: expected value");
        let opts = ScanOptions { skip_invalid: true, ..ScanOptions::default() };
        let page = tasks(scan(&DataDir::new(dir.path()), opts, &mut ParseCache::default()), &query()).unwrap();
        assert_eq!(page.total, 4);
        assert_eq!(page.skipped.len(), 1);
        assert_eq!(page.skipped[0].path, Path::new("tasks/c.json"));
    }

    #[test]
    fn a_listed_file_gone_before_it_is_read_is_no_task_and_no_error() {
        let dir = both_layouts();
        let data = DataDir::new(dir.path());
        let mut cache = ParseCache::default();
        // The listing, taken under epoch 2, names b.json; the scan under the
        // same epoch reuses it, and finds the file gone.
        let (listing, _) = cache.fixture_tasks.listing(&data, "tasks", Some(2), None).unwrap();
        assert_eq!(listing.len(), 2);
        fs::remove_file(dir.path().join("tasks/b.json")).unwrap();
        let page = tasks(scan(&data, ScanOptions { fs_epoch: Some(2), ..cached() }, &mut cache), &query()).unwrap();
        let ids: Vec<_> = page.tasks.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["u2", "a", "u1"]);
        assert!(page.skipped.is_empty());
    }

    #[test]
    fn a_watched_task_whose_file_is_skipped_keeps_its_last_state() {
        let dir = both_layouts();
        let data = DataDir::new(dir.path());
        let opts = ScanOptions { skip_invalid: true, ..ScanOptions::default() };
        let first = diff(scan(&data, opts, &mut ParseCache::default()), None, &query()).unwrap();
        write(dir.path(), "tasks/a.json", "{\"id\": \"a\", ");
        let second = diff(scan(&data, opts, &mut ParseCache::default()), Some(&first.snapshot), &query()).unwrap();
        assert_eq!(second.skipped.len(), 1);
        assert!(second.events.is_empty(), "{:?}", second.events);
        write(
            dir.path(),
            "tasks/a.json",
            r#"{"id": "a", "status": "pending", "priority": 2, "created_at": "2025-10-08T09:00:00Z"}"#,
        );
        let third = diff(scan(&data, opts, &mut ParseCache::default()), Some(&second.snapshot), &query()).unwrap();
        assert!(third.events.is_empty(), "{:?}", third.events);
    }

    #[test]
    fn empty_data_dir_has_no_tasks() {
        let dir = tempfile::tempdir().unwrap();
        let page = listed(dir.path(), &query()).unwrap();
        assert_eq!(page.total, 0);
        assert!(page.tasks.is_empty());
    }

    #[test]
    fn bad_arguments_fail_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "tasks/c.json", "not json");
        let err = tasks(
            scan(&DataDir::new(dir.path()), ScanOptions::default(), &mut ParseCache::default()),
            &TaskQuery { from: Some("soon".into()), ..query() },
        )
        .unwrap_err();
        assert!(matches!(err, Error::InvalidArgument { .. }));
    }
    fn cached() -> ScanOptions {
        ScanOptions { cache_now: Some(Timestamp::now()), ..ScanOptions::default() }
    }

    /// Adds task c, makes a running, and removes backend task u1.
    fn add_change_and_remove(root: &Path) {
        write(root, "tasks/c.json", r#"{"id": "c", "status": "pending", "priority": 9}"#);
        write(
            root,
            "tasks/a.json",
            r#"{"id": "a", "status": "running", "priority": 2, "created_at": "2025-10-08T09:00:00Z"}"#,
        );
        fs::remove_file(root.join("queue.rkvs/tasks/u1.json")).unwrap();
    }

    #[test]
    fn a_warm_cache_follows_added_changed_and_removed_files() {
        let dir = both_layouts();
        let data = DataDir::new(dir.path());
        let mut cache = ParseCache::default();
        let ids = |cache: &mut ParseCache| {
            let page = tasks(scan(&data, cached(), cache), &query()).unwrap();
            page.tasks.iter().map(|t| format!("{}:{}", t.id, t.status)).collect::<Vec<_>>()
        };
        assert_eq!(ids(&mut cache), ["u2:pending", "a:pending", "u1:failed", "b:running"]);
        add_change_and_remove(dir.path());
        assert_eq!(ids(&mut cache), ["c:pending", "u2:pending", "a:running", "b:running"]);
        // Three fixture tasks, one backend task and its queue entry.
        assert_eq!(cache.stats().entries, 5);
    }

    #[test]
    fn warm_shards_follow_changes_and_each_keeps_only_its_share() {
        let dir = both_layouts();
        let data = DataDir::new(dir.path());
        // An instance per shard, given the same shard every call.
        let mut caches = [ParseCache::default(), ParseCache::default()];
        let ids = |caches: &mut [ParseCache; 2], fs_epoch: Option<u64>| {
            let opts = ScanOptions { fs_epoch, ..cached() };
            let mut merged: Vec<(Vec<u8>, String)> = Vec::new();
            let pages = (0..).zip(caches.iter_mut()).map(|(index, cache)| {
                tasks_shard(scan(&data, opts, cache), &query(), Shard { index, count: 2 }).unwrap()
            });
            for (tasks, _) in resolved(pages.collect()) {
                merged.extend(tasks.iter().map(|t| (order_key(t), format!("{}:{}", t.id, t.status))));
            }
            merged.sort();
            merged.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
        };
        let before = ["u2:pending", "a:pending", "u1:failed", "b:running"];
        assert_eq!(ids(&mut caches, None), before);
        assert_eq!(ids(&mut caches, Some(1)), before);
        add_change_and_remove(dir.path());
        let after = ["c:pending", "u2:pending", "a:running", "b:running"];
        assert_eq!(ids(&mut caches, Some(2)), after);
        // Under an unchanged epoch, both listings and files are the cache's.
        let hits = caches.iter().map(|c| c.stats().unchecked).sum::<u64>();
        assert_eq!(ids(&mut caches, Some(2)), after);
        assert_eq!(caches.iter().map(|c| c.stats().unchecked).sum::<u64>(), hits + 5);
        // Three fixture tasks, one backend task and its queue entry, each
        // held by one shard only.
        assert_eq!(caches.iter().map(|c| c.stats().entries).sum::<u64>(), 5);
        assert!(caches.iter().all(|c| c.stats().entries > 0), "both shards hold files");
        // The same instances scanning as one shard (a host's fallback), then
        // split again: the first forgets the other shard's files.
        assert_eq!(
            resolved(vec![
                tasks_shard(scan(&data, cached(), &mut caches[0]), &query(), Shard { index: 0, count: 1 }).unwrap()
            ])[0]
                .0
                .len(),
            4
        );
        assert_eq!(caches[0].stats().entries, 5);
        assert_eq!(ids(&mut caches, None), after);
        assert_eq!(caches.iter().map(|c| c.stats().entries).sum::<u64>(), 5);
    }

    #[test]
    fn the_status_file_is_cached_and_revalidated() {
        let dir = both_layouts();
        let data = DataDir::new(dir.path());
        let mut cache = ParseCache::default();
        write(dir.path(), "status.json", r#"{"running": true, "tasks_pending": 5, "tasks_running": 2}"#);
        assert_eq!(status(scan(&data, cached(), &mut cache)).unwrap().tasks_pending, 5);
        write(dir.path(), "status.json", r#"{"running": true, "tasks_pending": 6, "tasks_running": 2}"#);
        assert_eq!(status(scan(&data, cached(), &mut cache)).unwrap().tasks_pending, 6);
        fs::remove_file(dir.path().join("status.json")).unwrap();
        let report = status(scan(&data, cached(), &mut cache)).unwrap();
        assert_eq!(report.source, StatusSource::Derived);
    }

    #[test]
    fn without_cache_now_the_cache_is_left_alone() {
        let dir = both_layouts();
        let mut cache = ParseCache::default();
        tasks(scan(&DataDir::new(dir.path()), ScanOptions::default(), &mut cache), &query()).unwrap();
        assert_eq!(cache.stats(), crate::queue::parse_cache::CacheStats::default());
    }

    #[test]
    fn stats_and_diff_refuse_paging() {
        let dir = both_layouts();
        let data = DataDir::new(dir.path());
        let paged = TaskQuery { limit: Some(1), ..query() };
        let err = stats(scan(&data, ScanOptions::default(), &mut ParseCache::default()), &paged).err().unwrap();
        assert_eq!(err.to_string(), "invalid --limit: stats covers every matching task; paging does not apply");
        let paged = TaskQuery { offset: 1, ..query() };
        let err = diff(scan(&data, ScanOptions::default(), &mut ParseCache::default()), None, &paged).err().unwrap();
        assert!(matches!(err, Error::InvalidArgument { ref name, .. } if name == "offset"));
    }

    #[test]
    fn stats_cover_the_selected_tasks() {
        let dir = both_layouts();
        let pending = TaskQuery { statuses: vec!["pending".into()], ..query() };
        let report =
            stats(scan(&DataDir::new(dir.path()), ScanOptions::default(), &mut ParseCache::default()), &pending)
                .unwrap();
        assert_eq!(report.total, 2);
        assert_eq!(report.oldest_pending.unwrap().id, "u2");
    }

    /// Tasks of every kind the figures count, in both layouts, and two bad files.
    fn varied_queue() -> tempfile::TempDir {
        let dir = both_layouts();
        let statuses = ["pending", "running", "completed", "failed", "paused"];
        for i in 0..60 {
            let status = statuses[i % statuses.len()];
            let created = format!("2025-10-0{}T0{}:00:00Z", 1 + i % 7, i % 10);
            let ran = if i % 3 == 0 {
                format!(
                    r#", "started_at": "2025-10-08T10:00:00Z", "completed_at": "2025-10-08T10:{:02}:{:02}Z""#,
                    i % 60,
                    i % 7
                )
            } else if i % 11 == 0 {
                r#", "started_at": "2025-10-08T10:00:00Z", "completed_at": "2025-10-08T09:00:00Z""#.to_string()
            } else {
                String::new()
            };
            let workflow = if i % 4 == 0 { String::new() } else { format!(r#", "workflow": "w{}""#, i % 4) };
            let record = format!(r#"{{"id": "t{i}", "status": "{status}", "created_at": "{created}"{ran}{workflow}"#);
            if i % 2 == 0 {
                write(dir.path(), &format!("tasks/t{i}.json"), &format!(r#"{record}, "priority": {}}}"#, i % 5));
            } else {
                write(dir.path(), &format!("queue.rkvs/tasks/t{i}.json"), &format!("{record}}}"));
                let entry = format!(r#"{{"task_id": "t{i}", "priority": {}}}"#, i % 3);
                write(dir.path(), &format!("queue.rkvs/queue/t{i}.json"), &entry);
            }
        }
        write(dir.path(), "tasks/bad.json", "{");
        write(dir.path(), "queue.rkvs/tasks/worse.json", "[]");
        dir
    }

    #[test]
    fn stats_over_shards_merge_to_the_figures_over_the_whole_queue() {
        let dir = varied_queue();
        let data = DataDir::new(dir.path());
        let opts = ScanOptions { skip_invalid: true, ..ScanOptions::default() };
        for query in [query(), TaskQuery { statuses: vec!["completed,failed".into()], ..query() }] {
            let whole = stats(scan(&data, opts, &mut ParseCache::default()), &query).unwrap();
            assert!(whole.total > 20 && whole.run_times.is_some());
            for count in 1..=4 {
                let parts: Vec<StatsPart> = (0..count)
                    .map(|index| {
                        let part =
                            stats_part(scan(&data, opts, &mut ParseCache::default()), &query, Shard { index, count })
                                .unwrap();
                        // Through the encoded form, as between instances.
                        StatsPart { tally: Tally::decode(&part.tally.encode()).unwrap(), ..part }
                    })
                    .collect();
                let merged = merge_stats(&query, now(), parts).unwrap();
                assert_eq!(merged, whole, "{count} shards");
                let paths = |r: &TaskStats| r.skipped.iter().map(|e| e.path.display().to_string()).collect::<Vec<_>>();
                assert_eq!(paths(&merged), ["queue.rkvs/tasks/worse.json", "tasks/bad.json"]);
                assert_eq!(paths(&merged), paths(&whole), "{count} shards");
            }
        }
    }

    #[test]
    fn a_misnamed_part_is_not_merged() {
        let dir = both_layouts();
        fs::rename(dir.path().join("queue.rkvs/queue/u2.json"), dir.path().join("queue.rkvs/queue/entry-7.json"))
            .unwrap();
        let data = DataDir::new(dir.path());
        let parts: Vec<StatsPart> = (0..3)
            .map(|index| {
                stats_part(
                    scan(&data, ScanOptions::default(), &mut ParseCache::default()),
                    &query(),
                    Shard { index, count: 3 },
                )
                .unwrap()
            })
            .collect();
        assert_eq!(parts.iter().filter(|p| p.misnamed).count(), 1);
        let err = merge_stats(&query(), now(), parts).err().unwrap();
        assert!(err.to_string().contains("misnamed"), "{err}");
        // Unsharded, the entry still counts: u2 has priority 8.
        let whole = stats(scan(&data, ScanOptions::default(), &mut ParseCache::default()), &query()).unwrap();
        assert_eq!((whole.by_priority[0].priority, whole.by_priority[0].count), (8, 1));
    }

    #[test]
    fn diff_reports_changes_since_the_snapshot() {
        let dir = both_layouts();
        let data = DataDir::new(dir.path());
        let first = diff(scan(&data, ScanOptions::default(), &mut ParseCache::default()), None, &query()).unwrap();
        assert!(first.events.is_empty());
        assert_eq!(first.snapshot.len(), 4);
        write(
            dir.path(),
            "tasks/b.json",
            r#"{"id": "b", "status": "completed", "created_at": "2025-10-08T08:00:00Z"}"#,
        );
        let second =
            diff(scan(&data, ScanOptions::default(), &mut ParseCache::default()), Some(&first.snapshot), &query())
                .unwrap();
        assert_eq!(second.events.len(), 1);
        assert_eq!(second.events[0].task_id, "b");
    }
}
