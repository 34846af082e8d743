//! `status`: the queue's figures, in one instance (the session's first, or
//! one of the call's own).

use std::path::Path;

use jiff::Timestamp;

use crate::bindings::exports::provisioning::orchestrator::queue as wit;
use crate::engine::Limited;
use crate::error::Error;
use crate::slot::Slot;
use crate::{convert, model};

pub(crate) fn status(
    limited: Limited<'_>,
    mut slot: Slot<'_>,
    dir: &Path,
    now: Timestamp,
    scan: wit::ScanOptions,
) -> Result<model::StatusReport, Error> {
    slot.call(limited, dir, |instance, store| {
        instance.provisioning_orchestrator_queue().call_status(store, convert::datetime(now), scan)
    })?
    .map(|r| convert::status_report(r, dir))
    .map_err(|e| convert::guest_error(e, dir).into())
}
