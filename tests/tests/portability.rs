//! The same component, byte for byte, under other WASI runtimes: Node.js
//! (transpiled by jco, on preview2-shim) and Python (wasmtime-py). Each runs
//! the fixture queries through its example script (examples/node,
//! examples/python) and must answer exactly what the Rust host answers.
//!
//! The shared JSON shape, printed by both scripts and built here from the
//! Rust host's values: WIT field names in snake_case, timestamps as
//! `{seconds, nanoseconds}`, durations in nanoseconds, paths relative to the
//! data dir, and `{"error": {"file" | "invalid-argument": {...}}}` on refusal.

use std::path::{Path, PathBuf};
use std::process::Command;

use jiff::Timestamp;
use orch_runtime::model::{FileError, QueryError, ReadOptions, StatusReport, StatusSource, Task, TaskPage, TaskQuery};
use orch_runtime::{Error, Runtime, RuntimeOptions};
use orch_tests::{cache_dir, data_dir, example_data, external_tool, orch, task_json, workspace};
use serde_json::{Value, json};

const NOW: &str = "2025-10-08T12:00:30Z";

/// One query, in the scripts' QUERY_JSON form.
struct Case {
    name: &'static str,
    command: &'static str,
    query: Value,
}

fn cases() -> Vec<Case> {
    vec![
        Case { name: "status", command: "status", query: json!({}) },
        Case { name: "all tasks", command: "tasks", query: json!({}) },
        Case {
            name: "pending or running, priority 2..8",
            command: "tasks",
            query: json!({"statuses": ["Pending,running"], "min_priority": 2, "max_priority": 8}),
        },
        Case {
            name: "last day, workflow glob, paged",
            command: "tasks",
            query: json!({"created_from": "1d", "workflow": "*-*", "offset": 1, "limit": 3}),
        },
        Case {
            name: "date range",
            command: "tasks",
            query: json!({"created_from": "2025-10-07", "created_to": "2025-10-08"}),
        },
        Case { name: "blocked or waiting", command: "tasks", query: json!({"states": ["blocked,waiting"]}) },
        Case { name: "bad argument", command: "tasks", query: json!({"created_from": "soon"}) },
    ]
}

/// The Rust host's answer, in the shared shape.
fn rust_answer(dir: &Path, case: &Case) -> Value {
    let runtime = Runtime::new(RuntimeOptions { cache_dir: Some(cache_dir()), ..RuntimeOptions::default() }).unwrap();
    let now: Timestamp = NOW.parse().unwrap();
    let q = &case.query;
    let read = ReadOptions { skip_invalid: q["skip_invalid"].as_bool().unwrap_or(false) };
    let result = match case.command {
        "status" => runtime.status(dir, now, read).map(|r| status_json(&r, dir)),
        _ => {
            let text = |k: &str| q[k].as_str().map(str::to_string);
            let statuses =
                q["statuses"].as_array().map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect());
            let query = TaskQuery {
                statuses: statuses.unwrap_or_default(),
                min_priority: q["min_priority"].as_i64(),
                max_priority: q["max_priority"].as_i64(),
                from: text("created_from"),
                to: text("created_to"),
                workflow: text("workflow"),
                states: q["states"]
                    .as_array()
                    .map_or_else(Vec::new, |a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect()),
                offset: q["offset"].as_u64().unwrap_or(0),
                limit: q["limit"].as_u64(),
            };
            runtime.tasks(dir, &query, now, read).map(|p| page_json(&p, dir))
        }
    };
    result.unwrap_or_else(|e| error_json(&e, dir))
}

fn timestamp(t: Option<Timestamp>) -> Value {
    t.map_or(Value::Null, |t| json!({"seconds": t.as_second(), "nanoseconds": t.subsec_nanosecond()}))
}

fn file_error_json(f: &FileError, dir: &Path) -> Value {
    json!({
        "path": f.path.strip_prefix(dir).unwrap().to_str().unwrap(),
        "kind": f.kind.as_str(),
        "position": f.position.map(|p| json!({"line": p.line, "column": p.column})),
        "message": f.message,
    })
}

