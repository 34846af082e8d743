//! Workflows as the queue holds them: its tasks gathered into named groups,
//! each with its counts, progress, state and the tasks holding it up, for
//! `orch workflows` and `orch workflows NAME`. Pure: the caller loads the
//! tasks and passes "now".
//!
//! # Groups
//!
//! One [`DependencyGraph`] is built over the whole queue, since a task's
//! dependency can be in another workflow and its state depends on it.
//!
//! - Tasks with a non-empty `workflow` are grouped by it
//!   ([`GroupedBy::Workflow`]).
//! - The others are grouped by the weakly connected components of the whole
//!   graph ([`GroupedBy::Dependencies`]): two such tasks linked only through
//!   a workflow's task are one group, but the workflow's task is not in it.
//! - A lone task, one listing no dependencies (not even a missing one) on
//!   which nothing depends, goes into one shared row named `-`, rather than
//!   a row of its own each.
//!
//! # Names
//!
//! A dependency group's roots are its tasks with no dependency inside the
//! group. The first root in the group's dependency order names it, by its
//! `name` (else its id), with ` +N` when there are N other roots:
//! `create-servers +2`. A group without roots (all on a cycle, or hanging
//! on one) is named after its first task in dependency order, on the cycle.
//!
//! Names are unique: a workflow keeps its own, and a group whose name is
//! taken, by a workflow or by a group whose first task comes earlier in the
//! queue, gets ` #2`, ` #3`… (the first of these that is free).
//!
//! # A row
//!
//! - `by_status` counts statuses in lifecycle order, then others by name.
//! - `blocked` counts the pending tasks that can never run as things stand:
//!   blocked, on a cycle, or dangling.
//! - `progress` is completed ÷ total.
//! - `state` is the first that holds: **running** (a task is running),
//!   **blocked** (a pending task can never run), **pending** (a task is
//!   pending, or of a status the model doesn't know, so it may yet run),
//!   **failed** (a task failed or was cancelled), else **completed**.
//! - `started` is the earliest `started_at`. `elapsed` runs from it to the
//!   latest `completed_at` when the state is failed or completed (nothing
//!   is left to run), else to now; it is `None` when no task started, or
//!   when nothing is left to run but no task has a `completed_at`.
//! - `last_activity` is the latest `created_at`, `started_at` or
//!   `completed_at` of any task.
//! - `held_by` lists the pending tasks that hold the workflow up: ready
//!   ones, ones waiting on a running task (directly), and ones that can
//!   never run. A task waiting only on pending tasks is left out: the task
//!   it waits on is the one listed. They come in the queue's order
//!   (priority high first, then oldest, then id), the order in which the
//!   ready ones would be picked up.
//!
//! Rows come by state ([`WorkflowState`] order), then the latest activity
//! first (undated last), then name.
//!
//! # Order within a group
//!
//! For `orch workflows NAME`: dependencies first, ties by priority (high
//! first), then `created_at`, as [`DependencyGraph::topological`] orders
//! a group on its own: edges leaving the group are ignored.
//!
//! # Cost
//!
//! Linear in tasks and dependencies, plus sorting the tasks that hold a
//! group up; nothing recurses. A list of the rows orders no group: a
//! group's name needs only its first task in dependency order, which is
//! its first root in the queue's order ([`DependencyGraph::group_heads`]).
//! Only `orch workflows NAME` orders its one group. The census reads the
//! tasks in slice order, where they lie in memory.

use std::cmp::Ordering;

use jiff::Timestamp;
use rustc_hash::{FxHashMap, FxHashSet};

use super::dependency_graph::{DependencyGraph, GroupHead, PendingState};
use super::queue_part::SlimTask;
use super::task_order::sort_queued;
use super::task_status::TaskStatus;

use super::task_filter::wildcard_match;
use crate::error::Error;
use crate::model::{
    GroupedBy, HeldTask, KNOWN_STATUSES, StatusCount, WorkflowQuery, WorkflowRow, WorkflowState, WorkflowTask,
};
use crate::suggest::closest;

#[cfg(test)]
mod tests;

/// The name of the row that gathers the lone tasks.
pub const LONE_TASKS: &str = "-";

