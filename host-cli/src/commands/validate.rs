//! `orch validate`

use std::path::{Path, PathBuf};

use crate::args::{Format, GlobalArgs, ValidateArgs};
use crate::commands::{CliError, runtime};
use crate::render;

pub fn run(global: &GlobalArgs, args: &ValidateArgs) -> Result<(), CliError> {
    let cwd = std::env::current_dir()?;
    let files = workflow_files(&args.paths, &cwd)?;
    let runtime = runtime(global)?;
    let mut reports = Vec::with_capacity(files.len());
    for file in &files {
        reports.push(runtime.validate(file, args.strict)?);
    }
    let all_valid = reports.iter().all(|r| r.valid);
    match global.format {
        Format::Jsonl => render::output_list(Format::Jsonl, &reports, |_| String::new())?,
        format => render::output(format, &render::diagnostics::Combined::of(&reports), |_| {
            render::diagnostics::text(&reports, &cwd)
        })?,
    }
    if all_valid { Ok(()) } else { Err(CliError::Invalid) }
}

/// Each path as given, or for a directory every `*.k` below it (hidden
/// directories skipped), sorted; all made absolute.
fn workflow_files(paths: &[PathBuf], cwd: &Path) -> Result<Vec<PathBuf>, CliError> {
    let mut files = Vec::new();
    for path in paths {
        let path = cwd.join(path);
        if path.is_dir() {
            let mut found = Vec::new();
            collect_k_files(&path, &mut found)?;
            if found.is_empty() {
                return Err(CliError::Usage(format!("no *.k files under {}", path.display())));
            }
            found.sort();
            files.extend(found);
        } else {
            files.push(path);
        }
    }
    Ok(files)
}

fn collect_k_files(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), CliError> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if entry.file_type()?.is_dir() {
            if !hidden {
                collect_k_files(&path, found)?;
            }
        } else if path.extension().is_some_and(|e| e == "k") && !hidden {
            found.push(path);
        }
    }
    Ok(())
}
