//! The order that puts dependencies first: Kahn's algorithm, with the
//! queue's order choosing among the tasks free to go.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::sccs::Sccs;
use super::{Adjacency, GraphTask, NONE};
use crate::queue::task_order::sort_by_id;

/// Kahn's algorithm over a set of tasks, with a heap for the queue's order
/// among the tasks free to go.
pub(super) struct TopologicalRun<'a, T> {
    dependencies: &'a Adjacency,
    dependents: &'a Adjacency,
    tasks: &'a [T],
    chosen: Vec<bool>,
    placed: Vec<bool>,
    /// Each chosen task's chosen dependencies not yet placed.
    unmet: Vec<usize>,
    /// Each chosen task's place in the queue's order, and the task at
    /// each place: sorted once, so that the heap compares integers.
    rank: Vec<u32>,
    by_rank: Vec<usize>,
    /// The ranks of the tasks free to go; the least is the queue's first.
    free: BinaryHeap<Reverse<u32>>,
    order: Vec<usize>,
}

impl<'a, T: GraphTask> TopologicalRun<'a, T> {
    /// `by_rank`: the tasks to order, each once, in the order to prefer
    /// among those free to go; `dependents` is `dependencies` reversed.
    fn new(dependencies: &'a Adjacency, dependents: &'a Adjacency, by_rank: Vec<usize>, tasks: &'a [T]) -> Self {
        debug_assert_eq!(tasks.len(), dependencies.nodes(), "the graph's own tasks");
        let n = dependencies.nodes();
        let mut chosen = vec![false; n];
        let mut rank = vec![0; n];
        for (r, &v) in (0..).zip(&by_rank) {
            chosen[v] = true;
            rank[v] = r;
        }
        let mut unmet = vec![0; n];
        for &v in &by_rank {
            unmet[v] = dependencies.of(v).iter().filter(|&&d| chosen[d]).count();
        }
        TopologicalRun {
            dependencies,
            dependents,
            tasks,
            chosen,
            placed: vec![false; n],
            unmet,
            rank,
            order: Vec::with_capacity(by_rank.len()),
            by_rank,
            free: BinaryHeap::new(),
        }
    }

    /// Every chosen task, dependencies first.
    pub(super) fn order(
        dependencies: &'a Adjacency,
        dependents: &'a Adjacency,
        by_rank: Vec<usize>,
        tasks: &'a [T],
    ) -> Vec<usize> {
        let mut run = TopologicalRun::new(dependencies, dependents, by_rank, tasks);
        for (r, &v) in (0..).zip(&run.by_rank) {
            if run.unmet[v] == 0 {
                run.free.push(Reverse(r));
            }
        }
        run.drain();
        if run.order.len() < run.by_rank.len() {
            run.place_cycles();
            run.drain();
        }
        debug_assert_eq!(run.order.len(), run.by_rank.len(), "every chosen task placed");
        run.order
    }

    /// Places every task free to go, the queue's first each time.
    fn drain(&mut self) {
        while let Some(Reverse(r)) = self.free.pop() {
            let index = self.by_rank[r as usize];
            self.placed[index] = true;
            self.order.push(index);
            self.release(index);
        }
    }

    /// Frees the chosen dependents of a placed task whose last unmet
    /// dependency it was.
    fn release(&mut self, v: usize) {
        for &u in self.dependents.of(v) {
            if self.chosen[u] && !self.placed[u] {
                self.unmet[u] -= 1;
                if self.unmet[u] == 0 {
                    self.free.push(Reverse(self.rank[u]));
                }
            }
        }
    }

    /// When Kahn stalls, every task left is on a cycle or depends on one.
    /// Places those on cycles in id order and frees what they held. No
    /// member of a cycle can have been placed, so the cycles among the
    /// tasks left are those among the chosen.
    fn place_cycles(&mut self) {
        let sccs = Sccs::within(self.dependencies, &self.chosen);
        let on_cycle = |v: usize| sccs.component[v] != NONE && sccs.cyclic[sccs.component[v]];
        let mut stuck: Vec<usize> = self.by_rank.iter().copied().filter(|&v| !self.placed[v] && on_cycle(v)).collect();
        sort_by_id(&mut stuck, self.tasks);
        // All placed before any is released, so none is freed into the heap.
        for &v in &stuck {
            self.placed[v] = true;
        }
        for &v in &stuck {
            self.order.push(v);
            self.release(v);
        }
    }
}
