//! Reading both task layouts: every task file, its queue entry's priority,
//! through the parse cache where the call allows it, handed to a sink as it
//! is parsed; and one task's queue entry whole, for the tasks shown whole.
//! Files are read as [`crate::queue::live_read`] reads them; one listed but
//! gone when it is opened was deleted or renamed away by the orchestrator,
//! and is neither a task nor an error.
//!
//! A sink that keeps a few fields of each task (a part's slim tasks) takes
//! the task lent from its file's bytes, when no cache is in play: making
//! each task whole, a dozen strings and lists only to drop, took about 4 %
//! of the scan of 100,000 tasks.

use std::collections::HashMap;
use std::sync::Arc;

use super::json_listing::JsonListing;
use super::live_read::LiveReader;
use super::parse_cache::{FileCache, Listing, ParseCache};
use super::scan::{ScanOptions, Shard};
use super::task_file::{LentTask, QueueEntry, parse_queue_entry, parse_task};
use crate::error::{Error, FileError, FileErrorKind};
use crate::fs::DataDir;
use crate::model::{self, Task};

pub use crate::model::layout::{BACKEND_QUEUE, BACKEND_TASKS, FIXTURE_TASKS, STATUS_FILE};

/// Every task in both layouts, in file-name order, plus the files skipped
/// under `skip_invalid`.
pub struct Loaded {
    pub tasks: Vec<Task>,
    pub skipped: Vec<FileError>,
}

/// Reads both layouts; through `cache` when `opts.cache_now` allows it.
pub fn load_tasks(dir: &DataDir, opts: ScanOptions, cache: &mut ParseCache) -> Result<Loaded, Error> {
    let mut tasks = Vec::new();
    let scanned = for_each_task(dir, opts, None, cache, &mut tasks)?;
    Ok(Loaded { tasks, skipped: scanned.skipped })
}

/// What a scan reports besides the tasks themselves.
pub struct Scanned {
    /// The files skipped under `skip_invalid`.
    pub skipped: Vec<FileError>,
    /// A queue entry or a backend task record was not named after its task
    /// (`<id>.json`). A shard holds a task and its queue entry together only
    /// because both are named so; without that, a shard's priorities are
    /// incomplete and the scan must be repeated unsharded.
    pub misnamed: bool,
}

/// Where a scan hands the tasks it reads.
pub trait TaskSink {
    /// Whether the sink keeps only some of a task's fields, and takes them
    /// from a task lent from its file's bytes ([`TaskRead::Lent`]) without
    /// allocating. A sink that keeps tasks whole gets them parsed whole.
    const LENT: bool = false;

    /// At most `n` more tasks are on their way (a listing's length): room
    /// made once costs less than room grown into, which copies and, in a
    /// component's memory that never shrinks, keeps both copies' pages.
    fn expect(&mut self, n: usize);
    fn push(&mut self, task: Task);
    /// A task as it was read: whole, or lent where the sink takes it so
    /// (see [`TaskSink::LENT`]). By default it is made whole and pushed.
    fn take(&mut self, task: TaskRead<'_>) {
        self.push(task.into_task());
    }
}

/// A task file's task, as a scan hands it to its sink.
pub enum TaskRead<'b> {
    /// Parsed whole, or from the parse cache, which keeps tasks whole.
    Whole(Task),
    /// Lent from the bytes just read, to a [`TaskSink::LENT`] sink when no
    /// cache is in play.
    Lent(LentTask<'b>),
}

impl TaskRead<'_> {
    pub fn id(&self) -> &str {
        match self {
            TaskRead::Whole(task) => &task.id,
            TaskRead::Lent(raw) => raw.id.as_str(),
        }
    }

    fn set_priority(&mut self, priority: i64) {
        match self {
            TaskRead::Whole(task) => task.priority = priority,
            TaskRead::Lent(raw) => raw.priority = Some(priority),
        }
    }

    pub fn into_task(self) -> Task {
        match self {
            TaskRead::Whole(task) => task,
            TaskRead::Lent(raw) => raw.into_task(),
        }
    }
}

impl TaskSink for Vec<Task> {
    fn expect(&mut self, n: usize) {
        self.reserve(n);
    }
    fn push(&mut self, task: Task) {
        Vec::push(self, task);
    }
}

