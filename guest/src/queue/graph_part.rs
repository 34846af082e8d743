//! A shard's tasks as the dependency graph alone needs them, for `tasks`:
//! each task's id, status and dependencies, in the order the shard scanned
//! them. One instance merges every shard's part, builds the graph once,
//! and hands each shard back one byte per task of its part: the task's
//! pending state ([`state_codes`]). So the graph spans the shards, while
//! only one instance ever holds it, and a shard learns no more than it
//! needs.
//!
//! Only a pending task's dependencies are kept. No state reads another
//! task's: a cycle runs through pending tasks, a blocked chain through
//! pending tasks down to a failed or cancelled one, and the rest look at a
//! task's direct dependencies. Most tasks of a large queue have finished,
//! so the merge resolves a fraction of the edges.
//!
//! The bytes are [`super::part_records`].

use serde::{Deserialize, Serialize};

use super::dependency_graph::{DependencyGraph, GraphTask};
use super::part_records::{self, PartRecords};
use super::task_order::Queued;
use super::task_status::TaskStatus;
use crate::error::Error;
use crate::model::{StateKind, Task};

/// Borrowed from the part's bytes, so that 100,000 nodes cost no strings
/// of their own.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct GraphNode<'b> {
    id: &'b str,
    status: &'b str,
    #[serde(borrow)]
    dependencies: Vec<&'b str>,
}

/// The graph's order among free tasks is irrelevant to states: only
/// [`DependencyGraph::topological`] reads it, and no caller of a node asks.
impl Queued for GraphNode<'_> {
    fn id(&self) -> &str {
        self.id
    }
    fn priority(&self) -> i64 {
        0
    }
    fn created_at(&self) -> Option<jiff::Timestamp> {
        None
    }
}

impl GraphTask for GraphNode<'_> {
    fn status(&self) -> &str {
        self.status
    }
    fn dependencies(&self) -> impl Iterator<Item = &str> {
        self.dependencies.iter().copied()
    }
    fn error(&self) -> Option<&str> {
        None
    }
}

/// A shard's part, written a node at a time as the scan goes, so that no
/// node is held.
#[derive(Debug, Clone, Default)]
pub struct GraphBytes(PartRecords);

/// A [`GraphNode`] borrowed from its task; it writes the same bytes.
#[derive(Serialize)]
struct NodeOf<'t> {
    id: &'t str,
    status: &'t str,
    dependencies: &'t [String],
}

impl GraphBytes {
    /// Appends the task's node; its place among the part's nodes.
    pub fn push(&mut self, task: &Task) -> usize {
        let pending = TaskStatus::of(&task.status) == TaskStatus::Pending;
        let dependencies = task.dependencies.as_deref().filter(|_| pending).unwrap_or_default();
        self.0.push(&NodeOf { id: &task.id, status: &task.status, dependencies })
    }

    pub fn reserve(&mut self, nodes: usize) {
        // About what a node of a uuid and one dependency takes.
        self.0.reserve(nodes, 80);
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.0.into_bytes()
    }
}

/// No state: the task is not pending.
const NO_STATE: u8 = 0;

/// The code of a state: its place in [`StateKind::ALL`], plus one.
fn code(kind: StateKind) -> u8 {
    StateKind::ALL.iter().position(|&k| k == kind).map_or(NO_STATE, |i| i as u8 + 1)
}

/// The state a code stands for; `None` for a task that is not pending,
/// and for a code this component never writes.
pub fn kind_of(code: u8) -> Option<StateKind> {
    StateKind::ALL.get(usize::from(code).checked_sub(1)?).copied()
}

/// Each part's tasks' states, one code per task in the part's order, over
/// the graph of every part's tasks together.
pub fn state_codes(parts: &[Vec<u8>]) -> Result<Vec<Vec<u8>>, Error> {
    let mut nodes = Vec::new();
    let mut lengths = Vec::with_capacity(parts.len());
    for part in parts {
        let decoded: Vec<GraphNode> = part_records::read(part, "graphs")?;
        lengths.push(decoded.len());
        nodes.extend(decoded);
    }
    let mut codes = codes_of(&nodes).into_iter();
    Ok(lengths.into_iter().map(|n| codes.by_ref().take(n).collect()).collect())
}