/// Every workflow of the queue that the query keeps, ordered by state
/// ([`WorkflowState`] order), then latest activity first (undated last),
/// then name.
pub fn workflows(tasks: &[SlimTask<'_>], query: &WorkflowQuery, now: Timestamp) -> Result<Vec<WorkflowRow>, Error> {
    let states = wanted_states(&query.states)?;
    let pattern = query.name.as_deref().filter(|p| !p.is_empty());
    let queue = Workflows::of(tasks);
    let mut rows: Vec<WorkflowRow> = queue
        .groups
        .iter()
        .enumerate()
        .filter(|(_, group)| pattern.is_none_or(|p| wildcard_match(p, &group.name)))
        .map(|(g, _)| queue.row(g, now))
        .filter(|row| states.is_empty() || states.contains(&row.state))
        .collect();
    rows.sort_by(row_order);
    Ok(rows)
}

/// One workflow, by its row's name, with its tasks in dependency order.
pub fn workflow(tasks: &[SlimTask<'_>], name: &str, now: Timestamp) -> Result<(WorkflowRow, Vec<WorkflowTask>), Error> {
    let queue = Workflows::of(tasks);
    let Some(number) = queue.groups.iter().position(|group| group.name == name) else {
        let near = closest(name, queue.groups.iter().map(|group| group.name.as_str()));
        return Err(Error::UnknownWorkflow {
            name: name.to_string(),
            near: near.into_iter().map(str::to_string).collect(),
        });
    };
    let listed = queue.ordered(number).into_iter().map(|i| queue.task(i)).collect();
    Ok((queue.row(number, now), listed))
}

/// The query's `states`, each entry possibly comma-separated.
fn wanted_states(entries: &[String]) -> Result<Vec<WorkflowState>, Error> {
    let pieces = entries.iter().flat_map(|entry| entry.split(',')).map(str::trim).filter(|p| !p.is_empty());
    pieces
        .map(|piece| {
            WorkflowState::ALL.into_iter().find(|state| state.name().eq_ignore_ascii_case(piece)).ok_or_else(|| {
                let expected: Vec<&str> = WorkflowState::ALL.iter().map(|state| state.name()).collect();
                Error::argument(
                    "state",
                    format!("unknown workflow state \"{piece}\"; expected one of {}", expected.join(", ")),
                )
            })
        })
        .collect()
}

/// By state, then the latest activity first, then name.
fn row_order(a: &WorkflowRow, b: &WorkflowRow) -> Ordering {
    // Reversed on `Option`, where `None` is least: the latest first, undated last.
    a.state.cmp(&b.state).then_with(|| b.last_activity.cmp(&a.last_activity)).then_with(|| a.name.cmp(&b.name))
}

/// The queue's tasks, their graph, and their groups.
struct Workflows<'a> {
    tasks: &'a [SlimTask<'a>],
    graph: DependencyGraph<'a>,
    group_of: Vec<usize>,
    groups: Vec<Group<'a>>,
}

/// One row's tasks, gathered.
struct Group<'a> {
    name: String,
    grouped_by: GroupedBy,
    census: Census<'a>,
}

impl<'a> Workflows<'a> {
    fn of(tasks: &'a [SlimTask<'a>]) -> Self {
        let graph = DependencyGraph::build(tasks);
        let Assignment { group_of, keys } = Assignment::of(tasks, &graph);
        // One pass in index order, where the tasks lie in memory.
        let mut censuses: Vec<Census<'a>> = keys.iter().map(|_| Census::default()).collect();
        for (i, task) in tasks.iter().enumerate() {
            let census = &mut censuses[group_of[i]];
            census.add(task, graph.state(i));
            if holds_up(&graph, tasks, i) {
                census.held.push(i);
            }
        }
        for census in &mut censuses {
            sort_queued(&mut census.held, tasks);
        }
        let names = group_names(tasks, &keys, &graph.group_heads(&group_of, tasks));
        let groups = keys
            .iter()
            .zip(names)
            .zip(censuses)
            .map(|((key, name), census)| Group { name, grouped_by: key.grouped_by(), census })
            .collect();
        Workflows { tasks, graph, group_of, groups }
    }

    /// Group `g`'s tasks in its dependency order.
    fn ordered(&self, g: usize) -> Vec<usize> {
        let members: Vec<usize> = (0..self.tasks.len()).filter(|&i| self.group_of[i] == g).collect();
        self.graph.topological(&members, self.tasks)
    }

    /// Group `g`'s row.
    fn row(&self, g: usize, now: Timestamp) -> WorkflowRow {
        let group = &self.groups[g];
        let census = &group.census;
        let state = census.state();
        let total = census.total;
        let progress = if total == 0 { 0.0 } else { census.completed as f64 / total as f64 };
        let finished = matches!(state, WorkflowState::Failed | WorkflowState::Completed);
        let end = if finished { census.last_completed } else { Some(now) };
        let elapsed = census.started.zip(end).map(|(started, end)| end.duration_since(started));
        WorkflowRow {
            name: group.name.clone(),
            grouped_by: group.grouped_by,
            total,
            by_status: census.by_status(),
            blocked: census.blocked,
            progress,
            state,
            started: census.started,
            elapsed,
            last_activity: census.last_activity,
            held_by: census.held.iter().filter_map(|&i| self.held_task(i)).collect(),
        }
    }

    fn held_task(&self, i: usize) -> Option<HeldTask> {
        let task = &self.tasks[i];
        Some(HeldTask {
            id: task.id.to_string(),
            name: task.name.map(str::to_string),
            state: self.graph.state(i)?.kind(),
            reason: self.graph.reason(i, self.tasks)?,
        })
    }

    fn task(&self, i: usize) -> WorkflowTask {
        let task = &self.tasks[i];
        WorkflowTask {
            id: task.id.to_string(),
            name: task.name.map(str::to_string),
            status: task.status.to_string(),
            state: self.graph.state(i).map(PendingState::kind),
            reason: self.graph.reason(i, self.tasks),
            priority: task.priority,
            created_at: task.created_at.get(),
            started_at: task.started_at.get(),
            completed_at: task.completed_at.get(),
        }
    }
}

