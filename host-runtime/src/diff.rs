//! `diff`: what changed among the tasks a query selects since an earlier
//! snapshot, in one instance (a session's first). The comparison is the
//! component's; the snapshot goes back to it as it came.

use std::path::Path;

use jiff::Timestamp;

use crate::bindings::exports::provisioning::orchestrator::queue as wit;
use crate::engine::Limited;
use crate::error::Error;
use crate::slot::Slot;
use crate::{convert, model};

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

pub(crate) fn diff(
    limited: Limited<'_>,
    mut slot: Slot<'_>,
    dir: &Path,
    previous: Option<&Snapshot>,
    query: &model::TaskQuery,
    now: Timestamp,
    scan: wit::ScanOptions,
) -> Result<TaskDiff, Error> {
    let query = convert::task_query(query, now);
    let previous = previous.map(|p| p.0.as_slice());
    slot.call(limited, dir, |instance, store| {
        instance.provisioning_orchestrator_queue().call_diff(store, previous, &query, scan)
    })?
    .map(|d| TaskDiff {
        events: d.events.into_iter().map(convert::watch_event).collect(),
        snapshot: Snapshot(d.snapshot),
        skipped: d.skipped.into_iter().map(|e| convert::file_error(e, dir)).collect(),
    })
    .map_err(|e| convert::guest_error(e, dir).into())
}
