//! One directory's `*.json` entries, held as their names without `.json`
//! (stems), packed in one string and sorted: a queue directory can list
//! 100,000 files, and a name with its kind is all a scan needs until it
//! reaches the file. Paths and refusals are made one at a time, as the scan
//! walks the listing.

use crate::error::FileError;
use crate::fs_access::Kind;
use crate::scan::DataDir;

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
        stems.shrink_to_fit();
        JsonListing { dir, stems, entries: entries.into_boxed_slice() }
    }
}

impl JsonListing {
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
                Kind::Dir | Kind::Other => Err(crate::scan::not_a_file(rel)),
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
    use super::*;

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
}
