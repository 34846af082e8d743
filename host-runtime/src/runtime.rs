//! The runtime: the engine every call shares, the limits its calls run
//! under, and the calls, each in fresh instances. [`crate::Session`] keeps
//! instances warm instead, for long-lived hosts.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;

use crate::bindings::exports::provisioning::orchestrator::queue::ScanOptions;
use crate::engine::{ComponentEngine, Limited, Limits, RuntimeOptions};
use crate::error::Error;
use crate::model::{Role, ValidationReport};
use crate::sharded::{QueueCall, TaskStream, shard_count};
use crate::slot::Slot;
use crate::validate::{ValidateOptions, Validator, WarmNickel};
use crate::{model, part_calls, sharded, status};

/// Cheap to make again with other limits ([`Runtime::with_limits`]): the
/// engine and the warm Nickel instance are shared, and nothing of them
/// depends on a call's limits.
pub struct Runtime {
    engine: Arc<ComponentEngine>,
    limits: Limits,
    /// The last Nickel instance, kept warm for the next validation.
    warm_nickel: Arc<WarmNickel>,
}

impl Runtime {
    /// A runtime whose calls run under `options.limits`.
    pub fn new(options: RuntimeOptions) -> Result<Runtime, Error> {
        let engine = Arc::new(ComponentEngine::new(options.cache_dir)?);
        Ok(Runtime { engine, limits: options.limits, warm_nickel: Arc::default() })
    }

    /// This runtime's engine, its calls under `limits`.
    pub fn with_limits(&self, limits: Limits) -> Runtime {
        Runtime { engine: self.engine.clone(), limits, warm_nickel: self.warm_nickel.clone() }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The engine under this runtime's limits.
    pub(crate) fn limited(&self) -> Limited<'_> {
        self.engine.limited(self.limits)
    }

    fn scan(&self, read: model::ReadOptions) -> ScanOptions {
        self.limited().scan_options(read, None, None)
    }

    /// A queue call in fresh instances, one per shard.
    fn queue_call(&self, now: Timestamp, read: model::ReadOptions) -> QueueCall<'_> {
        QueueCall { limited: self.limited(), slots: Slot::fresh(shard_count()), now, scan: self.scan(read) }
    }

    /// The status of the data directory `dir`, as of `now`.
    pub fn status(&self, dir: &Path, now: Timestamp, read: model::ReadOptions) -> Result<model::StatusReport, Error> {
        status::status(self.limited(), Slot::Own(None), dir, now, self.scan(read))
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
        part_calls::show(self.queue_call(now, read), dir, id)
    }

    /// One row per workflow of `dir` that `query` keeps.
    pub fn workflows(
        &self,
        dir: &Path,
        query: &model::WorkflowQuery,
        now: Timestamp,
        read: model::ReadOptions,
    ) -> Result<model::WorkflowList, Error> {
        part_calls::workflows(self.queue_call(now, read), dir, query)
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
        part_calls::workflow(self.queue_call(now, read), dir, name)
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
        sharded::open(self.queue_call(now, read), dir, query)
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
        sharded::stats(self.queue_call(now, read), dir, query)
    }

    fn validator(&self) -> Validator<'_> {
        Validator { limited: self.limited(), nickel: &self.warm_nickel }
    }

    /// Validates the workflow at `file` and what it imports.
    pub fn validate(&self, file: &Path, options: &ValidateOptions) -> Result<ValidationReport, Error> {
        self.validate_as(file, Role::Workflow, options)
    }

    /// Checks `file` in `role` (see [`Role`]): a workflow whole, a library
    /// or the manifest only as far as it stands alone.
    pub fn validate_as(&self, file: &Path, role: Role, options: &ValidateOptions) -> Result<ValidationReport, Error> {
        self.validator().validate_as(file, role, options)
    }

    /// Each of `paths` as given (it must be of a language orch validates)
    /// or, for a directory, the files below it, each with its role (see
    /// `validate::set`). A file met twice is listed once, where first met;
    /// named on its own anywhere, it is a workflow.
    pub fn workflow_set(&self, paths: &[PathBuf], options: &ValidateOptions) -> Result<Vec<(PathBuf, Role)>, Error> {
        self.validator().workflow_set(paths, options)
    }

    /// Checks every file of [`Runtime::workflow_set`], in its order, each in its role.
    pub fn validate_paths(&self, paths: &[PathBuf], options: &ValidateOptions) -> Result<Vec<ValidationReport>, Error> {
        self.validator().validate_paths(paths, options)
    }
}
