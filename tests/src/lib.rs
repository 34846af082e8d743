//! Shared pieces of the end-to-end tests: where the built binaries and the
//! external tools are, fixture data directories, runs of `orch` and checks
//! of what they printed, the real nu with the plugin (`nu`), the queue a
//! live writer rewrites (`live_queue`), the harness of the KCL and Nickel
//! conformance corpora (`corpus`), and the scratch copy of the repository
//! documented examples run in (`scratch_root`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub mod corpus;
pub mod live_queue;
pub mod nu;
pub mod scratch_root;

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// `examples/data`, the data directory the README runs on.
pub fn example_data() -> PathBuf {
    workspace().join("examples/data")
}

/// A binary built by this workspace (`cargo build --workspace --bins`),
/// next to the test executable's `deps/` directory.
pub fn built_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap();
    let path = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(path.is_file(), "{} is not built: run `cargo build --workspace --bins` first", path.display());
    path
}

/// `orch`, with a fixed "now" and a private component cache.
pub fn orch() -> Command {
    let mut cmd = Command::new(built_binary("orch"));
    cmd.env("ORCH_NOW", "2025-10-08T12:00:30Z")
        .env_remove("ORCHESTRATOR_DATA_DIR")
        .env_remove("PROVISIONING")
        .env("ORCH_CACHE_DIR", cache_dir());
    cmd
}

/// One cache for the whole test run, so only the first call compiles.
pub fn cache_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().join("orch-test-cache")
}

/// An external tool named by an environment variable that
/// `scripts/install-tools.sh` sets. A test that calls this carries
/// `#[cfg_attr(not(has_TOOL), ignore = ...)]` (see `build.rs`), so it runs
/// only when the tool was there at build time.
pub fn external_tool(var: &str) -> PathBuf {
    let path = std::env::var_os(var).map(PathBuf::from).filter(|p| p.exists());
    path.unwrap_or_else(|| panic!("${var} does not name an installed tool; run the tests through scripts/test.sh"))
}

/// A scratch data directory with the given files (relative path, contents).
pub fn data_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Copies the directory tree `from` to `to`, creating `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `orch ARGS...` run from `dir`, to its end.
pub fn orch_in(dir: &Path, args: &[&str]) -> Output {
    orch().current_dir(dir).args(args).output().unwrap()
}

/// The stdout of a command that must have succeeded.
pub fn stdout(output: &Output) -> String {
    assert!(output.status.success(), "{:?}: {}", output.status, String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// The stdout and stderr of a command that must have ended with exit
/// code `code`.
pub fn output_on_exit(output: &Output, code: i32) -> (String, String) {
    let (stdout, stderr) = (String::from_utf8(output.stdout.clone()), String::from_utf8(output.stderr.clone()));
    let (stdout, stderr) = (stdout.unwrap(), stderr.unwrap());
    assert_eq!(output.status.code(), Some(code), "stdout:\n{stdout}\nstderr:\n{stderr}");
    (stdout, stderr)
}

/// Asserts that `text` contains each of `parts`.
pub fn assert_contains(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "missing {part:?} in:\n{text}");
    }
}

/// Asserts that `text`, as printed into a pipe, has no styles (escape
/// sequences) and has each of `lines` as a whole line.
pub fn assert_plain_lines(text: &str, lines: &[&str]) {
    assert!(!text.contains('\x1b'), "styles reach a pipe:\n{text}");
    for line in lines {
        assert!(text.lines().any(|l| l == *line), "no line {line:?} in:\n{text}");
    }
}

/// A task file in the fixture layout.
pub fn task_json(id: &str, status: &str, priority: i64, created_at: &str) -> String {
    format!(r#"{{"id": "{id}", "status": "{status}", "priority": {priority}, "created_at": "{created_at}"}}"#)
}

/// A data directory in the backend layout: pending tasks `t00`, `t01`, …,
/// each with a queue entry giving priority `priority(i)` in a file named
/// `entry_name(i, id)` (`<id>` is what the orchestrator writes).
pub fn backend_queue(
    tasks: usize,
    entry_name: impl Fn(usize, &str) -> String,
    priority: impl Fn(usize) -> i64,
) -> tempfile::TempDir {
    let mut files: Vec<(String, String)> = Vec::new();
    for i in 0..tasks {
        let id = format!("t{i:02}");
        let record = format!(r#"{{"id": "{id}", "status": "Pending", "created_at": "2025-10-01T00:00:00Z"}}"#);
        files.push((format!("queue.rkvs/tasks/{id}.json"), record));
        let entry = format!(r#"{{"task_id": "{id}", "priority": {}}}"#, priority(i));
        files.push((format!("queue.rkvs/queue/{}.json", entry_name(i, &id)), entry));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    data_dir(&files)
}

/// `orch ARGS... --help`, as text.
pub fn orch_help(args: &[&str]) -> String {
    let output = orch().args(args).arg("--help").env("NO_COLOR", "1").output().unwrap();
    assert!(output.status.success(), "orch {args:?} --help: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// Every command of `orch`, found as a user finds them, in the `Commands:`
/// list of each `--help` (clap's own `help` left out), as argument paths:
/// `["status"]`, …, `["component", "wasm"]`.
pub fn orch_commands() -> Vec<Vec<String>> {
    fn below(path: &[String], found: &mut Vec<Vec<String>>) {
        let args: Vec<&str> = path.iter().map(String::as_str).collect();
        for name in listed_commands(&orch_help(&args)) {
            let mut sub = path.to_vec();
            sub.push(name);
            found.push(sub.clone());
            below(&sub, found);
        }
    }
    let mut found = Vec::new();
    below(&[], &mut found);
    found
}

/// The names in a help text's `Commands:` list.
fn listed_commands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

/// The long flags a help text lists (`--status`, …), in order: the
/// indented lines that start with a flag, not prose that mentions one.
pub fn help_flags(help: &str) -> Vec<String> {
    help.lines()
        .filter(|line| line.starts_with(' '))
        .map(str::trim_start)
        .filter(|line| line.starts_with('-'))
        .filter_map(|line| line.split([' ', ',', '=']).find(|word| word.starts_with("--")))
        .map(str::to_string)
        .collect()
}
