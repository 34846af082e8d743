//! `orch validate`

use std::path::PathBuf;

use orch_runtime::import_path;
use orch_runtime::validate::ValidateOptions;

use crate::args::{Format, GlobalArgs, ValidateArgs};
use crate::commands::{CliError, runtime};
use crate::render;

pub fn run(global: &GlobalArgs, args: &ValidateArgs) -> Result<(), CliError> {
    let cwd = std::env::current_dir()?;
    // Made absolute; which files a directory stands for, and the role of
    // each (workflow, library, manifest), is the runtime's to say.
    let paths: Vec<PathBuf> = args.paths.iter().map(|p| cwd.join(p)).collect();
    // `--import-path`, then `$NICKEL_IMPORT_PATH`, as the `nickel` CLI searches them.
    let var = std::env::var_os(import_path::VAR);
    let import_paths = import_path::resolve(&args.import_paths, var.as_deref(), &cwd);
    let options = ValidateOptions { strict: args.strict, import_paths };
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
