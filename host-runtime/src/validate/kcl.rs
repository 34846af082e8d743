//! KCL: the validator in the queue's component.

use std::path::{Path, PathBuf};

use super::{guest_relative, package_dir};
use crate::convert;
use crate::error::Error;
use crate::model::{Role, ValidationReport};
use crate::runtime::Runtime;

/// Only the workflow's package directory (the nearest one up holding
/// `kcl.mod`) is preopened.
pub(super) fn validate(runtime: &Runtime, file: &Path, role: Role, strict: bool) -> Result<ValidationReport, Error> {
    let package = package_dir(file, "kcl.mod");
    let rel = guest_relative(file, &package);
    let instances = &runtime.instances;
    let _tokio = crate::wasi::enter_tokio();
    let (mut store, instance) = instances.instantiate(&package)?;
    let result = instance
        .provisioning_orchestrator_workflows()
        .call_validate(&mut store, &rel, strict, instances.limits.max_file_size)
        .map_err(|e| instances.trap(e, &store))?;
    let report = result.map_err(|e| Error::Guest(convert::guest_error(e, &package)))?;
    Ok(convert::validation_report(report, file.to_path_buf(), role, |rel| package.join(rel)))
}

/// The files `file` imports, directly or through others, on the host.
pub(super) fn imports(runtime: &Runtime, file: &Path) -> Result<Vec<PathBuf>, Error> {
    let package = package_dir(file, "kcl.mod");
    let rel = guest_relative(file, &package);
    let instances = &runtime.instances;
    let _tokio = crate::wasi::enter_tokio();
    let (mut store, instance) = instances.instantiate(&package)?;
    let result = instance
        .provisioning_orchestrator_workflows()
        .call_imports(&mut store, &rel, instances.limits.max_file_size)
        .map_err(|e| instances.trap(e, &store))?;
    let files = result.map_err(|e| Error::Guest(convert::guest_error(e, &package)))?;
    Ok(files.iter().map(|rel| package.join(rel)).collect())
}
