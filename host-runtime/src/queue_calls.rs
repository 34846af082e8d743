//! The `queue` interface's calls that run in one instance (`status`,
//! `diff`), each written once: arguments to WIT, the call, results and
//! errors back to plain values. Whether the call gets a fresh instance
//! ([`crate::Runtime`]) or a warm one ([`crate::Session`]) is the
//! [`Caller`]'s business. `tasks` and `stats` run over shards
//! ([`crate::sharded`]), and `show` and `workflows` over parts
//! ([`crate::part_calls`]).

use std::path::Path;

use jiff::Timestamp;
use wasmtime::Store;

use crate::bindings::Orchestrator;
use crate::bindings::exports::provisioning::orchestrator::queue as wit;
use crate::error::Error;
use crate::wasi::HostState;
use crate::{convert, model};

pub(crate) trait Caller {
    /// The data directory the instance sees.
    fn dir(&self) -> &Path;

    /// The scan options of one call.
    fn scan(&mut self, read: model::ReadOptions) -> wit::ScanOptions;

    fn call<R>(
        &mut self,
        f: impl FnOnce(&Orchestrator, &mut Store<HostState>) -> wasmtime::Result<R>,
    ) -> Result<R, Error>;
}

/// Every task of a data directory as of an earlier [`crate::Session::diff`],
/// kept in the component's form to be passed back as it came.
#[derive(Debug, Clone, Default)]
pub struct Snapshot(pub(crate) Vec<wit::Task>);

impl Snapshot {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The changes since the previous snapshot, and the next snapshot.
#[derive(Debug, Clone)]
pub struct TaskDiff {
    pub events: Vec<model::WatchEvent>,
    pub snapshot: Snapshot,
    pub skipped: Vec<model::FileError>,
}

pub(crate) fn status(
    c: &mut impl Caller,
    now: Timestamp,
    read: model::ReadOptions,
) -> Result<model::StatusReport, Error> {
    let scan = c.scan(read);
    let dir = c.dir().to_path_buf();
    c.call(|i, s| i.provisioning_orchestrator_queue().call_status(s, convert::datetime(now), scan))?
        .map(|r| convert::status_report(r, &dir))
        .map_err(|e| convert::guest_error(e, &dir).into())
}

pub(crate) fn diff(
    c: &mut impl Caller,
    previous: Option<&Snapshot>,
    query: &model::TaskQuery,
    now: Timestamp,
    read: model::ReadOptions,
) -> Result<TaskDiff, Error> {
    let scan = c.scan(read);
    let query = convert::task_query(query, now);
    let dir = c.dir().to_path_buf();
    let previous = previous.map(|p| p.0.as_slice());
    c.call(|i, s| i.provisioning_orchestrator_queue().call_diff(s, previous, &query, scan))?
        .map(|d| TaskDiff {
            events: d.events.into_iter().map(convert::watch_event).collect(),
            snapshot: Snapshot(d.snapshot),
            skipped: d.skipped.into_iter().map(|e| convert::file_error(e, &dir)).collect(),
        })
        .map_err(|e| convert::guest_error(e, &dir).into())
}
