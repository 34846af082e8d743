use std::collections::{BTreeSet, HashMap};
use std::time::Instant;

use super::*;

fn task(id: &str, status: &str, dependencies: &[&str]) -> Task {
    let dependencies = (!dependencies.is_empty()).then(|| dependencies.iter().map(|d| d.to_string()).collect());
    Task { id: id.into(), status: status.into(), dependencies, ..Task::default() }
}

fn ids(list: &[&str]) -> Arc<[String]> {
    list.iter().map(|s| s.to_string()).collect()
}

fn blocked(by: &[&str]) -> PendingState {
    PendingState::Blocked { by: ids(by) }
}

fn cycle(path: &[&str]) -> PendingState {
    PendingState::Cycle { path: ids(path) }
}

fn dangling(missing: &[&str]) -> PendingState {
    PendingState::Dangling { missing: missing.iter().map(|s| s.to_string()).collect() }
}

/// The state of the first task with `id`.
fn state<'g>(graph: &'g DependencyGraph, id: &str) -> Option<&'g PendingState> {
    graph.state(graph.index_of(id).expect("a task of the test"))
}

fn reason(graph: &DependencyGraph, tasks: &[Task], id: &str) -> Option<String> {
    graph.reason(graph.index_of(id).unwrap(), tasks)
}

/// The ids of a walk, with depths.
fn walked<'t>(tasks: &'t [Task], walk: &[(usize, u32)]) -> Vec<(&'t str, u32)> {
    walk.iter().map(|&(i, depth)| (tasks[i].id.as_str(), depth)).collect()
}

fn ordered<'t>(tasks: &'t [Task], order: &[usize]) -> Vec<&'t str> {
    order.iter().map(|&i| tasks[i].id.as_str()).collect()
}

// --- States ---

#[test]
fn a_task_without_dependencies_is_ready() {
    let tasks = [task("a", "pending", &[]), Task { dependencies: Some(vec![]), ..task("b", "pending", &[]) }];
    let graph = DependencyGraph::build(&tasks);
    assert_eq!(state(&graph, "a"), Some(&PendingState::Ready));
    assert_eq!(state(&graph, "b"), Some(&PendingState::Ready));
    assert_eq!(reason(&graph, &tasks, "a").unwrap(), "ready: no dependencies");
}

#[test]
fn completed_dependencies_make_a_task_ready() {
    let tasks = [task("a", "completed", &[]), task("b", "completed", &[]), task("c", "pending", &["a", "b"])];
    let graph = DependencyGraph::build(&tasks);
    assert_eq!(state(&graph, "c"), Some(&PendingState::Ready));
    assert_eq!(reason(&graph, &tasks, "c").unwrap(), "ready: every dependency is completed");
}

#[test]
fn a_pending_or_running_dependency_makes_a_task_wait() {
    let tasks = [
        task("a", "completed", &[]),
        task("b", "running", &[]),
        task("c", "pending", &[]),
        task("d", "pending", &["a", "b"]),
        task("e", "pending", &["a", "c", "b"]),
    ];
    let graph = DependencyGraph::build(&tasks);
    assert_eq!(state(&graph, "d"), Some(&PendingState::Waiting));
    assert_eq!(state(&graph, "e"), Some(&PendingState::Waiting));
    assert_eq!(reason(&graph, &tasks, "d").unwrap(), "waiting: on b (running)");
    assert_eq!(reason(&graph, &tasks, "e").unwrap(), "waiting: on c (pending), b (running)");
}

#[test]
fn an_unknown_status_counts_as_not_completed() {
    let tasks = [task("a", "paused", &[]), task("b", "", &[]), task("c", "pending", &["a", "b"])];
    let graph = DependencyGraph::build(&tasks);
    assert_eq!(state(&graph, "c"), Some(&PendingState::Waiting));
    assert_eq!(reason(&graph, &tasks, "c").unwrap(), "waiting: on a (paused), b (no status)");
}

#[test]
fn tasks_that_are_not_pending_have_no_state() {
    let tasks = ["running", "completed", "failed", "cancelled", "paused"].map(|s| task(s, s, &["missing"]));
    let graph = DependencyGraph::build(&tasks);
    for i in 0..tasks.len() {
        assert_eq!(graph.state(i), None, "{}", tasks[i].id);
        assert_eq!(graph.reason(i, &tasks), None);
    }
    assert_eq!(graph.state(tasks.len()), None, "out of range");
}

#[test]
fn a_failure_blocks_through_a_chain_naming_the_bottom_task() {
    let tasks = [
        Task { error: Some("exit 1: connection refused\nat line 3".into()), ..task("t3", "failed", &[]) },
        task("t2", "pending", &["t3"]),
        task("t1", "pending", &["t2"]),
    ];
    let graph = DependencyGraph::build(&tasks);
    assert_eq!(state(&graph, "t2"), Some(&blocked(&["t3"])));
    assert_eq!(state(&graph, "t1"), Some(&blocked(&["t3"])), "the root, not the direct dependency");
    assert_eq!(reason(&graph, &tasks, "t1").unwrap(), "blocked: t3 failed (exit 1: connection refused)");
}

