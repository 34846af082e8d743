//! `queue.show`'s records, to the model's.

use std::path::Path;

use jiff::SignedDuration;

use super::{file_error, task, timestamp};
use crate::bindings::exports::provisioning::orchestrator::queue as wit;
use crate::model;

pub fn task_detail(d: wit::TaskDetail, root: &Path) -> model::TaskDetail {
    let state = d.state.map(pending_state);
    model::TaskDetail {
        task: task(d.task),
        queue_entry: d
            .queue_entry
            .map(|e| model::QueueEntry { priority: e.priority, enqueued_at: e.enqueued_at.map(timestamp) }),
        blocked_by: state.as_ref().map(|s| s.blocked_by().to_vec()).unwrap_or_default(),
        state,
        reason: d.reason,
        timings: model::Timings {
            queued: d.timings.queued.map(SignedDuration::from_nanos),
            waited: d.timings.waited.map(SignedDuration::from_nanos),
            ran: d.timings.ran.map(SignedDuration::from_nanos),
        },
        dependencies: d.dependencies.into_iter().map(related).collect(),
        dependents: d.dependents.into_iter().map(related).collect(),
        skipped: d.skipped.into_iter().map(|e| file_error(e, root)).collect(),
    }
}

fn pending_state(s: wit::PendingState) -> model::PendingState {
    match s {
        wit::PendingState::Ready => model::PendingState::Ready,
        wit::PendingState::Waiting => model::PendingState::Waiting,
        wit::PendingState::Blocked(by) => model::PendingState::Blocked(by),
        wit::PendingState::Dangling(missing) => model::PendingState::Dangling(missing),
        wit::PendingState::Cycle(path) => model::PendingState::Cycle(path),
    }
}

fn related(r: wit::RelatedTask) -> model::RelatedTask {
    model::RelatedTask { id: r.id, status: r.status, state: r.state.map(state_kind), depth: r.depth }
}

pub fn state_kind(k: wit::StateKind) -> model::StateKind {
    match k {
        wit::StateKind::Ready => model::StateKind::Ready,
        wit::StateKind::Waiting => model::StateKind::Waiting,
        wit::StateKind::Blocked => model::StateKind::Blocked,
        wit::StateKind::Dangling => model::StateKind::Dangling,
        wit::StateKind::Cycle => model::StateKind::Cycle,
    }
}
