//! The native floor: the component's own logic compiled for the host and
//! called in-process, with no wasm and no sandbox. Same arguments subset
//! and the same JSON as `orch --format json`.

use orch_guest::fs::DataDir;
use orch_guest::model::{Task, TaskQuery};
use orch_guest::queue::Scan;
use orch_guest::queue::parse_cache::ParseCache;
use orch_guest::queue::scan::ScanOptions;
use serde_json::json;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let now = jiff::Timestamp::now();
    let mut query = TaskQuery::default();
    let mut dir = None;
    let mut command = None;
    let mut positional = None;
    let mut strict = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || it.next().expect("flag value").clone();
        match arg.as_str() {
            "--data-dir" => dir = Some(value()),
            "--status" => query.statuses.push(value()),
            "--limit" => query.limit = Some(value().parse().unwrap()),
            "--format" => drop(value()),
            "--strict" => strict = true,
            other if command.is_none() => command = Some(other.to_string()),
            other => positional = Some(other.to_string()),
        }
    }
    let dir = DataDir::new(dir.unwrap_or_else(|| ".".into()));
    let mut cache = ParseCache::default();
    let scan = Scan { dir: &dir, now, opts: ScanOptions::default(), cache: &mut cache };
    let out = match command.as_deref() {
        Some("status") => {
            let r = orch_guest::queue::status(scan).unwrap();
            json!({"running": r.running, "tasks_pending": r.tasks_pending, "tasks_running": r.tasks_running,
                   "last_check": r.last_check.map(|t| t.to_string())})
        }
        Some("tasks") => {
            let page = orch_guest::queue::tasks(scan, &query).unwrap();
            serde_json::Value::Array(page.tasks.iter().map(task).collect())
        }
        Some("stats") => {
            let s = orch_guest::queue::stats(scan, &query).unwrap();
            serde_json::to_value(&s).unwrap()
        }
        Some("validate") => {
            // The file name stands in for --data-dir: validate takes a path.
            let sources = orch_guest::workflows::kcl::fs_sources::FsSources::new(".");
            let report =
                orch_guest::workflows::kcl::validate(&sources, &positional.expect("a workflow path"), strict).unwrap();
            json!({"valid": report.valid, "errors": report.errors.len(), "warnings": report.warnings.len()})
        }
        other => panic!("unknown command {other:?}"),
    };
    println!("{}", serde_json::to_string_pretty(&out).unwrap());
}

fn task(t: &Task) -> serde_json::Value {
    let time = |t: Option<jiff::Timestamp>| t.map(|t| t.to_string());
    json!({"id": t.id, "name": t.name, "command": t.command, "args": t.args, "dependencies": t.dependencies,
           "status": t.status, "priority": t.priority, "created_at": time(t.created_at),
           "started_at": time(t.started_at), "completed_at": time(t.completed_at), "output": t.output,
           "error": t.error, "workflow": t.workflow})
}