#[test]
fn a_diamond_names_each_root_once() {
    //      top
    //     /   \
    //  left   right
    //    |  X   |
    //   f1      f2      (both sides reach both failures)
    let tasks = [
        task("f2", "failed", &[]),
        task("f1", "failed", &[]),
        task("left", "pending", &["f1", "f2"]),
        task("right", "pending", &["f2", "f1"]),
        task("top", "pending", &["left", "right"]),
    ];
    let graph = DependencyGraph::build(&tasks);
    assert_eq!(state(&graph, "top"), Some(&blocked(&["f1", "f2"])));
    assert_eq!(reason(&graph, &tasks, "top").unwrap(), "blocked: f1 failed, f2 failed");
}

#[test]
fn cancelled_blocks_like_failed() {
    let tasks = [
        Task { error: Some("  \n".into()), ..task("c", "cancelled", &[]) },
        task("f", "failed", &[]),
        task("a", "pending", &["c"]),
        task("b", "pending", &["a", "f"]),
    ];
    let graph = DependencyGraph::build(&tasks);
    assert_eq!(state(&graph, "a"), Some(&blocked(&["c"])));
    assert_eq!(state(&graph, "b"), Some(&blocked(&["c", "f"])));
    assert_eq!(reason(&graph, &tasks, "b").unwrap(), "blocked: c cancelled, f failed", "a blank error is left out");
}

#[test]
fn a_cycle_names_its_path_from_the_smallest_id() {
    let tasks = [
        task("c", "pending", &["a"]),
        task("b", "pending", &["c"]),
        task("a", "pending", &["b"]),
        task("d", "pending", &["b"]),
    ];
    let graph = DependencyGraph::build(&tasks);
    for id in ["a", "b", "c"] {
        assert_eq!(state(&graph, id), Some(&cycle(&["a", "b", "c", "a"])), "{id}");
    }
    assert_eq!(state(&graph, "d"), Some(&PendingState::Waiting), "depends on a cycle, not on one");
    assert_eq!(reason(&graph, &tasks, "c").unwrap(), "cycle: a -> b -> c -> a");
}

#[test]
fn a_cycle_path_is_the_shortest_through_the_smallest_id() {
    // a -> b -> c -> d -> a, and the shortcut c -> a.
    let tasks = [
        task("a", "pending", &["b"]),
        task("b", "pending", &["c"]),
        task("c", "pending", &["d", "a"]),
        task("d", "pending", &["a"]),
    ];
    let graph = DependencyGraph::build(&tasks);
    assert_eq!(state(&graph, "d"), Some(&cycle(&["a", "b", "c", "a"])), "shared by the whole knot");
}

#[test]
fn a_self_dependency_is_a_cycle() {
    let tasks = [task("a", "pending", &["a"]), task("b", "pending", &["a"])];
    let graph = DependencyGraph::build(&tasks);
    assert_eq!(state(&graph, "a"), Some(&cycle(&["a", "a"])));
    assert_eq!(state(&graph, "b"), Some(&PendingState::Waiting));
    assert_eq!(reason(&graph, &tasks, "a").unwrap(), "cycle: a -> a");
}

#[test]
fn a_loop_through_a_task_that_is_not_pending_is_no_cycle() {
    let tasks = [task("a", "pending", &["b"]), task("b", "completed", &["a"]), task("c", "running", &["c"])];
    let graph = DependencyGraph::build(&tasks);
    assert_eq!(state(&graph, "a"), Some(&PendingState::Ready));
    assert_eq!(graph.state(2), None);
}

#[test]
fn a_dependency_outside_the_queue_dangles() {
    let tasks = [
        task("a", "completed", &[]),
        task("b", "pending", &["a", "task-404"]),
        task("c", "pending", &["z", "y", "z"]),
        task("d", "pending", &["b"]),
    ];
    let graph = DependencyGraph::build(&tasks);
    assert_eq!(state(&graph, "b"), Some(&dangling(&["task-404"])));
    assert_eq!(state(&graph, "c"), Some(&dangling(&["y", "z"])), "sorted, each once");
    assert_eq!(state(&graph, "d"), Some(&PendingState::Waiting), "dangling does not propagate");
    assert_eq!(reason(&graph, &tasks, "b").unwrap(), "dangling: depends on task-404, which is not in the queue");
    assert_eq!(reason(&graph, &tasks, "c").unwrap(), "dangling: depends on y, z, which are not in the queue");
}