/// Whether a pending task holds its group up; see the module doc. A task
/// waiting only on pending tasks does not: the one it waits on is listed.
fn holds_up(graph: &DependencyGraph, tasks: &[SlimTask<'_>], i: usize) -> bool {
    match graph.state(i) {
        None => false,
        // Ids resolve as the graph's edges do, to each id's first task.
        Some(PendingState::Waiting) => {
            graph.direct_dependencies(i).iter().any(|&d| tasks[d].status_kind == TaskStatus::Running)
        }
        Some(_) => true,
    }
}

/// What puts a task in its group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum GroupKey<'a> {
    Workflow(&'a str),
    /// A weakly connected component of the whole graph, by its number.
    Component(usize),
    Lone,
}

impl GroupKey<'_> {
    fn grouped_by(self) -> GroupedBy {
        match self {
            GroupKey::Workflow(_) => GroupedBy::Workflow,
            GroupKey::Component(_) | GroupKey::Lone => GroupedBy::Dependencies,
        }
    }
}

/// A key that has no group yet.
const NO_GROUP: usize = usize::MAX;

/// Each task's group, by number; groups are numbered in the order of their
/// first task.
struct Assignment<'a> {
    group_of: Vec<usize>,
    keys: Vec<GroupKey<'a>>,
}

impl<'a> Assignment<'a> {
    fn of(tasks: &'a [SlimTask<'a>], graph: &DependencyGraph) -> Self {
        let components = graph.components();
        // Component numbers count from 0 and are fewer than the tasks.
        let mut sizes = vec![0usize; tasks.len()];
        for &c in &components {
            sizes[c] += 1;
        }
        // Each key's group number: workflows by name, components by number.
        let mut by_workflow: FxHashMap<&'a str, usize> = FxHashMap::default();
        let mut by_component = vec![NO_GROUP; tasks.len()];
        let mut lone = NO_GROUP;
        let mut keys = Vec::new();
        let mut group_of = Vec::with_capacity(tasks.len());
        for (task, &component) in tasks.iter().zip(&components) {
            let (key, number) = match task.workflow {
                Some(workflow) if !workflow.is_empty() => {
                    (GroupKey::Workflow(workflow), by_workflow.entry(workflow).or_insert(NO_GROUP))
                }
                // Listing nothing, it is alone in its component only if nothing depends on it.
                _ if task.dependencies.is_empty() && sizes[component] == 1 => (GroupKey::Lone, &mut lone),
                _ => (GroupKey::Component(component), &mut by_component[component]),
            };
            if *number == NO_GROUP {
                *number = keys.len();
                keys.push(key);
            }
            group_of.push(*number);
        }
        Assignment { group_of, keys }
    }
}

