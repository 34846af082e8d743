//! The queue's dependency graph: which pending tasks can run, and why the
//! others can't. It is built in one pass over a slice of tasks, from each
//! task's `dependencies`; its nodes are indices into that slice.
//!
//! # Edges
//!
//! - `a -> b` means that `a` depends on `b`.
//! - An id names the first task in the slice with that id. A later task
//!   with the same id keeps its own dependencies and state, but nothing can
//!   depend on it.
//! - A dependency listed twice counts once. An id that no task has is
//!   *missing*.
//!
//! # The state of a pending task
//!
//! Tasks that are not pending have no state: their status says it all. A
//! pending task gets the first of these that applies (the precedence is
//! cycle > blocked > dangling > waiting > ready):
//!
//! 1. **cycle**: the task is on a cycle of pending tasks (a strongly
//!    connected component of two or more, or a task depending on itself).
//!    Only edges between pending tasks count: a task that has started or
//!    finished waits for nobody, so a loop through it is no deadlock. The
//!    path is the shortest cycle through the component's smallest id, from
//!    that id back to it (`a -> b -> c -> a`), and all the component's
//!    members share it: in a knot of several cycles a member may sit on
//!    another one.
//! 2. **blocked**: a failed or cancelled task is reachable through pending
//!    tasks — a direct dependency, or one of a pending dependency, and so on,
//!    through cycles too — so the task can never run as things stand. It
//!    names the root causes: those failed or cancelled tasks at the bottom
//!    of the chains, not the direct dependencies, as sorted ids.
//! 3. **dangling**: a direct dependency is missing. Only direct ones: a task
//!    whose pending dependency dangles is waiting on that dependency, like
//!    one whose dependency is on a cycle, because the fix is elsewhere.
//! 4. **waiting**: a direct dependency is not completed: pending (whatever
//!    its own state), running, or of a status the model doesn't know (it
//!    may yet complete, so it is not a failure).
//! 5. **ready**: every dependency is completed, or there are none.
//!
//! # Cost
//!
//! Nothing recurses (Tarjan's components, the walks and the orders keep
//! explicit stacks and queues), so a chain or cycle of any length fits the
//! stack. Time is linear in tasks and dependencies, plus sorting. Memory
//! is too, except for the root-cause sets: a component shares a
//! dependency's set when its own is the same (so a chain or a fan of any
//! size holds one set), and otherwise holds its own, which is O(n · k) at
//! worst for n tasks reaching k different roots.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::model::{StateKind, Task};
use crate::queue::task_order::{QueueKey, Queued, queue_key};

#[cfg(test)]
mod tests;

/// Why a pending task can or can't run; see the module doc for the rules.
/// The shared lists are [`Arc`]s because many tasks hold the same one: every
/// task of a chain above a failure, every member of a cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PendingState {
    Ready,
    Waiting,
    /// The failed or cancelled tasks at the bottom of the chains, sorted ids.
    Blocked {
        by: Arc<[String]>,
    },
    /// The ids of the direct dependencies that no task has, sorted.
    Dangling {
        missing: Vec<String>,
    },
    /// From the cycle's smallest id back to it: `[a, b, c, a]`.
    Cycle {
        path: Arc<[String]>,
    },
}

impl PendingState {
    /// The state without what it names: on a cycle of 100,000, each
    /// member's path is the whole cycle.
    pub fn kind(&self) -> StateKind {
        match self {
            PendingState::Ready => StateKind::Ready,
            PendingState::Waiting => StateKind::Waiting,
            PendingState::Blocked { .. } => StateKind::Blocked,
            PendingState::Dangling { .. } => StateKind::Dangling,
            PendingState::Cycle { .. } => StateKind::Cycle,
        }
    }

    pub fn name(&self) -> &'static str {
        self.kind().name()
    }
}

/// What the graph reads of a task: a whole [`Task`], or the slim form a
/// shard hands over ([`crate::queue::queue_part::SlimTask`]).
pub trait GraphTask: Queued {
    fn status(&self) -> &str;
    /// The ids as listed; a node borrowed from a shard's bytes has no
    /// `String`s to lend, hence an iterator.
    fn dependencies(&self) -> impl Iterator<Item = &str>;
    /// The error's first line is what a blocked task's reason quotes.
    fn error(&self) -> Option<&str>;
}

