//! `orch stats`, end to end against the built binary. `now` is
//! 2025-10-08T12:00:30Z (ORCH_NOW, set by `orch()`).

use orch_tests::{backend_queue, data_dir, example_data, orch, task_json};
use serde_json::Value;

fn stats_json(dir: &std::path::Path, args: &[&str]) -> Value {
    let output = orch().args(["stats", "--format", "json", "--data-dir"]).arg(dir).args(args).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn text(dir: &std::path::Path, args: &[&str]) -> String {
    let output = orch().args(["stats", "--data-dir"]).arg(dir).args(args).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// A task that ran: `started` and `completed` are minutes after 10:00 on 2025-10-08.
fn ran(id: &str, status: &str, workflow: &str, started: u32, completed: u32) -> String {
    format!(
        r#"{{"id": "{id}", "status": "{status}", "workflow": "{workflow}", "created_at": "2025-10-07T09:00:00Z",
            "started_at": "2025-10-08T10:{started:02}:00Z", "completed_at": "2025-10-08T10:{completed:02}:00Z"}}"#
    )
}

/// Run times of 1, 2, 3, 4 and 10 minutes, one negative, one pending task.
fn runs() -> tempfile::TempDir {
    data_dir(&[
        ("tasks/a.json", &ran("a", "completed", "deploy", 0, 1)),
        ("tasks/b.json", &ran("b", "completed", "deploy", 0, 2)),
        ("tasks/c.json", &ran("c", "failed", "backup", 0, 3)),
        ("tasks/d.json", &ran("d", "completed", "backup", 0, 4)),
        ("tasks/e.json", &ran("e", "completed", "deploy", 0, 10)),
        ("tasks/f.json", &ran("f", "completed", "deploy", 30, 20)),
        ("tasks/p.json", &task_json("p", "pending", 3, "2025-10-08T11:00:00Z")),
    ])
}

#[test]
fn text_of_the_example_data() {
    insta::assert_snapshot!(text(&example_data(), &[]));
}

#[test]
fn json_of_the_example_data() {
    insta::assert_json_snapshot!(stats_json(&example_data(), &[]));
}

#[test]
fn text_with_run_times_by_status_and_workflow() {
    insta::assert_snapshot!(text(runs().path(), &[]));
}

