//! The pending states of a page of tasks. A state comes from the
//! dependency graph, which spans the whole queue, while a shard selects
//! only its own files' tasks: so a selection waits here, unresolved, until
//! every shard's slim tasks have arrived, and is then given its states,
//! filtered by them and paged.

use super::dependency_graph::DependencyGraph;
use super::queue_part::SlimTask;
use super::task_order::Selection;
use crate::model::{StateKind, Task};

/// A selection whose states are not known yet.
pub struct Unresolved {
    tasks: Vec<Task>,
    /// The matches before paging, when no state filter applies (with one,
    /// paging waits for the states).
    seen: u64,
    states: Vec<StateKind>,
    offset: u64,
    limit: Option<u64>,
}

impl Unresolved {
    /// With `states` to keep, `selection` must keep every match
    /// ([`Selection::new`] with offset 0 and no limit): the page is cut
    /// here, once the states are known. Without, it is already the page.
    pub fn new(selection: Selection, states: &[StateKind], offset: u64, limit: Option<u64>) -> Self {
        let seen = selection.seen();
        let tasks = selection.into_page();
        match states.is_empty() {
            true => Unresolved { tasks, seen, states: Vec::new(), offset: 0, limit: None },
            false => Unresolved { tasks, seen, states: states.to_vec(), offset, limit },
        }
    }

    /// How to select for [`Self::new`]: every match when states filter.
    pub fn selection(states: &[StateKind], offset: u64, limit: Option<u64>) -> Selection {
        match states.is_empty() {
            true => Selection::new(offset, limit),
            false => Selection::new(0, None),
        }
    }

    /// The page, each pending task with its state, and the matches before
    /// paging. `queue` is every task of the queue, slim.
    pub fn resolve(self, queue: &[SlimTask]) -> (Vec<Task>, u64) {
        let graph = DependencyGraph::build(queue);
        let mut tasks = self.tasks;
        for task in &mut tasks {
            task.state = graph.index_of(&task.id).and_then(|i| graph.state(i)).map(|s| s.kind());
        }
        if self.states.is_empty() {
            return (tasks, self.seen);
        }
        tasks.retain(|t| t.state.is_some_and(|s| self.states.contains(&s)));
        let total = tasks.len() as u64;
        let offset = usize::try_from(self.offset).unwrap_or(usize::MAX).min(tasks.len());
        tasks.drain(..offset);
        if let Some(limit) = self.limit {
            tasks.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        }
        (tasks, total)
    }
}
