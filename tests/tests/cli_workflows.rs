//! `orch workflows` and `orch workflows NAME`, end to end: every output,
//! the grouping of tasks without a `workflow`, the filters, and the exit
//! codes.
//!
//! `examples/data` holds, as of `ORCH_NOW` (2025-10-08T12:00:30Z):
//! - deploy-web: task-001 pending, task-002 running, task-012 pending;
//! - deploy-api: task-007 cancelled, task-008 running;
//! - k8s-upgrade: task-006 pending, task-011 completed;
//! - backup-nightly: task-003 completed, task-005 pending;
//! - db-migrate: task-004 failed, task-009 completed;
//! - without a workflow, one chain of the backend's tasks: provision-cluster
//!   (completed) <- install-cni (completed) <- install-ingress (failed) <-
//!   {scale-workers (pending, so blocked), create-dns-records (running) <-
//!   update-monitoring (pending, waiting)};
//! - and seven lone tasks: task-010, verify-backups, rotate-certs (pending),
//!   drain-node-3 (running), apply-network-policy, snapshot-volumes
//!   (completed), upgrade-etcd (cancelled).

use std::path::Path;
use std::process::Output;

use orch_tests::{assert_plain_lines, data_dir, example_data, orch, stdout};
use serde_json::{Value, json};

fn workflows(dir: &Path, args: &[&str]) -> Output {
    orch().arg("workflows").arg("--data-dir").arg(dir).args(args).output().unwrap()
}

