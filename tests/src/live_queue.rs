//! A queue that a writer rewrites while `orch` and the plugin read it. The
//! `live-writer` binary writes it and `tests/live_data.rs` checks what the
//! readers got, so both take its shape from here.
//!
//! Each version of a task file holds its generation twice: first (the
//! `priority` or, in the backend layout, the `command`) and last (the
//! `name`). Its `output` changes length with the generation and its `status`
//! changes with it too. A read that mixed two versions therefore disagrees
//! with itself and cannot pass for a version the writer wrote.

use std::path::Path;

use serde_json::Value;

/// How the writer replaces a file, generation after generation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Rewrite {
    /// Truncated and written again where it stands, in two halves.
    InPlace,
    /// Written to `NAME.json.tmp`, then renamed over `NAME.json`.
    Renamed,
    /// Deleted, then written anew, so for a moment it does not exist.
    Recreated,
    /// Written once, before the writer starts.
    Never,
}

impl Rewrite {
    /// The three ways a file is rewritten.
    pub const ALL: [Rewrite; 3] = [Rewrite::InPlace, Rewrite::Renamed, Rewrite::Recreated];
}

/// Where a task lives: `tasks/<id>.json`, or `queue.rkvs/tasks/<id>.json`
/// with its priority in a queue entry, `queue.rkvs/queue/<id>.json`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Layout {
    Fixture,
    Backend,
}

/// Statuses in the spellings both layouts use. Rewritten tasks cycle
/// through the first four, the ones a derived status counts; only tasks
/// that are never rewritten are cancelled, so the derived counts have
/// bounds a test can check.
const STATUSES: [&str; 5] = ["pending", "Running", "completed", "failed", "Cancelled"];
const COUNTED: usize = 4;

/// Task files of each kind in one data directory.
const FIXTURE_PER_REWRITE: usize = 20;
const FIXTURE_NEVER: usize = 60;
const BACKEND_PER_KIND: usize = 4;

const CREATED_AT: &str = "2025-10-08T10:00:00Z";

/// One task of the live queue.
#[derive(Clone, Debug)]
pub struct LiveTask {
    pub id: String,
    pub layout: Layout,
    pub rewrite: Rewrite,
    /// Its place among all tasks: varies sizes and statuses between tasks.
    index: usize,
}

/// Every task of a live data directory.
pub fn live_tasks() -> Vec<LiveTask> {
    let kinds = [Rewrite::InPlace, Rewrite::Renamed, Rewrite::Recreated, Rewrite::Never];
    let mut tasks = Vec::new();
    for (layout, prefix) in [(Layout::Fixture, "fx"), (Layout::Backend, "bk")] {
        for rewrite in kinds {
            let count = match (layout, rewrite) {
                (Layout::Backend, _) => BACKEND_PER_KIND,
                (Layout::Fixture, Rewrite::Never) => FIXTURE_NEVER,
                (Layout::Fixture, _) => FIXTURE_PER_REWRITE,
            };
            for n in 0..count {
                let kind = format!("{rewrite:?}").to_lowercase();
                let id = format!("{prefix}-{kind}-{n:02}");
                tasks.push(LiveTask { id, layout, rewrite, index: tasks.len() });
            }
        }
    }
    tasks
}

impl LiveTask {
    /// The task file, relative to the data directory.
    pub fn path(&self) -> String {
        match self.layout {
            Layout::Fixture => format!("tasks/{}.json", self.id),
            Layout::Backend => format!("queue.rkvs/tasks/{}.json", self.id),
        }
    }

