//! `orch validate`

use std::path::{Path, PathBuf};

use orch_runtime::validate::ValidateOptions;

use crate::args::{Format, GlobalArgs, ValidateArgs};
use crate::commands::{CliError, runtime};
use crate::render;

pub fn run(global: &GlobalArgs, args: &ValidateArgs) -> Result<(), CliError> {
    let cwd = std::env::current_dir()?;
    // Made absolute; which files a directory stands for, and the role of
    // each (workflow, library, manifest), is the runtime's to say.
    let paths: Vec<PathBuf> = args.paths.iter().map(|p| cwd.join(p)).collect();
    let options = ValidateOptions { strict: args.strict, import_paths: import_paths(&args.import_paths, &cwd) };
    let runtime = runtime(global)?;
    let reports = runtime.validate_paths(&paths, &options)?;
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
