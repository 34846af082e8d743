//! KCL: the validator in the queue's component.

use std::path::{Path, PathBuf};

use super::{guest_relative, package_dir};
use crate::convert;
use crate::engine::Limited;
use crate::error::Error;
use crate::model::{Role, ValidationReport};
use crate::slot::Slot;

/// Only the workflow's package directory (the nearest one up holding
/// `kcl.mod`) is preopened.
pub(super) fn validate(limited: Limited<'_>, file: &Path, role: Role, strict: bool) -> Result<ValidationReport, Error> {
    let package = package_dir(file, "kcl.mod");
    let rel = guest_relative(file, &package);
    let max = limited.limits.max_file_size;
    let result = Slot::Own(None).call(limited, &package, |instance, store| {
        instance.provisioning_orchestrator_kcl().call_validate(store, &rel, strict, max)
    })?;
    let report = result.map_err(|e| Error::Guest(convert::guest_error(e, &package)))?;
    Ok(convert::validation_report(report, file.to_path_buf(), role, |rel| package.join(rel)))
}

/// The files `file` imports, directly or through others, on the host.
pub(super) fn imports(limited: Limited<'_>, file: &Path) -> Result<Vec<PathBuf>, Error> {
    let package = package_dir(file, "kcl.mod");
    let rel = guest_relative(file, &package);
    let max = limited.limits.max_file_size;
    let result = Slot::Own(None).call(limited, &package, |instance, store| {
        instance.provisioning_orchestrator_kcl().call_imports(store, &rel, max)
    })?;
    let files = result.map_err(|e| Error::Guest(convert::guest_error(e, &package)))?;
    Ok(files.iter().map(|rel| package.join(rel)).collect())
}
