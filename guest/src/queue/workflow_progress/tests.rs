use jiff::{SignedDuration, Timestamp};

use super::*;
use crate::model::StateKind;
use crate::queue::queue_part::{DependencyIds, SlimTime};
use crate::queue::task_status::TaskStatus;

fn task<'a>(id: &'a str, status: &'a str, dependencies: &'a [&'a str]) -> SlimTask<'a> {
    SlimTask {
        id,
        name: None,
        status,
        status_kind: TaskStatus::of(status),
        dependencies: DependencyIds::Listed(dependencies),
        priority: 0,
        created_at: SlimTime::NONE,
        started_at: SlimTime::NONE,
        completed_at: SlimTime::NONE,
        workflow: None,
        error_line: None,
    }
}

fn in_workflow<'a>(workflow: &'a str, id: &'a str, status: &'a str, dependencies: &'a [&'a str]) -> SlimTask<'a> {
    SlimTask { workflow: Some(workflow), ..task(id, status, dependencies) }
}

fn named<'a>(name: &'a str, id: &'a str, status: &'a str, dependencies: &'a [&'a str]) -> SlimTask<'a> {
    SlimTask { name: Some(name), ..task(id, status, dependencies) }
}

fn at(second: i64) -> Timestamp {
    Timestamp::from_second(second).unwrap()
}

fn now() -> Timestamp {
    at(10_000)
}

fn all(tasks: &[SlimTask]) -> Vec<WorkflowRow> {
    workflows(tasks, &WorkflowQuery::default(), now()).unwrap()
}

fn row<'r>(rows: &'r [WorkflowRow], name: &str) -> &'r WorkflowRow {
    rows.iter().find(|r| r.name == name).unwrap_or_else(|| panic!("no row {name} in {:?}", names(rows)))
}

fn names(rows: &[WorkflowRow]) -> Vec<&str> {
    rows.iter().map(|r| r.name.as_str()).collect()
}

fn sorted_names(rows: &[WorkflowRow]) -> Vec<&str> {
    let mut names = names(rows);
    names.sort_unstable();
    names
}

fn held(row: &WorkflowRow) -> Vec<(&str, StateKind, &str)> {
    row.held_by.iter().map(|h| (h.id.as_str(), h.state, h.reason.as_str())).collect()
}

fn counts(row: &WorkflowRow) -> Vec<(&str, u64)> {
    row.by_status.iter().map(|c| (c.status.as_str(), c.count)).collect()
}

fn state_of(tasks: &[SlimTask]) -> WorkflowState {
    let rows = all(tasks);
    assert_eq!(rows.len(), 1, "one workflow: {:?}", names(&rows));
    rows[0].state
}

// --- Groups and names ---

#[test]
fn tasks_with_a_workflow_are_grouped_by_it_even_across_dependencies() {
    let tasks = [
        in_workflow("build", "b1", "completed", &[]),
        in_workflow("deploy", "d1", "pending", &["b1"]),
        in_workflow("build", "b2", "running", &[]),
        SlimTask { workflow: Some(""), ..task("x", "pending", &[]) },
    ];
    let rows = all(&tasks);
    assert_eq!(sorted_names(&rows), ["-", "build", "deploy"]);
    let build = row(&rows, "build");
    assert_eq!((build.grouped_by, build.total), (GroupedBy::Workflow, 2));
    assert_eq!(row(&rows, "deploy").total, 1);
    // An empty workflow is none: the task is lone.
    assert_eq!(row(&rows, "-").grouped_by, GroupedBy::Dependencies);
}