fn json_of(dir: &Path, args: &[&str]) -> Value {
    let out = workflows(dir, &[args, &["--format", "json"]].concat());
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn names(rows: &Value) -> Vec<&str> {
    rows.as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect()
}

/// A task file in the fixture layout, with the fields grouping looks at.
fn task(id: &str, name: &str, status: &str, deps: &[&str], extra: &str) -> (String, String) {
    let deps: Vec<String> = deps.iter().map(|d| format!("\"{d}\"")).collect();
    (
        format!("tasks/{id}.json"),
        format!(
            r#"{{"id": "{id}", "name": "{name}", "status": "{status}", "dependencies": [{}], "created_at": "2025-10-08T10:00:00Z"{extra}}}"#,
            deps.join(", ")
        ),
    )
}

fn dir_of(files: &[(String, String)]) -> tempfile::TempDir {
    let files: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    data_dir(&files)
}

/// Tasks with no workflow in two dependency groups and two lone ones, and
/// one workflow:
/// - `t1` create-servers (priority 5) and `t2` configure-dns (priority 1),
///   both completed roots, and `t3` install, pending on both (ready):
///   "create-servers +1", pending;
/// - `b1` backup-db, failed, and `b2` verify-backup, pending on it: blocked;
/// - `solo` completed and `solo2` pending, linked to nothing: "-", pending;
/// - `w1` in workflow web, running.
fn grouped_queue() -> tempfile::TempDir {
    let done = r#", "started_at": "2025-10-08T10:00:10Z", "completed_at": "2025-10-08T10:05:10Z""#;
    dir_of(&[
        task("t1", "create-servers", "completed", &[], &format!(r#", "priority": 5{done}"#)),
        task("t2", "configure-dns", "completed", &[], &format!(r#", "priority": 1{done}"#)),
        task("t3", "install", "pending", &["t1", "t2"], ""),
        task(
            "b1",
            "backup-db",
            "failed",
            &[],
            r#", "started_at": "2025-10-08T09:00:00Z", "completed_at": "2025-10-08T09:30:00Z", "error": "disk full""#,
        ),
        task("b2", "verify-backup", "pending", &["b1"], ""),
        task("solo", "solo", "completed", &[], done),
        task("solo2", "solo2", "pending", &[], ""),
        task("w1", "serve", "running", &[], r#", "workflow": "web", "started_at": "2025-10-08T11:00:00Z""#),
    ])
}

#[test]
fn the_table_of_the_example_data() {
    let text = stdout(&workflows(&example_data(), &[]));
    assert!(!text.contains('\x1b'), "styles reach a pipe:\n{text}");
    assert_eq!(
        text,
        "\
WORKFLOW             STATE    TASKS  DONE     BLOCKED  STARTED              ELAPSED  HELD BY
provision-cluster *  running      6  2/6 33%        1  2025-10-07 06:00:02    1d 6h  8d116ece: blocked: 9531985d failed (timed out waiting for t… (+1 more)
- *                  running      7  2/7 28%        0  2025-10-08 02:00:01      10h  6b0d549b: ready: no dependencies (+2 more)
deploy-api           running      2  0/2 0%         0  -                          -  -
deploy-web           running      3  0/3 0%         0  -                          -  task-001: ready: no dependencies (+1 more)
k8s-upgrade          pending      2  1/2 50%        0  -                          -  task-006: ready: no dependencies
backup-nightly       pending      2  1/2 50%        0  -                          -  task-005: ready: no dependencies
db-migrate           failed       2  1/2 50%        0  -                          -  -
7 workflows
* workflows without a `workflow` field are grouped by their dependencies
"
    );
}

#[test]
fn json_is_an_array_of_rows_with_every_field() {
    let out = workflows(&example_data(), &["--format", "json"]);
    let text = stdout(&out);
    // The keys of a row, in this order (a `Value` would sort them).
    let keys: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("  {"))
        .skip(1)
        .take_while(|l| !l.starts_with("  }"))
        .filter_map(|l| l.strip_prefix("    \"")?.split('"').next())
        .collect();
    assert_eq!(
        keys,
        [
            "name",
            "grouped_by",
            "total",
            "by_status",
            "blocked",
            "progress",
            "state",
            "started",
            "elapsed",
            "last_activity",
            "held_by"
        ]
    );
    let rows: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        names(&rows),
        ["provision-cluster", "-", "deploy-api", "deploy-web", "k8s-upgrade", "backup-nightly", "db-migrate"]
    );
    let row = |name: &str| rows.as_array().unwrap().iter().find(|r| r["name"] == name).unwrap().clone();

    let web = row("deploy-web");
    assert_eq!(web["grouped_by"], "workflow");
    assert_eq!(web["total"], 3);
    assert_eq!(web["by_status"], json!([{"status": "pending", "count": 2}, {"status": "running", "count": 1}]));
    assert_eq!((web["progress"].clone(), web["state"].clone()), (json!(0.0), json!("running")));
    // task-002 runs with no started_at: nothing started, so no elapsed time.
    assert_eq!((web["started"].clone(), web["elapsed"].clone()), (Value::Null, Value::Null));
    assert_eq!(web["last_activity"], "2025-10-08T09:12:00Z");
    let held: Vec<&Value> = web["held_by"].as_array().unwrap().iter().map(|h| &h["id"]).collect();
    assert_eq!(held, [&json!("task-001"), &json!("task-012")]);
    assert_eq!(
        web["held_by"][0],
        json!({"id": "task-001", "name": null, "state": "ready", "reason": "ready: no dependencies"})
    );

    let chain = row("provision-cluster");
    assert_eq!(chain["grouped_by"], "dependencies");
    assert_eq!((chain["total"].clone(), chain["blocked"].clone()), (json!(6), json!(1)));
    assert_eq!(
        chain["by_status"],
        json!([
            {"status": "pending", "count": 2},
            {"status": "running", "count": 1},
            {"status": "completed", "count": 2},
            {"status": "failed", "count": 1},
        ])
    );
    assert_eq!(chain["progress"], json!(2.0 / 6.0));
    assert_eq!(chain["started"], "2025-10-07T06:00:02Z");
    // Still running: from the first start to now, in seconds.
    assert_eq!(chain["elapsed"], json!(108_028.0));
    assert_eq!(
        chain["held_by"],
        json!([
            {
                "id": "8d116ece-1738-47d9-bd9c-172411e20b8f",
                "name": "scale-workers",
                "state": "blocked",
                "reason": "blocked: 9531985d-5d9d-49f8-9818-e811892f902b failed (timed out waiting for the condition)",
            },
            {
                "id": "6b4cb242-4a23-4596-a217-beaddbc496cb",
                "name": "update-monitoring",
                "state": "waiting",
                "reason": "waiting: on 36f675cc-81e7-4ef5-a8e2-5d940ed90475 (running)",
            },
        ])
    );

    let lone = row("-");
    assert_eq!((lone["grouped_by"].clone(), lone["total"].clone()), (json!("dependencies"), json!(7)));
    // Nothing left to run in db-migrate, and no completed_at: no elapsed time.
    let failed = row("db-migrate");
    assert_eq!((failed["state"].clone(), failed["progress"].clone()), (json!("failed"), json!(0.5)));
    assert_eq!(failed["held_by"], json!([]));
}

#[test]
fn jsonl_is_one_row_a_line() {
    let text = stdout(&workflows(&example_data(), &["--format", "jsonl"]));
    let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 7);
    assert_eq!(Value::Array(lines), json_of(&example_data(), &[]));
}

#[test]
fn workflow_glob_filters_rows_by_name() {
    assert_eq!(names(&json_of(&example_data(), &["--workflow", "deploy-*"])), ["deploy-api", "deploy-web"]);
    assert_eq!(names(&json_of(&example_data(), &["--workflow", "db-migrat?"])), ["db-migrate"]);
    assert_eq!(names(&json_of(&example_data(), &["--workflow", "provision*"])), ["provision-cluster"]);
    let text = stdout(&workflows(&example_data(), &["--workflow", "k8s-*"]));
    assert!(text.starts_with("WORKFLOW     STATE    TASKS"), "{text}");
    assert!(text.lines().nth(1).unwrap().starts_with("k8s-upgrade  pending      2  1/2 50%"), "{text}");
    // No row grouped by dependencies: no footnote.
    assert!(text.ends_with("\n1 workflow\n"), "{text}");
}

#[test]
fn state_filters_rows_repeated_or_comma_separated() {
    assert_eq!(names(&json_of(&example_data(), &["--state", "pending"])), ["k8s-upgrade", "backup-nightly"]);
    let both = ["k8s-upgrade", "backup-nightly", "db-migrate"];
    assert_eq!(names(&json_of(&example_data(), &["--state", "failed,pending"])), both);
    assert_eq!(names(&json_of(&example_data(), &["--state", "failed", "--state", "pending"])), both);
    assert_eq!(names(&json_of(&example_data(), &["--state", "failed", "--workflow", "d*"])), ["db-migrate"]);
    // No workflow of the example data is completed.
    assert_eq!(stdout(&workflows(&example_data(), &["--state", "completed"])), "no workflows\n");
    assert_eq!(json_of(&example_data(), &["--state", "completed"]), json!([]));
}

#[test]
fn an_unknown_state_is_a_usage_error() {
    let out = workflows(&example_data(), &["--state", "running,finished"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(
            "unknown workflow state \"finished\"; expected one of running, blocked, pending, failed, completed"
        ),
        "{stderr}"
    );
}

#[test]
fn name_shows_the_workflow_in_sections_and_its_tasks_in_dependency_order() {
    let text = stdout(&workflows(&example_data(), &["provision-cluster"]));
    assert_plain_lines(
        &text,
        &[
            "Workflow:      provision-cluster",
            "Grouped by:    dependencies (its tasks have no `workflow` field)",
            "State:         running",
            "Progress:      2/6 33%",
            "Tasks:         6 (2 pending, 1 running, 2 completed, 1 failed)",
            "Blocked:       1",
            "Started:       2025-10-07 06:00:02",
            "Elapsed:       1d 6h so far",
            "Last activity: 2025-10-08 11:59:00",
            "Held by:",
            "  8d116ece-1738-47d9-bd9c-172411e20b8f  blocked  blocked: 9531985d-5d9d-49f8-9818-e811892f902b failed (timed out waiting for the condition)",
            "  6b4cb242-4a23-4596-a217-beaddbc496cb  waiting  waiting: on 36f675cc-81e7-4ef5-a8e2-5d940ed90475 (running)",
            "Tasks:",
            "ID                                    STATUS     STATE    PRIORITY  CREATED              NAME                WHY",
        ],
    );
    let tasks: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("ID "))
        .skip(1)
        .map(|l| l.split_whitespace().nth(6).unwrap())
        .collect();
    assert_eq!(
        tasks,
        [
            "provision-cluster",
            "install-cni",
            "install-ingress",
            "create-dns-records",
            "scale-workers",
            "update-monitoring"
        ]
    );
    let blocked = text.lines().find(|l| l.contains("scale-workers")).unwrap();
    assert!(blocked.contains("pending    blocked         4  2025-10-08 10:20:00"), "{blocked}");
    assert!(blocked.ends_with(
        "scale-workers       blocked: 9531985d-5d9d-49f8-9818-e811892f902b failed (timed out waiting for the condition)"
    ));

    let web = stdout(&workflows(&example_data(), &["deploy-web"]));
    assert_plain_lines(
        &web,
        &[
            "Grouped by:    workflow",
            "Started:       -",
            "Elapsed:       -",
            "  task-001  ready  ready: no dependencies",
        ],
    );
    let lone = stdout(&workflows(&example_data(), &["-"]));
    assert!(
        lone.contains("Grouped by:    dependencies (the tasks with no `workflow` field that are linked to no other)\n")
    );
    let migrate = stdout(&workflows(&example_data(), &["db-migrate"]));
    assert!(migrate.contains("\nHeld by:\n  (none)\n"), "{migrate}");
}

#[test]
fn name_as_json_is_the_row_and_its_tasks() {
    let detail = json_of(&example_data(), &["provision-cluster"]);
    let rows = json_of(&example_data(), &[]);
    let mut row = detail.as_object().unwrap().clone();
    let tasks = row.remove("tasks").unwrap();
    // The row's fields flattened, as the listing has them.
    assert_eq!(Value::Object(row), rows[0]);
    let ids: Vec<&str> = tasks.as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    // Each dependency before its dependent.
    let position = |prefix: &str| ids.iter().position(|id| id.starts_with(prefix)).unwrap();
    for (dependency, dependent) in [
        ("6513270e", "d23f0824"), // provision-cluster <- install-cni
        ("d23f0824", "9531985d"), // install-cni <- install-ingress
        ("9531985d", "36f675cc"), // install-ingress <- create-dns-records
        ("9531985d", "8d116ece"), // install-ingress <- scale-workers
        ("36f675cc", "6b4cb242"), // create-dns-records <- update-monitoring
    ] {
        assert!(position(dependency) < position(dependent), "{dependency} after {dependent}: {ids:?}");
    }
    assert_eq!(
        tasks[position("8d116ece")],
        json!({
            "id": "8d116ece-1738-47d9-bd9c-172411e20b8f",
            "name": "scale-workers",
            "status": "pending",
            "state": "blocked",
            "reason": "blocked: 9531985d-5d9d-49f8-9818-e811892f902b failed (timed out waiting for the condition)",
            "priority": 4,
            "created_at": "2025-10-08T10:20:00Z",
            "started_at": null,
            "completed_at": null,
        })
    );
    assert_eq!(tasks[position("9531985d")]["state"], Value::Null);
}

#[test]
fn an_unknown_name_suggests_near_ones_and_exits_1() {
    let out = workflows(&example_data(), &["deploy-wbe"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: no workflow 'deploy-wbe'\n  help: did you mean 'deploy-web'?\n"
    );
    let out = workflows(&example_data(), &["nothing-like-it"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: no workflow 'nothing-like-it'\n  help: `orch workflows` lists the names\n"
    );
}

#[test]
fn name_refuses_jsonl_and_the_filters() {
    let out = workflows(&example_data(), &["deploy-web", "--format", "jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8(out.stderr).unwrap().contains("use --format json, not jsonl"));
    for flags in [&["--state", "running"][..], &["--workflow", "deploy-*"]] {
        let out = workflows(&example_data(), &[&["deploy-web"][..], flags].concat());
        assert_eq!(out.status.code(), Some(2), "{flags:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains("cannot be used with"), "{flags:?}: {stderr}");
    }
}

#[test]
fn tasks_without_a_workflow_are_grouped_by_their_dependencies() {
    let dir = grouped_queue();
    let text = stdout(&workflows(dir.path(), &[]));
    let first_cells: Vec<&str> = text.lines().map(|l| l.split("  ").next().unwrap()).collect();
    assert_eq!(
        first_cells,
        [
            "WORKFLOW",
            "web",
            "backup-db *",
            // Both pending, both last active at 10:05:10: by name.
            "- *",
            "create-servers +1 *",
            "4 workflows",
            "* workflows without a `workflow` field are grouped by their dependencies"
        ],
        "{text}"
    );
    let rows = json_of(dir.path(), &[]);
    let summary: Vec<(&str, &str, &str, u64)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap(),
                r["grouped_by"].as_str().unwrap(),
                r["state"].as_str().unwrap(),
                r["total"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("web", "workflow", "running", 1),
            ("backup-db", "dependencies", "blocked", 2),
            ("-", "dependencies", "pending", 2),
            ("create-servers +1", "dependencies", "pending", 3),
        ]
    );
    let servers = json_of(dir.path(), &["create-servers +1"]);
    let ids: Vec<&str> = servers["tasks"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    // Both roots before the task that needs them; the higher priority first.
    assert_eq!(ids, ["t1", "t2", "t3"]);
    assert_eq!(servers["held_by"][0]["reason"], "ready: every dependency is completed");
    let lone = json_of(dir.path(), &["-"]);
    let ids: Vec<&str> = lone["tasks"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&"solo") && ids.contains(&"solo2"), "{ids:?}");
}

#[test]
fn a_blocked_workflow_is_held_by_its_failed_root() {
    let dir = grouped_queue();
    let rows = json_of(dir.path(), &["--state", "blocked"]);
    assert_eq!(names(&rows), ["backup-db"]);
    let row = &rows[0];
    assert_eq!((row["blocked"].clone(), row["progress"].clone()), (json!(1), json!(0.0)));
    assert_eq!(
        row["held_by"],
        json!([{"id": "b2", "name": "verify-backup", "state": "blocked", "reason": "blocked: b1 failed (disk full)"}])
    );
    // Something is left to run: elapsed runs from the start to now.
    assert_eq!(row["started"], "2025-10-08T09:00:00Z");
    assert_eq!(row["elapsed"], json!(3.0 * 3600.0 + 30.0));
    let text = stdout(&workflows(dir.path(), &["--state", "blocked"]));
    let line = text.lines().nth(1).unwrap();
    assert!(line.starts_with("backup-db *  blocked      2  0/2 0%        1  2025-10-08 09:00:00"), "{text}");
    assert!(line.ends_with("  3h  b2: blocked: b1 failed (disk full)"), "{text}");
    let detail = stdout(&workflows(dir.path(), &["backup-db"]));
    assert!(detail.contains("\nHeld by:\n  b2  blocked  blocked: b1 failed (disk full)\n"), "{detail}");
    assert!(detail.contains("State:         blocked\n"), "{detail}");
}

#[test]
fn a_finished_workflow_runs_to_its_last_completion() {
    let done =
        r#", "workflow": "nightly", "started_at": "2025-10-08T01:00:00Z", "completed_at": "2025-10-08T01:20:00Z""#;
    let later =
        r#", "workflow": "nightly", "started_at": "2025-10-08T01:20:00Z", "completed_at": "2025-10-08T02:00:05Z""#;
    let dir = dir_of(&[task("n1", "dump", "completed", &[], done), task("n2", "upload", "completed", &["n1"], later)]);
    let rows = json_of(dir.path(), &[]);
    assert_eq!((rows[0]["state"].clone(), rows[0]["progress"].clone()), (json!("completed"), json!(1.0)));
    assert_eq!(rows[0]["elapsed"], json!(3605.0));
    let text = stdout(&workflows(dir.path(), &[]));
    assert!(text.lines().nth(1).unwrap().starts_with("nightly   completed      2  2/2 100%"), "{text}");
    let detail = stdout(&workflows(dir.path(), &["nightly"]));
    assert!(detail.contains("Elapsed:       1h\n"), "{detail}");
}

#[test]
fn skip_invalid_lists_the_rest_and_reports_what_it_skipped() {
    let mut files = vec![task("a", "a", "pending", &[], r#", "workflow": "w""#)];
    files.push(("tasks/bad.json".into(), "{\"id\": 1}".into()));
    let dir = dir_of(&files);
    let out = workflows(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("cannot parse bad.json: invalid type: integer `1`, expected a string"), "{stderr}");
    for args in [&["--skip-invalid"][..], &["--skip-invalid", "w"]] {
        let out = workflows(dir.path(), &[args, &["--format", "json"]].concat());
        assert!(out.status.success(), "{args:?}");
        let value: Value = serde_json::from_slice(&out.stdout).unwrap();
        let row = if value.is_array() { value[0].clone() } else { value };
        assert_eq!((row["name"].clone(), row["total"].clone()), (json!("w"), json!(1)), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains("warning: skipped 1 invalid file"), "{args:?}: {stderr}");
    }
}

#[test]
fn an_empty_queue_has_no_workflows() {
    let dir = data_dir(&[("status.json", "{}")]);
    assert_eq!(stdout(&workflows(dir.path(), &[])), "no workflows\n");
    assert_eq!(json_of(dir.path(), &[]), json!([]));
}
