//! Nickel's import search path as the `nickel` CLI builds it: the
//! `--import-path` directories in order, then those of
//! `$NICKEL_IMPORT_PATH`. Both hosts resolve it here; each reads the
//! variable from its own environment (the process's for `orch`, the
//! Nushell session's for the plugin).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// The variable Nickel reads further import directories from.
pub const VAR: &str = "NICKEL_IMPORT_PATH";

/// `flags` in order, then the entries of `var` (the variable's value, split
/// as the platform splits `PATH`: at `:` on Unix), empty entries skipped;
/// relative ones taken against `cwd`.
pub fn resolve(flags: &[PathBuf], var: Option<&OsStr>, cwd: &Path) -> Vec<PathBuf> {
    let from_var = var.into_iter().flat_map(std::env::split_paths).filter(|p| !p.as_os_str().is_empty());
    flags.iter().cloned().chain(from_var).map(|p| cwd.join(p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(list: &[&str]) -> Vec<PathBuf> {
        list.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn flags_come_first_then_the_variable_in_its_order() {
        let var = std::env::join_paths(["/env/a", "env/b"]).unwrap();
        let found = resolve(&paths(&["flag/x", "/flag/y"]), Some(&var), Path::new("/cwd"));
        assert_eq!(found, paths(&["/cwd/flag/x", "/flag/y", "/env/a", "/cwd/env/b"]));
    }

    #[cfg(unix)]
    #[test]
    fn empty_entries_of_the_variable_are_skipped() {
        let found = resolve(&[], Some(OsStr::new("::a::b:")), Path::new("/cwd"));
        assert_eq!(found, paths(&["/cwd/a", "/cwd/b"]));
        assert_eq!(resolve(&[], Some(OsStr::new("")), Path::new("/cwd")), Vec::<PathBuf>::new());
    }

    #[test]
    fn unset_is_only_the_flags() {
        assert_eq!(resolve(&paths(&["s"]), None, Path::new("/cwd")), paths(&["/cwd/s"]));
    }
}
