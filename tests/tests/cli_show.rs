//! `orch show`, end to end: every output, the states of the dependency
//! graph, ids by prefix, and the exit codes.

use std::path::Path;
use std::process::Output;

use orch_tests::{assert_plain_lines, data_dir, example_data, orch, stdout};
use serde_json::{Value, json};

/// A queue in the backend layout with one task in each pending state:
/// `ready` (its one dependency completed), `wait` (on a running task),
/// `blocked` (through `mid`, pending, on `root`, failed), `dangling` and
/// the cycle `c1 -> c2 -> c1`.
fn graph_queue() -> tempfile::TempDir {
    let task = |id: &str, status: &str, deps: &[&str], extra: &str| {
        let deps: Vec<String> = deps.iter().map(|d| format!("\"{d}\"")).collect();
        (
            format!("queue.rkvs/tasks/{id}.json"),
            format!(
                r#"{{"id": "{id}", "name": "{id}-name", "status": "{status}", "dependencies": [{}], "created_at": "2025-10-08T10:00:00Z"{extra}}}"#,
                deps.join(", ")
            ),
        )
    };
    let files = [
        task(
            "done",
            "Completed",
            &[],
            r#", "started_at": "2025-10-08T10:00:10Z", "completed_at": "2025-10-08T10:01:10Z""#,
        ),
        task("run", "Running", &[], r#", "started_at": "2025-10-08T11:00:00Z""#),
        task("root", "Failed", &[], r#", "error": "exit 1: connection refused\nat line 2""#),
        task("mid", "Pending", &["root"], ""),
        task("blocked", "Pending", &["mid", "done"], ""),
        task("ready", "Pending", &["done"], ""),
        task("wait", "Pending", &["run"], ""),
        task("dangling", "Pending", &["gone"], ""),
        task("c1", "Pending", &["c2"], ""),
        task("c2", "Pending", &["c1"], ""),
        (
            "queue.rkvs/queue/blocked.json".into(),
            r#"{"task_id": "blocked", "priority": 7, "enqueued_at": "2025-10-08T10:00:05Z"}"#.into(),
        ),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    data_dir(&files)
}

fn show(dir: &Path, args: &[&str]) -> Output {
    orch().arg("show").arg("--data-dir").arg(dir).args(args).output().unwrap()
}

fn show_json(dir: &Path, id: &str) -> Value {
    let out = show(dir, &[id, "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn each_pending_state_with_its_reason() {
    let dir = graph_queue();
    let cases = [
        ("ready", "ready", "ready: every dependency is completed"),
        ("wait", "waiting", "waiting: on run (running)"),
        ("blocked", "blocked", "blocked: root failed (exit 1: connection refused)"),
        ("dangling", "dangling", "dangling: depends on gone, which is not in the queue"),
        ("c1", "cycle", "cycle: c1 -> c2 -> c1"),
    ];
    for (id, state, reason) in cases {
        let detail = show_json(dir.path(), id);
        assert_eq!(detail["state"], state, "{id}");
        assert_eq!(detail["reason"], reason, "{id}");
    }
    // Tasks that are not pending keep their status, and have no state.
    let root = show_json(dir.path(), "root");
    assert_eq!((root["state"].clone(), root["reason"].clone()), (Value::Null, Value::Null));
}

#[test]
fn json_has_the_task_its_entry_timings_and_the_graph() {
    let dir = graph_queue();
    let detail = show_json(dir.path(), "blocked");
    // The top-level keys in this order (a `Value` would sort them).
    let text = String::from_utf8(show(dir.path(), &["blocked", "--format", "json"]).stdout).unwrap();
    let keys: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("  \"")?.split('"').next()).collect();
    assert_eq!(keys, ["task", "queue_entry", "state", "blocked_by", "reason", "timings", "dependencies", "dependents"]);
    // The same task object as `orch tasks` gives.
    let listed = orch().arg("tasks").arg("--data-dir").arg(dir.path()).args(["--format", "json"]).output().unwrap();
    let listed: Value = serde_json::from_slice(&listed.stdout).unwrap();
    let same = listed.as_array().unwrap().iter().find(|t| t["id"] == "blocked").unwrap();
    assert_eq!(&detail["task"], same);
    assert_eq!(detail["queue_entry"], json!({"priority": 7, "enqueued_at": "2025-10-08T10:00:05Z"}));
    // The root cause, not the direct dependency.
    assert_eq!(detail["blocked_by"], json!(["root"]));
    // ORCH_NOW is 2025-10-08T12:00:30Z.
    assert_eq!(detail["timings"], json!({"queued": 7230.0, "waited": null, "ran": null}));
    assert_eq!(
        detail["dependencies"],
        json!([
            {"id": "mid", "status": "pending", "state": "blocked", "depth": 1},
            {"id": "root", "status": "failed", "state": null, "depth": 2},
            {"id": "done", "status": "completed", "state": null, "depth": 1},
        ])
    );
    let root = show_json(dir.path(), "root");
    assert_eq!(
        root["dependents"],
        json!([
            {"id": "mid", "status": "pending", "state": "blocked", "depth": 1},
            {"id": "blocked", "status": "pending", "state": "blocked", "depth": 2},
        ])
    );
}

#[test]
fn timings_run_to_now_while_a_task_runs() {
    let dir = graph_queue();
    assert_eq!(show_json(dir.path(), "run")["timings"], json!({"queued": 7230.0, "waited": 3600.0, "ran": 3630.0}));
    assert_eq!(show_json(dir.path(), "done")["timings"], json!({"queued": 7230.0, "waited": 10.0, "ran": 60.0}));
}

#[test]
fn text_is_in_sections_with_output_and_error_in_full_and_no_colour_in_a_pipe() {
    let dir = graph_queue();
    let text = stdout(&show(dir.path(), &["blocked"]));
    assert_plain_lines(
        &text,
        &[
            "Task:        blocked",
            "Status:      pending",
            "State:       blocked",
            "Why:         blocked: root failed (exit 1: connection refused)",
            "Queue entry: priority 7, enqueued 2025-10-08 10:00:05",
            "Dependencies:",
            "  mid  pending (blocked)",
            "    root  failed",
            "  done  completed",
            "Dependents:",
            "  (none)",
        ],
    );
    let root = String::from_utf8(show(dir.path(), &["root"]).stdout).unwrap();
    assert!(root.contains("Error:\n  exit 1: connection refused\n  at line 2\n"), "{root}");
}

#[test]
fn a_unique_prefix_names_a_task() {
    let detail = show_json(&example_data(), "6b0d");
    assert_eq!(detail["task"]["id"], "6b0d549b-6f03-475a-9600-a35a099950d8");
    assert_eq!(detail["task"]["name"], "rotate-certs");
}

#[test]
fn an_ambiguous_prefix_lists_the_candidates_and_exits_2() {
    let dir = graph_queue();
    let out = show(dir.path(), &["c"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: 'c' is the beginning of more than one task id\n  note: it begins c1, c2\n  help: give more of the id\n"
    );
}

#[test]
fn an_unknown_id_suggests_near_ones_and_exits_1() {
    let out = show(&example_data(), &["task-01x"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "error: no task 'task-01x'\n  help: did you mean 'task-010'?\n");
    let out = show(&example_data(), &["nothing-like-it"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "error: no task 'nothing-like-it'\n");
}

#[test]
fn jsonl_is_not_offered() {
    let out = show(&example_data(), &["6b0d", "--format", "jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("use --format json, not jsonl"));
}

#[test]
fn a_dependency_list_that_is_not_strings_is_an_error_for_that_file() {
    let dir = data_dir(&[("queue.rkvs/tasks/a.json", r#"{"id": "a", "status": "Pending", "dependencies": [1]}"#)]);
    let out = show(dir.path(), &["a"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with("error: cannot parse a.json: invalid type: integer `1`, expected a string"), "{stderr}");
    let skipped = show(dir.path(), &["a", "--skip-invalid"]);
    assert_eq!(skipped.status.code(), Some(1), "the only task was skipped: no task 'a'");
}

#[test]
fn a_cycle_of_100_000_tasks_is_reported_not_recursed_into() {
    let n = 100_000;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("queue.rkvs/tasks")).unwrap();
    for i in 0..n {
        let text = format!(r#"{{"id": "t{i:06}", "status": "Pending", "dependencies": ["t{:06}"]}}"#, (i + 1) % n);
        std::fs::write(dir.path().join(format!("queue.rkvs/tasks/t{i:06}.json")), text).unwrap();
    }
    let out = orch()
        .arg("show")
        .arg("--data-dir")
        .arg(dir.path())
        .args(["t050000", "--format", "json", "--deadline", "120s"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let detail: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(detail["state"], "cycle");
    assert!(detail["reason"].as_str().unwrap().starts_with("cycle: t000000 -> t000001 -> "), "{}", detail["reason"]);
    assert_eq!(detail["dependencies"].as_array().unwrap().len(), n - 1);
}
