//! One run of a reference script (`tests/kcl/kcl_reference.py`,
//! `tests/nickel/nickel_reference.py`, ...) over many files: the paths go
//! in through a list file (`@LIST`), one JSON record per path comes out,
//! each with its `path` as given.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `command` (the interpreter and script, with any options) on
/// `paths`, the list written to `scratch`, and returns the records by
/// path. A test's failure if the script fails or skips a path.
pub fn run(mut command: Command, paths: &[&Path], scratch: &Path) -> HashMap<PathBuf, serde_json::Value> {
    // Named after the script: the differential tests may share a kept scratch directory.
    let script = command.get_args().next().and_then(|a| Path::new(a).file_name()).unwrap_or_default();
    let list = scratch.join(format!("{}.paths.txt", script.to_string_lossy()));
    let lines: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    std::fs::write(&list, lines.join("\n")).unwrap();
    let shown = format!("{command:?}");
    let output =
        command.arg(format!("@{}", list.display())).output().unwrap_or_else(|e| panic!("running {shown}: {e}"));
    assert!(
        output.status.success(),
        "{shown} failed: {}\n(is the reference installed? see tests/CORPORA.md)",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut records = HashMap::new();
    for line in String::from_utf8(output.stdout).unwrap().lines() {
        let record: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{shown} printed {line:?}: {e}"));
        let path = record["path"].as_str().unwrap_or_else(|| panic!("{shown}: no path in {line}"));
        records.insert(PathBuf::from(path), record);
    }
    let missing: Vec<&&Path> = paths.iter().filter(|p| !records.contains_key(**p)).collect();
    assert!(missing.is_empty(), "{shown} judged {} of {} files; not {missing:?}", records.len(), paths.len());
    records
}
