//! Nickel: the engine's own component, loaded by the first `.ncl` file.
//!
//! Preparing Nickel's standard library is most of a cold check. With a
//! cache directory every instance starts with it prepared (a snapshot, see
//! `crate::prepared`); the runtime also keeps the last instance for the
//! next call that needs the same preopens, so that a long-lived host (the
//! plugin) pays for neither an instance nor the library again, only for the
//! check itself; and when nothing that check read has changed, the guest
//! hands back its last verdict without evaluating (its `nickel::memo`).
//! A trap drops it.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use wasmtime::Store;

use super::{ValidateOptions, Validator, guest_relative, package_dir};
use crate::bindings::exports::provisioning::orchestrator::diagnostics as wit;
use crate::bindings::nickel::NickelValidator;
use crate::convert;
use crate::error::Error;
use crate::model::{FileError, FileErrorKind, QueryError, Role, ValidationReport};
use crate::slot::Instance;
use crate::wasi::{GUEST_ROOT, HostState};

/// The last Nickel instance, and what its store was made for.
#[derive(Default)]
pub(crate) struct WarmNickel(Mutex<Option<Warm>>);

struct Warm {
    /// The directories its sandbox preopens.
    preopens: Vec<PathBuf>,
    /// Its store's memory cap, fixed when the store was made.
    memory_bytes: usize,
    instance: Instance<NickelValidator>,
}

/// The package directory (the nearest one up holding `Nickel-pkg.ncl`) and
/// each import path are preopened, read-only; nothing else is.
pub(super) fn validate(
    validator: &Validator<'_>,
    file: &Path,
    options: &ValidateOptions,
) -> Result<ValidationReport, Error> {
    report(validator, file, Role::Workflow, options, |nickel, store, rel, imports, max| {
        nickel.call_validate(store, rel, imports, options.strict, max)
    })
}

/// As `nickel typecheck`: for a library or the manifest (`role`).
pub(super) fn typecheck(
    validator: &Validator<'_>,
    file: &Path,
    role: Role,
    options: &ValidateOptions,
) -> Result<ValidationReport, Error> {
    report(validator, file, role, options, |nickel, store, rel, imports, max| {
        nickel.call_typecheck(store, rel, imports, max)
    })
}

/// The Nickel files `file` imports, directly or through others, on the
/// host; none when it is no file.
pub(super) fn imports(
    validator: &Validator<'_>,
    file: &Path,
    options: &ValidateOptions,
) -> Result<Vec<PathBuf>, Error> {
    if !file.is_file() {
        return Ok(Vec::new());
    }
    let (names, package) = call(validator, file, options, |nickel, store, rel, imports, max| {
        nickel.call_imports(store, rel, imports, max)
    })?;
    Ok(names.iter().map(|guest| host_path(guest, &package, &options.import_paths)).collect())
}

type Nickel = crate::bindings::nickel::exports::provisioning::orchestrator::nickel::Guest;

/// A call that reports on `file`; a missing file is the caller's error.
fn report(
    validator: &Validator<'_>,
    file: &Path,
    role: Role,
    options: &ValidateOptions,
    f: impl FnOnce(&Nickel, &mut Store<HostState>, &str, &[String], u64) -> wasmtime::Result<wit::ValidationReport>,
) -> Result<ValidationReport, Error> {
    if !file.is_file() {
        // What the KCL validator says of a missing file, rather than a
        // sandbox that cannot open a missing package directory.
        let message = if file.exists() { "not a regular file" } else { "no such file or directory" };
        let kind = if file.exists() { FileErrorKind::NotAFile } else { FileErrorKind::NotFound };
        return Err(Error::Guest(QueryError::File(FileError::new(file, kind, message))));
    }
    let (report, package) = call(validator, file, options, f)?;
    let host_path = |guest: &str| host_path(guest, &package, &options.import_paths);
    Ok(convert::validation_report(report, file.to_path_buf(), role, host_path))
}

/// Calls the Nickel component on `file`, in the warm instance when its
/// preopens are the same; hands back the package directory too.
fn call<R>(
    validator: &Validator<'_>,
    file: &Path,
    options: &ValidateOptions,
    f: impl FnOnce(&Nickel, &mut Store<HostState>, &str, &[String], u64) -> wasmtime::Result<R>,
) -> Result<(R, PathBuf), Error> {
    let package = package_dir(file, "Nickel-pkg.ncl");
    let rel = guest_relative(file, &package);
    let guest_imports: Vec<String> = (0..options.import_paths.len()).map(|i| format!("/import/{i}")).collect();
    let preopens: Vec<PathBuf> = std::iter::once(package.clone()).chain(options.import_paths.iter().cloned()).collect();

    let limited = validator.limited;
    let memory_bytes = limited.limits.memory_bytes;
    let mut slot = validator.nickel.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut warm = match slot.take() {
        Some(warm) if warm.preopens == preopens && warm.memory_bytes == memory_bytes => warm,
        _ => {
            let pre = limited.engine.nickel()?;
            let guest = std::iter::once(GUEST_ROOT).chain(guest_imports.iter().map(String::as_str));
            let mapping: Vec<(&Path, &str)> = preopens.iter().map(PathBuf::as_path).zip(guest).collect();
            let mut store = limited.store_with(&mapping)?;
            let bindings = limited.run(&mut store, |store| pre.instantiate(store))?;
            Warm { preopens, memory_bytes, instance: Instance { store, bindings } }
        }
    };
    let max = limited.limits.max_file_size;
    // A trap poisons the store: the instance goes with it.
    let result = warm.instance.call(limited, |nickel, store| {
        f(nickel.provisioning_orchestrator_nickel(), store, &rel, &guest_imports, max)
    })?;
    *slot = Some(warm);
    Ok((result, package))
}

/// The guest names a file relative to the package directory, or as
/// `import-path:N/…` under the N-th import path.
fn host_path(guest: &str, package: &Path, import_paths: &[PathBuf]) -> PathBuf {
    let imported = guest.strip_prefix("import-path:").and_then(|rest| {
        let (index, rel) = rest.split_once('/')?;
        Some(import_paths.get(index.parse::<usize>().ok()?)?.join(rel))
    });
    imported.unwrap_or_else(|| package.join(guest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guest_paths_map_back_to_the_host() {
        let imports = [PathBuf::from("/opt/lib"), PathBuf::from("/srv/shared")];
        let package = Path::new("/work/flows");
        assert_eq!(host_path("deploy.ncl", package, &imports), package.join("deploy.ncl"));
        assert_eq!(host_path("import-path:1/c.ncl", package, &imports), PathBuf::from("/srv/shared/c.ncl"));
        // An index the host never gave stays in the package, where it cannot mislead.
        assert_eq!(host_path("import-path:7/c.ncl", package, &imports), package.join("import-path:7/c.ncl"));
    }
}
