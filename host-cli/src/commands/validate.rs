//! `orch validate`

use std::path::{Path, PathBuf};

use orch_runtime::validate::{Language, ValidateOptions};

use crate::args::{Format, GlobalArgs, ValidateArgs};
use crate::commands::{CliError, runtime};
use crate::render;

pub fn run(global: &GlobalArgs, args: &ValidateArgs) -> Result<(), CliError> {
    let cwd = std::env::current_dir()?;
    let files = workflow_files(&args.paths, &cwd)?;
    let options = ValidateOptions { strict: args.strict, import_paths: import_paths(&args.import_paths, &cwd) };
    let runtime = runtime(global)?;
    let mut reports = Vec::with_capacity(files.len());
    for file in &files {
        reports.push(runtime.validate(file, &options)?);
    }
    let all_valid = reports.iter().all(|r| r.valid);
    match global.format {
        Format::Jsonl => render::output_list(Format::Jsonl, &reports, |_| String::new())?,
        format => render::output(format, &render::diagnostics::Combined::of(&reports), |_| {
            render::diagnostics::text(&reports, &cwd)
        })?,
    }
    // The process ends next: the OS takes back the instances' memory at once,
    // where dropping them would unmap it piece by piece first.
    std::mem::forget(runtime);
    if all_valid { Ok(()) } else { Err(CliError::Invalid) }
}

/// `--import-path` in order, then `$NICKEL_IMPORT_PATH` (colon-separated),
/// as the `nickel` CLI searches them; all made absolute.
fn import_paths(flags: &[PathBuf], cwd: &Path) -> Vec<PathBuf> {
    let env = std::env::var_os("NICKEL_IMPORT_PATH").unwrap_or_default();
    let from_env = std::env::split_paths(&env).filter(|p| !p.as_os_str().is_empty());
    flags.iter().cloned().chain(from_env).map(|p| cwd.join(p)).collect()
}

/// Each path as given, or for a directory every workflow (`*.k`, `*.ncl`)
/// below it (hidden directories skipped), sorted; all made absolute. A file
/// named directly must be of a language orch validates.
fn workflow_files(paths: &[PathBuf], cwd: &Path) -> Result<Vec<PathBuf>, CliError> {
    let mut files = Vec::new();
    for path in paths {
        let path = cwd.join(path);
        if path.is_dir() {
            let mut found = Vec::new();
            collect_workflows(&path, &mut found)?;
            if found.is_empty() {
                return Err(CliError::Usage(format!("no workflows (*.k, *.ncl) under {}", path.display())));
            }
            found.sort();
            files.extend(found);
        } else if Language::of(&path).is_none() {
            return Err(CliError::Runtime(orch_runtime::Error::NotAWorkflow(path)));
        } else {
            files.push(path);
        }
    }
    Ok(files)
}

fn collect_workflows(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), CliError> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if entry.file_type()?.is_dir() {
            if !hidden {
                collect_workflows(&path, found)?;
            }
        } else if Language::of(&path).is_some() && !hidden {
            found.push(path);
        }
    }
    Ok(())
}
