//! `tasks` and `stats` over one instance per core. The queue is a
//! directory of files, so it splits cleanly: each instance scans its share
//! of the files (chosen by the component). For `tasks` it keeps what it
//! selected; the host pulls chunks from every shard and merges them by the
//! component's opaque order keys, so the host never decides the order and
//! never holds a whole large page. For `stats` each instance tallies its
//! share, and one of them merges the tallies, which the host only carries.
//! A task's pending state comes from the dependency graph, which spans
//! the shards: so each shard hands over its tasks' ids, statuses and
//! dependencies, one instance builds the graph of them all and hands back
//! each shard's states, and each shard's cursor takes its own (`resolve`)
//! before its tasks are pulled. `show` and
//! `workflows` likewise gather every shard's slim tasks ("parts") in one
//! instance, which merges them ([`crate::part_calls`]). A shard that finds the split unsound (a file not
//! named after its task) says so, and the scan is done again as one shard.

use std::collections::VecDeque;
use std::path::Path;

use jiff::Timestamp;
use wasmtime::Store;
use wasmtime::component::ResourceAny;

use crate::bindings::Orchestrator;
use crate::bindings::exports::provisioning::orchestrator::queue as wit;
use crate::bindings::exports::provisioning::orchestrator::types as wit_types;
use crate::engine::Limited;
use crate::error::Error;
use crate::slot::Slot;
use crate::wasi::HostState;
use crate::{convert, model};

/// Above this many cores, more instances only add instantiation and merge work.
const MAX_SHARDS: usize = 4;

/// Tasks lowered per call: big enough that the calls cost nothing next to
/// the scan, small enough that a chunk is a small fraction of a large page.
const CHUNK: u32 = 1024;

/// How many instances a scan uses on this machine.
pub(crate) fn shard_count() -> u32 {
    std::thread::available_parallelism().map_or(1, |n| n.get()).min(MAX_SHARDS) as u32
}

/// What a queue call runs with, whichever host asked: the engine under the
/// call's limits, the instances its shards run in (fresh ones, or a
/// session's warm ones), its "now" and its scan options.
pub(crate) struct QueueCall<'r> {
    pub limited: Limited<'r>,
    pub slots: Vec<Slot<'r>>,
    pub now: Timestamp,
    pub scan: wit::ScanOptions,
}

/// The tasks a query selects, in queue order, pulled from the shards as
/// they are consumed. `total` and `skipped` are known once the scan is done,
/// before the first task.
pub struct TaskStream<'r> {
    pub total: u64,
    pub skipped: Vec<model::FileError>,
    shards: Vec<OpenShard<'r>>,
    /// Merged tasks still to drop before the page starts.
    skip: usize,
    /// Tasks still to hand out.
    remaining: usize,
}

/// One shard's instance, kept alive while its tasks are pulled.
struct OpenShard<'r> {
    slot: Slot<'r>,
    limited: Limited<'r>,
    /// What the instance selected; dropped in it once done with, as a kept
    /// instance outlives the stream.
    cursor: Option<ResourceAny>,
    pending: VecDeque<(Vec<u8>, wit::Task)>,
    exhausted: bool,
}

impl<'r> OpenShard<'r> {
    /// The shard's cursor, which only the instance that made it knows.
    fn cursor(&self) -> Result<ResourceAny, Error> {
        self.cursor.ok_or_else(|| Error::Setup("a shard lost its instance".into()))
    }

    /// Makes sure a task is waiting, unless the shard has none left. Each
    /// chunk is a call of its own: a slow reader of the output must not run
    /// the scan's deadline out.
    fn fill(&mut self) -> Result<(), Error> {
        if !self.pending.is_empty() || self.exhausted {
            return Ok(());
        }
        let cursor = self.cursor()?;
        let chunk = self.slot.call_started(self.limited, |instance, store| {
            instance.provisioning_orchestrator_queue().shard_cursor().call_next(store, cursor, CHUNK)
        })?;
        self.exhausted = chunk.tasks.is_empty();
        self.pending.extend(chunk.order_keys.into_iter().zip(chunk.tasks));
        Ok(())
    }

    /// Every shard's tasks' states, from the graph of them all, built in
    /// this shard's instance.
    fn resolve_states(&mut self, dir: &Path, graphs: &[Vec<u8>]) -> Result<Vec<Vec<u8>>, Error> {
        self.slot
            .call_started(self.limited, |instance, store| {
                instance.provisioning_orchestrator_queue().call_resolve_states(store, graphs)
            })?
            .map_err(|e| Error::from(convert::guest_error(e, dir)))
    }

