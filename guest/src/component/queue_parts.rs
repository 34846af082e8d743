//! `queue.queue-part` and the workflow records, between the WIT's types and
//! the model's.

use super::show::state_kind;
use super::{datetime, duration_ns, file_error, model_file_error, model_task, task, timestamp, wit};
use crate::model::{GroupedBy, HeldTask, QueueEntry, StatusCount, WorkflowRow, WorkflowState, WorkflowTask};
use crate::queue::queue_part::{QueuePart, WholeTask};

pub(super) fn queue_part(part: QueuePart) -> wit::QueuePart {
    wit::QueuePart {
        tasks: part.tasks,
        whole: part
            .whole
            .into_iter()
            .map(|w| wit::WholeTask {
                task: task(w.task),
                queue_entry: w
                    .queue_entry
                    .map(|e| wit::QueueEntry { priority: e.priority, enqueued_at: e.enqueued_at.map(datetime) }),
            })
            .collect(),
        skipped: part.skipped.into_iter().map(file_error).collect(),
        misnamed: part.misnamed,
    }
}

pub(super) fn model_part(p: wit::QueuePart) -> QueuePart {
    QueuePart {
        tasks: p.tasks,
        whole: p
            .whole
            .into_iter()
            .map(|w| WholeTask {
                task: model_task(w.task),
                queue_entry: w
                    .queue_entry
                    .map(|e| QueueEntry { priority: e.priority, enqueued_at: e.enqueued_at.map(timestamp) }),
            })
            .collect(),
        skipped: p.skipped.into_iter().map(model_file_error).collect(),
        misnamed: p.misnamed,
    }
}

pub(super) fn workflow_row(r: WorkflowRow) -> wit::WorkflowRow {
    wit::WorkflowRow {
        name: r.name,
        grouped_by: match r.grouped_by {
            GroupedBy::Workflow => wit::GroupedBy::Workflow,
            GroupedBy::Dependencies => wit::GroupedBy::Dependencies,
        },
        total: r.total,
        by_status: r
            .by_status
            .into_iter()
            .map(|StatusCount { status, count }| wit::StatusCount { status, count })
            .collect(),
        blocked: r.blocked,
        progress: r.progress,
        state: match r.state {
            WorkflowState::Running => wit::WorkflowState::Running,
            WorkflowState::Blocked => wit::WorkflowState::Blocked,
            WorkflowState::Pending => wit::WorkflowState::Pending,
            WorkflowState::Failed => wit::WorkflowState::Failed,
            WorkflowState::Completed => wit::WorkflowState::Completed,
        },
        started: r.started.map(datetime),
        elapsed: r.elapsed.map(duration_ns),
        last_activity: r.last_activity.map(datetime),
        held_by: r.held_by.into_iter().map(held_task).collect(),
    }
}

fn held_task(h: HeldTask) -> wit::HeldTask {
    wit::HeldTask { id: h.id, name: h.name, state: state_kind(h.state), reason: h.reason }
}

pub(super) fn workflow_task(t: WorkflowTask) -> wit::WorkflowTask {
    wit::WorkflowTask {
        id: t.id,
        name: t.name,
        status: t.status,
        state: t.state.map(state_kind),
        reason: t.reason,
        priority: t.priority,
        created_at: t.created_at.map(datetime),
        started_at: t.started_at.map(datetime),
        completed_at: t.completed_at.map(datetime),
    }
}