impl GraphTask for Task {
    fn status(&self) -> &str {
        &self.status
    }
    fn dependencies(&self) -> impl Iterator<Item = &str> {
        self.dependencies.iter().flatten().map(String::as_str)
    }
    fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }
}

/// How many items a one-line reason lists before "and N more".
const LISTED: usize = 5;
/// How many ids of a cycle's path a one-line reason shows before eliding.
const CYCLE_SHOWN: usize = 8;
/// No node: an unvisited or excluded slot.
const NONE: usize = usize::MAX;

/// The dependency graph of one slice of tasks; see the module doc.
#[derive(Debug, Clone)]
pub struct DependencyGraph<'t> {
    /// Each id's first task, borrowing the tasks' ids.
    index: FxHashMap<&'t str, usize>,
    /// `a -> b` when `a` depends on `b`, in `a`'s listed order.
    dependencies: Adjacency,
    /// `b -> a` when `a` depends on `b`, in task order.
    dependents: Adjacency,
    statuses: Vec<Status>,
    states: Vec<Option<PendingState>>,
}

impl<'t> DependencyGraph<'t> {
    pub fn build<T: GraphTask>(tasks: &'t [T]) -> Self {
        let index = first_occurrences(tasks);
        let statuses: Vec<Status> = tasks.iter().map(|t| Status::of(t.status())).collect();
        let (dependencies, missing) = resolve(tasks, &index);
        let dependents = dependencies.reversed();
        let states = pending_states(tasks, &statuses, &dependencies, missing);
        DependencyGraph { index, dependencies, dependents, statuses, states }
    }

    /// The task's state; `None` for a task that is not pending (or an index
    /// out of range).
    pub fn state(&self, index: usize) -> Option<&PendingState> {
        self.states.get(index)?.as_ref()
    }

    /// The first task with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// The tasks this one depends on directly, each once, in listed order;
    /// a missing id names none.
    pub fn direct_dependencies(&self, index: usize) -> &[usize] {
        if index < self.statuses.len() { self.dependencies.of(index) } else { &[] }
    }

    /// The task's dependencies, direct and transitive, as a depth-first
    /// walk in pre-order (each dependency's own after it, in listed order)
    /// with each task's depth in the walk (1 = direct). Each task comes once,
    /// at its first visit, so a shared dependency is shown under the first
    /// task that reaches it and its depth is the walk's, not the shortest
    /// distance. The task itself is left out, even on a cycle. Rendering the
    /// entries in order, indented by depth, draws the tree. Each call costs
    /// O(tasks) for its visited marks, so it suits one task at a time.
    pub fn dependencies(&self, index: usize) -> Vec<(usize, u32)> {
        depth_first(&self.dependencies, index)
    }

    /// The tasks that depend on this one, directly or transitively, walked
    /// like [`Self::dependencies`] along the reverse edges (in task order).
    pub fn dependents(&self, index: usize) -> Vec<(usize, u32)> {
        depth_first(&self.dependents, index)
    }

    /// The weakly connected components: a number per task, the same for
    /// tasks linked by dependencies in either direction, counted from 0 in
    /// the order of each component's first task. A missing id links nothing,
    /// so two tasks that only share a missing dependency stay apart.
    pub fn components(&self) -> Vec<usize> {
        let n = self.statuses.len();
        let mut parent: Vec<usize> = (0..n).collect();
        for a in 0..n {
            for &b in self.dependencies.of(a) {
                let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                // The smaller index is the root, so a root is its component's first task.
                parent[ra.max(rb)] = ra.min(rb);
            }
        }
        let mut numbers = vec![NONE; n];
        let mut count = 0;
        (0..n)
            .map(|v| {
                let root = find(&mut parent, v);
                if numbers[root] == NONE {
                    numbers[root] = count;
                    count += 1;
                }
                numbers[root]
            })
            .collect()
    }

