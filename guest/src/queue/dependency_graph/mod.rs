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
//!
//! # Files
//!
//! - `mod.rs`: the graph, its edges, its states and its walks.
//! - `id_index.rs`: each id's first task, and every listed id looked up at once.
//! - `sccs.rs`: strongly connected components (the cycles).
//! - `topological.rs`: the orders that put dependencies first.
//! - `reason.rs`: the one-line reason of a pending task.
//! - `tests.rs`: unit tests, and random queues checked against a plain
//!   recursive definition.

use std::cell::{OnceCell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::model::{StateKind, Task};
use crate::queue::task_order::{Queued, queue_order, sort_by_id, sort_queued};
use crate::queue::task_status::TaskStatus;

mod id_index;
mod reason;
mod sccs;
#[cfg(test)]
mod tests;
mod topological;

use id_index::IdIndex;
use sccs::Sccs;
use topological::TopologicalRun;

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
    /// What [`Self::status`] is, told once where the task was read if it can be.
    fn status_kind(&self) -> TaskStatus {
        TaskStatus::of(self.status())
    }
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
    index: IdIndex<'t>,
    /// `a -> b` when `a` depends on `b`, in `a`'s listed order.
    dependencies: Adjacency,
    /// `b -> a` when `a` depends on `b`, in task order; made when first
    /// walked, since a list of the workflows never walks it.
    dependents: OnceCell<Adjacency>,
    statuses: Vec<TaskStatus>,
    states: Vec<Option<PendingState>>,
    /// The reason line of each blocked set, by the set's address: every
    /// set is alive in `states` meanwhile, so no address is reused.
    blocked_lines: RefCell<FxHashMap<*const String, String>>,
}

impl<'t> DependencyGraph<'t> {
    pub fn build<T: GraphTask>(tasks: &'t [T]) -> Self {
        let index = IdIndex::build(tasks);
        let statuses: Vec<TaskStatus> = tasks.iter().map(GraphTask::status_kind).collect();
        let (dependencies, missing) = resolve(tasks, &index);
        let states = pending_states(tasks, &statuses, &dependencies, missing);
        let (dependents, blocked_lines) = (OnceCell::new(), RefCell::default());
        DependencyGraph { index, dependencies, dependents, statuses, states, blocked_lines }
    }

    fn reverse_edges(&self) -> &Adjacency {
        self.dependents.get_or_init(|| self.dependencies.reversed())
    }

    /// The task's state; `None` for a task that is not pending (or an index
    /// out of range).
    pub fn state(&self, index: usize) -> Option<&PendingState> {
        self.states.get(index)?.as_ref()
    }

