//! A task's status as the queue's figures tell it apart: one of the
//! model's known statuses ([`KNOWN_STATUSES`]), or any other. Told once
//! per task where the task is read, so that a merge of many compares no
//! status text (in wasm, `memcmp` goes a byte at a time).

use crate::model::KNOWN_STATUSES;

/// In lifecycle order, as [`KNOWN_STATUSES`] lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskStatus {
    Pending,
    Running,
    Completed,
    Failed,
    Cancelled,
    /// A status the model doesn't know, or none.
    Other,
}

impl TaskStatus {
    const KNOWN: [TaskStatus; KNOWN_STATUSES.len()] =
        [TaskStatus::Pending, TaskStatus::Running, TaskStatus::Completed, TaskStatus::Failed, TaskStatus::Cancelled];

    pub fn of(status: &str) -> Self {
        match status {
            "pending" => TaskStatus::Pending,
            "running" => TaskStatus::Running,
            "completed" => TaskStatus::Completed,
            "failed" => TaskStatus::Failed,
            "cancelled" => TaskStatus::Cancelled,
            _ => TaskStatus::Other,
        }
    }

    /// The known status at `rank` in [`KNOWN_STATUSES`].
    /// The status as a file spells it, before [`normalize_status`]: the
    /// same as [`TaskStatus::of`] the normalized text, without making it.
    ///
    /// [`normalize_status`]: crate::queue::task_file::normalize_status
    pub fn of_spelled(status: &str) -> Self {
        let status = status.trim();
        match KNOWN_STATUSES.iter().position(|known| status.eq_ignore_ascii_case(known)) {
            Some(rank) => Self::KNOWN[rank],
            None if status.eq_ignore_ascii_case("canceled") => TaskStatus::Cancelled,
            None => TaskStatus::Other,
        }
    }

    pub fn known(rank: usize) -> Option<Self> {
        Self::KNOWN.get(rank).copied()
    }

    /// Its place in [`KNOWN_STATUSES`]; `None` for [`TaskStatus::Other`].
    pub fn rank(self) -> Option<usize> {
        Self::KNOWN.iter().position(|&known| known == self)
    }

    /// Finished without completing.
    pub fn is_failure(self) -> bool {
        matches!(self, TaskStatus::Failed | TaskStatus::Cancelled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_statuses_are_told_in_their_order() {
        for (rank, name) in KNOWN_STATUSES.into_iter().enumerate() {
            let status = TaskStatus::of(name);
            assert_eq!(status.rank(), Some(rank), "{name}");
            assert_eq!(TaskStatus::known(rank), Some(status));
        }
        for other in ["", "Pending", "queued", "completed "] {
            assert_eq!(TaskStatus::of(other), TaskStatus::Other);
            assert_eq!(TaskStatus::of(other).rank(), None);
        }
        assert_eq!(TaskStatus::known(KNOWN_STATUSES.len()), None);
    }

    #[test]
    fn a_spelled_status_is_told_as_its_normalized_text() {
        use crate::queue::task_file::normalize_status;
        for spelled in
            ["Pending", " RUNNING ", "completed", "Canceled", "CANCELLED", "failed\n", "queued", "", "pend ing"]
        {
            assert_eq!(TaskStatus::of_spelled(spelled), TaskStatus::of(&normalize_status(spelled)), "{spelled:?}");
        }
    }
}