#[test]
fn precedence_in_a_mixed_queue() {
    let tasks = [
        task("done", "completed", &[]),
        task("fail", "failed", &[]),
        task("run", "running", &[]),
        // On a cycle and blocked: cycle wins, and the cycle passes the block on.
        task("k1", "pending", &["k2", "fail"]),
        task("k2", "pending", &["k1"]),
        task("on-knot", "pending", &["k2"]),
        // Blocked and dangling and waiting: blocked wins.
        task("all", "pending", &["run", "nowhere", "fail", "done"]),
        // Dangling and waiting: dangling wins.
        task("lost", "pending", &["run", "nowhere"]),
        // Waiting on a dangling task and on a ready one.
        task("later", "pending", &["lost", "fresh"]),
        task("fresh", "pending", &["done"]),
    ];
    let graph = DependencyGraph::build(&tasks);
    assert_eq!(state(&graph, "k1"), Some(&cycle(&["k1", "k2", "k1"])));
    assert_eq!(state(&graph, "k2"), Some(&cycle(&["k1", "k2", "k1"])));
    assert_eq!(state(&graph, "on-knot"), Some(&blocked(&["fail"])), "blocked through the cycle");
    assert_eq!(state(&graph, "all"), Some(&blocked(&["fail"])));
    assert_eq!(state(&graph, "lost"), Some(&dangling(&["nowhere"])));
    assert_eq!(state(&graph, "later"), Some(&PendingState::Waiting));
    assert_eq!(state(&graph, "fresh"), Some(&PendingState::Ready));
    assert_eq!(
        tasks.iter().enumerate().filter_map(|(i, _)| graph.state(i).map(PendingState::name)).collect::<Vec<_>>(),
        ["cycle", "cycle", "blocked", "blocked", "dangling", "waiting", "ready"]
    );
}

#[test]
fn the_first_of_duplicate_ids_wins() {
    let tasks = [
        task("a", "completed", &[]),
        task("a", "failed", &[]),
        task("b", "pending", &["a"]),
        // A later duplicate keeps its own state.
        task("b", "pending", &["nowhere"]),
    ];
    let graph = DependencyGraph::build(&tasks);
    assert_eq!(graph.index_of("a"), Some(0));
    assert_eq!(graph.index_of("b"), Some(2));
    assert_eq!(graph.index_of("c"), None);
    assert_eq!(graph.state(2), Some(&PendingState::Ready));
    assert_eq!(graph.state(3), Some(&dangling(&["nowhere"])));
}

#[test]
fn a_repeated_dependency_counts_once() {
    let tasks = [task("a", "running", &[]), task("b", "pending", &["a", "a"])];
    let graph = DependencyGraph::build(&tasks);
    assert_eq!(graph.dependencies(1), [(0, 1)]);
    assert_eq!(reason(&graph, &tasks, "b").unwrap(), "waiting: on a (running)");
}

// --- Reasons ---

#[test]
fn long_reasons_name_the_first_few() {
    let mut tasks: Vec<Task> = (0..7).map(|i| task(&format!("f{i}"), "failed", &[])).collect();
    let all: Vec<String> = (0..7).map(|i| format!("f{i}")).chain(["x1".into(), "x2".into()]).collect();
    tasks.push(Task { dependencies: Some(all.clone()), ..task("blocked", "pending", &[]) });
    tasks.push(Task {
        dependencies: Some((0..7).map(|i| format!("gone{i}")).collect()),
        ..task("lost", "pending", &[])
    });
    let graph = DependencyGraph::build(&tasks);
    assert_eq!(
        reason(&graph, &tasks, "blocked").unwrap(),
        "blocked: f0 failed, f1 failed, f2 failed, f3 failed, f4 failed and 2 more"
    );
    assert_eq!(
        reason(&graph, &tasks, "lost").unwrap(),
        "dangling: depends on gone0, gone1, gone2, gone3, gone4 and 2 more, which are not in the queue"
    );
}

#[test]
fn a_long_cycle_reason_elides_the_middle() {
    let tasks: Vec<Task> =
        (0..20).map(|i| task(&format!("c{:02}", i), "pending", &[&format!("c{:02}", (i + 1) % 20)])).collect();
    let graph = DependencyGraph::build(&tasks);
    assert_eq!(
        reason(&graph, &tasks, "c07").unwrap(),
        "cycle: c00 -> c01 -> c02 -> c03 -> c04 -> c05 -> c06 -> c07 -> … 12 more -> c00"
    );
}

// --- Size ---

/// t0 failed, t1..t(n-1) pending, each on the one before.
fn chain(n: usize) -> Vec<Task> {
    (0..n)
        .map(|i| {
            let deps = if i == 0 { vec![] } else { vec![format!("t{}", i - 1)] };
            Task {
                id: format!("t{i}"),
                status: if i == 0 { "failed" } else { "pending" }.into(),
                dependencies: Some(deps),
                ..Task::default()
            }
        })
        .collect()
}