    /// The given tasks in an order that puts dependencies first (edges to
    /// tasks outside the set are ignored). Among the tasks free to go next,
    /// the queue's order picks: priority high first, then oldest (undated
    /// last), then id, then index. Tasks on a cycle within the set can't be
    /// ordered: they come after all that can, in id order, followed by the
    /// tasks that depend on them, again dependencies first. Each index
    /// comes once; indices out of range are dropped. `tasks` is the slice the
    /// graph was built from.
    pub fn topological<T: GraphTask>(&self, indices: &[usize], tasks: &[T]) -> Vec<usize> {
        let mut seen = vec![false; tasks.len()];
        let mut set: Vec<usize> =
            indices.iter().copied().filter(|&i| i < tasks.len() && !std::mem::replace(&mut seen[i], true)).collect();
        sort_queued(&mut set, tasks);
        TopologicalRun::order(&self.dependencies, &self.dependents, set, tasks)
    }

    /// Every task, each group ordered as [`Self::topological`] orders it
    /// alone (edges between groups ignored), the groups interleaved; and
    /// whether each task is a root of its group (no dependency inside it).
    /// `group_of` numbers each task's group. One pass for all the groups:
    /// a call of `topological` per group would cost the whole queue each.
    pub fn topological_by_group<T: GraphTask>(&self, group_of: &[usize], tasks: &[T]) -> GroupedOrder {
        debug_assert_eq!(group_of.len(), tasks.len(), "a group for every task");
        let inside = self.dependencies.filtered(|a, b| group_of[a] == group_of[b]);
        let is_root = (0..inside.nodes()).map(|v| inside.of(v).is_empty()).collect();
        // Only a group's own tasks are ever free together with one another,
        // so each group is sorted alone: many small sorts, not one large.
        let mut by_group = vec![Vec::new(); group_of.iter().max().map_or(0, |&g| g + 1)];
        for (v, &g) in group_of.iter().enumerate().take(tasks.len()) {
            by_group[g].push(v);
        }
        let mut by_rank = Vec::with_capacity(tasks.len());
        for mut group in by_group {
            sort_queued(&mut group, tasks);
            by_rank.extend(group);
        }
        let order = TopologicalRun::order(&inside, &inside.reversed(), by_rank, tasks);
        GroupedOrder { order, is_root }
    }

    /// One line saying why a pending task can or can't run, such as
    /// `blocked: task-003 failed (exit 1: connection refused)`; `None` for a
    /// task that is not pending. `tasks` is the slice the graph was built
    /// from. Long lists name the first few and count the rest.
    pub fn reason<T: GraphTask>(&self, index: usize, tasks: &[T]) -> Option<String> {
        let line = match self.state(index)? {
            PendingState::Ready if self.dependencies.of(index).is_empty() => "ready: no dependencies".to_string(),
            PendingState::Ready => "ready: every dependency is completed".to_string(),
            PendingState::Waiting => format!("waiting: on {}", self.unfinished(index, tasks)),
            PendingState::Blocked { by } => {
                let causes = by.iter().filter_map(|id| self.index_of(id)).map(|root| root_cause(&tasks[root]));
                format!("blocked: {}", listing(causes, by.len()))
            }
            PendingState::Dangling { missing } => {
                let verb = if missing.len() == 1 { "is" } else { "are" };
                format!(
                    "dangling: depends on {}, which {verb} not in the queue",
                    listing(missing.iter().cloned(), missing.len())
                )
            }
            PendingState::Cycle { path } => format!("cycle: {}", cycle_line(path)),
        };
        Some(line)
    }

    /// The direct dependencies not completed, each with its status.
    fn unfinished<T: GraphTask>(&self, index: usize, tasks: &[T]) -> String {
        let waited: Vec<usize> =
            self.dependencies.of(index).iter().copied().filter(|&d| self.statuses[d] != Status::Completed).collect();
        let named = waited.iter().map(|&d| {
            let status = if tasks[d].status().is_empty() { "no status" } else { tasks[d].status() };
            format!("{} ({status})", tasks[d].id())
        });
        listing(named, waited.len())
    }
}

