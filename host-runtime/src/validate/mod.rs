//! `Runtime::validate`: one workflow, in a sandbox that sees only its
//! package directory (and, for Nickel, its import paths). The file's
//! extension picks the language, and so the component: `.k` goes to the
//! queue's component, which carries the KCL validator, `.ncl` to the Nickel
//! engine's own.
//!
//! `Runtime::workflow_set` and `Runtime::validate_paths`: the paths a user
//! names, a directory standing for the workflows and libraries below it,
//! each with the [`Role`] it is checked in (see `set`).

mod kcl;
mod nickel;
mod set;

pub(crate) use nickel::WarmNickel;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::Error;
use crate::runtime::Runtime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A place that explains a finding, such as the contract a value broke.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    pub file: PathBuf,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub message: String,
    #[serde(skip)]
    pub source_line: String,
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
    pub related: Vec<Related>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidationReport {
    /// The workflow as the caller named it.
    pub file: PathBuf,
    /// What it was checked as.
    pub role: Role,
    pub valid: bool,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

/// The workflow languages, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Kcl,
    Nickel,
}

impl Language {
    pub const ACCEPTED: &str = "KCL (*.k) or Nickel (*.ncl)";

    pub fn of(path: &Path) -> Option<Language> {
        match path.extension()?.to_str()? {
            "k" => Some(Language::Kcl),
            "ncl" => Some(Language::Nickel),
            _ => None,
        }
    }
}

/// What a file is checked as. A file named on its own is a workflow; in a
/// directory, a file that another file of the set imports is a library, and
/// `Nickel-pkg.ncl` is the package manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Checked whole: KCL parsed and checked (with `strict`, evaluated),
    /// Nickel exported as `nickel export` does.
    Workflow,
    /// Imported by another file of the set, and judged whole through it;
    /// alone only as far as it can be without its importers: KCL checked
    /// without `strict` (syntax, and the other checks as warnings), Nickel
    /// parsed and typechecked as `nickel typecheck` does, never exported.
    Library,
    /// `Nickel-pkg.ncl`, the Nickel package manifest: parsed and
    /// typechecked, never exported.
    Manifest,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Workflow => "workflow",
            Role::Library => "library",
            Role::Manifest => "manifest",
        }
    }
}

/// The file that makes a directory a Nickel package.
pub const NICKEL_MANIFEST: &str = "Nickel-pkg.ncl";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidateOptions {
    /// The checks beyond the language's own verdict (names, schemas and
    /// the task graph) are errors rather than warnings.
    pub strict: bool,
    /// Nickel's import search paths, in order (`--import-path`, then
    /// `$NICKEL_IMPORT_PATH`); each is preopened read-only.
    pub import_paths: Vec<PathBuf>,
}

impl Runtime {
    /// Validates the workflow at `file` and what it imports.
    pub fn validate(&self, file: &Path, options: &ValidateOptions) -> Result<ValidationReport, Error> {
        self.validate_as(file, Role::Workflow, options)
    }

    /// Checks `file` in `role` (see [`Role`]): a workflow whole, a library
    /// or the manifest only as far as it stands alone.
    pub fn validate_as(&self, file: &Path, role: Role, options: &ValidateOptions) -> Result<ValidationReport, Error> {
        let report = match (Language::of(file), role) {
            (Some(Language::Kcl), Role::Workflow) => kcl::validate(self, file, options.strict),
            // A KCL library is checked as without --strict; KCL has no manifest of its own.
            (Some(Language::Kcl), Role::Library | Role::Manifest) => kcl::validate(self, file, false),
            (Some(Language::Nickel), Role::Workflow) => nickel::validate(self, file, options),
            (Some(Language::Nickel), Role::Library | Role::Manifest) => nickel::typecheck(self, file, options),
            (None, _) => Err(Error::NotAWorkflow(file.to_path_buf())),
        }?;
        Ok(ValidationReport { role, ..report })
    }

    /// Checks every file of [`Runtime::workflow_set`], in its order, each in its role.
    pub fn validate_paths(&self, paths: &[PathBuf], options: &ValidateOptions) -> Result<Vec<ValidationReport>, Error> {
        self.workflow_set(paths, options)?.iter().map(|(file, role)| self.validate_as(file, *role, options)).collect()
    }
}

/// The nearest directory up from `file` that holds `marker`, else the
/// file's own directory. This decides what the sandbox may see, so it is
/// the host's to find.
fn package_dir(file: &Path, marker: &str) -> PathBuf {
    let own = file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
    own.ancestors()
        .filter(|dir| !dir.as_os_str().is_empty())
        .find(|dir| dir.join(marker).is_file())
        .map_or(own.clone(), Path::to_path_buf)
}

/// `file`, relative to `package`, as the guest names it.
fn guest_relative(file: &Path, package: &Path) -> String {
    let rel = file.strip_prefix(package).unwrap_or(file);
    rel.to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/")
}

/// The WIT report of either component, with its files put back on the
/// host. Both worlds generate their own copy of the `diagnostics` types.
macro_rules! from_wit_report {
    ($wit:path, $report:expr, $file:expr, $host_path:expr) => {{
        use $wit as wit;
        let host_path = $host_path;
        let severity = |s: wit::Severity| match s {
            wit::Severity::Error => $crate::validate::Severity::Error,
            wit::Severity::Warning => $crate::validate::Severity::Warning,
        };
        let diagnostic = |d: wit::Diagnostic| $crate::validate::Diagnostic {
            file: host_path(&d.file),
            line: d.line,
            column: d.column,
            end_line: d.end_line,
            end_column: d.end_column,
            code: d.code,
            message: d.message,
            hint: d.hint,
            severity: severity(d.severity),
            source_line: d.source_line,
            related: d
                .related
                .into_iter()
                .map(|r| $crate::validate::Related {
                    file: host_path(&r.file),
                    line: r.line,
                    column: r.column,
                    end_line: r.end_line,
                    end_column: r.end_column,
                    message: r.message,
                    source_line: r.source_line,
                })
                .collect(),
        };
        let report: wit::ValidationReport = $report;
        $crate::validate::ValidationReport {
            file: $file,
            role: $crate::validate::Role::Workflow,
            valid: report.valid,
            errors: report.errors.into_iter().map(diagnostic).collect(),
            warnings: report.warnings.into_iter().map(diagnostic).collect(),
        }
    }};
}
use from_wit_report;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_is_the_nearest_kcl_mod_up() {
        let root = tempfile::tempdir().unwrap();
        let deep = root.path().join("pkg/flows/deploy");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(root.path().join("pkg/kcl.mod"), "[package]\n").unwrap();
        assert_eq!(package_dir(&deep.join("main.k"), "kcl.mod"), root.path().join("pkg"));
        let loose = root.path().join("loose");
        std::fs::create_dir_all(&loose).unwrap();
        assert_eq!(package_dir(&loose.join("main.k"), "kcl.mod"), loose);
    }
}