#[test]
fn a_chain_100_000_deep_is_blocked_by_its_bottom() {
    let tasks = chain(100_000);
    let started = Instant::now();
    let graph = DependencyGraph::build(&tasks);
    let built = started.elapsed();
    let expected = blocked(&["t0"]);
    assert!((1..tasks.len()).all(|i| graph.state(i) == Some(&expected)));
    let (Some(PendingState::Blocked { by: first }), Some(PendingState::Blocked { by: last })) =
        (graph.state(1), graph.state(99_999))
    else {
        panic!("blocked");
    };
    assert!(Arc::ptr_eq(first, last), "one shared set for the whole chain");

    let walk = graph.dependencies(99_999);
    assert_eq!((walk.len(), walk.last().copied()), (99_999, Some((0, 99_999))));
    assert_eq!(graph.dependents(0).len(), 99_999);
    assert!(graph.components().iter().all(|&c| c == 0));
    let all: Vec<usize> = (0..tasks.len()).rev().collect();
    assert!(graph.topological(&all, &tasks).iter().copied().eq(0..tasks.len()));
    eprintln!("chain of 100,000: built in {built:?}, all in {:?}", started.elapsed());
}

#[test]
fn a_cycle_of_100_000_tasks_is_one_cycle() {
    let n = 100_000;
    let tasks: Vec<Task> = (0..n)
        .map(|i| Task {
            id: format!("t{i:06}"),
            status: "pending".into(),
            dependencies: Some(vec![format!("t{:06}", (i + 1) % n)]),
            ..Task::default()
        })
        .collect();
    let started = Instant::now();
    let graph = DependencyGraph::build(&tasks);
    let built = started.elapsed();
    let Some(PendingState::Cycle { path }) = graph.state(0) else { panic!("a cycle") };
    assert_eq!(path.len(), n + 1);
    assert!(path.iter().take(n).enumerate().all(|(i, id)| *id == tasks[i].id));
    assert_eq!(path[n], "t000000");
    assert!((0..n).all(|i| matches!(graph.state(i), Some(PendingState::Cycle { path: p }) if Arc::ptr_eq(p, path))));
    let all: Vec<usize> = (0..n).rev().collect();
    assert!(graph.topological(&all, &tasks).iter().copied().eq(0..n), "cycle members in id order");
    eprintln!("cycle of 100,000: built in {built:?}, all in {:?}", started.elapsed());
}

#[test]
fn a_wide_fan_shares_one_set() {
    let mut tasks = vec![task("root", "failed", &[])];
    tasks.extend((0..100_000).map(|i| task(&format!("w{i}"), "pending", &["root"])));
    let everything: Vec<String> = tasks[1..].iter().map(|t| t.id.clone()).collect();
    tasks.push(Task { dependencies: Some(everything), ..task("top", "pending", &[]) });
    let graph = DependencyGraph::build(&tasks);
    let Some(PendingState::Blocked { by }) = state(&graph, "top") else { panic!("blocked") };
    assert_eq!(&**by, ["root"]);
}

// --- Walks, components, order ---

/// top -> mid1 -> leaf, top -> mid2 -> leaf, top -> leaf, mid2 -> deep -> leaf
fn walk_sample() -> Vec<Task> {
    vec![
        task("top", "pending", &["mid1", "mid2", "leaf"]),
        task("mid1", "pending", &["leaf"]),
        task("mid2", "pending", &["deep", "gone"]),
        task("deep", "pending", &["leaf"]),
        task("leaf", "completed", &[]),
        task("alone", "pending", &[]),
    ]
}

#[test]
fn dependencies_walk_depth_first_each_task_once() {
    let tasks = walk_sample();
    let graph = DependencyGraph::build(&tasks);
    assert_eq!(
        walked(&tasks, &graph.dependencies(0)),
        [("mid1", 1), ("leaf", 2), ("mid2", 1), ("deep", 2)],
        "leaf is shown under mid1, where the walk met it first"
    );
    assert_eq!(walked(&tasks, &graph.dependencies(2)), [("deep", 1), ("leaf", 2)]);
    assert!(graph.dependencies(4).is_empty());
    assert!(graph.dependencies(99).is_empty());
}

#[test]
fn dependents_walk_the_reverse_edges() {
    let tasks = walk_sample();
    let graph = DependencyGraph::build(&tasks);
    assert_eq!(walked(&tasks, &graph.dependents(4)), [("top", 1), ("mid1", 1), ("deep", 1), ("mid2", 2)]);
    assert_eq!(walked(&tasks, &graph.dependents(3)), [("mid2", 1), ("top", 2)]);
    assert!(graph.dependents(0).is_empty());
}

#[test]
fn a_walk_on_a_cycle_leaves_its_start_out() {
    let tasks = [task("a", "pending", &["b"]), task("b", "pending", &["a"])];
    let graph = DependencyGraph::build(&tasks);
    assert_eq!(walked(&tasks, &graph.dependencies(0)), [("b", 1)]);
    assert_eq!(walked(&tasks, &graph.dependents(0)), [("b", 1)]);
}

