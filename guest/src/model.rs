//! The queue's data, independent of where it was read from.

use jiff::{SignedDuration, Timestamp};

/// The statuses the orchestrator writes, in its lifecycle order.
pub const KNOWN_STATUSES: [&str; 5] = ["pending", "running", "completed", "failed", "cancelled"];

/// One task, from either storage layout. `status` is lowercase.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Task {
    pub id: String,
    pub name: Option<String>,
    pub command: Option<String>,
    pub args: Option<Vec<String>>,
    pub dependencies: Option<Vec<String>>,
    pub status: String,
    pub priority: i64,
    pub created_at: Option<Timestamp>,
    pub started_at: Option<Timestamp>,
    pub completed_at: Option<Timestamp>,
    pub output: Option<String>,
    pub error: Option<String>,
    pub workflow: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusSource {
    StatusFile,
    Derived,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatusReport {
    pub running: Option<bool>,
    pub tasks_pending: u64,
    pub tasks_running: u64,
    pub tasks_completed: Option<u64>,
    pub tasks_failed: Option<u64>,
    pub last_check: Option<Timestamp>,
    pub last_check_age: Option<SignedDuration>,
    pub source: StatusSource,
    pub skipped: Vec<crate::error::FileError>,
}

/// Which tasks to return; text bounds are still unparsed here.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TaskQuery {
    pub statuses: Vec<String>,
    pub min_priority: Option<i64>,
    pub max_priority: Option<i64>,
    pub created_from: Option<String>,
    pub created_to: Option<String>,
    pub workflow: Option<String>,
    pub offset: u64,
    pub limit: Option<u64>,
    pub now: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaskPage {
    pub tasks: Vec<Task>,
    pub total: u64,
    pub skipped: Vec<crate::error::FileError>,
}
