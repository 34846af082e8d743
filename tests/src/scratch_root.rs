//! A scratch copy of what documented examples touch in the repository's
//! root (`examples/data`, `examples/workflows`, `tests/kcl`), with a home
//! directory of its own, so that the examples' own writes and the changes
//! a watch example waits for stay in it. The examples of `--help`
//! (`cli_help.rs`) and of the README (`readme.rs`) run here.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use crate::{built_binary, cache_dir, copy_dir, workspace};

/// The task a writer keeps changing while a watch example runs.
const CHANGED_TASK: &str = "examples/data/tasks/task-006.json";

/// How long a watch example may take to report a change.
const WATCH_TIMEOUT: Duration = Duration::from_secs(60);

pub struct ScratchRoot {
    dir: tempfile::TempDir,
}

impl ScratchRoot {
    #[expect(clippy::new_without_default, reason = "it copies part of the repository: no default")]
    pub fn new() -> ScratchRoot {
        let dir = tempfile::tempdir().unwrap();
        for part in ["examples/data", "examples/workflows", "tests/kcl"] {
            copy_dir(&workspace().join(part), &dir.path().join(part));
        }
        std::fs::create_dir(dir.path().join("home")).unwrap();
        ScratchRoot { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `~` in an example.
    pub fn home(&self) -> PathBuf {
        self.path().join("home")
    }

    /// `bash -c EXAMPLE` (with `pipefail`) here, with the built `orch` first
    /// on `PATH`, its own process group (see [`stop`]), the test run's
    /// component cache, and nothing of the user's data directory or home.
    pub fn bash(&self, example: &str) -> Command {
        let bin = built_binary("orch");
        let path = format!("{}:{}", bin.parent().unwrap().display(), std::env::var("PATH").unwrap_or_default());
        let mut cmd = Command::new("bash");
        cmd.arg("-c")
            .arg(format!("set -o pipefail\n{example}"))
            .current_dir(self.path())
            .env("PATH", path)
            .env("HOME", self.home())
            .env("ORCH_CACHE_DIR", cache_dir())
            .env("NO_COLOR", "1")
            .env_remove("ORCHESTRATOR_DATA_DIR")
            .env_remove("PROVISIONING")
            .env_remove("ORCH_NOW");
        cmd.process_group(0);
        cmd
    }

    /// Changes one task of `examples/data` as a writer would, its status
    /// flipped between pending and failed every 300 ms, until `done` gives
    /// an answer or [`WATCH_TIMEOUT`] passes (`None`); then puts the task
    /// back.
    pub fn while_a_writer_changes<T>(&self, mut done: impl FnMut() -> Option<T>) -> Option<T> {
        let task = self.path().join(CHANGED_TASK);
        let original = std::fs::read_to_string(&task).unwrap();
        assert!(original.contains("\"pending\""), "{CHANGED_TASK} is no longer pending");
        let start = Instant::now();
        let mut failed = false;
        let answer = loop {
            if start.elapsed() > WATCH_TIMEOUT {
                break None;
            }
            failed = !failed;
            let status = if failed { "\"failed\"" } else { "\"pending\"" };
            replace(&task, &original.replace("\"pending\"", status));
            std::thread::sleep(Duration::from_millis(300));
            if let Some(answer) = done() {
                break Some(answer);
            }
        };
        replace(&task, &original);
        answer
    }
}

/// Ends a child started by [`ScratchRoot::bash`] (or with
/// `process_group(0)`) and what it started, if it still runs.
pub fn stop(child: &mut Child) {
    if child.try_wait().unwrap().is_none() {
        // The child's own process group, by its id.
        let group = format!("-{}", child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = child.wait();
    }
}

/// Writes `path` anew as a careful writer does, through a rename, so that
/// no reader ever sees it half written.
fn replace(path: &Path, text: &str) {
    let temp = path.with_extension("json.tmp");
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, path).unwrap();
}
