//! `orch tasks`, end to end against the built binary.

use assert_cmd::assert::OutputAssertExt;
use orch_tests::{assert_contains, backend_queue, data_dir, example_data, orch, task_json};
use serde_json::Value;

fn tasks_json(args: &[&str]) -> Vec<Value> {
    let output =
        orch().args(["tasks", "--format", "json", "--data-dir"]).arg(example_data()).args(args).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice::<Value>(&output.stdout).unwrap().as_array().unwrap().clone()
}

fn ids(tasks: &[Value]) -> Vec<&str> {
    tasks.iter().map(|t| t["id"].as_str().unwrap()).collect()
}

#[test]
fn table_of_the_example_data() {
    let output = orch().args(["tasks", "--data-dir"]).arg(example_data()).output().unwrap();
    output.clone().assert().success();
    insta::assert_snapshot!(String::from_utf8(output.stdout).unwrap());
}

#[test]
fn json_carries_every_field_in_order() {
    let output = orch()
        .args(["tasks", "--format", "json", "--limit", "1", "--status", "completed", "--data-dir"])
        .arg(example_data())
        .output()
        .unwrap();
    insta::assert_snapshot!(String::from_utf8(output.stdout).unwrap());
}

#[test]
fn order_is_priority_then_age_then_id() {
    let tasks = tasks_json(&[]);
    assert_eq!(tasks.len(), 24);
    for pair in tasks.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let key = |t: &Value| (-t["priority"].as_i64().unwrap(), t["created_at"].as_str().unwrap().to_string());
        assert!(key(a) < key(b) || (key(a) == key(b) && a["id"].as_str() < b["id"].as_str()), "{a} before {b}");
    }
}

#[test]
fn status_filter_repeats_and_splits_on_commas_case_insensitively() {
    let split = tasks_json(&["--status", "Failed,CANCELLED"]);
    let repeated = tasks_json(&["--status", "failed", "--status", "cancelled"]);
    assert_eq!(split, repeated);
    assert_eq!(split.len(), 4);
    assert!(split.iter().all(|t| ["failed", "cancelled"].contains(&t["status"].as_str().unwrap())));
}

#[test]
fn priority_range_is_inclusive() {
    let tasks = tasks_json(&["--min-priority", "5", "--max-priority", "7"]);
    assert_eq!(tasks.len(), 11);
    assert!(tasks.iter().all(|t| (5..=7).contains(&t["priority"].as_i64().unwrap())));
}

#[test]
fn time_bounds_take_dates_ages_and_rfc3339() {
    // now is 2025-10-08T12:00:30Z (ORCH_NOW)
    let last_hour = tasks_json(&["--from", "1h"]);
    assert_eq!(ids(&last_hour).len(), 6);
    let day = tasks_json(&["--from", "2025-10-07", "--to", "2025-10-07"]);
    assert!(day.iter().all(|t| t["created_at"].as_str().unwrap().starts_with("2025-10-07")));
    assert_eq!(day.len(), 6);
    let exact = tasks_json(&["--from", "2025-10-08T11:45:30Z", "--to", "2025-10-08T11:45:30+00:00"]);
    assert_eq!(ids(&exact), ["task-006"]);
}

#[test]
fn workflow_filter_takes_wildcards() {
    let deploys = tasks_json(&["--workflow", "deploy-*"]);
    assert_eq!(ids(&deploys), ["task-002", "task-001", "task-008", "task-007", "task-012"]);
}

#[test]
fn limit_and_offset_page_through_the_order() {
    let all = tasks_json(&[]);
    let page = tasks_json(&["--offset", "5", "--limit", "3"]);
    assert_eq!(page, all[5..8]);
    assert!(tasks_json(&["--offset", "100"]).is_empty());
}

#[test]
fn jsonl_is_one_object_per_line() {
    let output =
        orch().args(["tasks", "--format", "jsonl", "--limit", "4", "--data-dir"]).arg(example_data()).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines, tasks_json(&["--limit", "4"]));
}

