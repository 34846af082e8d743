//! The `queue` calls that need the whole queue's dependency graph at once
//! (`show`, `workflows`, `workflow`): every shard scans its share into a
//! part, and one instance merges the parts ([`crate::sharded::over_parts`]).
//! Each is written once here, for [`crate::Runtime`]'s fresh instances and
//! [`crate::Session`]'s warm ones alike.

use std::path::Path;

use jiff::Timestamp;

use crate::bindings::exports::provisioning::orchestrator::queue as wit;
use crate::error::Error;
use crate::instances::Instances;
use crate::sharded::{Slot, over_parts};
use crate::{convert, model};

pub(crate) fn show(
    runtime: &Instances,
    dir: &Path,
    id: &str,
    now: Timestamp,
    scan: wit::ScanOptions,
    slots: Vec<Slot<'_>>,
) -> Result<model::TaskDetail, Error> {
    let at = convert::datetime(now);
    over_parts(runtime, dir, now, scan, slots, Some(id), |instance, store, parts| {
        instance.provisioning_orchestrator_queue().call_show_parts(store, id, at, parts)
    })
    .map(|d| convert::task_detail(d, dir))
}

pub(crate) fn workflows(
    runtime: &Instances,
    dir: &Path,
    query: &model::WorkflowQuery,
    now: Timestamp,
    scan: wit::ScanOptions,
    slots: Vec<Slot<'_>>,
) -> Result<model::WorkflowList, Error> {
    let query = convert::workflow_query(query, now);
    over_parts(runtime, dir, now, scan, slots, None, |instance, store, parts| {
        instance.provisioning_orchestrator_queue().call_workflows(store, &query, parts)
    })
    .map(|l| convert::workflow_list(l, dir))
}

pub(crate) fn workflow(
    runtime: &Instances,
    dir: &Path,
    name: &str,
    now: Timestamp,
    scan: wit::ScanOptions,
    slots: Vec<Slot<'_>>,
) -> Result<model::WorkflowDetail, Error> {
    let at = convert::datetime(now);
    over_parts(runtime, dir, now, scan, slots, None, |instance, store, parts| {
        instance.provisioning_orchestrator_queue().call_workflow(store, name, at, parts)
    })
    .map(|d| convert::workflow_detail(d, dir))
}