/// The tasks that decide what [`DependencyGraph`] says of the task `at`:
/// `at`, every task that depends on it (directly or not), and every
/// dependency of those, transitively, as sorted indices. A graph built over
/// just these tasks, in slice order, gives each of them the state, reason,
/// dependencies and dependents it has in the graph of the whole slice: the
/// set is closed under dependencies, so every chain, cycle and missing id
/// a state rests on is in it, and it holds all of `at`'s dependents. The
/// first task of each id in the set is its first in the slice, since the
/// set keeps every task an edge names. One pass to resolve the edges, and
/// walks of only the set: `orch show` builds the states of a few tasks,
/// not of the whole queue.
pub fn neighbourhood<T: GraphTask>(tasks: &[T], at: usize) -> Vec<usize> {
    if at >= tasks.len() {
        return Vec::new();
    }
    let index = first_occurrences(tasks);
    let (dependencies, _) = resolve(tasks, &index);
    let mut kept = vec![false; tasks.len()];
    let mut dependents = reachable(&dependencies.reversed(), [at], &mut kept);
    dependents.retain(|&v| v != at);
    kept.fill(false);
    let mut near = reachable(&dependencies, std::iter::once(at).chain(dependents), &mut kept);
    near.sort_unstable();
    near
}

/// Every node reachable from `from` along `edges`, `from` included, each
/// once, marking each in `seen`.
fn reachable(edges: &Adjacency, from: impl IntoIterator<Item = usize>, seen: &mut [bool]) -> Vec<usize> {
    let mut found = Vec::new();
    for start in from {
        if std::mem::replace(&mut seen[start], true) {
            continue;
        }
        let mut next = found.len();
        found.push(start);
        while let Some(&v) = found.get(next) {
            next += 1;
            for &w in edges.of(v) {
                if !std::mem::replace(&mut seen[w], true) {
                    found.push(w);
                }
            }
        }
    }
    found
}

/// Task indices in the queue's order, then by index.
fn sort_queued<T: Queued>(indices: &mut [usize], tasks: &[T]) {
    let mut keyed: Vec<(QueueKey, usize)> = indices.iter().map(|&v| (queue_key(&tasks[v]), v)).collect();
    keyed.sort_unstable_by(|(a, i), (b, j)| a.cmp(b).then_with(|| tasks[*i].id().cmp(tasks[*j].id())).then(i.cmp(j)));
    for (slot, (_, v)) in indices.iter_mut().zip(keyed) {
        *slot = v;
    }
}

/// See [`DependencyGraph::topological_by_group`].
pub struct GroupedOrder {
    pub order: Vec<usize>,
    pub is_root: Vec<bool>,
}

/// The statuses that matter to the graph; `Other` is any the model doesn't
/// know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Pending,
    Running,
    Completed,
    Failed,
    Cancelled,
    Other,
}

impl Status {
    fn of(status: &str) -> Self {
        match status {
            "pending" => Status::Pending,
            "running" => Status::Running,
            "completed" => Status::Completed,
            "failed" => Status::Failed,
            "cancelled" => Status::Cancelled,
            _ => Status::Other,
        }
    }

    /// Finished without completing: the bottom of a blocked chain.
    fn is_root_cause(self) -> bool {
        matches!(self, Status::Failed | Status::Cancelled)
    }
}

/// Edges in compressed rows: node `v`'s targets are
/// `targets[start[v]..start[v + 1]]`. Two flat vectors rather than a `Vec`
/// per task keep 100,000 tasks at two allocations.
#[derive(Debug, Clone)]
struct Adjacency {
    start: Vec<usize>,
    targets: Vec<usize>,
}

impl Adjacency {
    fn of(&self, v: usize) -> &[usize] {
        &self.targets[self.start[v]..self.start[v + 1]]
    }

    fn nodes(&self) -> usize {
        self.start.len() - 1
    }

    /// The edges `a -> b` for which `keep(a, b)`, in the same order.
    fn filtered(&self, keep: impl Fn(usize, usize) -> bool) -> Adjacency {
        let mut start = Vec::with_capacity(self.start.len());
        start.push(0);
        let mut targets = Vec::with_capacity(self.targets.len());
        for a in 0..self.nodes() {
            targets.extend(self.of(a).iter().copied().filter(|&b| keep(a, b)));
            start.push(targets.len());
        }
        Adjacency { start, targets }
    }

    /// The same edges turned around, each node's targets in increasing
    /// order (a counting sort by target).
    fn reversed(&self) -> Adjacency {
        let n = self.nodes();
        let mut start = vec![0; n + 1];
        for &t in &self.targets {
            start[t + 1] += 1;
        }
        for v in 0..n {
            start[v + 1] += start[v];
        }
        let mut next = start.clone();
        let mut targets = vec![0; self.targets.len()];
        for v in 0..n {
            for &t in self.of(v) {
                targets[next[t]] = v;
                next[t] += 1;
            }
        }
        Adjacency { start, targets }
    }
}