    /// Gives the shard's cursor its tasks' states; how many of its tasks
    /// matched, before paging.
    fn resolve(&mut self, dir: &Path, states: Vec<u8>) -> Result<u64, Error> {
        let cursor = self.cursor()?;
        self.slot
            .call_started(self.limited, |instance, store| {
                instance.provisioning_orchestrator_queue().shard_cursor().call_resolve(store, cursor, &states)
            })?
            .map_err(|e| Error::from(convert::guest_error(e, dir)))
    }

    /// The slot, its instance rid of this call's cursor, to scan again.
    fn into_slot(mut self) -> Slot<'r> {
        self.drop_cursor();
        std::mem::replace(&mut self.slot, Slot::Own(None))
    }

    fn drop_cursor(&mut self) {
        if let Some(cursor) = self.cursor.take() {
            self.slot.drop_resource(self.limited, cursor);
        }
    }
}

impl Drop for OpenShard<'_> {
    fn drop(&mut self) {
        // An instance of the call's own goes, and the cursor with it.
        if matches!(self.slot, Slot::Kept(_)) {
            self.drop_cursor();
        }
    }
}

/// Scans `dir` with a shard per slot, in parallel, or with one in this thread.
pub(crate) fn open<'r>(call: QueueCall<'r>, dir: &Path, query: &model::TaskQuery) -> Result<TaskStream<'r>, Error> {
    let QueueCall { limited, slots, now, scan } = call;
    // The page [offset, offset + limit) of the whole queue lies within the
    // first offset + limit tasks of every shard.
    let shard_query =
        model::TaskQuery { offset: 0, limit: query.limit.map(|l| l.saturating_add(query.offset)), ..query.clone() };
    let shard_query = convert::task_query(&shard_query, now);
    let open_one =
        |index: u32, count: u32, slot: Slot<'r>| open_shard(limited, dir, &shard_query, scan, index, count, slot);
    let mut opened = each_shard(slots, open_one)?;
    if opened.iter().any(|(summary, _)| summary.misnamed) {
        let first = opened.into_iter().next().map(|(_, shard)| shard.into_slot()).expect("one shard at least");
        opened = vec![open_one(0, 1, first)?];
    }
    let mut skipped: Vec<model::FileError> = Vec::new();
    let mut graphs = Vec::with_capacity(opened.len());
    let mut shards = Vec::with_capacity(opened.len());
    for (summary, shard) in opened {
        skipped.extend(summary.skipped.into_iter().map(|e| convert::file_error(e, dir)));
        graphs.push(summary.graph);
        shards.push(shard);
    }
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    let states = shards[0].resolve_states(dir, &graphs)?;
    drop(graphs);
    if states.len() != shards.len() {
        return Err(Error::Setup("the component gave states for another number of shards".into()));
    }
    let mut resolving: Vec<(&mut OpenShard<'r>, Vec<u8>)> = shards.iter_mut().zip(states).collect();
    let resolve = |_: u32, _: u32, (shard, states): &mut (&mut OpenShard<'r>, Vec<u8>)| {
        shard.resolve(dir, std::mem::take(states))
    };
    let total = in_parallel(&mut resolving, resolve)?.into_iter().sum();
    Ok(TaskStream {
        total,
        skipped,
        shards,
        skip: usize::try_from(query.offset).unwrap_or(usize::MAX),
        remaining: query.limit.map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX)),
    })
}

/// `f(index, count, slot)` for every shard, in parallel, or in this thread for one.
pub(crate) fn each_shard<'r, T: Send>(
    slots: Vec<Slot<'r>>,
    f: impl Fn(u32, u32, Slot<'r>) -> Result<T, Error> + Sync,
) -> Result<Vec<T>, Error> {
    let mut slots: Vec<Option<Slot<'r>>> = slots.into_iter().map(Some).collect();
    if slots.is_empty() {
        slots.push(Some(Slot::Own(None)));
    }
    in_parallel(&mut slots, |index, count, slot| f(index, count, slot.take().unwrap_or(Slot::Own(None))))
}

/// `f(index, count, item)` for every item, each in a thread of its own,
/// or in this thread for one.
fn in_parallel<T: Send, R: Send>(
    items: &mut [T],
    f: impl Fn(u32, u32, &mut T) -> Result<R, Error> + Sync,
) -> Result<Vec<R>, Error> {
    let count = u32::try_from(items.len()).unwrap_or(u32::MAX);
    if count <= 1 {
        return items.iter_mut().map(|item| f(0, 1, item)).collect();
    }
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> =
            (0..).zip(items.iter_mut()).map(|(index, item)| scope.spawn(move || f(index, count, item))).collect();
        // The lowest shard's error, so that a run reports the same one every time.
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(Error::Setup("a scan thread panicked".into()))))
            .collect()
    })
}

