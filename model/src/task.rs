use jiff::Timestamp;
use serde::Serialize;

use crate::StateKind;

/// The statuses the orchestrator writes, in its lifecycle order.
pub const KNOWN_STATUSES: [&str; 5] = ["pending", "running", "completed", "failed", "cancelled"];

/// One task, from either storage layout; see the WIT `queue.task`.
/// `status` is lowercase. Field order is output column order.
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
    /// Where a pending task stands in the dependency graph, when the call
    /// that read it built the graph (`tasks`, `show`); left out of JSON otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<StateKind>,
}
