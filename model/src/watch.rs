use jiff::Timestamp;
use serde::Serialize;

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