    /// Generation `g` of the task file. Consecutive generations differ in
    /// length (by 389 bytes, modulo 2800), from 200 bytes to 3 KB.
    pub fn text(&self, g: u64) -> String {
        let (id, status, pad) = (&self.id, self.status(g), "x".repeat(self.output_len(g)));
        let rest = format!(
            r#""id": "{id}", "status": "{status}", "created_at": "{CREATED_AT}", "output": "{pad}", "name": "gen-{g}""#
        );
        match self.layout {
            Layout::Fixture => format!(r#"{{"priority": {g}, {rest}}}"#),
            Layout::Backend => format!(r#"{{"command": "gen-{g}", {rest}}}"#),
        }
    }

    /// The backend layout's queue entry (written once): the priority is the
    /// task's index, so that the generation is read from the task file alone.
    pub fn queue_entry(&self) -> Option<(String, String)> {
        (self.layout == Layout::Backend).then(|| {
            let entry = format!(r#"{{"task_id": "{}", "priority": {}}}"#, self.id, self.index);
            (format!("queue.rkvs/queue/{}.json", self.id), entry)
        })
    }

    fn status(&self, g: u64) -> String {
        let status = match self.rewrite {
            Rewrite::Never => STATUSES[self.index % STATUSES.len()],
            _ => STATUSES[(self.index + g as usize) % COUNTED],
        };
        match self.layout {
            Layout::Fixture => status.to_string(),
            Layout::Backend => status[..1].to_uppercase() + &status[1..],
        }
    }

    fn output_len(&self, g: u64) -> usize {
        200 + (g as usize * 389 + self.index * 97) % 2800
    }

    /// Whether a derived status counts the task (it is not cancelled).
    pub fn counted(&self) -> bool {
        self.rewrite != Rewrite::Never || self.index % STATUSES.len() < COUNTED
    }

    /// The generation that `task`, as a reader listed it, is a version of;
    /// else what gives it away as no version the writer wrote. `output` may
    /// be the text or (to keep a listing small) its length.
    pub fn generation_in(&self, task: &Value) -> Result<u64, String> {
        let id = &self.id;
        let first = match self.layout {
            Layout::Fixture => task["priority"].as_u64(),
            Layout::Backend => generation_named(&task["command"]),
        };
        let g = first.ok_or_else(|| format!("{id}: no generation at its start"))?;
        if self.rewrite == Rewrite::Never && g != 0 {
            return Err(format!("{id}: never rewritten, yet read as generation {g}"));
        }
        let last = generation_named(&task["name"]);
        if last != Some(g) {
            return Err(format!("{id}: torn: generation {g} at its start, name {} at its end", task["name"]));
        }
        let output_len = match &task["output"] {
            Value::String(text) => text.len() as u64,
            other => other.as_u64().unwrap_or(u64::MAX),
        };
        if output_len != self.output_len(g) as u64 {
            return Err(format!("{id}: torn: output of {output_len} bytes, generation {g} has {}", self.output_len(g)));
        }
        let status = task["status"].as_str().unwrap_or_default();
        if !status.eq_ignore_ascii_case(&self.status(g)) {
            return Err(format!("{id}: status {status:?}, generation {g} has {:?}", self.status(g)));
        }
        if self.layout == Layout::Backend && task["priority"].as_u64() != Some(self.index as u64) {
            return Err(format!("{id}: priority {} is not its queue entry's", task["priority"]));
        }
        Ok(g)
    }
}

/// `N` from `"gen-N"`.
fn generation_named(value: &Value) -> Option<u64> {
    value.as_str()?.strip_prefix("gen-")?.parse().ok()
}

/// Version `v` of `status.json`: pending and running both say `v`, one at
/// each end, and a note in between changes its length.
pub fn status_text(v: u64) -> String {
    let note = "n".repeat(100 + (v as usize * 389) % 2000);
    format!(
        r#"{{"tasks_pending": {v}, "running": true, "note": "{note}", "last_check": "{CREATED_AT}", "tasks_running": {v}}}"#
    )
}

/// The version of `status.json` that a status report (`--format json`,
/// read from the file) shows; else why it shows none.
pub fn status_version(report: &Value) -> Result<u64, String> {
    let (pending, running) = (report["tasks_pending"].as_u64(), report["tasks_running"].as_u64());
    match (pending, running) {
        (Some(p), Some(r)) if p == r => Ok(p),
        _ => Err(format!("torn status.json: tasks_pending {pending:?}, tasks_running {running:?}")),
    }
}

/// Writes generation 0 of every file into `dir`, and of `status.json`
/// when `with_status`.
pub fn populate(dir: &Path, with_status: bool) {
    let mut files: Vec<(String, String)> = Vec::new();
    for task in live_tasks() {
        files.push((task.path(), task.text(0)));
        files.extend(task.queue_entry());
    }
    if with_status {
        files.push(("status.json".to_string(), status_text(0)));
    }
    for (rel, text) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}
