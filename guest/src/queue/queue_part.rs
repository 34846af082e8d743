//! A shard's tasks in the slim form that the dependency graph and the
//! workflow figures read, handed to whichever instance merges the shards.
//! Slim means without `command`, `args` and `output`, which no figure reads
//! and which make most of a task's size, and with only the first line of a
//! failed or cancelled task's `error`, which a blocked task's reason quotes.
//!
//! The bytes are [`super::slim_part`].

use jiff::Timestamp;

use super::dependency_graph::GraphTask;
use super::slim_part::{self, PackedIds};
use super::task_order::Queued;
use super::task_status::TaskStatus;
use crate::error::{Error, FileError};
use crate::model::{QueueEntry, Task};

/// Borrowed from a part's bytes, the merging instance's own or another's.
#[derive(Debug, Clone, PartialEq)]
pub struct SlimTask<'b> {
    pub id: &'b str,
    pub name: Option<&'b str>,
    pub status: &'b str,
    /// What `status` is.
    pub status_kind: TaskStatus,
    pub dependencies: DependencyIds<'b>,
    pub priority: i64,
    pub created_at: SlimTime,
    pub started_at: SlimTime,
    pub completed_at: SlimTime,
    pub workflow: Option<&'b str>,
    /// The first line of `error`, trimmed, for a failed or cancelled task.
    pub error_line: Option<&'b str>,
}

impl SlimTask<'_> {
    /// What a slim task keeps of a task's `error`.
    /// The first line of a failed or cancelled task's `error`, trimmed.
    pub fn error_line(status: TaskStatus, error: &str) -> Option<&str> {
        error.lines().next().map(str::trim).filter(|line| status.is_failure() && !line.is_empty())
    }
}

/// An optional instant in 12 bytes, aligned to 4, where `Option<Timestamp>`
/// takes 24, aligned to 8: a merge decodes 100,000 slim tasks of three
/// each into memory it touches for the first time, and reads them in
/// every pass over the queue.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SlimTime {
    /// The seconds, low half first.
    second: [u32; 2],
    /// [`ABSENT`] for none.
    nanosecond: i32,
}

/// No instant: no `Timestamp` has a negative billion nanoseconds and more.
const ABSENT: i32 = i32::MIN;

impl SlimTime {
    pub const NONE: SlimTime = SlimTime { second: [0, 0], nanosecond: ABSENT };

    pub fn get(self) -> Option<Timestamp> {
        if self.nanosecond == ABSENT {
            return None;
        }
        let second = (u64::from(self.second[1]) << 32 | u64::from(self.second[0])) as i64;
        // Made from a `Timestamp`, so always one again.
        Timestamp::new(second, self.nanosecond).ok()
    }
}

impl From<Option<Timestamp>> for SlimTime {
    fn from(at: Option<Timestamp>) -> Self {
        let Some(at) = at else { return SlimTime::NONE };
        let second = at.as_second() as u64;
        SlimTime { second: [second as u32, (second >> 32) as u32], nanosecond: at.subsec_nanosecond() }
    }
}

impl std::fmt::Debug for SlimTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

/// A slim task's dependency ids, in listed order.
#[derive(Clone, Copy)]
pub enum DependencyIds<'b> {
    /// As a caller lists them: tests build slim tasks so, without a part.
    Listed(&'b [&'b str]),
    /// Lent from a part's bytes ([`slim_part`]): the ids one after another
    /// in `text`, their lengths as varints, checked when the part was read.
    Packed { text: &'b str, lengths: &'b [u8], count: u32 },
}

impl<'b> DependencyIds<'b> {
    pub fn iter(self) -> DependencyIter<'b> {
        match self {
            DependencyIds::Listed(ids) => DependencyIter::Listed(ids.iter()),
            DependencyIds::Packed { text, lengths, .. } => DependencyIter::Packed(PackedIds::new(text, lengths)),
        }
    }

    pub fn len(self) -> usize {
        match self {
            DependencyIds::Listed(ids) => ids.len(),
            DependencyIds::Packed { count, .. } => count as usize,
        }
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// The ids of [`DependencyIds`]: a plain enum rather than a chain of two
/// optional iterators, which the graph's build spent a tenth of its time
/// stepping through.
pub enum DependencyIter<'b> {
    Listed(std::slice::Iter<'b, &'b str>),
    Packed(PackedIds<'b>),
}

impl<'b> Iterator for DependencyIter<'b> {
    type Item = &'b str;

    fn next(&mut self) -> Option<&'b str> {
        match self {
            DependencyIter::Listed(ids) => ids.next().copied(),
            DependencyIter::Packed(ids) => ids.next(),
        }
    }
}

impl PartialEq for DependencyIds<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl std::fmt::Debug for DependencyIds<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
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
        self.created_at.get()
    }
}

impl GraphTask for SlimTask<'_> {
    fn status(&self) -> &str {
        self.status
    }
    fn status_kind(&self) -> TaskStatus {
        self.status_kind
    }
    fn dependencies(&self) -> impl Iterator<Item = &str> {
        self.dependencies.iter()
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
    /// [`SlimTask`]s as [`slim_part`].
    pub tasks: Vec<u8>,
    pub whole: Vec<WholeTask>,
    pub skipped: Vec<FileError>,
    /// See [`super::load::Scanned::misnamed`]: the part cannot stand.
    pub misnamed: bool,
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
    slim_part::read_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_failed_task_quotes_its_error() {
        assert_eq!(SlimTask::error_line(TaskStatus::Completed, "warn"), None);
        assert_eq!(SlimTask::error_line(TaskStatus::Failed, "  exit 1: refused \nstack"), Some("exit 1: refused"));
        assert_eq!(SlimTask::error_line(TaskStatus::Cancelled, " \nstack"), None);
    }
}