    /// The first task with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.index.get(id)
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
        depth_first(self.reverse_edges(), index)
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
        TopologicalRun::order(&self.dependencies, self.reverse_edges(), set, tasks)
    }

    /// For each group, numbered by `group_of` from 0, its roots (its tasks
    /// with no dependency inside it) and its first task in the order that
    /// [`Self::topological`] gives the group alone (edges leaving the group
    /// ignored), without ordering the group: that first task is the
    /// queue's first root, or in a group without roots, where every task
    /// waits on another of the group, the task with the smallest id among
    /// those on a cycle inside the group. One pass over the tasks, and a
    /// search for cycles only in the groups without roots.
    pub fn group_heads<T: GraphTask>(&self, group_of: &[usize], tasks: &[T]) -> Vec<GroupHead> {
        debug_assert_eq!(group_of.len(), tasks.len(), "a group for every task");
        let groups = group_of.iter().max().map_or(0, |&g| g + 1);
        let mut heads = vec![GroupHead { first: None, roots: 0 }; groups];
        for (v, &g) in group_of.iter().enumerate() {
            if self.dependencies.of(v).iter().any(|&d| group_of[d] == g) {
                continue;
            }
            let head = &mut heads[g];
            head.roots += 1;
            // The queue's order, then the index, as `sort_queued` orders the free tasks.
            if head.first.is_none_or(|f| queue_order(&tasks[v], &tasks[f]).then(v.cmp(&f)).is_lt()) {
                head.first = Some(v);
            }
        }
        let rootless: Vec<bool> = group_of.iter().map(|&g| heads[g].roots == 0).collect();
        if rootless.contains(&true) {
            let inside = self.dependencies.filtered(|a, b| group_of[a] == group_of[b]);
            let sccs = Sccs::within(&inside, &rootless);
            for (v, &g) in group_of.iter().enumerate() {
                let c = sccs.component[v];
                let first = &mut heads[g].first;
                if c != NONE && sccs.cyclic[c] && first.is_none_or(|f| (tasks[v].id(), v) < (tasks[f].id(), f)) {
                    *first = Some(v);
                }
            }
        }
        heads
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
    let (dependencies, _) = resolve(tasks, &IdIndex::build(tasks));
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

/// See [`DependencyGraph::group_heads`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupHead {
    /// The group's first task in its dependency order; `None` for an empty group.
    pub first: Option<usize>,
    /// How many of its tasks have no dependency inside it.
    pub roots: usize,
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

/// Each task's dependencies as edges to their first tasks, each once, and
/// the ids that name no task, sorted and each once.
fn resolve<T: GraphTask>(tasks: &[T], index: &IdIndex) -> (Adjacency, Vec<Vec<String>>) {
    // Every listed id, and where each task's end, to look them all up at once.
    let (mut listed, mut ends) = (Vec::with_capacity(tasks.len()), Vec::with_capacity(tasks.len()));
    for task in tasks {
        listed.extend(task.dependencies());
        ends.push(listed.len());
    }
    let firsts = index.first_tasks(&listed);
    let mut start = Vec::with_capacity(tasks.len() + 1);
    start.push(0);
    let mut targets = Vec::with_capacity(listed.len());
    let mut missing = vec![Vec::new(); tasks.len()];
    // The last task that listed each target, to drop repeats in one list.
    let mut listed_by = vec![NONE; tasks.len()];
    let mut begin = 0;
    for (a, &end) in ends.iter().enumerate() {
        for (&id, &b) in listed[begin..end].iter().zip(&firsts[begin..end]) {
            match b {
                NONE => missing[a].push(id.to_string()),
                b if listed_by[b] != a => {
                    listed_by[b] = a;
                    targets.push(b);
                }
                _ => {}
            }
        }
        if missing[a].len() > 1 {
            missing[a].sort_unstable();
            missing[a].dedup();
        }
        start.push(targets.len());
        begin = end;
    }
    (Adjacency { start, targets }, missing)
}

fn pending_states<T: GraphTask>(
    tasks: &[T],
    statuses: &[TaskStatus],
    dependencies: &Adjacency,
    missing: Vec<Vec<String>>,
) -> Vec<Option<PendingState>> {
    let pending: Vec<bool> = statuses.iter().map(|&s| s == TaskStatus::Pending).collect();
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
            } else if dependencies.of(v).iter().any(|&d| statuses[d] != TaskStatus::Completed) {
                PendingState::Waiting
            } else {
                PendingState::Ready
            };
            Some(state)
        })
        .collect()
}

/// For each component, the failed or cancelled tasks its members reach
/// through pending tasks, as sorted ids; `None` when there are none.
/// Components come dependencies first, so each one's dependencies are
/// done when it is reached. Sets are ranks (positions in id order) while
/// merging, so that merged numbers are already in id order.
fn root_causes<T: GraphTask>(
    tasks: &[T],
    statuses: &[TaskStatus],
    dependencies: &Adjacency,
    sccs: &Sccs,
) -> Vec<Option<Arc<[String]>>> {
    // Only a failed or cancelled task that a pending one depends on
    // directly can be a root cause, so only those are ranked.
    let mut rank = vec![NONE; tasks.len()];
    let mut by_id: Vec<usize> = Vec::new();
    for &v in &sccs.order {
        for &d in dependencies.of(v) {
            if statuses[d].is_failure() && rank[d] == NONE {
                rank[d] = 0;
                by_id.push(d);
            }
        }
    }
    sort_by_id(&mut by_id, tasks);
    for (r, &v) in by_id.iter().enumerate() {
        rank[v] = r;
    }

    let mut sets: Vec<Option<Arc<[usize]>>> = Vec::with_capacity(sccs.count());
    for c in 0..sccs.count() {
        let mut direct = Vec::new();
        let mut inherited_from = Vec::new();
        for &v in sccs.members(c) {
            for &d in dependencies.of(v) {
                if statuses[d].is_failure() {
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