/// Hands every task of both layouts to `sink` as it is parsed, so that a
/// caller keeping only some (a filter, a top-k) never holds them all.
pub fn for_each_task<S: TaskSink>(
    dir: &DataDir,
    opts: ScanOptions,
    shard: Option<Shard>,
    cache: &mut ParseCache,
    sink: &mut S,
) -> Result<Scanned, Error> {
    let mut skipped = Vec::new();
    let mut misnamed = false;
    let mut files = Files { dir, opts, shard, skipped: &mut skipped, live: LiveReader::new(&opts) };
    let (entries, reused) = files.list(BACKEND_QUEUE, &mut cache.queue_entries)?;
    let mut priorities = Priorities::new(&entries);
    files.each(
        &entries,
        reused,
        &mut cache.queue_entries,
        parse_queue_entry,
        |position, path, QueueEntry { task_id, priority, .. }| {
            let named = named_after(path, &task_id);
            misnamed |= !named;
            priorities.insert(position, named, task_id, priority);
        },
    )?;
    // A shard's result is void once this is known (the caller scans again
    // without shards): stop before reading the task files.
    if misnamed && shard.is_some() {
        return Ok(Scanned { skipped, misnamed });
    }
    let (fixture, fixture_reused) = files.list(FIXTURE_TASKS, &mut cache.fixture_tasks)?;
    sink.expect(fixture.len());
    let lent = S::LENT && opts.cache_now.is_none();
    files.each_task(&fixture, fixture_reused, &mut cache.fixture_tasks, lent, |_, task| sink.take(task))?;
    drop(fixture);
    let (backend, backend_reused) = files.list(BACKEND_TASKS, &mut cache.backend_tasks)?;
    sink.expect(backend.len());
    files.each_task(&backend, backend_reused, &mut cache.backend_tasks, lent, |path, mut task| {
        misnamed |= !named_after(path, task.id());
        if let Some(priority) = priorities.get(task.id()) {
            task.set_priority(priority);
        }
        sink.take(task);
    })?;
    Ok(Scanned { skipped, misnamed })
}

/// The backend's queue entry for a task of its layout, named after the
/// task as the orchestrator names them.
pub fn queue_entry(dir: &DataDir, opts: ScanOptions, task: &Task) -> Result<Option<model::QueueEntry>, FileError> {
    let path = format!("{BACKEND_QUEUE}/{}.json", task.id);
    let own = format!("{BACKEND_TASKS}/{}.json", task.id);
    if task.id.contains('/') || dir.stamp(&own).is_err() {
        return Ok(None);
    }
    let read = LiveReader::new(&opts).read(dir, &path, None, parse_queue_entry);
    match read.parsed {
        Ok(entry) => Ok(Some(model::QueueEntry { priority: entry.priority, enqueued_at: entry.enqueued_at })),
        Err(e) if e.kind == FileErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Queue entries' priorities by task id. An entry named after its task (as
/// the orchestrator writes them) is found by its place in the listing, so
/// that 100,000 entries cost a number each rather than a map of ids.
struct Priorities<'l> {
    listing: &'l JsonListing,
    /// By position in the listing: the priority of an entry named after its task.
    named: Vec<Option<i64>>,
    /// Entries named otherwise: their position, and priority, by task id.
    misnamed: HashMap<String, (usize, i64)>,
}

impl<'l> Priorities<'l> {
    fn new(listing: &'l JsonListing) -> Self {
        Priorities { listing, named: vec![None; listing.len()], misnamed: HashMap::new() }
    }

    /// `named`: the entry's file is named after `task_id`.
    fn insert(&mut self, position: usize, named: bool, task_id: String, priority: i64) {
        match self.named.get_mut(position) {
            Some(slot) if named => *slot = Some(priority),
            _ => {
                self.misnamed.insert(task_id, (position, priority));
            }
        }
    }

    /// When several entries name one task, the last in listing order wins.
    fn get(&self, task_id: &str) -> Option<i64> {
        let named = self.listing.position(task_id).and_then(|at| Some((at, self.named.get(at).copied().flatten()?)));
        named.into_iter().chain(self.misnamed.get(task_id).copied()).max_by_key(|&(at, _)| at).map(|(_, p)| p)
    }
}

fn named_after(path: &str, id: &str) -> bool {
    path.rsplit('/').next().and_then(|name| name.strip_suffix(".json")) == Some(id)
}

/// One call's way of reading the directories of the queue.
struct Files<'a> {
    dir: &'a DataDir,
    opts: ScanOptions,
    /// Only this shard's files are read.
    shard: Option<Shard>,
    skipped: &'a mut Vec<FileError>,
    live: LiveReader,
}

