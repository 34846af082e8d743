//! Generated data directories, in both layouts, deterministic for a given size.

use std::fs;
use std::path::Path;

const STATUSES: [&str; 5] = ["pending", "running", "completed", "failed", "cancelled"];
const WORKFLOWS: [&str; 6] =
    ["deploy-web", "deploy-api", "db-migrate", "backup-nightly", "k8s-upgrade", "rotate-certs"];

/// A small deterministic generator, so every run measures the same data.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Writes `count` tasks under `dir`: half in the fixture layout (`tasks/`),
/// half in the storage backend's (`queue.rkvs/`), plus `status.json`.
pub fn data_dir(dir: &Path, count: usize) -> std::io::Result<()> {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15 ^ count as u64);
    fs::create_dir_all(dir.join("tasks"))?;
    fs::create_dir_all(dir.join("queue.rkvs/tasks"))?;
    fs::create_dir_all(dir.join("queue.rkvs/queue"))?;
    let base = 1_759_900_000i64; // 2025-10-08
    let mut pending = 0;
    let mut running = 0;
    for i in 0..count {
        let status = STATUSES[rng.below(5) as usize];
        pending += usize::from(status == "pending");
        running += usize::from(status == "running");
        let created = base - rng.below(30 * 86_400) as i64;
        let created_at = ts(created);
        let priority = rng.below(10);
        let workflow = WORKFLOWS[rng.below(WORKFLOWS.len() as u64) as usize];
        if i % 2 == 0 {
            let id = format!("task-{i:07}");
            let body = format!(
                r#"{{"id": "{id}", "status": "{status}", "created_at": "{created_at}", "priority": {priority}, "workflow": "{workflow}", "name": "step {i} of {workflow}"}}"#
            );
            fs::write(dir.join(format!("tasks/{id}.json")), body)?;
        } else {
            let id = format!(
                "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
                rng.next() as u32,
                rng.below(1 << 16),
                rng.below(1 << 12),
                rng.below(1 << 12),
                rng.below(1 << 48)
            );
            let (status, started, completed) = match status {
                "pending" | "cancelled" => (status, "null".to_string(), "null".to_string()),
                "running" => (status, quoted(ts(created + 2)), "null".to_string()),
                _ => (status, quoted(ts(created + 2)), quoted(ts(created + 2 + rng.below(3_600) as i64))),
            };
            let status = capitalize(status);
            let body = format!(
                r#"{{"id": "{id}", "name": "{workflow}-{i}", "command": "kubectl", "args": ["apply", "-f", "{workflow}.yaml"], "dependencies": [], "status": "{status}", "created_at": "{created_at}", "started_at": {started}, "completed_at": {completed}, "output": null, "error": null}}"#
            );
            fs::write(dir.join(format!("queue.rkvs/tasks/{id}.json")), body)?;
            fs::write(
                dir.join(format!("queue.rkvs/queue/{id}.json")),
                format!(r#"{{"task_id": "{id}", "priority": {priority}, "enqueued_at": "{created_at}"}}"#),
            )?;
        }
    }
    fs::write(
        dir.join("status.json"),
        format!(
            r#"{{"running": true, "tasks_pending": {pending}, "tasks_running": {running}, "last_check": "{}"}}"#,
            ts(base)
        ),
    )
}

fn ts(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds).unwrap().to_string()
}

fn quoted(s: String) -> String {
    format!("\"{s}\"")
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
}

/// Writes a KCL workflow of about `lines` lines: a few schemas, then steps
/// that each depend on the one before, as real workflows do.
pub fn workflow(path: &Path, lines: usize) -> std::io::Result<()> {
    let mut text = String::from(
        "\"\"\"A generated deployment workflow.\"\"\"\n\nschema Resources:\n    cpu: str = \"100m\"\n    memory: str = \"128Mi\"\n\n\
         schema Step:\n    id: str\n    command: str\n    depends_on: [str] = []\n    timeout: int = 300\n    retries?: int\n    \
         resources: Resources = Resources {}\n\n    check:\n        timeout > 0, \"timeout must be positive\"\n\n\
         steps: [Step] = [\n",
    );
    let mut i = 0;
    while text.lines().count() + 10 < lines {
        let depends = if i == 0 { String::new() } else { format!("\n        depends_on = [\"step-{}\"]", i - 1) };
        text.push_str(&format!(
            "    Step {{\n        id = \"step-{i}\"\n        command = \"kubectl apply -f manifests/{i}.yaml\"{depends}\n        \
             timeout = {}\n        resources = Resources {{cpu = \"{}m\", memory = \"{}Mi\"}}\n    }}\n",
            60 + i % 600,
            100 + (i % 8) * 50,
            128 * (1 + i % 4)
        ));
        i += 1;
    }
    text.push_str("]\n\nsummary = {\n    total = len(steps)\n    ids = [s.id for s in steps]\n}\n");
    fs::write(path, text)
}