#[test]
fn components_group_linked_tasks() {
    let tasks = [
        task("a", "pending", &["c"]),
        task("b", "pending", &["gone"]),
        task("c", "completed", &[]),
        task("d", "pending", &["gone"]),
        task("e", "pending", &["b", "c"]),
        task("f", "pending", &["f"]),
    ];
    let graph = DependencyGraph::build(&tasks);
    assert_eq!(graph.components(), [0, 0, 0, 1, 0, 2], "a missing id links nothing");
    assert!(DependencyGraph::build::<Task>(&[]).components().is_empty());
}

fn ranked(id: &str, priority: i64, created: Option<&str>, dependencies: &[&str]) -> Task {
    Task { priority, created_at: created.map(|c| c.parse().unwrap()), ..task(id, "pending", dependencies) }
}

#[test]
fn topological_puts_dependencies_first_and_breaks_ties_by_queue_order() {
    let tasks = [
        ranked("low", 0, Some("2025-01-01T00:00:00Z"), &[]),
        ranked("high", 5, None, &["base"]),
        ranked("base", 0, Some("2025-01-03T00:00:00Z"), &[]),
        ranked("old", 1, Some("2025-01-01T00:00:00Z"), &[]),
        ranked("new", 1, Some("2025-01-02T00:00:00Z"), &[]),
        ranked("undated", 1, None, &[]),
        ranked("b-same", 1, Some("2025-01-02T00:00:00Z"), &[]),
        ranked("outside", 9, None, &[]),
    ];
    let graph = DependencyGraph::build(&tasks);
    let all: Vec<usize> = (0..7).collect();
    assert_eq!(
        ordered(&tasks, &graph.topological(&all, &tasks)),
        ["old", "b-same", "new", "undated", "low", "base", "high"],
        "high waits for base, the lowest; same priority and age go by id"
    );
    assert_eq!(ordered(&tasks, &graph.topological(&[1, 1, 5, 42], &tasks)), ["high", "undated"], "once each, in range");
}

#[test]
fn topological_puts_cycles_after_the_rest() {
    let tasks = [
        ranked("after", 9, None, &["y"]),
        ranked("y", 0, None, &["x"]),
        ranked("x", 0, None, &["y", "first"]),
        ranked("first", 0, None, &[]),
        ranked("second", 0, None, &["first"]),
        ranked("self", 0, None, &["self"]),
    ];
    let graph = DependencyGraph::build(&tasks);
    let all: Vec<usize> = (0..tasks.len()).collect();
    assert_eq!(ordered(&tasks, &graph.topological(&all, &tasks)), ["first", "second", "self", "x", "y", "after"]);
}

// --- Property: the states match a plain recursive definition ---

/// Up to 30 tasks, mostly pending, with a few duplicate ids, missing ids,
/// self-dependencies and cycles, drawn from a seeded generator so that a
/// failure reproduces.
fn random_queue(rng: &mut fastrand::Rng) -> Vec<Task> {
    let n = 1 + rng.usize(..30);
    let statuses = [
        "pending",
        "pending",
        "pending",
        "pending",
        "completed",
        "completed",
        "running",
        "failed",
        "cancelled",
        "paused",
    ];
    (0..n)
        .map(|i| {
            let id = if rng.usize(..10) == 0 { format!("t{}", rng.usize(..i + 1)) } else { format!("t{i}") };
            let dependencies =
                (0..rng.usize(..4))
                    .map(|_| {
                        if rng.usize(..12) == 0 {
                            format!("x{}", rng.usize(..3))
                        } else {
                            format!("t{}", rng.usize(..n))
                        }
                    })
                    .collect();
            let created = (rng.usize(..3) > 0).then(|| jiff::Timestamp::from_second(rng.usize(..4) as i64).unwrap());
            Task {
                id,
                status: statuses[rng.usize(..statuses.len())].into(),
                dependencies: Some(dependencies),
                priority: rng.usize(..3) as i64,
                created_at: created,
                error: (rng.usize(..2) == 0).then(|| "boom\nmore".into()),
                ..Task::default()
            }
        })
        .collect()
}

/// The rules written plainly, recursively, without sharing anything with
/// the module's algorithms.
struct Reference<'t> {
    tasks: &'t [Task],
    first: HashMap<&'t str, usize>,
    /// Shortest distances over pending edges, computed on first use.
    distances: std::cell::OnceCell<Vec<Vec<usize>>>,
}

impl<'t> Reference<'t> {
    fn new(tasks: &'t [Task]) -> Self {
        let mut first = HashMap::new();
        for (i, t) in tasks.iter().enumerate() {
            first.entry(t.id.as_str()).or_insert(i);
        }
        Reference { tasks, first, distances: std::cell::OnceCell::new() }
    }

    fn deps(&self, v: usize) -> Vec<usize> {
        self.tasks[v].dependencies.iter().flatten().filter_map(|d| self.first.get(d.as_str()).copied()).collect()
    }

    fn status(&self, v: usize) -> &str {
        &self.tasks[v].status
    }

