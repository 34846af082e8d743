//! One file's verdict: what `orch validate` reports per file, and the
//! languages and roles a file is checked in.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::Diagnostic;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidationReport {
    /// The file as the caller named it. The component names it relative
    /// to the package directory; the host, which preopened that, as the
    /// caller did.
    pub file: PathBuf,
    /// What it was checked as. The component reports the check it ran (a
    /// typecheck as [`Role::Library`]); the host, which chose the check,
    /// sets the role it asked for.
    pub role: Role,
    /// No errors; warnings do not count.
    pub valid: bool,
    /// Sorted by position, the entry file first.
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

impl ValidationReport {
    pub fn new(file: impl Into<PathBuf>, role: Role, errors: Vec<Diagnostic>, warnings: Vec<Diagnostic>) -> Self {
        ValidationReport { file: file.into(), role, valid: errors.is_empty(), errors, warnings }
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
