//! The orchestrator's records, defined once: the component's logic builds
//! them, the WIT carries them (each side converts at the boundary), and the
//! hosts render them. Plain data with serde, for native and wasm32-wasip2
//! alike; it imports nothing of the project. [`layout`] names where they
//! are read from, once for the component and the hosts.

mod cache;
mod detail;
mod diagnostic;
mod file_error;
pub mod layout;
mod query;
mod query_error;
mod stats;
mod status;
mod task;
mod validation;
mod watch;
mod workflow;

pub use cache::CacheStats;
pub use detail::{PendingState, QueueEntry, RelatedTask, StateKind, TaskDetail, Timings};
pub use diagnostic::{Diagnostic, Related, Severity, Span};
pub use file_error::{FileError, FileErrorKind, Position, SkippedFiles};
pub use query::{ReadOptions, TaskPage, TaskQuery};
pub use query_error::QueryError;
pub use stats::{
    DayCount, GroupedRunTimes, OldestPending, PriorityCount, RunTimes, StatusCount, TaskStats, Throughput,
};
pub use status::{StatusReport, StatusSource};
pub use task::{KNOWN_STATUSES, Task};
pub use validation::{Language, Role, ValidationReport};
pub use watch::{TaskChange, WatchEvent};
pub use workflow::{
    GroupedBy, HeldTask, WorkflowDetail, WorkflowList, WorkflowQuery, WorkflowRow, WorkflowState, WorkflowTask,
};

/// Durations in JSON: seconds, as a number.
pub(crate) fn plain_seconds<S: serde::Serializer>(d: &jiff::SignedDuration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

pub(crate) fn optional_seconds<S: serde::Serializer>(
    d: &Option<jiff::SignedDuration>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => plain_seconds(d, s),
        None => s.serialize_none(),
    }
}
