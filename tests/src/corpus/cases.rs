//! The case files of a corpus directory, and the names that reports and
//! known-miss lists call them by.

use std::path::{Path, PathBuf};

/// The files ending in `.{ext}` directly in `root/sub`, sorted (`lib/`
/// and other subdirectories hold no cases).
pub fn files(root: &Path, sub: &str, ext: &str) -> Vec<PathBuf> {
    let dir = root.join(sub);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|x| x == ext))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .{ext} cases in {}", dir.display());
    files
}

/// A case's name: its path below the corpus root (`invalid/017_unclosed_list_eof.k`).
pub fn name(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}
