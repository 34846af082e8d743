//! Generated data directories, in both layouts, deterministic for a given size.

use std::collections::VecDeque;
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

/// The file, written last, that marks a directory as written by this
/// version of the generator (the one with dependencies); a directory
/// without it is stale. It holds the id of the task `orch show` is timed on
/// ([`show_id`]).
pub const MARKER: &str = "generated-v2";

/// How far back a backend task's dependencies reach, in backend tasks.
const BACKEND_WINDOW: usize = 20;
/// How far back a fixture task's dependency reaches, in tasks of its workflow.
const FIXTURE_WINDOW: usize = 8;

/// Writes `count` tasks under `dir`: half in the fixture layout (`tasks/`),
/// half in the storage backend's (`queue.rkvs/`), plus `status.json` and
/// [`MARKER`].
///
/// Dependencies are drawn as submitted batches have them: about 60% of the
/// backend tasks depend on one or two of the previous [`BACKEND_WINDOW`]
/// backend tasks, so that chains and fan-ins form, and about half of the
/// fixture tasks on one of the previous [`FIXTURE_WINDOW`] of their own
/// workflow. Statuses are drawn independently of them, so pending tasks
/// come out blocked (behind a failed or cancelled one), waiting and ready.
/// The dependencies have a generator of their own: everything else is the
/// same as the generator without dependencies wrote.
pub fn data_dir(dir: &Path, count: usize) -> std::io::Result<()> {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15 ^ count as u64);
    let mut dep_rng = XorShift(0xD1B5_4A32_D192_ED03 ^ count as u64);
    let mut recent_backend: VecDeque<String> = VecDeque::with_capacity(BACKEND_WINDOW);
    let mut recent_fixture: Vec<VecDeque<String>> = WORKFLOWS.iter().map(|_| VecDeque::new()).collect();
    let mut show = ShowPick::new(count);
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
        let workflow_index = rng.below(WORKFLOWS.len() as u64) as usize;
        let workflow = WORKFLOWS[workflow_index];
        if i % 2 == 0 {
            let id = format!("task-{i:07}");
            let recent = &mut recent_fixture[workflow_index];
            let dependency = match recent.len() {
                0 => None,
                n => (dep_rng.below(2) == 0).then(|| recent[n - 1 - dep_rng.below(n as u64) as usize].clone()),
            };
            let dependencies = dependency.map_or(String::new(), |d| format!(r#", "dependencies": ["{d}"]"#));
            let body = format!(
                r#"{{"id": "{id}", "status": "{status}", "created_at": "{created_at}", "priority": {priority}, "workflow": "{workflow}", "name": "step {i} of {workflow}"{dependencies}}}"#
            );
            fs::write(dir.join(format!("tasks/{id}.json")), body)?;
            push_recent(recent, id, FIXTURE_WINDOW);
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
            let dependencies = backend_dependencies(&mut dep_rng, &recent_backend);
            if status == "pending" && !dependencies.is_empty() {
                show.offer(i, &id);
            }
            let dependencies = dependencies.iter().map(|d| format!("\"{d}\"")).collect::<Vec<_>>().join(", ");
            let status = capitalize(status);
            let body = format!(
                r#"{{"id": "{id}", "name": "{workflow}-{i}", "command": "kubectl", "args": ["apply", "-f", "{workflow}.yaml"], "dependencies": [{dependencies}], "status": "{status}", "created_at": "{created_at}", "started_at": {started}, "completed_at": {completed}, "output": null, "error": null}}"#
            );
            fs::write(dir.join(format!("queue.rkvs/tasks/{id}.json")), body)?;
            fs::write(
                dir.join(format!("queue.rkvs/queue/{id}.json")),
                format!(r#"{{"task_id": "{id}", "priority": {priority}, "enqueued_at": "{created_at}"}}"#),
            )?;
            push_recent(&mut recent_backend, id, BACKEND_WINDOW);
        }
    }
    fs::write(
        dir.join("status.json"),
        format!(
            r#"{{"running": true, "tasks_pending": {pending}, "tasks_running": {running}, "last_check": "{}"}}"#,
            ts(base)
        ),
    )?;
    fs::write(dir.join(MARKER), show.id.unwrap_or_default())
}

/// The id of the task `orch show` is timed on in a directory [`data_dir`]
/// wrote: a pending backend task with dependencies, the first from the
/// middle of the data on (else the last before it). `None` when the
/// directory has none (a tiny one) or is stale (no [`MARKER`]).
pub fn show_id(dir: &Path) -> Option<String> {
    let id = fs::read_to_string(dir.join(MARKER)).ok()?;
    (!id.is_empty()).then_some(id)
}

/// Picks the task [`show_id`] names as the tasks are written.
struct ShowPick {
    middle: usize,
    id: Option<String>,
    /// The pick is from the middle on: no later one replaces it.
    settled: bool,
}

impl ShowPick {
    fn new(count: usize) -> Self {
        ShowPick { middle: count / 2, id: None, settled: false }
    }
    /// A pending backend task with dependencies, the `i`th task written.
    /// Before the middle the last one wins; from it on, the first.
    fn offer(&mut self, i: usize, id: &str) {
        if !self.settled {
            self.id = Some(id.to_string());
            self.settled = i >= self.middle;
        }
    }
}

/// No dependencies for about 40% of the backend tasks, else one or two
/// draws among the previous [`BACKEND_WINDOW`] backend tasks (the same one
/// drawn twice is listed once).
fn backend_dependencies(rng: &mut XorShift, recent: &VecDeque<String>) -> Vec<String> {
    if recent.is_empty() || rng.below(10) < 4 {
        return Vec::new();
    }
    let wanted = 1 + rng.below(2) as usize;
    let mut picked: Vec<String> = Vec::with_capacity(wanted);
    for _ in 0..wanted {
        let candidate = &recent[recent.len() - 1 - rng.below(recent.len() as u64) as usize];
        if !picked.contains(candidate) {
            picked.push(candidate.clone());
        }
    }
    picked
}

/// Keeps the last `window` ids, newest at the back.
fn push_recent(recent: &mut VecDeque<String>, id: String, window: usize) {
    if recent.len() == window {
        recent.pop_front();
    }
    recent.push_back(id);
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