#[test]
fn malformed_task_names_file_and_position() {
    let dir = data_dir(&[
        ("tasks/good.json", &task_json("good", "pending", 1, "2025-10-08T10:00:00Z")),
        ("tasks/bad.json", "{\n  \"id\": \"bad\",\n  \"status\": pending\n}\n"),
    ]);
    let output = orch().args(["tasks", "--data-dir"]).arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let expected = format!("{}:3:13", dir.path().join("tasks/bad.json").display());
    assert!(stderr.contains("error: cannot parse bad.json: expected value"), "{stderr}");
    assert!(stderr.contains(&expected), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn skip_invalid_lists_the_rest_and_reports_what_it_skipped() {
    let dir = data_dir(&[
        ("tasks/good.json", &task_json("good", "pending", 1, "2025-10-08T10:00:00Z")),
        ("tasks/bad.json", "{\"id\": 1}"),
        ("tasks/worse.json", "[]"),
    ]);
    let output =
        orch().args(["tasks", "--skip-invalid", "--format", "json", "--data-dir"]).arg(dir.path()).output().unwrap();
    assert!(output.status.success());
    let tasks: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(ids(&tasks), ["good"]);
    assert_contains(
        &String::from_utf8(output.stderr).unwrap(),
        &[
            "warning: skipped 2 invalid files",
            "bad.json:1:8: invalid type: integer `1`, expected a string",
            "worse.json:1:1: a task file must hold a JSON object",
        ],
    );
}

#[test]
fn empty_or_missing_tasks_dir_is_an_empty_result() {
    let missing = data_dir(&[("status.json", "{}")]);
    let empty = data_dir(&[]);
    std::fs::create_dir(empty.path().join("tasks")).unwrap();
    for dir in [missing.path(), empty.path()] {
        let output = orch().args(["tasks", "--format", "json", "--data-dir"]).arg(dir).output().unwrap();
        assert!(output.status.success());
        assert_eq!(String::from_utf8(output.stdout).unwrap(), "[]\n");
    }
}

#[test]
fn other_entries_in_the_tasks_dir_are_ignored() {
    let dir = data_dir(&[
        ("tasks/a.json", &task_json("a", "pending", 1, "2025-10-08T10:00:00Z")),
        ("tasks/notes.txt", "not json"),
        ("tasks/.a.json.swp", "not json"),
        ("tasks/.hidden.json", "not json"),
        ("tasks/nested.json/b.json", &task_json("b", "pending", 1, "2025-10-08T10:00:00Z")),
    ]);
    let output = orch().args(["tasks", "--format", "json", "--data-dir"]).arg(dir.path()).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let tasks: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(ids(&tasks), ["a"]);
}

#[test]
fn a_file_over_the_size_limit_is_named() {
    let big = format!("{{\"id\": \"big\", \"status\": \"pending\", \"pad\": \"{}\"}}", "x".repeat(4096));
    let dir = data_dir(&[("tasks/big.json", &big)]);
    let output = orch().args(["tasks", "--max-file-size", "1KiB", "--data-dir"]).arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("error: file is larger than the 1 KiB limit"), "{stderr}");
    assert!(stderr.contains("big.json"), "{stderr}");
    // The default limit (16 MiB) takes it.
    orch().args(["tasks", "--data-dir"]).arg(dir.path()).assert().success();
}

#[test]
fn bad_arguments_are_usage_errors() {
    for args in [
        &["--status", "pendng"][..],
        &["--from", "yesterday"],
        &["--min-priority", "9", "--max-priority", "1"],
        &["--limit", "-1"],
        &["--bogus"],
    ] {
        let output = orch().args(["tasks", "--data-dir"]).arg(example_data()).args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        assert!(output.stdout.is_empty());
    }
    let output = orch().args(["tasks", "--status", "pendng", "--data-dir"]).arg(example_data()).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("invalid --status: unknown status \"pendng\""), "{stderr}");
}

#[test]
fn help_has_examples() {
    let output = orch().args(["tasks", "--help"]).output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    assert!(help.contains("Examples:\n  orch tasks --data-dir examples/data --status pending --limit 5"), "{help}");
    for flag in ["--status", "--min-priority", "--max-priority", "--from", "--to", "--workflow", "--limit", "--offset"]
    {
        assert!(help.contains(flag), "{flag} missing from help");
    }
}