fn status_json(r: &StatusReport, dir: &Path) -> Value {
    json!({
        "running": r.running,
        "tasks_pending": r.tasks_pending,
        "tasks_running": r.tasks_running,
        "tasks_completed": r.tasks_completed,
        "tasks_failed": r.tasks_failed,
        "last_check": timestamp(r.last_check),
        "last_check_age": r.last_check_age.map(|d| d.as_nanos() as i64),
        "source": match r.source { StatusSource::StatusFile => "status-file", StatusSource::Derived => "derived" },
        "skipped": r.skipped.iter().map(|f| file_error_json(f, dir)).collect::<Vec<_>>(),
    })
}

fn task_json_value(t: &Task) -> Value {
    json!({
        "id": t.id, "name": t.name, "command": t.command, "args": t.args, "dependencies": t.dependencies,
        "status": t.status, "priority": t.priority,
        "created_at": timestamp(t.created_at), "started_at": timestamp(t.started_at), "completed_at": timestamp(t.completed_at),
        "output": t.output, "error": t.error, "workflow": t.workflow, "state": t.state.map(|s| s.name()),
    })
}

fn page_json(p: &TaskPage, dir: &Path) -> Value {
    json!({
        "tasks": p.tasks.iter().map(task_json_value).collect::<Vec<_>>(),
        "total": p.total,
        "skipped": p.skipped.iter().map(|f| file_error_json(f, dir)).collect::<Vec<_>>(),
    })
}

fn error_json(e: &Error, dir: &Path) -> Value {
    match e {
        Error::Guest(QueryError::File(f)) => json!({"error": {"file": file_error_json(f, dir)}}),
        Error::Guest(QueryError::InvalidArgument { name, message }) => {
            json!({"error": {"invalid-argument": {"name": name, "message": message}}})
        }
        other => panic!("the Rust host failed outside the component: {other}"),
    }
}

/// The component, as the examples' READMEs get it: `orch component wasm
/// -o orch_guest.wasm`, run in `dir`. It must be the one the Rust host runs.
fn component_file(dir: &Path) -> PathBuf {
    let output = orch().current_dir(dir).args(["component", "wasm", "-o", "orch_guest.wasm"]).output().unwrap();
    assert!(output.status.success(), "orch component wasm: {}", String::from_utf8_lossy(&output.stderr));
    let path = dir.join("orch_guest.wasm");
    assert!(std::fs::read(&path).unwrap() == orch_runtime::component::ORCHESTRATOR_WASM);
    path
}

/// Runs a script and parses its JSON; exit 1 must come with an `error`.
fn run_script(mut cmd: Command, what: &str) -> Value {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: cannot run: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let value: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "{what}: no JSON ({e}); exit {:?}\nstdout: {stdout}\nstderr: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(out.status.success(), value.get("error").is_none(), "{what}: exit {:?} for {value}", out.status);
    value
}

fn assert_same(runtime: &str, case: &str, got: &Value, want: &Value) {
    assert_eq!(
        serde_json::to_string_pretty(got).unwrap(),
        serde_json::to_string_pretty(want).unwrap(),
        "{runtime} disagrees with the Rust host on {case:?}"
    );
}

