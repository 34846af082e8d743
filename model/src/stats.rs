use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use crate::FileError;

/// Figures over every task a query selects; see the WIT `queue.task-stats`.
/// In JSON, durations are seconds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskStats {
    pub total: u64,
    pub by_status: Vec<StatusCount>,
    pub by_priority: Vec<PriorityCount>,
    pub by_day: Vec<DayCount>,
    /// Tasks without `created_at`.
    pub undated: u64,
    pub run_times: Option<RunTimes>,
    pub run_times_by_status: Vec<GroupedRunTimes>,
    pub run_times_by_workflow: Vec<GroupedRunTimes>,
    /// Tasks started after they completed, left out of the run times.
    pub negative_run_times: u64,
    pub oldest_pending: Option<OldestPending>,
    pub throughput: Option<Throughput>,
    #[serde(skip)]
    pub skipped: Vec<FileError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusCount {
    pub status: String,
    pub count: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PriorityCount {
    pub priority: i64,
    pub count: u64,
}

/// Tasks created on one UTC day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DayCount {
    pub day: jiff::civil::Date,
    pub count: u64,
}

/// Nearest-rank percentiles of `completed_at - started_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RunTimes {
    pub count: u64,
    #[serde(serialize_with = "crate::plain_seconds")]
    pub min: SignedDuration,
    #[serde(serialize_with = "crate::plain_seconds")]
    pub median: SignedDuration,
    #[serde(serialize_with = "crate::plain_seconds")]
    pub p95: SignedDuration,
    #[serde(serialize_with = "crate::plain_seconds")]
    pub max: SignedDuration,
}

/// The run times of one status or one workflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupedRunTimes {
    pub key: String,
    #[serde(flatten)]
    pub run_times: RunTimes,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OldestPending {
    pub id: String,
    pub created_at: Timestamp,
    #[serde(serialize_with = "crate::plain_seconds")]
    pub age: SignedDuration,
}

/// Completed tasks per hour over `[window_start, window_end]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Throughput {
    pub window_start: Timestamp,
    pub window_end: Timestamp,
    pub completed: u64,
    pub per_hour: f64,
}
