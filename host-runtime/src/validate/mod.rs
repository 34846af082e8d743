//! Validation: one workflow, in a sandbox that sees only its
//! package directory (and, for Nickel, its import paths). The file's
//! extension picks the language, and so the component: `.k` goes to the
//! queue's component, which carries the KCL validator, `.ncl` to the Nickel
//! engine's own.
//!
//! The workflow set (`set`): the paths a user names, a directory standing for the workflows and libraries below it,
//! each with the [`Role`] it is checked in (see `set`). The reports are
//! the model's records.
//!
//! [`crate::Runtime`] hands out these calls; they take only what they use,
//! a [`Validator`]: the engine under the call's limits and the warm Nickel
//! instance.

mod kcl;
mod nickel;
mod set;

pub(crate) use nickel::WarmNickel;

use std::path::{Path, PathBuf};

use crate::engine::Limited;
use crate::error::Error;
use crate::model::{Language, Role, ValidationReport};

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

/// What a validation runs on.
#[derive(Clone, Copy)]
pub(crate) struct Validator<'a> {
    pub limited: Limited<'a>,
    pub nickel: &'a WarmNickel,
}

impl Validator<'_> {
    /// See [`crate::Runtime::validate_as`].
    pub fn validate_as(&self, file: &Path, role: Role, options: &ValidateOptions) -> Result<ValidationReport, Error> {
        let limited = self.limited;
        match (Language::of(file), role) {
            (Some(Language::Kcl), Role::Workflow) => kcl::validate(limited, file, role, options.strict),
            // A KCL library is checked as without --strict; KCL has no manifest of its own.
            (Some(Language::Kcl), Role::Library | Role::Manifest) => kcl::validate(limited, file, role, false),
            (Some(Language::Nickel), Role::Workflow) => nickel::validate(self, file, options),
            (Some(Language::Nickel), Role::Library | Role::Manifest) => nickel::typecheck(self, file, role, options),
            (None, _) => Err(Error::NotAWorkflow(file.to_path_buf())),
        }
    }

    /// See [`crate::Runtime::validate_paths`].
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_is_the_nearest_kcl_mod_up() {
        let root = tempfile::tempdir().unwrap();
        let at = |rel: &str| root.path().join(rel);
        std::fs::create_dir_all(at("pkg/flows/deploy")).unwrap();
        std::fs::create_dir_all(at("loose")).unwrap();
        std::fs::write(at("pkg/kcl.mod"), "[package]\n").unwrap();
        assert_eq!(package_dir(&at("pkg/flows/deploy/main.k"), "kcl.mod"), at("pkg"));
        assert_eq!(package_dir(&at("loose/main.k"), "kcl.mod"), at("loose"));
    }
}