impl Files<'_> {
    /// The JSON files of `rel_dir` this call reads, in name order; `true`
    /// when the listing is the cache's, reused under the host's epoch.
    fn list<T: Clone>(&self, rel_dir: &str, cache: &mut FileCache<T>) -> Result<(Listing, bool), Error> {
        // A listing's refusals (a FIFO, say) belong to a shard like files do,
        // or every shard would report them.
        Ok(match self.opts.cache_now {
            Some(_) => cache.listing(self.dir, rel_dir, self.opts.fs_epoch, self.shard)?,
            None => (Arc::new(JsonListing::read(self.dir, rel_dir, self.shard)?), false),
        })
    }

    /// Reads and parses every file of `listing`, handing `keep` its
    /// position in the listing, its path and what it parsed to.
    fn each<T: Clone>(
        &mut self,
        listing: &JsonListing,
        reused: bool,
        cache: &mut FileCache<T>,
        parse: fn(&str, &[u8]) -> Result<T, FileError>,
        mut keep: impl FnMut(usize, &str, T),
    ) -> Result<(), Error> {
        let opts = self.opts;
        self.visit(listing, reused, cache, |cache, live, dir, position, path| {
            let item = match opts.cache_now {
                Some(now) => cache.get(dir, path, now, opts.fs_epoch, |stamp| live.read(dir, path, Some(stamp), parse)),
                None => live.read(dir, path, None, parse).parsed,
            }?;
            keep(position, path, item);
            Ok(())
        })
    }

    /// Reads every task file of `listing`, handing `keep` its path and its
    /// task: `lent` from the bytes read, else whole (through the cache when
    /// the call allows it).
    fn each_task(
        &mut self,
        listing: &JsonListing,
        reused: bool,
        cache: &mut FileCache<Task>,
        lent: bool,
        mut keep: impl FnMut(&str, TaskRead<'_>),
    ) -> Result<(), Error> {
        if !lent {
            return self.each(listing, reused, cache, parse_task, |_, path, task| keep(path, TaskRead::Whole(task)));
        }
        self.visit(listing, reused, cache, |_, live, dir, _, path| {
            // Without a stamp, a read that parses is the last: `keep` takes each task once.
            let parse =
                |path: &str, bytes: &[u8]| LentTask::parse(path, bytes).map(|raw| keep(path, TaskRead::Lent(raw)));
            live.read(dir, path, None, parse).parsed
        })
    }

    /// Calls `read` on every file of `listing`, and settles what it
    /// returns: a file gone is no error, and under `skip_invalid` a bad
    /// one is skipped.
    fn visit<T: Clone>(
        &mut self,
        listing: &JsonListing,
        reused: bool,
        cache: &mut FileCache<T>,
        mut read: impl FnMut(&mut FileCache<T>, &mut LiveReader, &DataDir, usize, &str) -> Result<(), FileError>,
    ) -> Result<(), Error> {
        for (position, file) in listing.files(self.dir).enumerate() {
            let path = match file {
                Ok(path) => path,
                Err(e) if self.opts.skip_invalid && skippable(&e) => {
                    self.skipped.push(e);
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            match read(cache, &mut self.live, self.dir, position, &path) {
                Ok(()) => {}
                Err(e) if e.kind == FileErrorKind::NotFound => {}
                Err(e) if self.opts.skip_invalid && skippable(&e) => self.skipped.push(e),
                Err(e) => return Err(e.into()),
            }
        }
        // The listing is whole (for a shard, the whole of its share): what
        // it did not name is gone, or another shard's.
        if self.opts.cache_now.is_some() && !reused {
            cache.forget_unvisited();
        }
        Ok(())
    }
}

/// `--skip-invalid` skips bad files, not a broken sandbox: a refused path
/// still fails the call.
fn skippable(e: &FileError) -> bool {
    !matches!(e.kind, FileErrorKind::Denied)
}
