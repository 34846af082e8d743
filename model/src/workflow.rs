//! Workflows as the queue holds them, for `orch workflows`; see the WIT
//! `queue.workflow-row` and `queue.workflow-detail`.

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use crate::{FileError, StateKind, StatusCount};

/// How a workflow's tasks were put together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupedBy {
    /// They carry the same `workflow`.
    Workflow,
    /// They carry none, and hang together in the dependency graph (or are
    /// the lone tasks linked to none, the row named `-`).
    Dependencies,
}

/// A workflow's state: the first of these that holds, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WorkflowState {
    /// A task is running.
    Running,
    /// A pending task can never run as things stand: blocked, on a cycle,
    /// or dangling.
    Blocked,
    /// A task is pending (ready or waiting), or of a status the model
    /// doesn't know, so it may yet run.
    Pending,
    /// A task failed or was cancelled, and nothing is left to run.
    Failed,
    /// Every task is completed.
    Completed,
}

impl WorkflowState {
    pub const ALL: [WorkflowState; 5] = [
        WorkflowState::Running,
        WorkflowState::Blocked,
        WorkflowState::Pending,
        WorkflowState::Failed,
        WorkflowState::Completed,
    ];

    pub fn name(self) -> &'static str {
        match self {
            WorkflowState::Running => "running",
            WorkflowState::Blocked => "blocked",
            WorkflowState::Pending => "pending",
            WorkflowState::Failed => "failed",
            WorkflowState::Completed => "completed",
        }
    }
}

/// A pending task that holds its workflow up: ready to run, waiting on a
/// running task, or unable to run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldTask {
    pub id: String,
    pub name: Option<String>,
    pub state: StateKind,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkflowRow {
    /// The `workflow`, or for tasks grouped by dependencies the first root
    /// task's name (else id) with `+N` for the other roots, or `-` for the
    /// lone tasks.
    pub name: String,
    pub grouped_by: GroupedBy,
    pub total: u64,
    /// Statuses in lifecycle order, then others by name; only those that occur.
    pub by_status: Vec<StatusCount>,
    /// Pending tasks blocked, on a cycle, or dangling.
    pub blocked: u64,
    /// Completed ÷ total.
    pub progress: f64,
    pub state: WorkflowState,
    /// The earliest `started_at`.
    pub started: Option<Timestamp>,
    /// From `started` to the latest `completed_at` once nothing is left to
    /// run, else to now. In JSON, seconds.
    #[serde(serialize_with = "crate::optional_seconds")]
    pub elapsed: Option<SignedDuration>,
    /// The latest of any task's `created_at`, `started_at` and `completed_at`.
    pub last_activity: Option<Timestamp>,
    /// In the queue's order: priority high first, then oldest, then id.
    pub held_by: Vec<HeldTask>,
}

/// Which workflows to list. `name` is a glob (`*`, `?`); `states` are
/// workflow state names, each entry possibly comma-separated.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WorkflowQuery {
    pub name: Option<String>,
    pub states: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkflowList {
    /// By state in [`WorkflowState`] order, then the latest activity first.
    pub rows: Vec<WorkflowRow>,
    #[serde(skip)]
    pub skipped: Vec<FileError>,
}

/// One task of a workflow, in dependency order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkflowTask {
    pub id: String,
    pub name: Option<String>,
    pub status: String,
    pub state: Option<StateKind>,
    pub reason: Option<String>,
    pub priority: i64,
    pub created_at: Option<Timestamp>,
    pub started_at: Option<Timestamp>,
    pub completed_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkflowDetail {
    #[serde(flatten)]
    pub row: WorkflowRow,
    /// Dependencies first; ties by priority (high first), then `created_at`;
    /// tasks on a cycle after the rest, by id.
    pub tasks: Vec<WorkflowTask>,
    #[serde(skip)]
    pub skipped: Vec<FileError>,
}
