//! `orch status` and data-directory resolution, end to end.

use assert_cmd::assert::OutputAssertExt;
use orch_tests::{data_dir, example_data, orch, task_json, workspace};
use serde_json::Value;

fn status_json(cmd: &mut std::process::Command) -> Value {
    let output = cmd.args(["status", "--format", "json"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn reads_the_status_file() {
    let mut cmd = orch();
    cmd.arg("--data-dir").arg(example_data());
    let mut status = status_json(&mut cmd);
    assert_eq!(status["data_dir"], example_data().display().to_string());
    status["data_dir"] = "<data>".into();
    insta::assert_json_snapshot!(status);
}

#[test]
fn table_output() {
    let output = orch().current_dir(workspace()).args(["status", "--data-dir", "examples/data"]).output().unwrap();
    output.clone().assert().success();
    let text = String::from_utf8(output.stdout).unwrap().replace(&workspace().display().to_string(), "<workspace>");
    insta::assert_snapshot!(text);
}

#[test]
fn derives_counts_when_the_status_file_is_missing() {
    let dir = data_dir(&[
        ("tasks/a.json", &task_json("a", "pending", 1, "2025-10-08T10:00:00Z")),
        ("tasks/b.json", &task_json("b", "Running", 1, "2025-10-08T10:00:00Z")),
        ("queue.rkvs/tasks/c.json", r#"{"id": "c", "status": "Failed"}"#),
        ("queue.rkvs/tasks/d.json", r#"{"id": "d", "status": "Completed"}"#),
        ("queue.rkvs/tasks/e.json", r#"{"id": "e", "status": "Pending"}"#),
    ]);
    let mut cmd = orch();
    cmd.arg("--data-dir").arg(dir.path());
    let status = status_json(&mut cmd);
    assert_eq!(status["source"], "derived");
    assert_eq!(status["tasks_pending"], 2);
    assert_eq!(status["tasks_running"], 1);
    assert_eq!(status["tasks_completed"], 1);
    assert_eq!(status["tasks_failed"], 1);
    assert_eq!(status["running"], Value::Null);
    assert_eq!(status["last_check"], Value::Null);
}

#[test]
fn data_dir_comes_from_the_environment_in_order() {
    let tmp = tempfile::tempdir().unwrap();
    let from_env = data_dir(&[("status.json", r#"{"running": false, "tasks_pending": 1, "tasks_running": 0}"#)]);
    let provisioning = tmp.path().join("prov");
    let from_prov = provisioning.join("platform/orchestrator/data");
    std::fs::create_dir_all(&from_prov).unwrap();
    std::fs::write(from_prov.join("status.json"), r#"{"running": true, "tasks_pending": 2, "tasks_running": 0}"#)
        .unwrap();
    let default = tmp.path().join("provisioning/platform/orchestrator/data");
    std::fs::create_dir_all(&default).unwrap();
    std::fs::write(default.join("status.json"), r#"{"running": true, "tasks_pending": 3, "tasks_running": 0}"#)
        .unwrap();

    let pending = |cmd: &mut std::process::Command| status_json(cmd.current_dir(tmp.path()))["tasks_pending"].clone();
    assert_eq!(pending(orch().env("ORCHESTRATOR_DATA_DIR", from_env.path()).env("PROVISIONING", &provisioning)), 1);
    assert_eq!(pending(orch().env("PROVISIONING", &provisioning)), 2);
    assert_eq!(pending(&mut orch()), 3);
    assert_eq!(pending(orch().arg("--data-dir").arg(from_env.path()).env("PROVISIONING", &provisioning)), 1);
}

#[test]
fn a_missing_data_dir_says_what_was_tried() {
    let tmp = tempfile::tempdir().unwrap();
    let output =
        orch().current_dir(tmp.path()).env("PROVISIONING", "/nonexistent/prov").arg("status").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("error: data directory not found: /nonexistent/prov/platform/orchestrator/data"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "tried, in order: --data-dir (not set); $ORCHESTRATOR_DATA_DIR (not set); \
             $PROVISIONING/platform/orchestrator/data = /nonexistent/prov/platform/orchestrator/data"
        ),
        "{stderr}"
    );
    let output = orch().args(["status", "--data-dir", "/no/such/dir"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8(output.stderr).unwrap().contains("data directory not found: /no/such/dir"));
}

#[test]
fn a_malformed_status_file_is_named() {
    let dir = data_dir(&[("status.json", "{\"running\": yes}")]);
    let output = orch().args(["status", "--data-dir"]).arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains(&format!("{}:1:13", dir.path().join("status.json").display())), "{stderr}");
}

#[test]
fn no_subcommand_prints_help_as_a_usage_error() {
    let output = orch().output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let help = String::from_utf8(output.stderr).unwrap();
    assert!(help.contains("status") && help.contains("tasks"), "{help}");
}
