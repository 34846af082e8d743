//! The `--skip-invalid` report. A plugin has no warning channel into
//! Nushell, and the files must not be mixed into the output values, so they
//! go to stderr, which Nushell passes through to the terminal.

use orch_runtime::model::{FileError, SkippedFiles};

pub fn warn(command: &str, skipped: &[FileError]) {
    if skipped.is_empty() {
        return;
    }
    let text = format!("warning: {command}: {}", SkippedFiles(skipped));
    eprint!("{text}");
}