#[test]
fn tasks_without_a_workflow_are_grouped_by_dependencies_and_named_by_their_roots() {
    let tasks = [
        SlimTask { priority: 5, ..named("create-servers", "t1", "completed", &[]) },
        named("create-db", "t2", "completed", &[]),
        task("t3", "completed", &[]),
        named("deploy", "t4", "pending", &["t1", "t2", "t3"]),
        task("lone-1", "pending", &[]),
        task("lone-2", "completed", &[]),
        // Listing only a missing dependency, it is not lone.
        task("orphan", "pending", &["nowhere"]),
    ];
    let rows = all(&tasks);
    assert_eq!(sorted_names(&rows), ["-", "create-servers +2", "orphan"]);
    let group = row(&rows, "create-servers +2");
    assert_eq!((group.grouped_by, group.total), (GroupedBy::Dependencies, 4));
    assert_eq!(row(&rows, "-").total, 2);
}

#[test]
fn a_group_holds_only_tasks_without_a_workflow_but_links_through_those_with_one() {
    // a -> w -> b: a and b hang together through w, which is in its workflow.
    let tasks = [task("a", "pending", &["w"]), in_workflow("flow", "w", "pending", &["b"]), task("b", "pending", &[])];
    let rows = all(&tasks);
    assert_eq!(sorted_names(&rows), ["a +1", "flow"]);
    assert_eq!(row(&rows, "a +1").total, 2);
}

#[test]
fn a_group_on_a_cycle_is_named_by_its_first_task() {
    let tasks = [task("y", "pending", &["x"]), task("x", "pending", &["y"])];
    assert_eq!(names(&all(&tasks)), ["x"]);
}

#[test]
fn colliding_names_get_a_suffix_in_queue_order_and_workflows_keep_theirs() {
    let tasks = [
        named("setup", "a1", "pending", &[]),
        task("a2", "pending", &["a1"]),
        named("setup", "b1", "pending", &[]),
        task("b2", "pending", &["b1"]),
        in_workflow("setup", "w1", "pending", &[]),
        in_workflow("-", "w2", "pending", &[]),
        task("lone", "pending", &[]),
    ];
    let rows = all(&tasks);
    assert_eq!(sorted_names(&rows), ["-", "- #2", "setup", "setup #2", "setup #3"]);
    assert_eq!(row(&rows, "setup").grouped_by, GroupedBy::Workflow);
    assert_eq!(row(&rows, "-").grouped_by, GroupedBy::Workflow);
    let (_, second) = workflow(&tasks, "setup #2", now()).unwrap();
    assert_eq!(second.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["a1", "a2"]);
}

// --- State ---

#[test]
fn running_comes_before_blocked() {
    let tasks = [task("r", "running", &[]), task("f", "failed", &[]), task("p", "pending", &["f", "r"])];
    assert_eq!(state_of(&tasks), WorkflowState::Running);
}

#[test]
fn blocked_comes_before_pending() {
    let tasks = [task("f", "failed", &[]), task("b", "pending", &["f"]), task("p", "pending", &["f", "b"])];
    let rows = all(&tasks);
    assert_eq!(rows[0].state, WorkflowState::Blocked);
    assert_eq!(rows[0].blocked, 2);
}

#[test]
fn a_cycle_or_a_dangling_dependency_is_blocked() {
    let cycle = [task("a", "pending", &["b"]), task("b", "pending", &["a"])];
    assert_eq!(state_of(&cycle), WorkflowState::Blocked);
    let dangling = [task("a", "pending", &["gone"])];
    assert_eq!(state_of(&dangling), WorkflowState::Blocked);
}

#[test]
fn pending_or_unknown_comes_before_failed() {
    let pending = [
        in_workflow("w", "f", "failed", &[]),
        in_workflow("w", "p", "pending", &[]),
        in_workflow("w", "q", "pending", &["p"]),
    ];
    assert_eq!(state_of(&pending), WorkflowState::Pending);
    let unknown = [
        in_workflow("w", "f", "failed", &[]),
        in_workflow("w", "x", "paused", &[]),
        in_workflow("w", "c", "completed", &[]),
    ];
    assert_eq!(state_of(&unknown), WorkflowState::Pending);
}

#[test]
fn failed_or_cancelled_with_nothing_left_is_failed() {
    let tasks = [
        in_workflow("w", "c", "completed", &[]),
        in_workflow("w", "x", "cancelled", &[]),
        in_workflow("w", "y", "completed", &[]),
    ];
    assert_eq!(state_of(&tasks), WorkflowState::Failed);
}

