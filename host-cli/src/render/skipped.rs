//! The `--skip-invalid` report, on stderr so that stdout stays parseable.

use orch_runtime::model::FileError;

pub fn warn(skipped: &[FileError]) {
    if skipped.is_empty() {
        return;
    }
    let noun = if skipped.len() == 1 { "file" } else { "files" };
    let mut text = format!("warning: skipped {} invalid {noun}\n", skipped.len());
    for file in skipped {
        text.push_str(&format!("  {file}\n"));
    }
    anstream::eprint!("{text}");
}
