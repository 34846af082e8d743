//! One task with its place in the queue, for `orch show`; see the WIT
//! `queue.task-detail`.

use jiff::{SignedDuration, Timestamp};
use serde::{Serialize, Serializer};

use crate::{FileError, Task};

/// Where a pending task stands in the dependency graph; a task that is not
/// pending has none (its status says it all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PendingState {
    /// Every dependency is completed, or there are none.
    Ready,
    /// Some dependency is pending or running.
    Waiting,
    /// Some dependency, directly or through others, failed or was
    /// cancelled: these, the roots at the bottom of each chain.
    Blocked(Vec<String>),
    /// These dependencies name no task in the queue.
    Dangling(Vec<String>),
    /// The task is on this cycle, from its smallest id back to it.
    Cycle(Vec<String>),
}

/// A pending state without what it names, as listed for related tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StateKind {
    Ready,
    Waiting,
    Blocked,
    Dangling,
    Cycle,
}

impl StateKind {
    pub const ALL: [StateKind; 5] =
        [StateKind::Ready, StateKind::Waiting, StateKind::Blocked, StateKind::Dangling, StateKind::Cycle];

    pub fn name(self) -> &'static str {
        match self {
            StateKind::Ready => "ready",
            StateKind::Waiting => "waiting",
            StateKind::Blocked => "blocked",
            StateKind::Dangling => "dangling",
            StateKind::Cycle => "cycle",
        }
    }
}

impl PendingState {
    pub fn kind(&self) -> StateKind {
        match self {
            PendingState::Ready => StateKind::Ready,
            PendingState::Waiting => StateKind::Waiting,
            PendingState::Blocked(_) => StateKind::Blocked,
            PendingState::Dangling(_) => StateKind::Dangling,
            PendingState::Cycle(_) => StateKind::Cycle,
        }
    }

    pub fn name(&self) -> &'static str {
        self.kind().name()
    }

    /// The root causes of a blocked task; empty otherwise.
    pub fn blocked_by(&self) -> &[String] {
        match self {
            PendingState::Blocked(by) => by,
            _ => &[],
        }
    }
}

/// In JSON, a state is its name.
impl Serialize for PendingState {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// A task's entry in the backend's `queue.rkvs/queue/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueEntry {
    pub priority: i64,
    pub enqueued_at: Option<Timestamp>,
}

/// How long a task has been in the queue, waited and run, as of "now".
/// In JSON, seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Timings {
    /// Created to now.
    #[serde(serialize_with = "crate::optional_seconds")]
    pub queued: Option<SignedDuration>,
    /// Created to started.
    #[serde(serialize_with = "crate::optional_seconds")]
    pub waited: Option<SignedDuration>,
    /// Started to completed, or to now while it runs.
    #[serde(serialize_with = "crate::optional_seconds")]
    pub ran: Option<SignedDuration>,
}

/// A task reached through the dependency graph: `depth` 1 is direct. Its
/// state is only named: a task on a cycle of 100,000 would otherwise carry
/// the whole path for each of the others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelatedTask {
    pub id: String,
    pub status: String,
    pub state: Option<StateKind>,
    pub depth: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskDetail {
    pub task: Task,
    pub queue_entry: Option<QueueEntry>,
    pub state: Option<PendingState>,
    /// The root causes of a blocked task: the failed or cancelled tasks at
    /// the bottom of each chain, not the direct dependencies.
    pub blocked_by: Vec<String>,
    /// For a pending task, one line on why it is not running.
    pub reason: Option<String>,
    pub timings: Timings,
    /// The dependencies as a tree walked depth first: each entry sits under
    /// the nearest entry before it one level shallower.
    pub dependencies: Vec<RelatedTask>,
    /// The tasks that depend on it, directly and through others, likewise.
    pub dependents: Vec<RelatedTask>,
    #[serde(skip)]
    pub skipped: Vec<FileError>,
}