fn first_occurrences<T: GraphTask>(tasks: &[T]) -> FxHashMap<&str, usize> {
    let mut index = FxHashMap::with_capacity_and_hasher(tasks.len(), Default::default());
    for (i, task) in tasks.iter().enumerate() {
        index.entry(task.id()).or_insert(i);
    }
    index
}

/// Each task's dependencies as edges to their first tasks, each once, and
/// the ids that name no task, sorted and each once.
fn resolve<T: GraphTask>(tasks: &[T], index: &FxHashMap<&str, usize>) -> (Adjacency, Vec<Vec<String>>) {
    let mut start = Vec::with_capacity(tasks.len() + 1);
    start.push(0);
    let mut targets = Vec::new();
    let mut missing = vec![Vec::new(); tasks.len()];
    // The last task that listed each target, to drop repeats in one list.
    let mut listed_by = vec![NONE; tasks.len()];
    for (a, task) in tasks.iter().enumerate() {
        for id in task.dependencies() {
            match index.get(id) {
                Some(&b) if listed_by[b] != a => {
                    listed_by[b] = a;
                    targets.push(b);
                }
                Some(_) => {}
                None => missing[a].push(id.to_string()),
            }
        }
        if missing[a].len() > 1 {
            missing[a].sort_unstable();
            missing[a].dedup();
        }
        start.push(targets.len());
    }
    (Adjacency { start, targets }, missing)
}

fn pending_states<T: GraphTask>(
    tasks: &[T],
    statuses: &[Status],
    dependencies: &Adjacency,
    missing: Vec<Vec<String>>,
) -> Vec<Option<PendingState>> {
    let pending: Vec<bool> = statuses.iter().map(|&s| s == Status::Pending).collect();
    let sccs = Sccs::within(dependencies, &pending);
    let roots = root_causes(tasks, statuses, dependencies, &sccs);
    let cycles = cycle_paths(tasks, dependencies, &sccs);
    missing
        .into_iter()
        .enumerate()
        .map(|(v, missing)| {
            if !pending[v] {
                return None;
            }
            let c = sccs.component[v];
            let state = if let Some(path) = &cycles[c] {
                PendingState::Cycle { path: Arc::clone(path) }
            } else if let Some(by) = &roots[c] {
                PendingState::Blocked { by: Arc::clone(by) }
            } else if !missing.is_empty() {
                PendingState::Dangling { missing }
            } else if dependencies.of(v).iter().any(|&d| statuses[d] != Status::Completed) {
                PendingState::Waiting
            } else {
                PendingState::Ready
            };
            Some(state)
        })
        .collect()
}

/// The strongly connected components of the graph restricted to the kept
/// nodes (an edge counts when both its ends are kept), by Tarjan's
/// algorithm with an explicit stack.
struct Sccs {
    /// Each kept node's component, `NONE` for the others. Components are
    /// numbered as Tarjan closes them, which is after every component they
    /// reach: a component's dependencies have smaller numbers.
    component: Vec<usize>,
    /// The nodes by component: component `c`'s are
    /// `order[bounds[c]..bounds[c + 1]]`.
    order: Vec<usize>,
    bounds: Vec<usize>,
    /// Whether each component holds a cycle: two or more members, or one
    /// depending on itself.
    cyclic: Vec<bool>,
}

impl Sccs {
    fn within(edges: &Adjacency, kept: &[bool]) -> Self {
        let mut search = Tarjan::new(kept.len());
        for root in 0..kept.len() {
            if kept[root] && search.number[root] == NONE {
                search.run(edges, kept, root);
            }
        }
        search.finish(edges)
    }

    fn count(&self) -> usize {
        self.bounds.len() - 1
    }

    fn members(&self, c: usize) -> &[usize] {
        &self.order[self.bounds[c]..self.bounds[c + 1]]
    }
}

