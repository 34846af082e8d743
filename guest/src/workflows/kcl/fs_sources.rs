//! [`Sources`] over a directory on disk (natively, or the preopen inside
//! the component), built on [`DataDir`] so size limits and error naming
//! are the same as for every other file the orchestrator reads.

use super::Sources;
use crate::error::{FileError, FileErrorKind};
use crate::fs::{DEFAULT_MAX_FILE_SIZE, DataDir};

/// Workflow files bigger than this are refused (KCL files are small; the
/// limit keeps a mistaken path from loading a huge file).
pub const MAX_KCL_FILE_SIZE: u64 = DEFAULT_MAX_FILE_SIZE;

#[derive(Debug, Clone)]
pub struct FsSources {
    dir: DataDir,
    max_file_size: u64,
}

impl FsSources {
    pub fn new(root: impl Into<std::path::PathBuf>) -> Self {
        FsSources { dir: DataDir::new(root), max_file_size: MAX_KCL_FILE_SIZE }
    }

    pub fn with_max_file_size(mut self, max: u64) -> Self {
        self.max_file_size = max;
        self
    }
}

impl Sources for FsSources {
    fn read(&self, path: &str) -> Result<String, FileError> {
        let bytes = self.dir.read(path, self.max_file_size)?;
        String::from_utf8(bytes).map_err(|_| FileError::new(path, FileErrorKind::Malformed, "file is not valid UTF-8"))
    }

    fn list_k_files(&self, dir: &str) -> Result<Vec<String>, FileError> {
        let full = self.dir.root().join(dir);
        let entries = match std::fs::read_dir(&full) {
            Ok(entries) => entries,
            Err(e) if matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory) => {
                return Ok(Vec::new());
            }
            Err(e) => return Err(FileError::from_io(dir, &e)),
        };
        let mut files = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| FileError::from_io(dir, &e))?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if name.starts_with('.') || !name.ends_with(".k") || name.ends_with("_test.k") {
                continue;
            }
            let is_file = std::fs::metadata(entry.path()).map(|m| m.is_file()).unwrap_or(false);
            if is_file {
                files.push(if dir.is_empty() {
                    name.to_string()
                } else {
                    format!("{}/{name}", dir.trim_end_matches('/'))
                });
            }
        }
        files.sort();
        Ok(files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_k_files_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("pkg")).unwrap();
        for name in ["b.k", "a.k", "notes.txt", "a_test.k"] {
            std::fs::write(dir.path().join("pkg").join(name), "x = 1\n").unwrap();
        }
        let sources = FsSources::new(dir.path());
        assert_eq!(sources.list_k_files("pkg").unwrap(), ["pkg/a.k", "pkg/b.k"]);
        assert!(sources.list_k_files("missing").unwrap().is_empty());
        assert_eq!(sources.read("pkg/a.k").unwrap(), "x = 1\n");
    }
}