#[test]
fn all_completed_is_completed() {
    let tasks = [task("a", "completed", &[]), task("b", "completed", &["a"])];
    assert_eq!(state_of(&tasks), WorkflowState::Completed);
}

// --- Held by ---

#[test]
fn held_by_lists_ready_waiting_on_running_and_unrunnable_tasks_in_the_queue_s_order() {
    let tasks = [
        in_workflow("w", "r", "running", &[]),
        in_workflow("w", "e", "pending", &["gone"]),
        in_workflow("w", "a", "pending", &["r"]),
        in_workflow("w", "b", "pending", &["a"]),
        SlimTask { priority: 5, ..in_workflow("w", "c", "pending", &[]) },
        SlimTask { error_line: Some("exit 1: refused"), ..in_workflow("w", "t1", "failed", &[]) },
        in_workflow("w", "d", "pending", &["t1"]),
    ];
    let rows = all(&tasks);
    // Priority high first, then (all undated here) by id; b waits on a, which is listed.
    assert_eq!(
        held(&rows[0]),
        [
            ("c", StateKind::Ready, "ready: no dependencies"),
            ("a", StateKind::Waiting, "waiting: on r (running)"),
            ("d", StateKind::Blocked, "blocked: t1 failed (exit 1: refused)"),
            ("e", StateKind::Dangling, "dangling: depends on gone, which is not in the queue"),
        ]
    );
    assert_eq!(rows[0].blocked, 2);
}

#[test]
fn held_by_sees_a_running_dependency_in_another_workflow() {
    let tasks = [in_workflow("up", "r", "running", &[]), in_workflow("down", "a", "pending", &["r"])];
    let rows = all(&tasks);
    assert_eq!(held(row(&rows, "down")), [("a", StateKind::Waiting, "waiting: on r (running)")]);
}

// --- Figures ---

#[test]
fn counts_follow_the_lifecycle_then_other_statuses_by_name() {
    let statuses = ["zzz", "completed", "pending", "aaa", "failed", "running", "cancelled", "pending"];
    let ids: Vec<String> = (0..statuses.len()).map(|i| format!("t{i}")).collect();
    let tasks: Vec<SlimTask> = statuses.iter().zip(&ids).map(|(s, id)| in_workflow("w", id, s, &[])).collect();
    let rows = all(&tasks);
    assert_eq!(
        counts(&rows[0]),
        [("pending", 2), ("running", 1), ("completed", 1), ("failed", 1), ("cancelled", 1), ("aaa", 1), ("zzz", 1)]
    );
    assert_eq!((rows[0].total, rows[0].progress), (8, 0.125));
}

#[test]
fn elapsed_runs_to_now_while_something_is_left_to_run() {
    let tasks = [
        SlimTask {
            started_at: Some(at(100)).into(),
            completed_at: Some(at(400)).into(),
            ..task("a", "completed", &[])
        },
        SlimTask { started_at: Some(at(500)).into(), ..task("b", "running", &["a"]) },
    ];
    let rows = all(&tasks);
    assert_eq!(rows[0].started, Some(at(100)));
    assert_eq!(rows[0].elapsed, Some(SignedDuration::from_secs(9_900)));
    assert_eq!(rows[0].progress, 0.5);
}

#[test]
fn elapsed_runs_to_the_last_completion_when_nothing_is_left() {
    let tasks = [
        SlimTask {
            created_at: Some(at(50)).into(),
            started_at: Some(at(200)).into(),
            completed_at: Some(at(700)).into(),
            ..in_workflow("w", "a", "completed", &[])
        },
        SlimTask {
            started_at: Some(at(100)).into(),
            completed_at: Some(at(400)).into(),
            ..in_workflow("w", "b", "failed", &[])
        },
    ];
    let rows = all(&tasks);
    assert_eq!(rows[0].state, WorkflowState::Failed);
    assert_eq!(rows[0].elapsed, Some(SignedDuration::from_secs(600)));
    assert_eq!(rows[0].last_activity, Some(at(700)));
}