/// Tarjan's search in progress. The recursion of the textbook version is
/// `calls`: each frame is a node and the position of its next edge.
struct Tarjan {
    /// Visit order, `NONE` until visited.
    number: Vec<usize>,
    low: Vec<usize>,
    component: Vec<usize>,
    /// Visited nodes not yet in a component. They are exactly the visited
    /// nodes without one, so no separate on-stack flag is needed.
    stack: Vec<usize>,
    calls: Vec<(usize, usize)>,
    visited: usize,
    order: Vec<usize>,
    bounds: Vec<usize>,
}

impl Tarjan {
    fn new(n: usize) -> Self {
        Tarjan {
            number: vec![NONE; n],
            low: vec![0; n],
            component: vec![NONE; n],
            stack: Vec::new(),
            calls: Vec::new(),
            visited: 0,
            order: Vec::with_capacity(n),
            bounds: vec![0],
        }
    }

    fn enter(&mut self, v: usize, edges: &Adjacency) {
        self.number[v] = self.visited;
        self.low[v] = self.visited;
        self.visited += 1;
        self.stack.push(v);
        self.calls.push((v, edges.start[v]));
    }

    fn run(&mut self, edges: &Adjacency, kept: &[bool], root: usize) {
        self.enter(root, edges);
        while let Some(&(v, next)) = self.calls.last() {
            if next < edges.start[v + 1] {
                self.calls.last_mut().expect("a frame was just read").1 += 1;
                let w = edges.targets[next];
                if !kept[w] {
                    continue;
                }
                if self.number[w] == NONE {
                    self.enter(w, edges);
                } else if self.component[w] == NONE {
                    self.low[v] = self.low[v].min(self.number[w]);
                }
            } else {
                self.calls.pop();
                if let Some(&(parent, _)) = self.calls.last() {
                    self.low[parent] = self.low[parent].min(self.low[v]);
                }
                if self.low[v] == self.number[v] {
                    self.close(v);
                }
            }
        }
    }

    /// Pops `v`'s component off the stack: `v` and everything above it.
    fn close(&mut self, v: usize) {
        let c = self.bounds.len() - 1;
        loop {
            let w = self.stack.pop().expect("a component's root is on the stack");
            self.component[w] = c;
            self.order.push(w);
            if w == v {
                break;
            }
        }
        self.bounds.push(self.order.len());
    }

    fn finish(self, edges: &Adjacency) -> Sccs {
        let cyclic = (0..self.bounds.len() - 1)
            .map(|c| {
                let members = &self.order[self.bounds[c]..self.bounds[c + 1]];
                members.len() > 1 || edges.of(members[0]).contains(&members[0])
            })
            .collect();
        Sccs { component: self.component, order: self.order, bounds: self.bounds, cyclic }
    }
}

/// For each component, the failed or cancelled tasks its members reach
/// through pending tasks, as sorted ids; `None` when there are none.
/// Components come dependencies first, so each one's dependencies are
/// done when it is reached. Sets are ranks (positions in id order) while
/// merging, so that merged numbers are already in id order.
fn root_causes<T: GraphTask>(
    tasks: &[T],
    statuses: &[Status],
    dependencies: &Adjacency,
    sccs: &Sccs,
) -> Vec<Option<Arc<[String]>>> {
    let mut by_id: Vec<usize> = (0..tasks.len()).filter(|&v| statuses[v].is_root_cause()).collect();
    by_id.sort_unstable_by(|&a, &b| tasks[a].id().cmp(tasks[b].id()).then(a.cmp(&b)));
    let mut rank = vec![NONE; tasks.len()];
    for (r, &v) in by_id.iter().enumerate() {
        rank[v] = r;
    }

    let mut sets: Vec<Option<Arc<[usize]>>> = Vec::with_capacity(sccs.count());
    for c in 0..sccs.count() {
        let mut direct = Vec::new();
        let mut inherited_from = Vec::new();
        for &v in sccs.members(c) {
            for &d in dependencies.of(v) {
                if statuses[d].is_root_cause() {
                    direct.push(rank[d]);
                } else if sccs.component[d] != NONE && sccs.component[d] != c {
                    inherited_from.push(sccs.component[d]);
                }
            }
        }
        inherited_from.sort_unstable();
        inherited_from.dedup();
        let inherited: Vec<&Arc<[usize]>> = inherited_from.iter().filter_map(|&k| sets[k].as_ref()).collect();
        let set = union(direct, &inherited);
        sets.push(set);
    }
    ranks_to_ids(&sets, &by_id, tasks)
}

