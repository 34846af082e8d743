//! [`Sources`] of one workflow file given as text, for a file judged on
//! its own where there is no directory to read it from (tests, fuzzing):
//! every other path is not found, and no folder has files.

use super::Sources;
use crate::error::{FileError, FileErrorKind};

#[derive(Debug, Clone)]
pub struct TextSource {
    path: String,
    text: String,
}

impl TextSource {
    /// The file at `path` (relative to the package root) holding `text`.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        TextSource { path: path.into(), text: text.into() }
    }
}

impl Sources for TextSource {
    fn read(&self, path: &str) -> Result<String, FileError> {
        if path == self.path {
            Ok(self.text.clone())
        } else {
            Err(FileError::new(path, FileErrorKind::NotFound, "no such file"))
        }
    }

    fn list_k_files(&self, _dir: &str) -> Result<Vec<String>, FileError> {
        Ok(Vec::new())
    }
}
