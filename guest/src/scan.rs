//! Reading the preopened data directory. Everything the component learns
//! about the disk comes through here, so the sandbox's limits are enforced
//! in one place: size caps, file types, and error naming.

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::error::{FileError, FileErrorKind};
use crate::fs_access::{FsAccess, Kind};
use crate::json_listing::JsonListing;

pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanOptions {
    pub skip_invalid: bool,
    pub max_file_size: u64,
    /// The host's wall clock when the call may use the parse cache; `None`
    /// reads every file afresh. See [`crate::parse_cache`].
    pub cache_now: Option<Timestamp>,
    /// The host's word that nothing under the root changed since the call
    /// that saw this same value began; see [`crate::parse_cache`].
    pub fs_epoch: Option<u64>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions { skip_invalid: false, max_file_size: DEFAULT_MAX_FILE_SIZE, cache_now: None, fs_epoch: None }
    }
}

/// What a stat tells about a file's content without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    pub size: u64,
    /// `None` where the filesystem keeps no modification time.
    pub modified: Option<Timestamp>,
}

/// A directory tree addressed by paths relative to its root. In the
/// component the root is the preopen; natively it is any directory.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
    fs: FsAccess,
}

impl DataDir {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        DataDir { fs: FsAccess::new(root.clone()), root }
    }

    /// Reads a whole file, refusing more than `max` bytes. `Ok(None)` when
    /// the file does not exist.
    pub fn read_optional(&self, rel: &str, max: u64) -> Result<Option<Vec<u8>>, FileError> {
        match self.read(rel, max) {
            Err(e) if e.kind == FileErrorKind::NotFound => Ok(None),
            other => other.map(Some),
        }
    }

    /// [`DataDir::read`] for a file named directly, not found in a listing
    /// that vouched for its type: a FIFO or device is refused before it is
    /// opened. Opening a FIFO blocks until a writer comes, and a blocked
    /// host call never reaches the deadline check. One stat more.
    pub fn read_named(&self, rel: &str, max: u64) -> Result<Vec<u8>, FileError> {
        match self.fs.metadata(rel).map_err(|e| FileError::from_io(rel, &e))?.kind {
            Kind::File => self.read(rel, max),
            Kind::Dir => Err(FileError::new(rel, FileErrorKind::NotAFile, "is a directory")),
            Kind::Symlink | Kind::Other => Err(not_a_file(rel.to_string())),
        }
    }

    /// Reads a whole file, refusing more than `max` bytes without reading
    /// past `max + 1`.
    pub fn read(&self, rel: &str, max: u64) -> Result<Vec<u8>, FileError> {
        let buf = self.fs.read(rel, max).map_err(|e| FileError::from_io(rel, &e))?;
        if buf.len() as u64 > max {
            return Err(FileError::new(
                rel,
                FileErrorKind::TooLarge,
                format!("file is larger than the {} limit", human_bytes(max)),
            ));
        }
        Ok(buf)
    }

    /// Size and modification time of a file, following symlinks.
    pub fn stamp(&self, rel: &str) -> Result<FileStamp, FileError> {
        let meta = self.fs.metadata(rel).map_err(|e| FileError::from_io(rel, &e))?;
        Ok(FileStamp { size: meta.size, modified: meta.modified })
    }

    /// The `*.json` files directly inside `rel_dir`, sorted by name, as
    /// paths relative to the root. Dotfiles, other extensions and
    /// subdirectories are ignored; a missing directory holds no files.
    /// Entries that are neither files nor symlinks (FIFOs, devices) are
    /// errors: opening a FIFO would block.
    pub fn json_files(&self, rel_dir: &str) -> Result<Vec<Result<String, FileError>>, FileError> {
        Ok(self.json_listing(rel_dir, None)?.files(self).collect())
    }

    /// [`DataDir::json_files`] as a compact listing, of `shard`'s files only
    /// if given: a shard's share costs no sort of the rest.
    pub fn json_listing(&self, rel_dir: &str, shard: Option<Shard>) -> Result<JsonListing, FileError> {
        let mut listing = JsonListing::builder(rel_dir);
        let mut each = |name: &str, kind: Kind| {
            if JsonListing::wanted(name, kind) && shard.is_none_or(|s| s.owns(name)) {
                listing.push(name, kind);
            }
        };
        match self.fs.read_dir(rel_dir, &mut each) {
            Ok(()) => Ok(listing.build()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(JsonListing::builder(rel_dir).build()),
            Err(e) => Err(FileError::from_io(rel_dir, &e)),
        }
    }

    /// A symlink is followed only to a regular file; the sandbox refuses
    /// targets outside the root.
    pub(crate) fn check_symlink_target(&self, rel: String) -> Result<String, FileError> {
        match self.fs.metadata(&rel) {
            Ok(meta) if meta.kind == Kind::File => Ok(rel),
            Ok(meta) if meta.kind == Kind::Dir => Err(FileError::new(rel, FileErrorKind::NotAFile, "is a directory")),
            Ok(_) => Err(not_a_file(rel)),
            Err(e) => Err(FileError::from_io(&rel, &e)),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
}

pub(crate) fn not_a_file(rel: String) -> FileError {
    FileError::new(rel, FileErrorKind::NotAFile, "not a regular file (a FIFO, socket or device)")
}

fn human_bytes(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else if n >= 1024 && n.is_multiple_of(1024) {
        format!("{} KiB", n / 1024)
    } else {
        format!("{n} byte")
    }
}

/// One of `count` disjoint parts of the task files: those whose file name
/// hashes to `index`. FNV-1a, so every instance agrees on the split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// Whether the file called `name` (no directory) is this shard's.
    pub fn owns(&self, name: &str) -> bool {
        let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        hash % u64::from(self.count.max(1)) == u64::from(self.index)
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn lists_only_json_files_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let tasks = dir.path().join("tasks");
        fs::create_dir(&tasks).unwrap();
        for name in ["b.json", "a.json", ".hidden.json", "notes.txt"] {
            fs::write(tasks.join(name), "{}").unwrap();
        }
        fs::create_dir(tasks.join("sub.json")).unwrap();
        let files: Vec<_> =
            DataDir::new(dir.path()).json_files("tasks").unwrap().into_iter().map(Result::unwrap).collect();
        assert_eq!(files, ["tasks/a.json", "tasks/b.json"]);
    }

    #[test]
    fn missing_directory_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        assert!(DataDir::new(dir.path()).json_files("tasks").unwrap().is_empty());
    }

    #[test]
    fn refuses_files_over_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("big.json"), vec![b' '; 2048]).unwrap();
        let err = DataDir::new(dir.path()).read("big.json", 1024).unwrap_err();
        assert_eq!(err.kind, FileErrorKind::TooLarge);
        assert_eq!(err.to_string(), "big.json: file is larger than the 1 KiB limit");
        assert_eq!(DataDir::new(dir.path()).read("big.json", 2048).unwrap().len(), 2048);
    }

    #[test]
    fn missing_file_is_none() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(DataDir::new(dir.path()).read_optional("status.json", 10).unwrap(), None);
    }

    #[cfg(unix)]
    #[test]
    fn fifo_is_not_a_file() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("tasks")).unwrap();
        let fifo = dir.path().join("tasks/pipe.json");
        let status = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(status.success());
        let files = DataDir::new(dir.path()).json_files("tasks").unwrap();
        let err = files[0].clone().unwrap_err();
        assert_eq!(err.kind, FileErrorKind::NotAFile);
        assert_eq!(err.path, "tasks/pipe.json");
    }
}
