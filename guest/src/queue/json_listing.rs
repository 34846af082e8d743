//! One directory's `*.json` entries, held as their names without `.json`
//! (stems), packed in one string and sorted: a queue directory can list
//! 100,000 files, and a name with its kind is all a scan needs until it
//! reaches the file. Paths and refusals are made one at a time, as the scan
//! walks the listing.

use super::scan::Shard;
use crate::error::FileError;
use crate::fs::{DataDir, Kind, not_a_file};

#[derive(Debug, PartialEq, Eq)]
pub struct JsonListing {
    dir: String,
    /// Every name without its `.json`, end to end: one allocation for the
    /// listing rather than one per entry.
    stems: String,
    /// In stem order.
    entries: Box<[Entry]>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    /// The stem is `stems[start..end]`.
    start: u32,
    end: u32,
    kind: Kind,
}

/// A listing being read, one entry at a time.
pub struct ListingBuilder {
    dir: String,
    stems: String,
    entries: Vec<Entry>,
}

impl ListingBuilder {
    /// Adds an entry that is [`JsonListing::wanted`].
    pub fn push(&mut self, name: &str, kind: Kind) {
        let stem = name.strip_suffix(".json").unwrap_or(name);
        let start = self.stems.len();
        self.stems.push_str(stem);
        // A listing of over 4 GiB of names would not fit the component's memory anyway.
        let (Ok(start), Ok(end)) = (u32::try_from(start), u32::try_from(self.stems.len())) else { return };
        self.entries.push(Entry { start, end, kind });
    }

    pub fn build(self) -> JsonListing {
        let ListingBuilder { dir, mut stems, mut entries } = self;
        let stem = |e: &Entry| &stems[e.start as usize..e.end as usize];
        entries.sort_unstable_by(|a, b| stem(a).cmp(stem(b)));
        // A directory read while a file is renamed over another may name
        // it twice; it is one file, and one task.
        entries.dedup_by(|a, b| stem(a) == stem(b));
        stems.shrink_to_fit();
        JsonListing { dir, stems, entries: entries.into_boxed_slice() }
    }
}

impl JsonListing {
    /// The `*.json` files directly inside `rel_dir`, of `shard`'s files only
    /// if given (a shard's share costs no sort of the rest). Dotfiles, other
    /// extensions and subdirectories are left out; a missing directory holds
    /// no files.
    pub fn read(data: &DataDir, rel_dir: &str, shard: Option<Shard>) -> Result<JsonListing, FileError> {
        let mut listing = JsonListing::builder(rel_dir);
        let mut each = |name: &str, kind: Kind| {
            if JsonListing::wanted(name, kind) && shard.is_none_or(|s| s.owns(name)) {
                listing.push(name, kind);
            }
        };
        match data.read_dir(rel_dir, &mut each) {
            Ok(()) => Ok(listing.build()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(JsonListing::builder(rel_dir).build()),
            Err(e) => Err(FileError::from_io(rel_dir, &e)),
        }
    }

    /// Whether a directory entry belongs in a listing: `*.json`, not a
    /// dotfile, not a directory.
    pub(crate) fn wanted(name: &str, kind: Kind) -> bool {
        !name.starts_with('.') && name.ends_with(".json") && kind != Kind::Dir
    }

    pub(crate) fn builder(dir: &str) -> ListingBuilder {
        ListingBuilder { dir: dir.to_string(), stems: String::new(), entries: Vec::new() }
    }

    fn stem(&self, e: &Entry) -> &str {
        &self.stems[e.start as usize..e.end as usize]
    }

    /// Each file as a path relative to the root, in stem order. Entries that
    /// are neither files nor symlinks to files (FIFOs, devices) are errors:
    /// opening a FIFO would block.
    pub fn files<'a>(&'a self, data: &'a DataDir) -> impl Iterator<Item = Result<String, FileError>> + 'a {
        self.entries.iter().map(move |e| {
            let rel = format!("{}/{}.json", self.dir, self.stem(e));
            match e.kind {
                Kind::File => Ok(rel),
                Kind::Symlink => data.check_symlink_target(rel),
                Kind::Dir | Kind::Other => Err(not_a_file(rel)),
            }
        })
    }

    /// Where `<stem>.json` is in the order of [`JsonListing::files`].
    pub fn position(&self, stem: &str) -> Option<usize> {
        self.entries.binary_search_by(|e| self.stem(e).cmp(stem)).ok()
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
    use std::fs;

    use super::*;
    use crate::error::FileErrorKind;

    /// Every file of a listing of `rel_dir`, or why it is refused.
    fn json_files(data: &DataDir, rel_dir: &str) -> Result<Vec<Result<String, FileError>>, FileError> {
        Ok(JsonListing::read(data, rel_dir, None)?.files(data).collect())
    }

    #[test]
    fn keeps_json_files_in_stem_order() {
        let mut builder = JsonListing::builder("tasks");
        for (name, kind) in [
            ("b.json", Kind::File),
            ("a.json", Kind::File),
            (".a.json", Kind::File),
            ("c.txt", Kind::File),
            ("sub.json", Kind::Dir),
            ("a-b.json", Kind::File),
        ] {
            if JsonListing::wanted(name, kind) {
                builder.push(name, kind);
            }
        }
        let listing = builder.build();
        let data = DataDir::new(".");
        let files: Vec<String> = listing.files(&data).map(Result::unwrap).collect();
        // By stem, `a` comes before `a-b`, though `a-b.json` sorts before `a.json`.
        assert_eq!(files, ["tasks/a.json", "tasks/a-b.json", "tasks/b.json"]);
        assert_eq!(listing.len(), 3);
        assert_eq!((listing.position("a-b"), listing.position("b"), listing.position("c")), (Some(1), Some(2), None));
    }

    #[test]
    fn a_name_listed_twice_is_one_file() {
        let mut builder = JsonListing::builder("tasks");
        for name in ["b.json", "a.json", "b.json"] {
            builder.push(name, Kind::File);
        }
        let files: Vec<String> = builder.build().files(&DataDir::new(".")).map(Result::unwrap).collect();
        assert_eq!(files, ["tasks/a.json", "tasks/b.json"]);
    }

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
            json_files(&DataDir::new(dir.path()), "tasks").unwrap().into_iter().map(Result::unwrap).collect();
        assert_eq!(files, ["tasks/a.json", "tasks/b.json"]);
    }

    #[test]
    fn missing_directory_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        assert!(json_files(&DataDir::new(dir.path()), "tasks").unwrap().is_empty());
    }

    #[test]
    fn fifo_is_not_a_file() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("tasks")).unwrap();
        let fifo = dir.path().join("tasks/pipe.json");
        let status = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(status.success());
        let files = json_files(&DataDir::new(dir.path()), "tasks").unwrap();
        let err = files[0].clone().unwrap_err();
        assert_eq!(err.kind, FileErrorKind::NotAFile);
        assert_eq!(err.path, std::path::Path::new("tasks/pipe.json"));
    }
}