    fn pending(&self, v: usize) -> bool {
        self.status(v) == "pending"
    }

    /// Whether `to` is reachable from `from` by one or more edges between
    /// pending tasks.
    fn reaches(&self, from: usize, to: usize, seen: &mut Vec<bool>) -> bool {
        for d in self.deps(from) {
            if !self.pending(d) {
                continue;
            }
            if d == to {
                return true;
            }
            if !seen[d] {
                seen[d] = true;
                if self.reaches(d, to, seen) {
                    return true;
                }
            }
        }
        false
    }

    fn pending_reach(&self, from: usize, to: usize) -> bool {
        self.reaches(from, to, &mut vec![false; self.tasks.len()])
    }

    fn on_cycle(&self, v: usize) -> bool {
        self.pending(v) && self.pending_reach(v, v)
    }

    fn roots(&self, v: usize, seen: &mut Vec<bool>, out: &mut BTreeSet<String>) {
        for d in self.deps(v) {
            if matches!(self.status(d), "failed" | "cancelled") {
                out.insert(self.tasks[d].id.clone());
            } else if self.pending(d) && !seen[d] {
                seen[d] = true;
                self.roots(d, seen, out);
            }
        }
    }

    fn state(&self, v: usize) -> Option<&'static str> {
        if !self.pending(v) {
            return None;
        }
        let mut roots = BTreeSet::new();
        self.roots(v, &mut vec![false; self.tasks.len()], &mut roots);
        Some(if self.on_cycle(v) {
            "cycle"
        } else if !roots.is_empty() {
            "blocked"
        } else if !self.missing(v).is_empty() {
            "dangling"
        } else if self.deps(v).iter().any(|&d| self.status(d) != "completed") {
            "waiting"
        } else {
            "ready"
        })
    }

    fn blocked_by(&self, v: usize) -> Vec<String> {
        let mut roots = BTreeSet::new();
        self.roots(v, &mut vec![false; self.tasks.len()], &mut roots);
        roots.into_iter().collect()
    }

    fn missing(&self, v: usize) -> Vec<String> {
        let set: BTreeSet<String> = self.tasks[v]
            .dependencies
            .iter()
            .flatten()
            .filter(|d| !self.first.contains_key(d.as_str()))
            .cloned()
            .collect();
        set.into_iter().collect()
    }

    /// Shortest cycle length through `v` over pending edges, by
    /// Floyd–Warshall with no zero diagonal.
    fn shortest_cycle(&self, v: usize) -> usize {
        self.distances.get_or_init(|| self.floyd_warshall())[v][v]
    }

    fn floyd_warshall(&self) -> Vec<Vec<usize>> {
        let n = self.tasks.len();
        let far = usize::MAX / 4;
        let mut dist = vec![vec![far; n]; n];
        for a in (0..n).filter(|&a| self.pending(a)) {
            for b in self.deps(a).into_iter().filter(|&b| self.pending(b)) {
                dist[a][b] = 1;
            }
        }
        for k in 0..n {
            for a in 0..n {
                for b in 0..n {
                    dist[a][b] = dist[a][b].min(dist[a][k] + dist[k][b]);
                }
            }
        }
        dist
    }

    /// Every task reachable from `v` along `edges` (all statuses), not `v`
    /// itself unless through a cycle.
    fn reachable(&self, v: usize, edges: &dyn Fn(usize) -> Vec<usize>, seen: &mut BTreeSet<usize>) {
        for w in edges(v) {
            if seen.insert(w) {
                self.reachable(w, edges, seen);
            }
        }
    }

    fn dependents(&self, v: usize) -> Vec<usize> {
        (0..self.tasks.len()).filter(|&u| self.deps(u).contains(&v)).collect()
    }
}

fn check_states(tasks: &[Task], graph: &DependencyGraph, reference: &Reference, case: usize) {
    for v in 0..tasks.len() {
        let state = graph.state(v);
        assert_eq!(state.map(PendingState::name), reference.state(v), "case {case}, task {v}: {tasks:#?}");
        assert_eq!(graph.reason(v, tasks).is_some(), state.is_some());
        match state {
            Some(PendingState::Blocked { by }) => assert_eq!(**by, reference.blocked_by(v), "case {case}, task {v}"),
            Some(PendingState::Dangling { missing }) => assert_eq!(*missing, reference.missing(v), "case {case}"),
            Some(PendingState::Cycle { path }) => check_cycle(tasks, reference, v, path, case),
            _ => {}
        }
    }
}

