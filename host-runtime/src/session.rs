//! Warm instances for one data directory, for long-lived hosts: the
//! component's parse cache lives in the instance's memory, so repeated
//! queries over unchanged files stat them instead of re-reading and
//! re-parsing them.
//!
//! `tasks` and `stats` scan with one instance per core, as the CLI does,
//! and the session keeps each: shard `i` always runs in instance `i`, whose
//! cache then holds that share of the files. The other calls use the first.
//!
//! A trap poisons its store, so after one the instances are dropped and the
//! next call starts fresh ones, with empty caches.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;

use crate::bindings::exports::provisioning::orchestrator::queue as wit;
use crate::change_epoch::ChangeEpoch;
use crate::diff::{self, Snapshot, TaskDiff};
use crate::error::Error;
use crate::runtime::Runtime;
use crate::sharded::{self, QueueCall};
use crate::slot::{Instance, Slot};
use crate::{convert, model, part_calls, status};

pub struct Session {
    runtime: Arc<Runtime>,
    dir: PathBuf,
    cache: bool,
    /// One slot per shard, each started on first use.
    warm: Vec<Option<Instance>>,
    /// Armed before the first cached call, so the component can skip even
    /// the stats while nothing changes.
    changes: Option<ChangeEpoch>,
}

impl Session {
    /// A session on `dir`; the instances start on the first calls.
    pub fn new(runtime: Arc<Runtime>, dir: impl Into<PathBuf>) -> Session {
        Session::with_shards(runtime, dir, sharded::shard_count())
    }

    /// A session that scans with `shards` instances (at least one).
    pub fn with_shards(runtime: Arc<Runtime>, dir: impl Into<PathBuf>, shards: u32) -> Session {
        let warm = (0..shards.max(1)).map(|_| None).collect();
        Session { runtime, dir: dir.into(), cache: true, warm, changes: None }
    }

    /// Whether calls reuse what earlier calls parsed (the default). Off,
    /// every call reads every file, as `--no-cache` asks.
    pub fn with_cache(mut self, cache: bool) -> Session {
        self.cache = cache;
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn runtime(&self) -> &Arc<Runtime> {
        &self.runtime
    }

    /// Whether an instance is running (false before the first call and after a trap).
    pub fn is_warm(&self) -> bool {
        self.warm.iter().any(Option::is_some)
    }

    pub fn status(&mut self, now: Timestamp, read: model::ReadOptions) -> Result<model::StatusReport, Error> {
        let scan = self.scan(read);
        let status = status::status(self.runtime.limited(), Slot::Kept(&mut self.warm[0]), &self.dir, now, scan);
        self.drop_on_trap(status)
    }

    /// One task, named by its id or a unique prefix of it, with its place
    /// in the queue.
    pub fn show(&mut self, id: &str, now: Timestamp, read: model::ReadOptions) -> Result<model::TaskDetail, Error> {
        self.queued(now, read, |call, dir| part_calls::show(call, dir, id))
    }

    /// One row per workflow that `query` keeps.
    pub fn workflows(
        &mut self,
        query: &model::WorkflowQuery,
        now: Timestamp,
        read: model::ReadOptions,
    ) -> Result<model::WorkflowList, Error> {
        self.queued(now, read, |call, dir| part_calls::workflows(call, dir, query))
    }

    /// One workflow, named as its row is, with its tasks in dependency order.
    pub fn workflow(
        &mut self,
        name: &str,
        now: Timestamp,
        read: model::ReadOptions,
    ) -> Result<model::WorkflowDetail, Error> {
        self.queued(now, read, |call, dir| part_calls::workflow(call, dir, name))
    }

    pub fn tasks(
        &mut self,
        query: &model::TaskQuery,
        now: Timestamp,
        read: model::ReadOptions,
    ) -> Result<model::TaskPage, Error> {
        self.queued(now, read, |call, dir| sharded::open(call, dir, query)?.into_page())
    }

    pub fn stats(
        &mut self,
        query: &model::TaskQuery,
        now: Timestamp,
        read: model::ReadOptions,
    ) -> Result<model::TaskStats, Error> {
        self.queued(now, read, |call, dir| sharded::stats(call, dir, query))
    }

    /// Runs `run` as a queue call in the warm instances, one per shard, on
    /// the session's directory.
    fn queued<R>(
        &mut self,
        now: Timestamp,
        read: model::ReadOptions,
        run: impl FnOnce(QueueCall<'_>, &Path) -> Result<R, Error>,
    ) -> Result<R, Error> {
        let scan = self.scan(read);
        let slots = self.warm.iter_mut().map(Slot::Kept).collect();
        let result = run(QueueCall { limited: self.runtime.limited(), slots, now, scan }, &self.dir);
        self.drop_on_trap(result)
    }

    /// A trap in any shard poisoned that instance's store; the others are
    /// dropped too, so that the session starts over whole.
    fn drop_on_trap<R>(&mut self, result: Result<R, Error>) -> Result<R, Error> {
        if let Err(Error::Trap { .. }) = &result {
            self.warm.iter_mut().for_each(|slot| *slot = None);
        }
        result
    }

    /// The changes to the tasks `query` selects since `previous`; with no
    /// previous snapshot, only a first one. `now` stamps the events.
    pub fn diff(
        &mut self,
        previous: Option<&Snapshot>,
        query: &model::TaskQuery,
        now: Timestamp,
        read: model::ReadOptions,
    ) -> Result<TaskDiff, Error> {
        let scan = self.scan(read);
        let slot = Slot::Kept(&mut self.warm[0]);
        let diff = diff::diff(self.runtime.limited(), slot, &self.dir, previous, query, now, scan);
        self.drop_on_trap(diff)
    }

    /// The component's cache counters, summed over the running instances,
    /// for benchmarks and tests.
    pub fn cache_stats(&mut self) -> Result<model::CacheStats, Error> {
        let limited = self.runtime.limited();
        let counters: Result<Vec<_>, Error> = (self.warm.iter_mut().flatten())
            .map(|instance| {
                instance
                    .call(limited, |instance, store| instance.provisioning_orchestrator_queue().call_cache_stats(store))
            })
            .collect();
        let mut sum = model::CacheStats::default();
        for counters in self.drop_on_trap(counters)? {
            sum += convert::cache_stats(counters);
        }
        Ok(sum)
    }

    /// The cache's clock is the real one even when the query's "now" is
    /// pinned (`ORCH_NOW`): it is compared with file modification times.
    fn scan(&mut self, read: model::ReadOptions) -> wit::ScanOptions {
        let limited = self.runtime.limited();
        if !self.cache {
            return limited.scan_options(read, None, None);
        }
        let dir = &self.dir;
        let epoch = self.changes.get_or_insert_with(|| ChangeEpoch::arm(dir)).current();
        limited.scan_options(read, Some(Timestamp::now()), epoch)
    }
}
