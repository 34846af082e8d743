//! How a queue scan reads: its options, and the shards that split the task
//! files between instances.

use jiff::Timestamp;

use crate::fs::DEFAULT_MAX_FILE_SIZE;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanOptions {
    pub skip_invalid: bool,
    pub max_file_size: u64,
    /// The host's wall clock when the call may use the parse cache; `None`
    /// reads every file afresh. See [`crate::queue::parse_cache`].
    pub cache_now: Option<Timestamp>,
    /// The host's word that nothing under the root changed since the call
    /// that saw this same value began; see [`crate::queue::parse_cache`].
    pub fs_epoch: Option<u64>,
    /// The host's clock at the call, which tells a file that may be being
    /// written from one that is settled (see [`crate::queue::live_read`]);
    /// `None` treats every file as possibly being written.
    pub now: Option<Timestamp>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            skip_invalid: false,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            cache_now: None,
            fs_epoch: None,
            now: None,
        }
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
