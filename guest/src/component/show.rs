//! `queue.show`'s records, from the model's.

use super::{datetime, duration_ns, file_error, task, wit};
use crate::model::{PendingState, RelatedTask, StateKind, TaskDetail};

pub(super) fn task_detail(d: TaskDetail) -> wit::TaskDetail {
    wit::TaskDetail {
        task: task(d.task),
        queue_entry: d
            .queue_entry
            .map(|e| wit::QueueEntry { priority: e.priority, enqueued_at: e.enqueued_at.map(datetime) }),
        state: d.state.map(pending_state),
        reason: d.reason,
        timings: wit::TaskTimings {
            queued: d.timings.queued.map(duration_ns),
            waited: d.timings.waited.map(duration_ns),
            ran: d.timings.ran.map(duration_ns),
        },
        dependencies: d.dependencies.into_iter().map(related).collect(),
        dependents: d.dependents.into_iter().map(related).collect(),
        skipped: d.skipped.into_iter().map(file_error).collect(),
    }
}

fn pending_state(s: PendingState) -> wit::PendingState {
    match s {
        PendingState::Ready => wit::PendingState::Ready,
        PendingState::Waiting => wit::PendingState::Waiting,
        PendingState::Blocked(by) => wit::PendingState::Blocked(by),
        PendingState::Dangling(missing) => wit::PendingState::Dangling(missing),
        PendingState::Cycle(path) => wit::PendingState::Cycle(path),
    }
}

fn related(r: RelatedTask) -> wit::RelatedTask {
    wit::RelatedTask { id: r.id, status: r.status, state: r.state.map(state_kind), depth: r.depth }
}

pub(super) fn state_kind(k: StateKind) -> wit::StateKind {
    match k {
        StateKind::Ready => wit::StateKind::Ready,
        StateKind::Waiting => wit::StateKind::Waiting,
        StateKind::Blocked => wit::StateKind::Blocked,
        StateKind::Dangling => wit::StateKind::Dangling,
        StateKind::Cycle => wit::StateKind::Cycle,
    }
}
