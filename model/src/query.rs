use crate::{FileError, Task};

/// Which tasks to return. `from` and `to` take RFC 3339, a date, or an age
/// (`2h`, `3d`), still as text: the component parses them against the
/// "now" the host passes with the query.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TaskQuery {
    pub statuses: Vec<String>,
    pub min_priority: Option<i64>,
    pub max_priority: Option<i64>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub workflow: Option<String>,
    /// Pending states to keep (`ready`, `blocked`, …); any keeps only
    /// pending tasks in one of them.
    pub states: Vec<String>,
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
