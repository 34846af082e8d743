//! A shard's tasks in the slim form that the dependency graph and the
//! workflow figures read, handed to whichever instance merges the shards.
//! Slim means without `command`, `args` and `output`, which no figure reads
//! and which make most of a task's size, and with only the first line of a
//! failed or cancelled task's `error`, which a blocked task's reason quotes.
//!
//! The bytes are only ever read by this same component (the host passes
//! them through), so their form is ours: postcard, with instants as
//! nanoseconds.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::dependency_graph::GraphTask;
use super::task_order::Queued;
use crate::error::Error;
use crate::model::{QueueEntry, Task};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlimTask {
    pub id: String,
    pub name: Option<String>,
    pub status: String,
    pub dependencies: Vec<String>,
    pub priority: i64,
    #[serde(with = "nanos")]
    pub created_at: Option<Timestamp>,
    #[serde(with = "nanos")]
    pub started_at: Option<Timestamp>,
    #[serde(with = "nanos")]
    pub completed_at: Option<Timestamp>,
    pub workflow: Option<String>,
    /// The first line of `error`, trimmed, for a failed or cancelled task.
    pub error_line: Option<String>,
}

impl SlimTask {
    pub fn of(task: &Task) -> SlimTask {
        let failed = matches!(task.status.as_str(), "failed" | "cancelled");
        let error_line = task
            .error
            .as_deref()
            .filter(|_| failed)
            .and_then(|e| e.lines().next())
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string);
        SlimTask {
            id: task.id.clone(),
            name: task.name.clone(),
            status: task.status.clone(),
            dependencies: task.dependencies.clone().unwrap_or_default(),
            priority: task.priority,
            created_at: task.created_at,
            started_at: task.started_at,
            completed_at: task.completed_at,
            workflow: task.workflow.clone(),
            error_line,
        }
    }
}

impl Queued for SlimTask {
    fn id(&self) -> &str {
        &self.id
    }
    fn priority(&self) -> i64 {
        self.priority
    }
    fn created_at(&self) -> Option<Timestamp> {
        self.created_at
    }
}

impl GraphTask for SlimTask {
    fn status(&self) -> &str {
        &self.status
    }
    fn dependencies(&self) -> impl Iterator<Item = &str> {
        self.dependencies.iter().map(String::as_str)
    }
    fn error(&self) -> Option<&str> {
        self.error_line.as_deref()
    }
}

/// A task asked for whole, with its queue entry.
#[derive(Debug, Clone, PartialEq)]
pub struct WholeTask {
    pub task: Task,
    pub queue_entry: Option<QueueEntry>,
}

/// One shard's scan: every task slim, some whole, and what was skipped.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QueuePart {
    pub tasks: Vec<SlimTask>,
    pub whole: Vec<WholeTask>,
    pub skipped: Vec<crate::error::FileError>,
    /// See [`super::load::Scanned::misnamed`]: the part cannot stand.
    pub misnamed: bool,
}

pub fn encode(tasks: &[SlimTask]) -> Vec<u8> {
    // Plain data with no map keys or foreign types: writing it to memory cannot fail.
    postcard::to_allocvec(tasks).unwrap_or_default()
}

pub fn decode(bytes: &[u8]) -> Result<Vec<SlimTask>, Error> {
    postcard::from_bytes(bytes).map_err(|e| Error::argument("parts", format!("not a part this component wrote: {e}")))
}

/// The parts' tasks as one queue, shard by shard, and their skipped
/// files by path, as an unsharded scan reports them. A misnamed part is
/// refused: the host must scan again unsharded.
pub fn merge(parts: Vec<QueuePart>) -> Result<QueuePart, Error> {
    let mut whole = QueuePart::default();
    for part in parts {
        if part.misnamed {
            return Err(Error::argument("parts", "a part whose shard found a misnamed file cannot be merged"));
        }
        whole.tasks.extend(part.tasks);
        whole.whole.extend(part.whole);
        whole.skipped.extend(part.skipped);
    }
    whole.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(whole)
}

/// Optional instants as nanoseconds since the epoch.
mod nanos {
    use jiff::Timestamp;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_some(&t.as_nanosecond()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
        Option::<i128>::deserialize(d)?.map(|n| Timestamp::from_nanosecond(n).map_err(D::Error::custom)).transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slim_tasks_survive_the_bytes() {
        let task = Task {
            id: "t1".into(),
            name: Some("deploy".into()),
            command: Some("kubectl".into()),
            output: Some("lots".into()),
            dependencies: Some(vec!["t0".into()]),
            status: "failed".into(),
            priority: -3,
            created_at: Some("2025-10-01T00:00:00.5Z".parse().unwrap()),
            error: Some("  exit 1: refused \nstack".into()),
            workflow: Some("wf".into()),
            ..Task::default()
        };
        let slim = vec![SlimTask::of(&task), SlimTask::of(&Task { id: "t0".into(), ..Task::default() })];
        assert_eq!(slim[0].error_line.as_deref(), Some("exit 1: refused"));
        assert_eq!(decode(&encode(&slim)).unwrap(), slim);
    }

    #[test]
    fn a_completed_task_quotes_no_error_and_foreign_bytes_are_refused() {
        let task = Task { id: "t".into(), status: "completed".into(), error: Some("warn".into()), ..Task::default() };
        assert_eq!(SlimTask::of(&task).error_line, None);
        assert!(matches!(decode(&[0xff, 0xff, 0xff]), Err(Error::InvalidArgument { .. })));
    }
}