/// The path is a cycle of pending tasks in `v`'s component, from its
/// smallest id, as short as any through that id.
fn check_cycle(tasks: &[Task], reference: &Reference, v: usize, path: &[String], case: usize) {
    let n = tasks.len();
    let component: Vec<usize> =
        (0..n).filter(|&u| u == v || (reference.pending_reach(v, u) && reference.pending_reach(u, v))).collect();
    let smallest = component.iter().map(|&u| tasks[u].id.as_str()).min().unwrap();
    assert_eq!(path[0], smallest, "case {case}");
    assert_eq!(path.first(), path.last(), "case {case}");
    let nodes: Vec<usize> = path.iter().map(|id| reference.first[id.as_str()]).collect();
    for pair in nodes.windows(2) {
        assert!(reference.deps(pair[0]).contains(&pair[1]) && reference.pending(pair[1]), "case {case}: {path:?}");
    }
    let inner: BTreeSet<usize> = nodes[1..].iter().copied().collect();
    assert_eq!(inner.len(), nodes.len() - 1, "case {case}: a simple cycle");
    assert!(inner.iter().all(|u| component.contains(u)), "case {case}");
    assert_eq!(path.len() - 1, reference.shortest_cycle(nodes[0]), "case {case}: {path:?}");
}

/// Each walk covers what is reachable, and each entry hangs under the
/// entry before it that is one shallower, which has an edge to it.
fn check_walk(walk: &[(usize, u32)], start: usize, edges: &dyn Fn(usize) -> Vec<usize>, reference: &Reference) {
    let mut expected = BTreeSet::new();
    reference.reachable(start, edges, &mut expected);
    expected.remove(&start);
    let got: BTreeSet<usize> = walk.iter().map(|&(w, _)| w).collect();
    assert_eq!(got, expected);
    assert_eq!(got.len(), walk.len(), "each once");
    for (i, &(w, depth)) in walk.iter().enumerate() {
        let parent = if depth == 1 {
            start
        } else {
            walk[..i].iter().rev().find(|&&(_, d)| d == depth - 1).expect("a parent one shallower").0
        };
        assert!(edges(parent).contains(&w), "{w} under {parent}");
        assert!((i == 0 && depth == 1) || (i > 0 && depth <= walk[i - 1].1 + 1));
    }
}

fn check_components(tasks: &[Task], graph: &DependencyGraph, reference: &Reference) {
    let components = graph.components();
    let links: Vec<Vec<usize>> =
        (0..tasks.len()).map(|v| reference.deps(v).into_iter().chain(reference.dependents(v)).collect()).collect();
    let linked = |v: usize| links[v].clone();
    for v in 0..tasks.len() {
        let mut together = BTreeSet::from([v]);
        reference.reachable(v, &linked, &mut together);
        for u in 0..tasks.len() {
            assert_eq!(components[u] == components[v], together.contains(&u), "{u} and {v}");
        }
    }
    // Numbered in order of first appearance.
    let mut next = 0;
    for &c in &components {
        assert!(c <= next);
        next = next.max(c + 1);
    }
}

/// A permutation of the chosen tasks (once each) where every task that is
/// not on a cycle comes after its chosen dependencies, and tasks clear of
/// cycles come before all others.
fn check_topological(tasks: &[Task], graph: &DependencyGraph, reference: &Reference, chosen: &[usize]) {
    let order = graph.topological(chosen, tasks);
    let set: BTreeSet<usize> = chosen.iter().copied().collect();
    assert_eq!(order.iter().copied().collect::<BTreeSet<_>>(), set);
    assert_eq!(order.len(), set.len());
    let within = |v: usize| reference.deps(v).into_iter().filter(|d| set.contains(d)).collect::<Vec<_>>();
    let cyclic: Vec<bool> = (0..tasks.len())
        .map(|v| {
            let mut seen = BTreeSet::new();
            reference.reachable(v, &within, &mut seen);
            seen.contains(&v)
        })
        .collect();
    let on_cycle = |v: usize| cyclic[v];
    let clear = |v: usize| {
        let mut seen = BTreeSet::from([v]);
        reference.reachable(v, &within, &mut seen);
        !seen.iter().any(|&u| on_cycle(u))
    };
    let position: HashMap<usize, usize> = order.iter().enumerate().map(|(p, &v)| (v, p)).collect();
    for &v in &order {
        if !on_cycle(v) {
            assert!(within(v).iter().all(|d| position[d] < position[&v]), "{v} after its dependencies");
        }
    }
    let clear_count = order.iter().filter(|&&v| clear(v)).count();
    assert!(order[..clear_count].iter().all(|&v| clear(v)), "clear tasks first");
}