/// One code per task of `nodes`, over their graph.
fn codes_of(nodes: &[GraphNode<'_>]) -> Vec<u8> {
    let graph = DependencyGraph::build(nodes);
    (0..nodes.len()).map(|i| graph.state(i).map_or(NO_STATE, |s| code(s.kind()))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(nodes: &[(&str, &str, &[&str])]) -> Vec<u8> {
        let mut part = GraphBytes::default();
        for (at, (id, status, deps)) in nodes.iter().enumerate() {
            let dependencies = Some(deps.iter().map(|d| d.to_string()).collect());
            let task = Task { id: id.to_string(), status: status.to_string(), dependencies, ..Task::default() };
            assert_eq!(part.push(&task), at);
        }
        part.into_bytes()
    }

    #[test]
    fn codes_span_the_parts_and_come_back_in_each_parts_order() {
        let one = part(&[("a", "pending", &["x"]), ("f", "failed", &[])]);
        let two = part(&[("x", "pending", &["f"]), ("r", "pending", &[]), ("d", "pending", &["gone"])]);
        let codes = state_codes(&[one, two]).unwrap();
        let kinds = |c: &[u8]| c.iter().map(|&c| kind_of(c).map(StateKind::name)).collect::<Vec<_>>();
        assert_eq!(kinds(&codes[0]), [Some("blocked"), None]);
        assert_eq!(kinds(&codes[1]), [Some("blocked"), Some("ready"), Some("dangling")]);
    }

    #[test]
    fn the_states_are_those_of_the_whole_graph() {
        // Finished and running tasks list dependencies too, even on a
        // cycle and on a failure: none of them may change a state.
        let queue: &[(&str, &str, &[&str])] = &[
            ("p1", "pending", &["r1"]),
            ("r1", "running", &["p2"]),
            ("p2", "pending", &["p1"]),
            ("f1", "failed", &["gone"]),
            ("p3", "pending", &["c1"]),
            ("c1", "completed", &["f1"]),
            ("p4", "pending", &["f1", "p3"]),
            ("p5", "pending", &["p5"]),
            ("x1", "cancelled", &["p4"]),
            ("p6", "pending", &["x1", "gone"]),
        ];
        let tasks: Vec<Task> = queue
            .iter()
            .map(|(id, status, deps)| Task {
                id: id.to_string(),
                status: status.to_string(),
                dependencies: Some(deps.iter().map(|d| d.to_string()).collect()),
                ..Task::default()
            })
            .collect();
        let whole = DependencyGraph::build(&tasks);
        let expected: Vec<Option<StateKind>> = (0..tasks.len()).map(|i| whole.state(i).map(|s| s.kind())).collect();
        let codes = state_codes(&[part(queue)]).unwrap();
        let got: Vec<Option<StateKind>> = codes[0].iter().map(|&c| kind_of(c)).collect();
        assert_eq!(got, expected);
        assert!(expected.contains(&Some(StateKind::Cycle)) && expected.contains(&Some(StateKind::Blocked)));
    }

    #[test]
    fn every_kind_has_a_code_and_foreign_bytes_are_refused() {
        for kind in StateKind::ALL {
            assert_eq!(kind_of(code(kind)), Some(kind));
        }
        assert_eq!(kind_of(NO_STATE), None);
        assert_eq!(kind_of(99), None);
        assert!(matches!(state_codes(&[vec![0xff, 0xff, 0xff]]), Err(Error::InvalidArgument { .. })));
        assert_eq!(state_codes(&[GraphBytes::default().into_bytes()]).unwrap(), [Vec::<u8>::new()]);
    }
}
