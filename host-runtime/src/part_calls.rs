//! The `queue` calls that need the whole queue's dependency graph at once
//! (`show`, `workflows`, `workflow`). Every shard scans its share in
//! parallel: the first into a `part-set` that stays in its instance, the
//! others into parts, which the host adds to that set one by one and drops
//! at once. The set's instance then merges them all. Each call is written
//! once here, for [`crate::Runtime`]'s fresh instances and
//! [`crate::Session`]'s warm ones alike.

use std::path::Path;

use wasmtime::Store;
use wasmtime::component::ResourceAny;

use crate::bindings::Orchestrator;
use crate::bindings::exports::provisioning::orchestrator::queue as wit;
use crate::engine::Limited;
use crate::error::Error;
use crate::sharded::{GuestCall, QueueCall, each_shard};
use crate::slot::Slot;
use crate::wasi::HostState;
use crate::{convert, model};

pub(crate) fn show(call: QueueCall<'_>, dir: &Path, id: &str) -> Result<model::TaskDetail, Error> {
    let at = convert::datetime(call.now);
    over_parts(call, dir, Some(id), |instance, store, set| {
        instance.provisioning_orchestrator_queue().call_show_parts(store, id, at, set)
    })
    .map(|d| convert::task_detail(d, dir))
}

pub(crate) fn workflows(
    call: QueueCall<'_>,
    dir: &Path,
    query: &model::WorkflowQuery,
) -> Result<model::WorkflowList, Error> {
    let query = convert::workflow_query(query, call.now);
    over_parts(call, dir, None, |instance, store, set| {
        instance.provisioning_orchestrator_queue().call_workflows(store, &query, set)
    })
    .map(|l| convert::workflow_list(l, dir))
}

pub(crate) fn workflow(call: QueueCall<'_>, dir: &Path, name: &str) -> Result<model::WorkflowDetail, Error> {
    let at = convert::datetime(call.now);
    over_parts(call, dir, None, |instance, store, set| {
        instance.provisioning_orchestrator_queue().call_workflow(store, name, at, set)
    })
    .map(|d| convert::workflow_detail(d, dir))
}

/// A shard's scan: the first shard's set, or another's part.
#[expect(clippy::large_enum_variant, reason = "a value per shard, moved once")]
enum Scanned<'r> {
    Set(KeptSet<'r>),
    Part(wit::QueuePart),
}

/// A `part-set` in the instance of a slot, dropped there unless a merge
/// consumed it: a session's instance outlives the call.
struct KeptSet<'r> {
    slot: Slot<'r>,
    limited: Limited<'r>,
    set: Option<ResourceAny>,
    misnamed: bool,
}

impl KeptSet<'_> {
    fn drop_set(&mut self) {
        if let Some(set) = self.set.take() {
            self.slot.drop_resource(self.limited, set);
        }
    }
}

impl Drop for KeptSet<'_> {
    fn drop(&mut self) {
        self.drop_set();
    }
}

/// Every shard's part in the first shard's set, merged there by `merge`,
/// which consumes the set. Scanned again as one shard if any shard found a
/// misnamed file.
fn over_parts<'r, R>(
    call: QueueCall<'r>,
    dir: &Path,
    whole: Option<&str>,
    merge: impl FnOnce(&Orchestrator, &mut Store<HostState>, ResourceAny) -> GuestCall<R>,
) -> Result<R, Error> {
    let QueueCall { limited, slots, now, scan } = call;
    let now = convert::datetime(now);
    let guest_error = |e| Error::from(convert::guest_error(e, dir));
    let scan_one = |index: u32, count: u32, mut slot: Slot<'r>| -> Result<Scanned<'r>, Error> {
        let shard = wit::Shard { index, count };
        if index > 0 {
            let part = slot.call(limited, dir, |instance, store| {
                instance.provisioning_orchestrator_queue().call_scan_part(store, now, scan, shard, whole)
            })?;
            return Ok(Scanned::Part(part.map_err(guest_error)?));
        }
        let set = slot.call(limited, dir, |instance, store| {
            instance.provisioning_orchestrator_queue().part_set().call_scan(store, now, scan, shard, whole)
        })?;
        let mut kept = KeptSet { slot, limited, set: Some(set.map_err(guest_error)?), misnamed: false };
        let set = kept.set()?;
        kept.misnamed = kept.slot.call_started(limited, |instance, store| {
            instance.provisioning_orchestrator_queue().part_set().call_misnamed(store, set)
        })?;
        Ok(Scanned::Set(kept))
    };
    let mut scanned = each_shard(slots, scan_one)?.into_iter();
    let Some(Scanned::Set(mut kept)) = scanned.next() else {
        return Err(Error::Setup("the first shard scanned no set".into()));
    };
    let mut parts: Vec<wit::QueuePart> =
        scanned.filter_map(|s| if let Scanned::Part(part) = s { Some(part) } else { None }).collect();
    if kept.misnamed || parts.iter().any(|part| part.misnamed) {
        parts.clear();
        kept.drop_set();
        let slot = std::mem::replace(&mut kept.slot, Slot::Own(None));
        let Scanned::Set(whole_queue) = scan_one(0, 1, slot)? else {
            return Err(Error::Setup("the first shard scanned no set".into()));
        };
        kept = whole_queue;
    }
    let set = kept.set()?;
    for part in parts {
        kept.slot.call_started(limited, |instance, store| {
            instance.provisioning_orchestrator_queue().part_set().call_add(store, set, &part)
        })?;
    }
    // The merge consumes the set, whatever it returns.
    kept.set = None;
    kept.slot.call_started(limited, |instance, store| merge(instance, store, set))?.map_err(guest_error)
}

impl KeptSet<'_> {
    fn set(&self) -> Result<ResourceAny, Error> {
        self.set.ok_or_else(|| Error::Setup("a shard lost its part set".into()))
    }
}
