//! What the file layer learns of an entry, whichever way it asked.

use jiff::Timestamp;

/// What a directory entry, or the target of a symlink, is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
    Symlink,
    /// A FIFO, socket or device.
    Other,
}

/// Size and modification time, following symlinks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meta {
    pub kind: Kind,
    pub size: u64,
    pub modified: Option<Timestamp>,
}
