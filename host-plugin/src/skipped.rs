//! The `--skip-invalid` report. A plugin has no warning channel into
//! Nushell, and the files must not be mixed into the output values, so they
//! go to stderr, which Nushell passes through to the terminal.

use orch_runtime::model::FileError;

pub fn warn(command: &str, skipped: &[FileError]) {
    if skipped.is_empty() {
        return;
    }
    let noun = if skipped.len() == 1 { "file" } else { "files" };
    let mut text = format!("warning: {command}: skipped {} invalid {noun}\n", skipped.len());
    for file in skipped {
        text.push_str(&format!("  {file}\n"));
    }
    eprint!("{text}");
}
