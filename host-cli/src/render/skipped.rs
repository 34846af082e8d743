//! The `--skip-invalid` report, on stderr so that stdout stays parseable.

use orch_runtime::model::{FileError, SkippedFiles};

pub fn warn(skipped: &[FileError]) {
    if skipped.is_empty() {
        return;
    }
    let text = format!("warning: {}", SkippedFiles(skipped));
    anstream::eprint!("{text}");
}
