//! `queue.workflows`' and `queue.workflow`'s records, to the model's.

use std::path::Path;

use jiff::{SignedDuration, Timestamp};

use super::detail::state_kind;
use super::{datetime, file_error, timestamp};
use crate::bindings::exports::provisioning::orchestrator::queue as wit;
use crate::model;

pub fn workflow_query(q: &model::WorkflowQuery, now: Timestamp) -> wit::WorkflowQuery {
    wit::WorkflowQuery { name: q.name.clone(), states: q.states.clone(), now: datetime(now) }
}

pub fn workflow_list(l: wit::WorkflowList, root: &Path) -> model::WorkflowList {
    model::WorkflowList {
        rows: l.rows.into_iter().map(workflow_row).collect(),
        skipped: l.skipped.into_iter().map(|e| file_error(e, root)).collect(),
    }
}

pub fn workflow_detail(d: wit::WorkflowDetail, root: &Path) -> model::WorkflowDetail {
    model::WorkflowDetail {
        row: workflow_row(d.row),
        tasks: d.tasks.into_iter().map(workflow_task).collect(),
        skipped: d.skipped.into_iter().map(|e| file_error(e, root)).collect(),
    }
}

fn workflow_row(r: wit::WorkflowRow) -> model::WorkflowRow {
    model::WorkflowRow {
        name: r.name,
        grouped_by: match r.grouped_by {
            wit::GroupedBy::Workflow => model::GroupedBy::Workflow,
            wit::GroupedBy::Dependencies => model::GroupedBy::Dependencies,
        },
        total: r.total,
        by_status: r.by_status.into_iter().map(|c| model::StatusCount { status: c.status, count: c.count }).collect(),
        blocked: r.blocked,
        progress: r.progress,
        state: match r.state {
            wit::WorkflowState::Running => model::WorkflowState::Running,
            wit::WorkflowState::Blocked => model::WorkflowState::Blocked,
            wit::WorkflowState::Pending => model::WorkflowState::Pending,
            wit::WorkflowState::Failed => model::WorkflowState::Failed,
            wit::WorkflowState::Completed => model::WorkflowState::Completed,
        },
        started: r.started.map(timestamp),
        elapsed: r.elapsed.map(SignedDuration::from_nanos),
        last_activity: r.last_activity.map(timestamp),
        held_by: r
            .held_by
            .into_iter()
            .map(|h| model::HeldTask { id: h.id, name: h.name, state: state_kind(h.state), reason: h.reason })
            .collect(),
    }
}

fn workflow_task(t: wit::WorkflowTask) -> model::WorkflowTask {
    model::WorkflowTask {
        id: t.id,
        name: t.name,
        status: t.status,
        state: t.state.map(state_kind),
        reason: t.reason,
        priority: t.priority,
        created_at: t.created_at.map(timestamp),
        started_at: t.started_at.map(timestamp),
        completed_at: t.completed_at.map(timestamp),
    }
}
