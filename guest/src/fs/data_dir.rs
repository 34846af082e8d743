//! Reading the preopened directory. Everything the component learns about
//! the disk comes through here, so the sandbox's limits are enforced in one
//! place: size caps, file types, and error naming.

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use super::access::FsAccess;
use super::entry::Kind;
use crate::error::{FileError, FileErrorKind};

pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

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

    /// Size and modification time of a regular file, following symlinks;
    /// anything else is refused. A file named directly, not found in a
    /// listing that vouched for its type, is stat'ed so before it is opened:
    /// opening a FIFO blocks until a writer comes, and a blocked host call
    /// never reaches the deadline check.
    pub fn stamp(&self, rel: &str) -> Result<FileStamp, FileError> {
        let meta = self.fs.metadata(rel).map_err(|e| FileError::from_io(rel, &e))?;
        match meta.kind {
            Kind::File => Ok(FileStamp { size: meta.size, modified: meta.modified }),
            Kind::Dir => Err(FileError::new(rel, FileErrorKind::NotAFile, "is a directory")),
            Kind::Symlink | Kind::Other => Err(not_a_file(rel.to_string())),
        }
    }

    /// Hands each entry of `rel`, with its type, to `each`, in no order.
    pub fn read_dir(&self, rel: &str, each: &mut dyn FnMut(&str, Kind)) -> std::io::Result<()> {
        self.fs.read_dir(rel, each)
    }

    /// A symlink is followed only to a regular file; the sandbox refuses
    /// targets outside the root.
    pub fn check_symlink_target(&self, rel: String) -> Result<String, FileError> {
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

pub fn not_a_file(rel: String) -> FileError {
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

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

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
}
