//! The runtime: the instances every call shares, and the queue calls made
//! on them, each in a fresh store and sandbox. [`crate::Session`] keeps an
//! instance warm instead, for long-lived hosts.

use std::path::Path;

use jiff::Timestamp;
use wasmtime::Store;

use crate::bindings::Orchestrator;
use crate::bindings::exports::provisioning::orchestrator::queue as wit;
use crate::error::Error;
use crate::instances::{Instances, Limits, RuntimeOptions};
use crate::sharded::{Slot, TaskStream};
use crate::validate::WarmNickel;
use crate::wasi::HostState;
use crate::{model, part_calls, queue_calls};

pub struct Runtime {
    pub(crate) instances: Instances,
    /// The last Nickel instance, kept warm for the next validation.
    pub(crate) warm_nickel: WarmNickel,
}

impl Runtime {
    pub fn new(options: RuntimeOptions) -> Result<Runtime, Error> {
        Ok(Runtime { instances: Instances::new(options)?, warm_nickel: WarmNickel::default() })
    }

    pub fn limits(&self) -> Limits {
        self.instances.limits
    }

    /// The status of the data directory `dir`, as of `now`.
    pub fn status(&self, dir: &Path, now: Timestamp, read: model::ReadOptions) -> Result<model::StatusReport, Error> {
        queue_calls::status(&mut Fresh { runtime: self, dir }, now, read)
    }

    /// One task of `dir`, named by its id or a unique prefix of it, with its
    /// queue entry, timings and place in the dependency graph.
    pub fn show(
        &self,
        dir: &Path,
        id: &str,
        now: Timestamp,
        read: model::ReadOptions,
    ) -> Result<model::TaskDetail, Error> {
        let scan = self.instances.scan_options(read, None, None);
        part_calls::show(&self.instances, dir, id, now, scan, Slot::fresh(crate::sharded::shard_count()))
    }

    /// One row per workflow of `dir` that `query` keeps.
    pub fn workflows(
        &self,
        dir: &Path,
        query: &model::WorkflowQuery,
        now: Timestamp,
        read: model::ReadOptions,
    ) -> Result<model::WorkflowList, Error> {
        let scan = self.instances.scan_options(read, None, None);
        part_calls::workflows(&self.instances, dir, query, now, scan, Slot::fresh(crate::sharded::shard_count()))
    }

    /// One workflow of `dir`, named as its row is, with its tasks in
    /// dependency order.
    pub fn workflow(
        &self,
        dir: &Path,
        name: &str,
        now: Timestamp,
        read: model::ReadOptions,
    ) -> Result<model::WorkflowDetail, Error> {
        let scan = self.instances.scan_options(read, None, None);
        part_calls::workflow(&self.instances, dir, name, now, scan, Slot::fresh(crate::sharded::shard_count()))
    }

    /// The tasks of `dir` that match `query`; relative time bounds count back from `now`.
    pub fn tasks(
        &self,
        dir: &Path,
        query: &model::TaskQuery,
        now: Timestamp,
        read: model::ReadOptions,
    ) -> Result<model::TaskPage, Error> {
        self.task_stream(dir, query, now, read)?.into_page()
    }

    /// [`Runtime::tasks`], handed out as they are consumed: the tasks stay
    /// in the scanning instances (one per core) until pulled, so a large
    /// page is never held whole on the host.
    pub fn task_stream(
        &self,
        dir: &Path,
        query: &model::TaskQuery,
        now: Timestamp,
        read: model::ReadOptions,
    ) -> Result<TaskStream<'_>, Error> {
        let scan = self.instances.scan_options(read, None, None);
        crate::sharded::open(&self.instances, dir, query, now, scan, Slot::fresh(crate::sharded::shard_count()))
    }

    /// Figures over every task of `dir` that matches `query`, whose
    /// `offset` and `limit` must be unset.
    pub fn stats(
        &self,
        dir: &Path,
        query: &model::TaskQuery,
        now: Timestamp,
        read: model::ReadOptions,
    ) -> Result<model::TaskStats, Error> {
        let scan = self.instances.scan_options(read, None, None);
        crate::sharded::stats(&self.instances, dir, query, now, scan, Slot::fresh(crate::sharded::shard_count()))
    }
}

/// One call, one instance: a trap cannot outlive its call, and no parse
/// cache is kept.
struct Fresh<'a> {
    runtime: &'a Runtime,
    dir: &'a Path,
}

impl queue_calls::Caller for Fresh<'_> {
    fn dir(&self) -> &Path {
        self.dir
    }

    fn scan(&mut self, read: model::ReadOptions) -> wit::ScanOptions {
        self.runtime.instances.scan_options(read, None, None)
    }

    fn call<R>(
        &mut self,
        f: impl FnOnce(&Orchestrator, &mut Store<HostState>) -> wasmtime::Result<R>,
    ) -> Result<R, Error> {
        let _tokio = crate::wasi::enter_tokio();
        let (mut store, instance) = self.runtime.instances.instantiate(self.dir)?;
        f(&instance, &mut store).map_err(|e| self.runtime.instances.trap(e, &store))
    }
}
