//! Finding the data directory: `--data-dir`, else `$ORCHESTRATOR_DATA_DIR`,
//! else `$PROVISIONING/platform/orchestrator/data`, else
//! `./provisioning/platform/orchestrator/data`. The first one given is
//! used; it is never silently replaced by a later one.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

const SUFFIX: &str = "platform/orchestrator/data";

/// One place the data directory could come from, and what was found there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// How the user names this source: `--data-dir`, `$ORCHESTRATOR_DATA_DIR`, ...
    pub source: &'static str,
    /// `None` when the source was not set.
    pub path: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DataDirError {
    #[error("data directory not found: {}", .path.display())]
    Missing { path: PathBuf, tried: Vec<Candidate> },
    #[error("not a directory: {}", .path.display())]
    NotADirectory { path: PathBuf, tried: Vec<Candidate> },
    #[error("cannot open the data directory {}: {message}", .path.display())]
    Unreadable { path: PathBuf, message: String },
}

impl DataDirError {
    /// The sources that were considered, in order, for a help line.
    pub fn tried(&self) -> &[Candidate] {
        match self {
            DataDirError::Missing { tried, .. } | DataDirError::NotADirectory { tried, .. } => tried,
            DataDirError::Unreadable { .. } => &[],
        }
    }

    /// "tried: --data-dir (not given), $ORCHESTRATOR_DATA_DIR=/x, ..."
    pub fn tried_line(&self) -> Option<String> {
        let tried = self.tried();
        if tried.is_empty() {
            return None;
        }
        let parts: Vec<String> = tried
            .iter()
            .map(|c| match &c.path {
                Some(p) => format!("{} = {}", c.source, p.display()),
                None => format!("{} (not set)", c.source),
            })
            .collect();
        Some(format!("tried, in order: {}", parts.join("; ")))
    }
}

/// Resolves the data directory. `flag` is `--data-dir`; `env` reads the
/// caller's environment (the plugin's is the Nushell engine's); relative
/// paths resolve against `cwd`.
pub fn resolve(
    flag: Option<&Path>,
    env: impl Fn(&str) -> Option<OsString>,
    cwd: &Path,
) -> Result<PathBuf, DataDirError> {
    let set = |v: Option<OsString>| v.filter(|v| !v.is_empty());
    let candidates = [
        Candidate { source: "--data-dir", path: flag.map(Path::to_path_buf) },
        Candidate { source: "$ORCHESTRATOR_DATA_DIR", path: set(env("ORCHESTRATOR_DATA_DIR")).map(PathBuf::from) },
        Candidate {
            source: "$PROVISIONING/platform/orchestrator/data",
            path: set(env("PROVISIONING")).map(|p| PathBuf::from(p).join(SUFFIX)),
        },
        Candidate {
            source: "./provisioning/platform/orchestrator/data",
            path: Some(Path::new("provisioning").join(SUFFIX)),
        },
    ];
    let chosen = candidates.iter().position(|c| c.path.is_some()).expect("the last candidate is always set");
    let path = cwd.join(candidates[chosen].path.as_ref().unwrap());
    let tried = candidates[..=chosen].to_vec();
    match std::fs::metadata(&path) {
        Ok(meta) if meta.is_dir() => Ok(path),
        Ok(_) => Err(DataDirError::NotADirectory { path, tried }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(DataDirError::Missing { path, tried }),
        Err(e) => Err(DataDirError::Unreadable { path, message: e.to_string() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| OsString::from(v))
    }

    #[test]
    fn flag_wins_and_is_relative_to_cwd() {
        let cwd = tempfile::tempdir().unwrap();
        std::fs::create_dir(cwd.path().join("d")).unwrap();
        let got = resolve(Some(Path::new("d")), env(&[("ORCHESTRATOR_DATA_DIR", "/nope")]), cwd.path()).unwrap();
        assert_eq!(got, cwd.path().join("d"));
    }

    #[test]
    fn env_then_provisioning_then_default() {
        let cwd = tempfile::tempdir().unwrap();
        let data = cwd.path().join("p").join(SUFFIX);
        std::fs::create_dir_all(&data).unwrap();
        assert_eq!(resolve(None, env(&[("PROVISIONING", "p")]), cwd.path()).unwrap(), data);
        assert_eq!(resolve(None, env(&[("ORCHESTRATOR_DATA_DIR", "p")]), cwd.path()).unwrap(), cwd.path().join("p"));
        let err = resolve(None, env(&[]), cwd.path()).unwrap_err();
        assert!(matches!(err, DataDirError::Missing { .. }));
        assert_eq!(err.tried().len(), 4);
    }

    #[test]
    fn a_missing_configured_dir_is_not_replaced() {
        let cwd = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(cwd.path().join("provisioning").join(SUFFIX)).unwrap();
        let err = resolve(None, env(&[("ORCHESTRATOR_DATA_DIR", "/does/not/exist")]), cwd.path()).unwrap_err();
        assert_eq!(err.to_string(), "data directory not found: /does/not/exist");
        assert_eq!(
            err.tried_line().unwrap(),
            "tried, in order: --data-dir (not set); $ORCHESTRATOR_DATA_DIR = /does/not/exist"
        );
    }

    #[test]
    fn a_file_is_not_a_data_dir() {
        let cwd = tempfile::tempdir().unwrap();
        std::fs::write(cwd.path().join("f"), "").unwrap();
        let err = resolve(Some(Path::new("f")), env(&[]), cwd.path()).unwrap_err();
        assert!(matches!(err, DataDirError::NotADirectory { .. }));
    }
}