/// A guest call's result: a trap, or the component's own refusal.
pub(crate) type GuestCall<T> = wasmtime::Result<Result<T, wit_types::Error>>;

/// Scans every shard in parallel with `scan_one(index, count)`, again as
/// one shard if any part is `misnamed`, and merges the parts with `merge`
/// in the first shard's instance (any instance could; the others go as
/// soon as their parts are out).
fn scan_then_merge<'r, P: Send, R>(
    limited: Limited<'_>,
    dir: &Path,
    slots: Vec<Slot<'r>>,
    scan_one: impl Fn(&Orchestrator, &mut Store<HostState>, wit::Shard) -> GuestCall<P> + Sync,
    misnamed: fn(&P) -> bool,
    merge: impl FnOnce(&Orchestrator, &mut Store<HostState>, &[P]) -> GuestCall<R>,
) -> Result<R, Error> {
    let guest_error = |e| Error::from(convert::guest_error(e, dir));
    let part = |index: u32, count: u32, mut slot: Slot<'r>| {
        let part = slot.call(limited, dir, |instance, store| scan_one(instance, store, wit::Shard { index, count }));
        Ok((slot, part?.map_err(guest_error)?))
    };
    let mut scanned = each_shard(slots, part)?;
    if scanned.iter().any(|(_, part)| misnamed(part)) {
        let first = scanned.into_iter().next().map(|(slot, _)| slot).expect("one shard at least");
        scanned = vec![part(0, 1, first)?];
    }
    let mut scanned = scanned.into_iter();
    let (mut slot, first) = scanned.next().ok_or_else(|| Error::Setup("no shard was scanned".into()))?;
    let parts: Vec<P> = std::iter::once(first).chain(scanned.map(|(_, part)| part)).collect();
    slot.call(limited, dir, |instance, store| merge(instance, store, &parts))?.map_err(guest_error)
}

/// `stats` over `count` shards in parallel: each instance tallies its
/// share, and one of them merges the tallies; see [`scan_then_merge`].
pub(crate) fn stats(call: QueueCall<'_>, dir: &Path, query: &model::TaskQuery) -> Result<model::TaskStats, Error> {
    let QueueCall { limited, slots, now, scan } = call;
    let query = convert::task_query(query, now);
    let scan_one = |instance: &Orchestrator, store: &mut Store<HostState>, shard| {
        instance.provisioning_orchestrator_queue().call_stats_shard(store, &query, scan, shard)
    };
    let merge = |instance: &Orchestrator, store: &mut Store<HostState>, parts: &[wit::StatsPart]| {
        instance.provisioning_orchestrator_queue().call_merge_stats(store, &query, parts)
    };
    scan_then_merge(limited, dir, slots, scan_one, |part: &wit::StatsPart| part.misnamed, merge)
        .map(|s| convert::task_stats(s, dir))
}

fn open_shard<'r>(
    limited: Limited<'r>,
    dir: &Path,
    query: &wit::TaskQuery,
    scan: wit::ScanOptions,
    index: u32,
    count: u32,
    mut slot: Slot<'r>,
) -> Result<(wit::ShardSummary, OpenShard<'r>), Error> {
    let (summary, cursor) = slot
        .call(limited, dir, |instance, store| {
            instance.provisioning_orchestrator_queue().call_open_shard(store, query, scan, wit::Shard { index, count })
        })?
        .map_err(|e| Error::from(convert::guest_error(e, dir)))?;
    let shard = OpenShard { slot, limited, cursor: Some(cursor), pending: VecDeque::new(), exhausted: false };
    Ok((summary, shard))
}

impl TaskStream<'_> {
    /// Every task of the page, pulled now.
    pub fn into_page(mut self) -> Result<model::TaskPage, Error> {
        let tasks = self.by_ref().collect::<Result<Vec<_>, _>>()?;
        Ok(model::TaskPage { tasks, total: self.total, skipped: std::mem::take(&mut self.skipped) })
    }
}

impl Iterator for TaskStream<'_> {
    type Item = Result<model::Task, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        while self.remaining > 0 {
            for shard in &mut self.shards {
                if let Err(e) = shard.fill() {
                    self.remaining = 0;
                    return Some(Err(e));
                }
            }
            // The first shard wins a tie, as a stable sort of the shards in order would have it.
            let next = self
                .shards
                .iter()
                .enumerate()
                .filter_map(|(index, shard)| shard.pending.front().map(|(key, _)| (index, key)))
                .min_by(|a, b| a.1.cmp(b.1))
                .map(|(index, _)| index)?;
            let (_, task) = self.shards[next].pending.pop_front()?;
            if self.skip > 0 {
                self.skip -= 1;
                continue;
            }
            self.remaining -= 1;
            return Some(Ok(convert::task(task)));
        }
        None
    }
}
