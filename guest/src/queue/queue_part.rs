//! A shard's tasks in the slim form that the dependency graph and the
//! workflow figures read, handed to whichever instance merges the shards.
//! Slim means without `command`, `args` and `output`, which no figure reads
//! and which make most of a task's size, and with only the first line of a
//! failed or cancelled task's `error`, which a blocked task's reason quotes.
//!
//! The bytes are [`super::part_records`].

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::dependency_graph::GraphTask;
use super::part_records::{self, PartRecords};
use super::task_order::Queued;
use crate::error::{Error, FileError};
use crate::model::{QueueEntry, Task};

/// Borrowed: from its task while a shard writes it, from the part's bytes
/// once another instance reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlimTask<'b> {
    pub id: &'b str,
    #[serde(borrow)]
    pub name: Option<&'b str>,
    pub status: &'b str,
    #[serde(borrow)]
    pub dependencies: Vec<&'b str>,
    pub priority: i64,
    #[serde(with = "instant")]
    pub created_at: Option<Timestamp>,
    #[serde(with = "instant")]
    pub started_at: Option<Timestamp>,
    #[serde(with = "instant")]
    pub completed_at: Option<Timestamp>,
    #[serde(borrow)]
    pub workflow: Option<&'b str>,
    /// The first line of `error`, trimmed, for a failed or cancelled task.
    #[serde(borrow)]
    pub error_line: Option<&'b str>,
}

impl<'b> SlimTask<'b> {
    pub fn of(task: &'b Task) -> SlimTask<'b> {
        let failed = matches!(task.status.as_str(), "failed" | "cancelled");
        let error_line = task
            .error
            .as_deref()
            .filter(|_| failed)
            .and_then(|e| e.lines().next())
            .map(str::trim)
            .filter(|l| !l.is_empty());
        SlimTask {
            id: &task.id,
            name: task.name.as_deref(),
            status: &task.status,
            dependencies: task.dependencies.iter().flatten().map(String::as_str).collect(),
            priority: task.priority,
            created_at: task.created_at,
            started_at: task.started_at,
            completed_at: task.completed_at,
            workflow: task.workflow.as_deref(),
            error_line,
        }
    }
}

impl Queued for SlimTask<'_> {
    fn id(&self) -> &str {
        self.id
    }
    fn priority(&self) -> i64 {
        self.priority
    }
    fn created_at(&self) -> Option<Timestamp> {
        self.created_at
    }
}

impl GraphTask for SlimTask<'_> {
    fn status(&self) -> &str {
        self.status
    }
    fn dependencies(&self) -> impl Iterator<Item = &str> {
        self.dependencies.iter().copied()
    }
    fn error(&self) -> Option<&str> {
        self.error_line
    }
}

/// A task asked for whole, with its queue entry.
#[derive(Debug, Clone, PartialEq)]
pub struct WholeTask {
    pub task: Task,
    pub queue_entry: Option<QueueEntry>,
}

/// One shard's scan: every task slim, as bytes, some whole, and what was
/// skipped.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QueuePart {
    /// [`SlimTask`]s as [`part_records`].
    pub tasks: Vec<u8>,
    pub whole: Vec<WholeTask>,
    pub skipped: Vec<FileError>,
    /// See [`super::load::Scanned::misnamed`]: the part cannot stand.
    pub misnamed: bool,
}

/// A shard's slim tasks, written as the scan reads them.
#[derive(Debug, Clone, Default)]
pub struct SlimBytes(PartRecords);

impl SlimBytes {
    pub fn push(&mut self, task: &Task) {
        self.0.push(&SlimTask::of(task));
    }

    pub fn reserve(&mut self, tasks: usize) {
        // About what a task of a uuid, a name and one dependency takes.
        self.0.reserve(tasks, 110);
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.0.into_bytes()
    }
}

/// Every part merged: each part's bytes, which the slim tasks borrow from
/// ([`Merged::tasks`]), and the whole tasks and the skipped files of all.
#[derive(Debug, Default)]
pub struct Merged {
    pub bytes: Vec<Vec<u8>>,
    pub whole: Vec<WholeTask>,
    /// By path, as an unsharded scan reports them.
    pub skipped: Vec<FileError>,
}

/// The parts as one queue, shard by shard. A misnamed part is refused: the
/// host must scan again unsharded.
pub fn merge(parts: Vec<QueuePart>) -> Result<Merged, Error> {
    let mut merged = Merged::default();
    for part in parts {
        if part.misnamed {
            return Err(Error::argument("parts", "a part whose shard found a misnamed file cannot be merged"));
        }
        merged.bytes.push(part.tasks);
        merged.whole.extend(part.whole);
        merged.skipped.extend(part.skipped);
    }
    merged.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(merged)
}

/// Every part's slim tasks, in order, borrowed from their bytes.
pub fn tasks(bytes: &[Vec<u8>]) -> Result<Vec<SlimTask<'_>>, Error> {
    part_records::read_all(bytes, "parts")
}

/// Optional instants as seconds since the epoch and the nanoseconds past
/// them: what a [`Timestamp`] holds, so that neither way divides.
mod instant {
    use jiff::Timestamp;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_some(&(t.as_second(), t.subsec_nanosecond())),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
        let parts = Option::<(i64, i32)>::deserialize(d)?;
        parts.map(|(second, nanos)| Timestamp::new(second, nanos).map_err(D::Error::custom)).transpose()
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
            // Before the epoch, the seconds and their fraction are both negative.
            started_at: Some("1969-12-31T23:59:58.25Z".parse().unwrap()),
            error: Some("  exit 1: refused \nstack".into()),
            workflow: Some("wf".into()),
            ..Task::default()
        };
        let bare = Task { id: "t0".into(), ..Task::default() };
        let mut part = SlimBytes::default();
        part.push(&task);
        part.push(&bare);
        let bytes = vec![part.into_bytes()];
        let slim = tasks(&bytes).unwrap();
        assert_eq!(slim, [SlimTask::of(&task), SlimTask::of(&bare)]);
        assert_eq!(slim[0].error_line, Some("exit 1: refused"));
    }

    #[test]
    fn a_completed_task_quotes_no_error_and_foreign_bytes_are_refused() {
        let task = Task { id: "t".into(), status: "completed".into(), error: Some("warn".into()), ..Task::default() };
        assert_eq!(SlimTask::of(&task).error_line, None);
        assert!(matches!(tasks(&[vec![0xff, 0xff, 0xff]]), Err(Error::InvalidArgument { .. })));
    }
}