#[test]
fn run_times_are_nearest_rank_and_leave_out_negative_ones() {
    let stats = stats_json(runs().path(), &[]);
    let all = &stats["run_times"];
    assert_eq!(all["count"], 5);
    assert_eq!((all["min"].as_f64(), all["median"].as_f64()), (Some(60.0), Some(180.0)));
    assert_eq!((all["p95"].as_f64(), all["max"].as_f64()), (Some(600.0), Some(600.0)));
    assert_eq!(stats["negative_run_times"], 1);
    let by_workflow: Vec<(&str, u64)> = stats["run_times_by_workflow"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["key"].as_str().unwrap(), g["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(by_workflow, [("backup", 2), ("deploy", 3)]);
    let by_status: Vec<&str> =
        stats["run_times_by_status"].as_array().unwrap().iter().map(|g| g["key"].as_str().unwrap()).collect();
    assert_eq!(by_status, ["completed", "failed"]);
}

#[test]
fn oldest_pending_and_its_age() {
    let stats = stats_json(&example_data(), &[]);
    assert_eq!(stats["oldest_pending"]["id"], "task-012");
    assert_eq!(stats["oldest_pending"]["age"].as_f64(), Some(4.0 * 3600.0 + 30.0 * 60.0 + 30.0));
}

#[test]
fn filters_select_the_tasks_counted() {
    let stats = stats_json(&example_data(), &["--status", "running"]);
    assert_eq!(stats["total"], 4);
    assert_eq!(stats["by_status"], serde_json::json!([{"status": "running", "count": 4}]));
    assert_eq!(stats["oldest_pending"], Value::Null);
    // The same filters select the same tasks as `orch tasks`.
    for args in [
        &["--workflow", "deploy-*", "--min-priority", "5"][..],
        &["--from", "1d", "--max-priority", "6"],
        &["--status", "pending,failed"],
    ] {
        let output =
            orch().args(["tasks", "--format", "json", "--data-dir"]).arg(example_data()).args(args).output().unwrap();
        let tasks: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(stats_json(&example_data(), args)["total"], tasks.len(), "{args:?}");
    }
}

#[test]
fn throughput_window_is_the_bounds_else_first_task_to_now() {
    let open = stats_json(runs().path(), &[]);
    assert_eq!(open["throughput"]["window_start"], "2025-10-07T09:00:00Z");
    assert_eq!(open["throughput"]["window_end"], "2025-10-08T12:00:30Z");
    // Completed tasks count by their completion time, even the one with a negative run time.
    assert_eq!(open["throughput"]["completed"], 5);
    let bounded = stats_json(runs().path(), &["--from", "2025-10-07", "--to", "2025-10-07"]);
    let t = &bounded["throughput"];
    assert_eq!(
        (t["window_start"].as_str(), t["window_end"].as_str()),
        (Some("2025-10-07T00:00:00Z"), Some("2025-10-07T23:59:59.999999999Z"))
    );
    // Created that day, completed the next: outside the window.
    assert_eq!(t["completed"], 0);
}

#[test]
fn no_tasks_no_figures() {
    let empty = data_dir(&[]);
    assert_eq!(text(empty.path(), &[]), "0 tasks\n");
    let stats = stats_json(empty.path(), &[]);
    assert_eq!(stats["total"], 0);
    for key in ["run_times", "oldest_pending", "throughput"] {
        assert_eq!(stats[key], Value::Null, "{key}");
    }
}

#[test]
fn undated_tasks_are_counted_apart() {
    let dir = data_dir(&[
        ("tasks/a.json", r#"{"id": "a", "status": "pending"}"#),
        ("tasks/b.json", &task_json("b", "pending", 0, "2025-10-08T10:00:00Z")),
    ]);
    let stats = stats_json(dir.path(), &[]);
    assert_eq!(stats["undated"], 1);
    assert_eq!(stats["by_day"], serde_json::json!([{"day": "2025-10-08", "count": 1}]));
    assert!(text(dir.path(), &[]).contains("(1 without created_at)"));
}

#[test]
fn skip_invalid_reports_on_stderr() {
    let dir =
        data_dir(&[("tasks/a.json", &task_json("a", "pending", 1, "2025-10-08T10:00:00Z")), ("tasks/bad.json", "[]")]);
    let output =
        orch().args(["stats", "--skip-invalid", "--format", "json", "--data-dir"]).arg(dir.path()).output().unwrap();
    assert!(output.status.success());
    let stats: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(stats["total"], 1);
    assert!(String::from_utf8(output.stderr).unwrap().contains("warning: skipped 1 invalid file"));
    // Without the flag the bad file fails the command.
    let output = orch().args(["stats", "--data-dir"]).arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn no_cache_is_accepted_and_changes_nothing_for_one_shot_commands() {
    assert_eq!(text(&example_data(), &["--no-cache"]), text(&example_data(), &[]));
}

#[test]
fn bad_arguments_are_usage_errors() {
    for args in [&["--status", "pendng"][..], &["--from", "yesterday"], &["--limit", "3"], &["--offset", "1"]] {
        let output = orch().args(["stats", "--data-dir"]).arg(example_data()).args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn help_has_examples_and_the_filters() {
    let output = orch().args(["stats", "--help"]).output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    assert!(help.contains("Examples:\n  orch stats --data-dir examples/data\n"), "{help}");
    for flag in ["--status", "--min-priority", "--max-priority", "--from", "--to", "--workflow"] {
        assert!(help.contains(flag), "{flag} missing from help");
    }
}

/// `orch stats` tallies one share of the files per instance and merges the
/// tallies; a queue entry not named after its task (which the split would
/// separate from its task) sends the scan to one instance, and the entry
/// still sets its task's priority.
#[test]
fn figures_hold_however_the_queue_files_are_named() {
    let entry_name = |i: usize, id: &str| if i.is_multiple_of(2) { format!("entry-{i}") } else { id.to_string() };
    let dir = backend_queue(40, entry_name, |i| (i % 4) as i64);
    let stats = stats_json(dir.path(), &[]);
    let by_priority: Vec<(i64, u64)> = stats["by_priority"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["priority"].as_i64().unwrap(), p["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(by_priority, [(3, 10), (2, 10), (1, 10), (0, 10)]);
    assert_eq!(stats["oldest_pending"]["id"], "t00");
}