#[test]
fn random_queues_match_the_recursive_definition() {
    let mut rng = fastrand::Rng::with_seed(0x9e37_79b9_7f4a_7c15);
    let mut seen_states = BTreeSet::new();
    for case in 0..400 {
        let tasks = random_queue(&mut rng);
        let graph = DependencyGraph::build(&tasks);
        let reference = Reference::new(&tasks);
        check_states(&tasks, &graph, &reference, case);
        seen_states.extend((0..tasks.len()).filter_map(|v| graph.state(v).map(PendingState::name)));

        let deps: Vec<Vec<usize>> = (0..tasks.len()).map(|v| reference.deps(v)).collect();
        let dependents: Vec<Vec<usize>> = (0..tasks.len()).map(|v| reference.dependents(v)).collect();
        let forward = |v: usize| deps[v].clone();
        let backward = |v: usize| dependents[v].clone();
        for v in 0..tasks.len() {
            check_walk(&graph.dependencies(v), v, &forward, &reference);
            check_walk(&graph.dependents(v), v, &backward, &reference);
        }
        check_components(&tasks, &graph, &reference);
        let extra = rng.usize(..tasks.len()); // listed twice, or the one chosen
        let chosen: Vec<usize> = (0..tasks.len()).filter(|_| rng.usize(..4) > 0).chain([extra]).collect();
        check_topological(&tasks, &graph, &reference, &chosen);
        let groups = 1 + rng.usize(..4);
        let group_of: Vec<usize> = (0..tasks.len()).map(|_| rng.usize(..groups)).collect();
        check_heads(&tasks, &graph, &reference, &group_of, case);
        // What `graph_part` relies on: no state reads a task's dependencies
        // unless the task is pending.
        let pending_edges_only: Vec<Task> = tasks
            .iter()
            .map(|t| Task { dependencies: t.dependencies.clone().filter(|_| t.status == "pending"), ..t.clone() })
            .collect();
        let trimmed = DependencyGraph::build(&pending_edges_only);
        for v in 0..tasks.len() {
            assert_eq!(trimmed.state(v), graph.state(v), "case {case}, task {v}");
        }
    }
    assert_eq!(seen_states.len(), 5, "every state occurred: {seen_states:?}");
}

/// Each group's head is the first task `topological` gives it alone (none
/// for a group numbered but empty), and its roots are its tasks with no
/// dependency in it.
fn check_heads(tasks: &[Task], graph: &DependencyGraph, reference: &Reference, group_of: &[usize], case: usize) {
    let heads = graph.group_heads(group_of, tasks);
    let groups = group_of.iter().max().map_or(0, |&g| g + 1);
    assert_eq!(heads.len(), groups, "case {case}");
    for (g, head) in heads.iter().enumerate() {
        let members: Vec<usize> = (0..tasks.len()).filter(|&v| group_of[v] == g).collect();
        assert_eq!(head.first, graph.topological(&members, tasks).first().copied(), "case {case}, group {g}");
        let roots = members.iter().filter(|&&v| reference.deps(v).into_iter().all(|d| group_of[d] != g)).count();
        assert_eq!(head.roots, roots, "case {case}, group {g}");
    }
}

/// What the graph says of task `v`, in ids: its state, reason, and walks.
fn told(tasks: &[Task], graph: &DependencyGraph, v: usize) -> (Option<PendingState>, Option<String>, [Vec<String>; 2]) {
    let ids = |walk: Vec<(usize, u32)>| walk.into_iter().map(|(i, depth)| format!("{} {depth}", tasks[i].id)).collect();
    (graph.state(v).cloned(), graph.reason(v, tasks), [ids(graph.dependencies(v)), ids(graph.dependents(v))])
}

#[test]
fn a_neighbourhood_tells_of_each_of_its_tasks_what_the_whole_queue_does() {
    let mut rng = fastrand::Rng::with_seed(0x2545_f491_4f6c_dd1d);
    for case in 0..300 {
        let tasks = random_queue(&mut rng);
        let whole = DependencyGraph::build(&tasks);
        let at = rng.usize(..tasks.len());
        let near = neighbourhood(&tasks, at);
        assert!(near.windows(2).all(|w| w[0] < w[1]), "sorted, each once");
        let sub: Vec<Task> = near.iter().map(|&i| tasks[i].clone()).collect();
        let graph = DependencyGraph::build(&sub);
        let sub_at = near.binary_search(&at).unwrap();
        assert_eq!(told(&sub, &graph, sub_at), told(&tasks, &whole, at), "case {case}, task {at}");
        for (sub_index, &i) in near.iter().enumerate() {
            if whole.dependents(at).iter().any(|&(d, _)| d == i) {
                assert_eq!(graph.state(sub_index), whole.state(i), "case {case}, dependent {i}");
            }
        }
    }
    assert!(neighbourhood(&chain(3), 9).is_empty());
}

#[test]
fn a_neighbourhood_leaves_out_what_neither_decides_nor_depends() {
    let tasks = [
        task("root", "failed", &[]),
        task("mid", "pending", &["root"]),
        task("top", "pending", &["mid", "side"]),
        task("side", "completed", &[]),
        task("other", "pending", &["root"]),
        task("alone", "pending", &[]),
    ];
    let ids = |near: Vec<usize>| near.into_iter().map(|i| tasks[i].id.as_str()).collect::<Vec<_>>();
    assert_eq!(ids(neighbourhood(&tasks, 1)), ["root", "mid", "top", "side"]);
    assert_eq!(ids(neighbourhood(&tasks, 5)), ["alone"]);
}
