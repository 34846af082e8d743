//! The pending states of a page of tasks. A state comes from the
//! dependency graph, which spans the whole queue, while a shard selects
//! only its own files' tasks: so a selection waits here, unresolved, until
//! one instance has built the graph of every shard's tasks
//! ([`super::graph_part`]) and handed back each of this shard's tasks'
//! state; it is then filtered by them and paged.

use jiff::Timestamp;

use super::graph_part;
use super::task_order::{Queued, Selection};
use crate::model::{StateKind, Task};

/// A selected task, and its place in its shard's scan: where its state's
/// code comes back.
pub struct Placed {
    pub task: Task,
    pub at: usize,
}

impl Queued for Placed {
    fn id(&self) -> &str {
        &self.task.id
    }
    fn priority(&self) -> i64 {
        self.task.priority
    }
    fn created_at(&self) -> Option<Timestamp> {
        self.task.created_at
    }
}

/// A selection whose states are not known yet.
pub struct Unresolved {
    tasks: Vec<Placed>,
    /// The matches before paging, when no state filter applies (with one,
    /// paging waits for the states).
    seen: u64,
    states: Vec<StateKind>,
    offset: u64,
    limit: Option<u64>,
}

impl Unresolved {
    /// With `states` to keep, `selection` must keep every match (as
    /// [`Self::selection`] makes it): the page is cut here, once the states
    /// are known. Without, it is already the page.
    pub fn new(selection: Selection<Placed>, states: &[StateKind], offset: u64, limit: Option<u64>) -> Self {
        let seen = selection.seen();
        let tasks = selection.into_page();
        match states.is_empty() {
            true => Unresolved { tasks, seen, states: Vec::new(), offset: 0, limit: None },
            false => Unresolved { tasks, seen, states: states.to_vec(), offset, limit },
        }
    }

    /// How to select for [`Self::new`]: every match when states filter.
    pub fn selection(states: &[StateKind], offset: u64, limit: Option<u64>) -> Selection<Placed> {
        match states.is_empty() {
            true => Selection::new(offset, limit),
            false => Selection::new(0, None),
        }
    }

    /// The page, each pending task with its state, and the matches before
    /// paging. `codes` holds a state code per task the shard scanned, in
    /// scan order ([`graph_part::state_codes`]).
    pub fn resolve(self, codes: &[u8]) -> (Vec<Task>, u64) {
        let stated = self.tasks.into_iter().map(|Placed { mut task, at }| {
            task.state = codes.get(at).copied().and_then(graph_part::kind_of);
            task
        });
        if self.states.is_empty() {
            return (stated.collect(), self.seen);
        }
        let mut tasks: Vec<Task> = stated.filter(|t| t.state.is_some_and(|s| self.states.contains(&s))).collect();
        let total = tasks.len() as u64;
        let offset = usize::try_from(self.offset).unwrap_or(usize::MAX).min(tasks.len());
        tasks.drain(..offset);
        if let Some(limit) = self.limit {
            tasks.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        }
        (tasks, total)
    }
}
