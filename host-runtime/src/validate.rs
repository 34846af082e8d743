//! `Runtime::validate`: one KCL workflow, in a sandbox that sees only its
//! package directory.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::bindings::exports::provisioning::orchestrator::workflows as wit;
use crate::convert;
use crate::error::Error;
use crate::runtime::Runtime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One finding. `file` is on the host; lines and columns are 1-based and
/// count characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub code: String,
    pub message: String,
    pub hint: Option<String>,
    pub severity: Severity,
    /// The text of `line`, for renderers.
    #[serde(skip)]
    pub source_line: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidationReport {
    /// The workflow as the caller named it.
    pub file: PathBuf,
    pub valid: bool,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

impl Runtime {
    /// Validates the KCL workflow at `file` and what it imports. Only the
    /// workflow's package directory is preopened.
    pub fn validate(&self, file: &Path, strict: bool) -> Result<ValidationReport, Error> {
        let package = package_dir(file);
        let rel = file.strip_prefix(&package).unwrap_or(file);
        let rel = rel.to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/");
        let _tokio = crate::wasi::enter_tokio();
        let (mut store, instance) = self.instances.instantiate(&package)?;
        let max = self.limits().max_file_size;
        let result = instance
            .provisioning_orchestrator_workflows()
            .call_validate(&mut store, &rel, strict, max)
            .map_err(|e| self.instances.trap(e, &store))?;
        let report = result.map_err(|e| Error::Guest(convert::guest_error(e, &package)))?;
        let diagnostics = |list: Vec<wit::Diagnostic>| list.into_iter().map(|d| diagnostic(d, &package)).collect();
        Ok(ValidationReport {
            file: file.to_path_buf(),
            valid: report.valid,
            errors: diagnostics(report.errors),
            warnings: diagnostics(report.warnings),
        })
    }
}

/// The workflow's package: the nearest directory up from the file that
/// holds `kcl.mod`, else the file's own directory. This decides what the
/// sandbox may see, so it is the host's to find.
pub fn package_dir(file: &Path) -> PathBuf {
    let own = file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
    own.ancestors()
        .filter(|dir| !dir.as_os_str().is_empty())
        .find(|dir| dir.join("kcl.mod").is_file())
        .map_or(own.clone(), Path::to_path_buf)
}

fn diagnostic(d: wit::Diagnostic, package: &Path) -> Diagnostic {
    Diagnostic {
        file: package.join(&d.file),
        line: d.line,
        column: d.column,
        end_line: d.end_line,
        end_column: d.end_column,
        code: d.code,
        message: d.message,
        hint: d.hint,
        severity: match d.severity {
            wit::Severity::Error => Severity::Error,
            wit::Severity::Warning => Severity::Warning,
        },
        source_line: d.source_line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_is_the_nearest_kcl_mod_up() {
        let root = tempfile::tempdir().unwrap();
        let deep = root.path().join("pkg/flows/deploy");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(root.path().join("pkg/kcl.mod"), "[package]\n").unwrap();
        assert_eq!(package_dir(&deep.join("main.k")), root.path().join("pkg"));
        let loose = root.path().join("loose");
        std::fs::create_dir_all(&loose).unwrap();
        assert_eq!(package_dir(&loose.join("main.k")), loose);
    }
}