#[test]
fn elapsed_is_none_without_a_start_or_an_end() {
    let unstarted = [SlimTask { created_at: Some(at(5)).into(), ..task("a", "pending", &[]) }];
    let rows = all(&unstarted);
    assert_eq!((rows[0].started, rows[0].elapsed, rows[0].last_activity), (None, None, Some(at(5))));
    let unended = [SlimTask { started_at: Some(at(5)).into(), ..task("a", "failed", &[]) }];
    assert_eq!(all(&unended)[0].elapsed, None);
}

// --- Filters and order ---

fn mixed_queue() -> Vec<SlimTask<'static>> {
    vec![
        SlimTask { completed_at: Some(at(900)).into(), ..in_workflow("deploy-old", "a", "completed", &[]) },
        SlimTask { started_at: Some(at(100)).into(), ..in_workflow("deploy-web", "b", "running", &[]) },
        SlimTask { created_at: Some(at(300)).into(), ..in_workflow("backup", "c", "pending", &[]) },
        SlimTask { created_at: Some(at(800)).into(), ..in_workflow("build", "d", "pending", &[]) },
        in_workflow("zeta", "e", "pending", &[]),
        in_workflow("alpha", "f", "pending", &[]),
    ]
}

#[test]
fn rows_come_by_state_then_latest_activity_then_name() {
    let rows = all(&mixed_queue());
    assert_eq!(names(&rows), ["deploy-web", "build", "backup", "alpha", "zeta", "deploy-old"]);
}

#[test]
fn the_name_glob_and_the_states_filter_rows() {
    let queue = mixed_queue();
    let query = |name: Option<&str>, states: &[&str]| WorkflowQuery {
        name: name.map(str::to_string),
        states: states.iter().map(|s| s.to_string()).collect(),
    };
    let listed = |q: WorkflowQuery| names(&workflows(&queue, &q, now()).unwrap()).join(" ");
    assert_eq!(listed(query(Some("deploy-*"), &[])), "deploy-web deploy-old");
    assert_eq!(listed(query(Some("b?*"), &["PENDING"])), "build backup");
    assert_eq!(listed(query(Some(""), &["Running, completed", ""])), "deploy-web deploy-old");
    assert_eq!(listed(query(None, &[",blocked,"])), "");
}

#[test]
fn an_unknown_state_is_a_bad_argument() {
    let query = WorkflowQuery { name: None, states: vec!["running,stuck".into()] };
    assert_eq!(
        workflows(&[], &query, now()),
        Err(Error::argument(
            "state",
            "unknown workflow state \"stuck\"; expected one of running, blocked, pending, failed, completed"
        ))
    );
}

// --- One workflow ---

#[test]
fn a_workflow_lists_its_tasks_dependencies_first_then_by_priority_and_age() {
    let tasks = [
        SlimTask { created_at: Some(at(10)).into(), ..in_workflow("w", "a", "pending", &[]) },
        SlimTask { priority: 5, created_at: Some(at(20)).into(), ..in_workflow("w", "b", "completed", &[]) },
        SlimTask { created_at: Some(at(5)).into(), ..in_workflow("w", "c", "pending", &[]) },
        SlimTask { priority: 9, ..in_workflow("w", "d", "pending", &["b"]) },
        in_workflow("other", "o", "pending", &[]),
    ];
    let (row, listed) = workflow(&tasks, "w", now()).unwrap();
    assert_eq!(row.total, 4);
    assert_eq!(listed.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["b", "d", "c", "a"]);
    assert_eq!((listed[0].state, listed[0].reason.as_deref()), (None, None));
    assert_eq!(listed[1].state, Some(StateKind::Ready));
    assert_eq!(listed[1].reason.as_deref(), Some("ready: every dependency is completed"));
    assert_eq!((listed[1].priority, listed[2].created_at), (9, Some(at(5))));
}