/// The union of a component's direct roots and its dependencies' sets,
/// sharing a dependency's set when that already is the union, as it is all
/// along a chain.
fn union(mut direct: Vec<usize>, inherited: &[&Arc<[usize]>]) -> Option<Arc<[usize]>> {
    let largest = inherited.iter().copied().max_by_key(|set| set.len());
    if direct.is_empty() && inherited.iter().all(|set| largest.is_some_and(|l| Arc::ptr_eq(set, l))) {
        return largest.cloned();
    }
    for set in inherited {
        direct.extend_from_slice(set);
    }
    direct.sort_unstable();
    direct.dedup();
    match largest {
        // A superset of the largest with its length is the largest.
        Some(l) if l.len() == direct.len() => Some(Arc::clone(l)),
        _ => Some(direct.into()),
    }
}

/// The rank sets as id lists, each shared set turned into one shared list.
fn ranks_to_ids<T: GraphTask>(
    sets: &[Option<Arc<[usize]>>],
    by_id: &[usize],
    tasks: &[T],
) -> Vec<Option<Arc<[String]>>> {
    // Keyed by address: every set is alive in `sets` meanwhile, so none is reused.
    let mut named: HashMap<*const usize, Arc<[String]>> = HashMap::new();
    sets.iter()
        .map(|set| {
            let set = set.as_ref()?;
            let ids = named
                .entry(Arc::as_ptr(set).cast::<usize>())
                .or_insert_with(|| set.iter().map(|&r| tasks[by_id[r]].id().to_string()).collect());
            Some(Arc::clone(ids))
        })
        .collect()
}

/// For each cyclic component, its path: the shortest cycle through its
/// smallest id, found breadth-first inside the component.
fn cycle_paths<T: GraphTask>(tasks: &[T], dependencies: &Adjacency, sccs: &Sccs) -> Vec<Option<Arc<[String]>>> {
    // The breadth-first trees. Each node is in one component, so one array
    // serves them all without clearing.
    let mut parent = vec![NONE; tasks.len()];
    (0..sccs.count())
        .map(|c| sccs.cyclic[c].then(|| shortest_cycle(tasks, dependencies, sccs, c, &mut parent)))
        .collect()
}

fn shortest_cycle<T: GraphTask>(
    tasks: &[T],
    dependencies: &Adjacency,
    sccs: &Sccs,
    c: usize,
    parent: &mut [usize],
) -> Arc<[String]> {
    let start =
        sccs.members(c).iter().copied().min_by(|&a, &b| tasks[a].id().cmp(tasks[b].id())).expect("no empty component");
    parent[start] = start;
    let mut queue = VecDeque::from([start]);
    while let Some(u) = queue.pop_front() {
        for &w in dependencies.of(u) {
            if w == start {
                return trace_back(tasks, parent, start, u);
            }
            if sccs.component[w] == c && parent[w] == NONE {
                parent[w] = u;
                queue.push_back(w);
            }
        }
    }
    unreachable!("every member of a cyclic component is on a cycle")
}

/// The path `start -> … -> last -> start` along the breadth-first tree.
fn trace_back<T: GraphTask>(tasks: &[T], parent: &[usize], start: usize, last: usize) -> Arc<[String]> {
    let mut back = Vec::new(); // last, its parent, …, up to start's child
    let mut v = last;
    while v != start {
        back.push(v);
        v = parent[v];
    }
    let forward = back.iter().rev();
    std::iter::once(&start).chain(forward).chain([&start]).map(|&v| tasks[v].id().to_string()).collect()
}

/// A depth-first pre-order walk from `from` with each node's depth, each
/// node once; see [`DependencyGraph::dependencies`].
fn depth_first(edges: &Adjacency, from: usize) -> Vec<(usize, u32)> {
    if from >= edges.nodes() {
        return Vec::new();
    }
    let mut seen = vec![false; edges.nodes()];
    seen[from] = true;
    let mut walk = Vec::new();
    // Each frame: a node on the current path and its next edge. The path
    // holds the start and each ancestor, so its length is the next depth.
    let mut path = vec![(from, 0)];
    while let Some((v, next)) = path.last_mut() {
        let Some(&w) = edges.of(*v).get(*next) else {
            path.pop();
            continue;
        };
        *next += 1;
        if !seen[w] {
            seen[w] = true;
            walk.push((w, u32::try_from(path.len()).unwrap_or(u32::MAX)));
            path.push((w, 0));
        }
    }
    walk
}

