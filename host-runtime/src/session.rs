//! A warm instance for one data directory, for long-lived hosts: the
//! component's parse cache lives in the instance's memory, so repeated
//! queries over unchanged files stat them instead of re-reading and
//! re-parsing them.
//!
//! A trap poisons its store, so after one the instance is dropped and the
//! next call starts a fresh one, with an empty cache.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use wasmtime::Store;

use crate::bindings::Orchestrator;
use crate::bindings::exports::provisioning::orchestrator::queue as wit;
use crate::change_epoch::ChangeEpoch;
use crate::error::Error;
use crate::model;
use crate::queue_calls::{self, Caller, Snapshot, TaskDiff};
use crate::runtime::Runtime;
use crate::sandbox::HostState;

pub struct Session {
    runtime: Arc<Runtime>,
    dir: PathBuf,
    cache: bool,
    warm: Option<Warm>,
    /// Armed before the first cached call, so the component can skip even
    /// the stats while nothing changes.
    changes: Option<ChangeEpoch>,
}

struct Warm {
    store: Store<HostState>,
    instance: Orchestrator,
}

impl Session {
    /// A session on `dir`; the instance starts on the first call.
    pub fn new(runtime: Arc<Runtime>, dir: impl Into<PathBuf>) -> Session {
        Session { runtime, dir: dir.into(), cache: true, warm: None, changes: None }
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
        self.warm.is_some()
    }

    pub fn status(&mut self, now: Timestamp, read: model::ReadOptions) -> Result<model::StatusReport, Error> {
        queue_calls::status(self, now, read)
    }

    pub fn tasks(
        &mut self,
        query: &model::TaskQuery,
        now: Timestamp,
        read: model::ReadOptions,
    ) -> Result<model::TaskPage, Error> {
        queue_calls::tasks(self, query, now, read)
    }

    pub fn stats(
        &mut self,
        query: &model::TaskQuery,
        now: Timestamp,
        read: model::ReadOptions,
    ) -> Result<model::TaskStats, Error> {
        queue_calls::stats(self, query, now, read)
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
        queue_calls::diff(self, previous, query, now, read)
    }

    /// The component's cache counters, for benchmarks and tests.
    pub fn cache_stats(&mut self) -> Result<model::CacheStats, Error> {
        queue_calls::cache_stats(self)
    }
}

impl Caller for Session {
    fn dir(&self) -> &Path {
        &self.dir
    }

    /// The cache's clock is the real one even when the query's "now" is
    /// pinned (`ORCH_NOW`): it is compared with file modification times.
    fn scan(&mut self, read: model::ReadOptions) -> wit::ScanOptions {
        if !self.cache {
            return self.runtime.scan_options(read, None, None);
        }
        let dir = &self.dir;
        let epoch = self.changes.get_or_insert_with(|| ChangeEpoch::arm(dir)).current();
        self.runtime.scan_options(read, Some(Timestamp::now()), epoch)
    }

    fn call<R>(
        &mut self,
        f: impl FnOnce(&Orchestrator, &mut Store<HostState>) -> wasmtime::Result<R>,
    ) -> Result<R, Error> {
        let _tokio = crate::wasi_tokio::enter();
        let warm = match &mut self.warm {
            Some(warm) => warm,
            None => {
                let (store, instance) = self.runtime.instantiate(&self.dir)?;
                self.warm.insert(Warm { store, instance })
            }
        };
        self.runtime.renew_deadline(&mut warm.store);
        match f(&warm.instance, &mut warm.store) {
            Ok(value) => Ok(value),
            Err(e) => {
                let err = self.runtime.trap(e, &warm.store);
                self.warm = None;
                Err(err)
            }
        }
    }
}