/// Data dirs every runtime is run on: the README's example, one without
/// `status.json` (derived counts), one with a bad file, and one with a
/// symlink leading out of the data dir.
fn data_dirs(outside: &Path) -> Vec<(&'static str, PathBuf, Option<tempfile::TempDir>)> {
    let derived = data_dir(&[
        ("tasks/a.json", &task_json("a", "pending", 3, "2025-10-08T10:00:00Z")),
        ("tasks/b.json", &task_json("b", "Failed", 1, "2025-10-07T10:00:00Z")),
        ("queue.rkvs/tasks/c.json", r#"{"id": "c", "status": "Running", "created_at": "2025-10-08T11:00:00.5+02:00"}"#),
        ("queue.rkvs/queue/c.json", r#"{"task_id": "c", "priority": 7}"#),
    ]);
    let malformed = data_dir(&[("tasks/a.json", "{\"id\": \"a\",\n \"status\": }")]);
    let escape = data_dir(&[("tasks/a.json", &task_json("a", "pending", 1, "2025-10-08T10:00:00Z"))]);
    std::os::unix::fs::symlink(outside.join("secret.json"), escape.path().join("tasks/evil.json")).unwrap();
    vec![
        ("examples/data", example_data(), None),
        ("derived", derived.path().to_path_buf(), Some(derived)),
        ("malformed", malformed.path().to_path_buf(), Some(malformed)),
        ("symlink escape", escape.path().to_path_buf(), Some(escape)),
    ]
}

fn outside_dir() -> tempfile::TempDir {
    data_dir(&[("secret.json", &task_json("secret", "pending", 1, "2025-10-08T10:00:00Z"))])
}

/// Runs every case on every data dir through `script` and compares; returns
/// how many answers matched.
fn compare_all(runtime: &str, script: impl Fn(&Path, &Case) -> Command) {
    let outside = outside_dir();
    let mut compared = 0;
    for (dir_name, dir, _keep) in data_dirs(outside.path()) {
        for case in cases() {
            let what = format!("{runtime} on {dir_name}: {}", case.name);
            let mut query = case.query.clone();
            query["now"] = json!(NOW);
            let case = Case { query, ..case };
            let got = run_script(script(&dir, &case), &what);
            assert_same(runtime, &what, &got, &rust_answer(&dir, &case));
            compared += 1;
        }
    }
    // The escape must have been refused, not merely agreed upon.
    let escape = data_dirs(outside.path()).pop().unwrap();
    let answer = rust_answer(&escape.1, &Case { name: "escape", command: "tasks", query: json!({}) });
    assert_eq!(answer["error"]["file"]["kind"], "denied", "{answer}");
    eprintln!("{runtime}: {compared} answers identical to the Rust host's");
}

#[test]
#[cfg_attr(not(has_python), ignore = "needs Python: $ORCH_PYTHON is not set (scripts/test.sh sets it)")]
fn python_wasmtime_answers_like_the_rust_host() {
    let python = external_tool("ORCH_PYTHON");
    // examples/python/README.md: the component from orch, then query.py on it.
    let scratch = tempfile::tempdir().unwrap();
    let wasm = component_file(scratch.path());
    let script = workspace().join("examples/python/query.py");
    compare_all("python (wasmtime-py)", |dir, case| {
        let mut cmd = Command::new(&python);
        cmd.arg(&script).arg(&wasm).arg(dir).arg(case.command).arg(case.query.to_string());
        cmd
    });
}

#[test]
#[cfg_attr(not(has_node_tools), ignore = "needs node and jco: $ORCH_NODE_TOOLS is not set (scripts/test.sh sets it)")]
fn node_jco_answers_like_the_rust_host() {
    let node_modules = external_tool("ORCH_NODE_TOOLS");
    // examples/node/README.md, in a copy of examples/node: the component
    // from orch, `npm run transpile` (its node_modules are the pinned
    // tools', as `npm install` there would give), then query.mjs.
    let scratch = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(&node_modules, scratch.path().join("node_modules")).unwrap();
    for file in ["package.json", "query.mjs"] {
        std::fs::copy(workspace().join("examples/node").join(file), scratch.path().join(file)).unwrap();
    }
    component_file(scratch.path());
    let out = Command::new("npm")
        .current_dir(scratch.path())
        .args(["run", "--silent", "transpile", "--", "--quiet"])
        .output()
        .expect("run npm");
    assert!(out.status.success(), "npm run transpile failed: {}", String::from_utf8_lossy(&out.stderr));
    let script = scratch.path().join("query.mjs");
    let transpiled = scratch.path().join("orchestrator");
    compare_all("node (jco)", |dir, case| {
        let mut cmd = Command::new("node");
        cmd.arg(&script).arg(&transpiled).arg(dir).arg(case.command).arg(case.query.to_string());
        cmd
    });
}
