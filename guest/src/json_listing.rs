//! One directory's `*.json` entries, sorted by name and held as bare names:
//! a queue directory can list 100,000 files, and a name with its kind is
//! all a scan needs until it reaches the file. Paths and refusals are made
//! one at a time, as the scan walks the listing.

use crate::error::FileError;
use crate::fs_access::Kind;
use crate::scan::DataDir;

#[derive(Debug, PartialEq, Eq)]
pub struct JsonListing {
    dir: String,
    entries: Box<[(String, Kind)]>,
}

impl JsonListing {
    /// Whether a directory entry belongs in a listing: `*.json`, not a
    /// dotfile, not a directory.
    pub(crate) fn wanted(name: &str, kind: Kind) -> bool {
        !name.starts_with('.') && name.ends_with(".json") && kind != Kind::Dir
    }

    /// `entries`, already [`JsonListing::wanted`], in name order.
    pub(crate) fn new(dir: &str, mut entries: Vec<(String, Kind)>) -> JsonListing {
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        JsonListing { dir: dir.to_string(), entries: entries.into_boxed_slice() }
    }

    /// Each file as a path relative to the root, in name order. Entries that
    /// are neither files nor symlinks to files (FIFOs, devices) are errors:
    /// opening a FIFO would block.
    pub fn files<'a>(&'a self, data: &'a DataDir) -> impl Iterator<Item = Result<String, FileError>> + 'a {
        self.entries.iter().map(move |(name, kind)| {
            let rel = format!("{}/{name}", self.dir);
            match kind {
                Kind::File => Ok(rel),
                Kind::Symlink => data.check_symlink_target(rel),
                Kind::Dir | Kind::Other => Err(crate::scan::not_a_file(rel)),
            }
        })
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_json_files_in_name_order() {
        let mut entries = ["b.json", "a.json", ".a.json", "c.txt"].map(|n| (n.to_string(), Kind::File)).to_vec();
        entries.push(("sub.json".into(), Kind::Dir));
        entries.retain(|(name, kind)| JsonListing::wanted(name, *kind));
        let listing = JsonListing::new("tasks", entries);
        let data = DataDir::new(".");
        let files: Vec<String> = listing.files(&data).map(Result::unwrap).collect();
        assert_eq!(files, ["tasks/a.json", "tasks/b.json"]);
        assert_eq!(listing.len(), 2);
    }
}