/// The root of `v`'s set, halving the path on the way.
fn find(parent: &mut [usize], mut v: usize) -> usize {
    while parent[v] != v {
        parent[v] = parent[parent[v]];
        v = parent[v];
    }
    v
}

/// Kahn's algorithm over a set of tasks, with a heap for the queue's order
/// among the tasks free to go.
struct TopologicalRun<'a, T> {
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
    wanted: usize,
}

impl<'a, T: GraphTask> TopologicalRun<'a, T> {
    /// The order of the tasks of `by_rank` (see [`Self::new`]) along these
    /// edges, `dependents` being `dependencies` reversed.
    fn order(
        dependencies: &'a Adjacency,
        dependents: &'a Adjacency,
        by_rank: Vec<usize>,
        tasks: &'a [T],
    ) -> Vec<usize> {
        debug_assert_eq!(tasks.len(), dependencies.nodes(), "the graph's own tasks");
        let mut run = TopologicalRun::new(dependencies, dependents, by_rank, tasks);
        run.drain();
        if run.order.len() < run.wanted {
            run.place_cycles();
            run.drain();
        }
        run.order
    }

    /// `by_rank`: the tasks to order, each once, in the order to prefer
    /// among those free to go.
    fn new(dependencies: &'a Adjacency, dependents: &'a Adjacency, by_rank: Vec<usize>, tasks: &'a [T]) -> Self {
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
        let free = by_rank.iter().filter(|&&v| unmet[v] == 0).map(|&v| Reverse(rank[v])).collect();
        let wanted = by_rank.len();
        TopologicalRun {
            dependencies,
            dependents,
            tasks,
            chosen,
            placed: vec![false; n],
            unmet,
            rank,
            by_rank,
            free,
            order: Vec::with_capacity(wanted),
            wanted,
        }
    }

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
    /// Places the ones on cycles in id order and frees what they held.
    fn place_cycles(&mut self) {
        let left: Vec<bool> = (0..self.chosen.len()).map(|v| self.chosen[v] && !self.placed[v]).collect();
        let sccs = Sccs::within(self.dependencies, &left);
        let mut on_cycle: Vec<usize> = (0..left.len()).filter(|&v| left[v] && sccs.cyclic[sccs.component[v]]).collect();
        on_cycle.sort_unstable_by(|&a, &b| self.tasks[a].id().cmp(self.tasks[b].id()).then(a.cmp(&b)));
        // All placed before any is released, so none is freed into the heap.
        for &v in &on_cycle {
            self.placed[v] = true;
        }
        for &v in &on_cycle {
            self.order.push(v);
            self.release(v);
        }
    }
}

/// `task-003 failed (exit 1: connection refused)`: the status, and the
/// error's first line when there is one.
fn root_cause<T: GraphTask>(task: &T) -> String {
    let error = task.error().and_then(|e| e.lines().next()).map(str::trim).filter(|l| !l.is_empty());
    match error {
        Some(error) => format!("{} {} ({error})", task.id(), task.status()),
        None => format!("{} {}", task.id(), task.status()),
    }
}

/// `a, b, c`, or for more than [`LISTED`] the first ones and `and N more`.
fn listing(items: impl Iterator<Item = String>, total: usize) -> String {
    let shown: Vec<String> = items.take(LISTED).collect();
    let mut line = shown.join(", ");
    if total > shown.len() {
        line.push_str(&format!(" and {} more", total - shown.len()));
    }
    line
}

/// `a -> b -> c -> a`, or for a long cycle the first ids, a count of the
/// rest, and the way back to the start.
fn cycle_line(path: &[String]) -> String {
    if path.len() <= CYCLE_SHOWN + 1 {
        return path.join(" -> ");
    }
    let hidden = path.len() - 1 - CYCLE_SHOWN;
    format!("{} -> … {hidden} more -> {}", path[..CYCLE_SHOWN].join(" -> "), path[path.len() - 1])
}