#[test]
fn the_lone_row_can_be_asked_for_by_name() {
    let tasks = [task("x", "pending", &[]), task("y", "completed", &[])];
    let (row, listed) = workflow(&tasks, "-", now()).unwrap();
    assert_eq!((row.total, listed.len()), (2, 2));
}

#[test]
fn an_unknown_workflow_suggests_a_near_name() {
    let tasks = [in_workflow("deploy", "a", "pending", &[]), in_workflow("backup", "b", "pending", &[])];
    assert_eq!(
        workflow(&tasks, "deplyo", now()),
        Err(Error::UnknownWorkflow { name: "deplyo".into(), near: vec!["deploy".into()] })
    );
    assert_eq!(workflow(&tasks, "x", now()), Err(Error::UnknownWorkflow { name: "x".into(), near: vec![] }));
}

// --- Size ---

const LARGE: usize = 100_000;

fn large_id(i: usize) -> String {
    format!("t{i:06}")
}

fn large_ids(n: usize) -> Vec<String> {
    (0..n).map(large_id).collect()
}

#[test]
fn a_long_chain_is_one_row() {
    let ids = large_ids(LARGE);
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let tasks: Vec<SlimTask> = (0..LARGE)
        .map(|i| {
            let dependencies = if i == 0 { &[] } else { std::slice::from_ref(&ids[i - 1]) };
            let status = if i < 10 { "completed" } else { "pending" };
            task(ids[i], status, dependencies)
        })
        .collect();
    let rows = all(&tasks);
    assert_eq!(names(&rows), ["t000000"]);
    assert_eq!(counts(&rows[0]), [("pending", LARGE as u64 - 10), ("completed", 10)]);
    assert_eq!((rows[0].state, rows[0].blocked), (WorkflowState::Pending, 0));
    assert_eq!(held(&rows[0]), [("t000010", StateKind::Ready, "ready: every dependency is completed")]);
    let (_, listed) = workflow(&tasks, "t000000", now()).unwrap();
    assert!(listed.iter().enumerate().all(|(i, t)| t.id == large_id(i)));
}

#[test]
fn a_long_cycle_is_blocked_throughout() {
    let ids = large_ids(LARGE);
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let tasks: Vec<SlimTask> =
        (0..LARGE).map(|i| task(ids[i], "pending", std::slice::from_ref(&ids[(i + 1) % LARGE]))).collect();
    let rows = all(&tasks);
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].state, rows[0].blocked, rows[0].total), (WorkflowState::Blocked, LARGE as u64, LARGE as u64));
    assert_eq!(rows[0].held_by.len(), LARGE);
}

#[test]
fn many_small_groups_cost_no_more_than_one_large_one() {
    // Pairs, half in a workflow each and half named alike: neither the order
    // of each group nor the suffixes may cost the whole queue per group.
    let pairs = LARGE / 2;
    let ids = large_ids(LARGE);
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let workflows: Vec<String> = (0..pairs).map(|p| format!("w{p}")).collect();
    let tasks: Vec<SlimTask> = (0..pairs)
        .flat_map(|p| {
            let (root, leaf) = (ids[2 * p], ids[2 * p + 1]);
            let pair =
                [named("setup", root, "completed", &[]), task(leaf, "pending", std::slice::from_ref(&ids[2 * p]))];
            let workflow = (p % 2 == 0).then(|| workflows[p].as_str());
            pair.map(|t| SlimTask { workflow, ..t })
        })
        .collect();
    let rows = all(&tasks);
    assert_eq!(rows.len(), pairs);
    assert!(rows.iter().all(|r| r.total == 2 && r.held_by.len() == 1));
    let named_alike = rows.iter().filter(|r| r.name.starts_with("setup")).count();
    assert_eq!(named_alike, pairs / 2);
    assert!(rows.iter().any(|r| r.name == format!("setup #{}", pairs / 2)));
    let (_, listed) = workflow(&tasks, "w0", now()).unwrap();
    assert_eq!(listed.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["t000000", "t000001"]);
}