/// A scan is split over instances by file name, which keeps a task with its
/// queue entry only while both are named after the task. Entries named
/// otherwise must still give their tasks their priorities.
#[test]
fn queue_entries_not_named_after_their_tasks_still_set_priorities() {
    let dir = backend_queue(40, |i, _| format!("entry-{i}"), |i| i as i64);
    let output =
        orch().args(["tasks", "--format", "json", "--limit", "3", "--data-dir"]).arg(dir.path()).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let tasks: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    let got: Vec<(&str, i64)> =
        tasks.iter().map(|t| (t["id"].as_str().unwrap(), t["priority"].as_i64().unwrap())).collect();
    assert_eq!(got, [("t39", 39), ("t38", 38), ("t37", 37)]);
}

/// Pages come from merging what every scanning instance selected: any page
/// must be the same slice of the whole queue, in every output format.
#[test]
fn every_page_is_a_slice_of_the_whole_queue() {
    let mut files: Vec<(String, String)> = Vec::new();
    let mut expected: Vec<(i64, String, String)> = Vec::new();
    for i in 0..240 {
        let (priority, day) = ((i * 7) % 5, 1 + (i * 11) % 27);
        let created = format!("2025-09-{day:02}T00:00:00Z");
        expected.push((-priority, created.clone(), format!("{}{i:03}", if i % 2 == 0 { "f" } else { "b" })));
        if i % 2 == 0 {
            files.push((format!("tasks/f{i:03}.json"), task_json(&format!("f{i:03}"), "pending", priority, &created)));
        } else {
            let id = format!("b{i:03}");
            let record = format!(r#"{{"id": "{id}", "status": "Running", "created_at": "{created}"}}"#);
            files.push((format!("queue.rkvs/tasks/{id}.json"), record));
            files.push((
                format!("queue.rkvs/queue/{id}.json"),
                format!(r#"{{"task_id": "{id}", "priority": {priority}}}"#),
            ));
        }
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let dir = data_dir(&files);
    let ids_of = |args: &[&str]| -> Vec<String> {
        let output = orch().args(["tasks", "--data-dir"]).arg(dir.path()).args(args).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let text = String::from_utf8(output.stdout).unwrap();
        if args.contains(&"jsonl") {
            text.lines()
                .map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].as_str().unwrap().to_string())
                .collect()
        } else {
            let tasks: Vec<Value> = serde_json::from_str(&text).unwrap();
            tasks.iter().map(|t| t["id"].as_str().unwrap().to_string()).collect()
        }
    };
    let whole = ids_of(&["--format", "json"]);
    expected.sort();
    assert_eq!(whole, expected.into_iter().map(|(_, _, id)| id).collect::<Vec<_>>());
    assert_eq!(ids_of(&["--format", "jsonl"]), whole);
    for (offset, limit) in [(0, 1), (0, 50), (17, 9), (100, 140), (235, 10), (240, 5)] {
        let page = ids_of(&["--format", "json", "--offset", &offset.to_string(), "--limit", &limit.to_string()]);
        let end = (offset + limit).min(whole.len());
        assert_eq!(page, whole[offset.min(end)..end], "offset {offset}, limit {limit}");
    }
}

/// A pending task's state comes from the whole queue's dependency graph,
/// whichever instance scanned which file.
fn graph_queue() -> tempfile::TempDir {
    let task = |id: &str, status: &str, priority: i64, deps: &str| {
        format!(
            r#"{{"id": "{id}", "status": "{status}", "priority": {priority}, "dependencies": [{deps}], "created_at": "2025-10-08T10:00:00Z"}}"#
        )
    };
    let mut files: Vec<(String, String)> = vec![
        ("tasks/root.json".into(), task("root", "failed", 0, "")),
        ("tasks/run.json".into(), task("run", "running", 0, "")),
        ("tasks/loop-a.json".into(), task("loop-a", "pending", 0, r#""loop-b""#)),
        ("tasks/loop-b.json".into(), task("loop-b", "pending", 0, r#""loop-a""#)),
        ("tasks/lost.json".into(), task("lost", "pending", 0, r#""nowhere""#)),
        ("tasks/free.json".into(), task("free", "pending", 5, "")),
        ("tasks/after-run.json".into(), task("after-run", "pending", 0, r#""run""#)),
    ];
    // A chain of 60 above the failed root, spread over every shard.
    for i in 0..60 {
        let below = if i == 0 { "root".to_string() } else { format!("c{:02}", i - 1) };
        files.push((
            format!("tasks/c{i:02}.json"),
            task(&format!("c{i:02}"), "pending", i % 3, &format!("\"{below}\"")),
        ));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    data_dir(&files)
}

fn states_of(dir: &std::path::Path, args: &[&str]) -> (Vec<(String, Value)>, String) {
    let output = orch().args(["tasks", "--format", "json", "--data-dir"]).arg(dir).args(args).output().unwrap();
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    let tasks: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    let states = tasks.iter().map(|t| (t["id"].as_str().unwrap().to_string(), t["state"].clone())).collect();
    (states, String::from_utf8(output.stderr).unwrap())
}

#[test]
fn every_pending_task_has_a_state_and_no_other_task_has_one() {
    let dir = graph_queue();
    let (states, _) = states_of(dir.path(), &[]);
    let state = |id: &str| states.iter().find(|(i, _)| i == id).unwrap().1.clone();
    assert_eq!(state("free"), "ready");
    assert_eq!(state("after-run"), "waiting");
    assert_eq!(state("c00"), "blocked");
    assert_eq!(state("c59"), "blocked");
    assert_eq!(state("lost"), "dangling");
    assert_eq!(state("loop-a"), "cycle");
    // Not pending: no `state` key at all.
    assert_eq!(state("root"), Value::Null);
    let output = orch()
        .args(["tasks", "--format", "jsonl", "--status", "failed", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!String::from_utf8(output.stdout).unwrap().contains("\"state\""));
}

#[test]
fn state_filter_combines_with_every_other_filter_and_pages() {
    let dir = graph_queue();
    let ids = |args: &[&str]| -> Vec<String> { states_of(dir.path(), args).0.into_iter().map(|(id, _)| id).collect() };
    let blocked = ids(&["--state", "blocked"]);
    assert_eq!(blocked.len(), 60);
    assert!(blocked.iter().all(|id| id.starts_with('c')));
    assert_eq!(ids(&["--state", "blocked", "--min-priority", "2"]).len(), 20);
    assert_eq!(ids(&["--state", "cycle,dangling"]), ["loop-a", "loop-b", "lost"]);
    assert_eq!(ids(&["--state", "ready", "--state", "waiting"]), ["free", "after-run"]);
    assert!(ids(&["--state", "blocked", "--status", "failed"]).is_empty());
    // Pages are slices of the filtered whole, and the table counts it.
    let all = ids(&["--state", "blocked"]);
    assert_eq!(ids(&["--state", "blocked", "--offset", "10", "--limit", "5"]), all[10..15]);
    let table =
        orch().args(["tasks", "--state", "blocked", "--limit", "5", "--data-dir"]).arg(dir.path()).output().unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.starts_with("ID   STATUS   STATE    PRIORITY"), "{text}");
    assert!(text.ends_with("tasks 1-5 of 60\n"), "{text}");
}

#[test]
fn a_bad_state_is_a_usage_error_and_stats_refuses_one() {
    let output = orch().args(["tasks", "--state", "stuck", "--data-dir"]).arg(example_data()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(
            "invalid --state: unknown state \"stuck\"; expected one of ready, waiting, blocked, dangling, cycle"
        ),
        "{stderr}"
    );
    let output = orch().args(["stats", "--state", "blocked", "--data-dir"]).arg(example_data()).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "stats takes no --state flag");
}

#[test]
fn the_example_queue_has_a_blocked_and_a_waiting_task() {
    let tasks = tasks_json(&["--state", "blocked,waiting"]);
    let got: Vec<(&str, &str)> =
        tasks.iter().map(|t| (t["id"].as_str().unwrap(), t["state"].as_str().unwrap())).collect();
    assert_eq!(
        got,
        [("8d116ece-1738-47d9-bd9c-172411e20b8f", "blocked"), ("6b4cb242-4a23-4596-a217-beaddbc496cb", "waiting")]
    );
}