/// Each group's unique name; see the module doc.
fn group_names(tasks: &[SlimTask<'_>], keys: &[GroupKey], heads: &[GroupHead]) -> Vec<String> {
    // Workflows keep their names, so they are taken before any group is named.
    let mut taken: FxHashSet<String> = keys
        .iter()
        .filter_map(|key| match key {
            GroupKey::Workflow(name) => Some(name.to_string()),
            _ => None,
        })
        .collect();
    // The next suffix to try per name, so that many groups of one name don't
    // each try every suffix from #2.
    let mut next_suffix: FxHashMap<String, usize> = FxHashMap::default();
    keys.iter()
        .zip(heads)
        .map(|(key, head)| match key {
            GroupKey::Workflow(name) => name.to_string(),
            GroupKey::Lone => unique(LONE_TASKS.to_string(), &mut taken, &mut next_suffix),
            GroupKey::Component(_) => unique(roots_name(tasks, head), &mut taken, &mut next_suffix),
        })
        .collect()
}

/// The first root's name or id, with ` +N` for the other roots.
fn roots_name(tasks: &[SlimTask<'_>], head: &GroupHead) -> String {
    let Some(first) = head.first else { return LONE_TASKS.to_string() };
    let task = &tasks[first];
    let label = task.name.filter(|name| !name.is_empty()).unwrap_or(task.id);
    match head.roots.saturating_sub(1) {
        0 => label.to_string(),
        others => format!("{label} +{others}"),
    }
}

/// `base`, or `base #2`, `base #3`… when taken.
fn unique(base: String, taken: &mut FxHashSet<String>, next_suffix: &mut FxHashMap<String, usize>) -> String {
    if taken.insert(base.clone()) {
        return base;
    }
    let suffix = next_suffix.entry(base.clone()).or_insert(2);
    loop {
        let candidate = format!("{base} #{suffix}");
        *suffix += 1;
        if taken.insert(candidate.clone()) {
            return candidate;
        }
    }
}

/// A group's figures, gathered in one pass over its tasks.
#[derive(Default)]
struct Census<'a> {
    total: u64,
    /// The known statuses' counts, in lifecycle order.
    known: [u64; KNOWN_STATUSES.len()],
    /// Any other status, by name.
    other: Vec<(&'a str, u64)>,
    completed: u64,
    /// Pending tasks that can never run as things stand.
    blocked: u64,
    running: bool,
    /// A task is pending, or of a status the model doesn't know.
    may_run: bool,
    failed: bool,
    started: Option<Timestamp>,
    last_completed: Option<Timestamp>,
    last_activity: Option<Timestamp>,
    /// The pending tasks that hold the group up, in the queue's order.
    held: Vec<usize>,
}

impl<'a> Census<'a> {
    fn add(&mut self, task: &SlimTask<'a>, state: Option<&PendingState>) {
        self.total += 1;
        match task.status_kind.rank() {
            Some(rank) => self.known[rank] += 1,
            None => match self.other.iter_mut().find(|(name, _)| *name == task.status) {
                Some((_, count)) => *count += 1,
                None => self.other.push((task.status, 1)),
            },
        }
        match task.status_kind {
            TaskStatus::Completed => self.completed += 1,
            TaskStatus::Running => self.running = true,
            TaskStatus::Failed | TaskStatus::Cancelled => self.failed = true,
            TaskStatus::Pending | TaskStatus::Other => self.may_run = true,
        }
        if state.is_some_and(can_never_run) {
            self.blocked += 1;
        }
        let (created_at, started_at, completed_at) =
            (task.created_at.get(), task.started_at.get(), task.completed_at.get());
        self.started = earliest(self.started, started_at);
        self.last_completed = latest(self.last_completed, completed_at);
        for at in [created_at, started_at, completed_at] {
            self.last_activity = latest(self.last_activity, at);
        }
    }

    /// The first state that holds, in [`WorkflowState`] order.
    fn state(&self) -> WorkflowState {
        if self.running {
            WorkflowState::Running
        } else if self.blocked > 0 {
            WorkflowState::Blocked
        } else if self.may_run {
            WorkflowState::Pending
        } else if self.failed {
            WorkflowState::Failed
        } else {
            WorkflowState::Completed
        }
    }

    /// Lifecycle order, then other statuses by name.
    fn by_status(&self) -> Vec<StatusCount> {
        let mut other = self.other.clone();
        other.sort_unstable();
        let known = KNOWN_STATUSES.iter().copied().zip(self.known).filter(|&(_, count)| count > 0);
        known.chain(other).map(|(status, count)| StatusCount { status: status.to_string(), count }).collect()
    }
}

/// Blocked, on a cycle, or dangling: not a matter of waiting.
fn can_never_run(state: &PendingState) -> bool {
    matches!(state, PendingState::Blocked { .. } | PendingState::Cycle { .. } | PendingState::Dangling { .. })
}

fn earliest(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    a.into_iter().chain(b).min()
}

fn latest(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    // `None` is the least `Option`, so it never wins over an instant.
    a.max(b)
}
