//! The plain Rust values hosts receive: no wasmtime or WIT types.

use std::path::PathBuf;

use jiff::{SignedDuration, Timestamp};
use serde::{Serialize, Serializer};

/// One task; see the WIT `queue.task`. Field order is output column order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusSource {
    #[serde(rename = "status.json")]
    StatusFile,
    Derived,
}

impl std::fmt::Display for StatusSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StatusSource::StatusFile => "status.json",
            StatusSource::Derived => "derived",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusReport {
    pub running: Option<bool>,
    pub tasks_pending: u64,
    pub tasks_running: u64,
    pub tasks_completed: Option<u64>,
    pub tasks_failed: Option<u64>,
    pub last_check: Option<Timestamp>,
    /// In JSON: seconds, as a number.
    #[serde(serialize_with = "seconds")]
    pub last_check_age: Option<SignedDuration>,
    pub data_dir: PathBuf,
    pub source: StatusSource,
    #[serde(skip)]
    pub skipped: Vec<FileError>,
}

fn seconds<S: Serializer>(d: &Option<SignedDuration>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_f64(d.as_secs_f64()),
        None => s.serialize_none(),
    }
}

/// Which tasks to return. `from` and `to` take RFC 3339, a date, or an age
/// (`2h`, `3d`); the component parses them against `now`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TaskQuery {
    pub statuses: Vec<String>,
    pub min_priority: Option<i64>,
    pub max_priority: Option<i64>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub workflow: Option<String>,
    pub offset: u64,
    pub limit: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaskPage {
    pub tasks: Vec<Task>,
    /// Matches before offset and limit.
    pub total: u64,
    pub skipped: Vec<FileError>,
}

/// Per-call reading options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadOptions {
    /// Skip malformed task files (they are listed in `skipped`) instead of failing.
    pub skip_invalid: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileErrorKind {
    NotFound,
    Denied,
    TooLarge,
    NotAFile,
    Malformed,
    Io,
}

impl FileErrorKind {
    /// A stable name for error codes.
    pub fn as_str(self) -> &'static str {
        match self {
            FileErrorKind::NotFound => "not-found",
            FileErrorKind::Denied => "denied",
            FileErrorKind::TooLarge => "too-large",
            FileErrorKind::NotAFile => "not-a-file",
            FileErrorKind::Malformed => "malformed",
            FileErrorKind::Io => "io",
        }
    }
}

/// A problem with one file. `path` is on the host: the data dir joined with
/// the path the component saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub path: PathBuf,
    pub kind: FileErrorKind,
    /// 1-based line and column (characters).
    pub position: Option<(u32, u32)>,
    pub message: String,
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.position {
            Some((line, column)) => write!(f, "{}:{line}:{column}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

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
    #[serde(serialize_with = "plain_seconds")]
    pub min: SignedDuration,
    #[serde(serialize_with = "plain_seconds")]
    pub median: SignedDuration,
    #[serde(serialize_with = "plain_seconds")]
    pub p95: SignedDuration,
    #[serde(serialize_with = "plain_seconds")]
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
    #[serde(serialize_with = "plain_seconds")]
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

fn plain_seconds<S: Serializer>(d: &SignedDuration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

/// One change to one task, seen by `orch watch`. In JSON the change is
/// flattened: `{"task_id", "at", "change": "status_changed", "from", "to", "fields"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WatchEvent {
    pub task_id: String,
    /// The "now" of the check that noticed it.
    pub at: Timestamp,
    #[serde(flatten)]
    pub change: TaskChange,
    /// Changed fields, `status` included; empty for added and removed tasks.
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum TaskChange {
    Added,
    Removed,
    StatusChanged { from: String, to: String },
    Updated,
}

impl TaskChange {
    /// A stable name: `added`, `removed`, `status_changed`, `updated`.
    pub fn as_str(&self) -> &'static str {
        match self {
            TaskChange::Added => "added",
            TaskChange::Removed => "removed",
            TaskChange::StatusChanged { .. } => "status_changed",
            TaskChange::Updated => "updated",
        }
    }
}

/// What the component's parse cache has saved, since its instance started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct CacheStats {
    /// Files held.
    pub entries: u64,
    /// Files served from the cache: after a stat, or with none while the
    /// host's watch saw no change.
    pub hits: u64,
    /// Of the hits, those served with no stat.
    pub unchecked: u64,
    /// Files read and parsed: new, changed, or not yet trusted.
    pub misses: u64,
}

/// Instances' counters added up, as one session of several reports them.
impl std::ops::AddAssign for CacheStats {
    fn add_assign(&mut self, other: CacheStats) {
        self.entries += other.entries;
        self.hits += other.hits;
        self.unchecked += other.unchecked;
        self.misses += other.misses;
    }
}
