//! Parsed files kept between calls on one component instance, so that a
//! long-lived host (the Nushell plugin, `orch watch`) re-reads only what
//! changed. A file is identified by its path, size and modification time,
//! revalidated by one stat per call.
//!
//! Timestamps are coarse (a second on some filesystems), so a rewrite of
//! the same size within the same tick looks unchanged. As git does for its
//! index ("racily clean" entries), a file whose modification time was within
//! [`RACY_WINDOW`] of the clock when it was parsed is not trusted: it is read
//! again next time, until it has been seen settled. A read that still looked
//! torn ([`crate::queue::live_read`]) is never kept at all.
//!
//! A host that watches the directory can do better than one stat per file:
//! it passes an epoch ([`crate::queue::scan::ScanOptions::fs_epoch`]) that stays the
//! same for as long as nothing under the directory changes. What a call read
//! or stat'ed under an epoch (the listings and the parsed files) is reused
//! under the same epoch without touching the disk. The host arms its watch
//! before the first call of an epoch, so a change made after a file was read
//! always ends the epoch; the racy window does not apply.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::Timestamp;

use crate::error::{FileError, FileErrorKind};
use crate::fs::{DataDir, FileStamp};
pub use crate::model::CacheStats;
use crate::model::Task;
use crate::queue::json_listing::JsonListing;
pub use crate::queue::live_read::RACY_WINDOW;
use crate::queue::live_read::{Read, settled};
use crate::queue::scan::Shard;
use crate::queue::status_file::StatusFile;
use crate::queue::task_file::QueueEntry;

/// One cache per directory the queue reads, so each is swept against its
/// own listing.
#[derive(Default)]
pub struct ParseCache {
    pub queue_entries: FileCache<QueueEntry>,
    pub fixture_tasks: FileCache<Task>,
    pub backend_tasks: FileCache<Task>,
    pub status: FileCache<StatusFile>,
}

impl ParseCache {
    pub fn stats(&self) -> CacheStats {
        let parts =
            [self.queue_entries.stats(), self.fixture_tasks.stats(), self.backend_tasks.stats(), self.status.stats()];
        parts.iter().fold(CacheStats::default(), |sum, s| CacheStats {
            entries: sum.entries + s.entries,
            hits: sum.hits + s.hits,
            unchecked: sum.unchecked + s.unchecked,
            misses: sum.misses + s.misses,
        })
    }
}

struct Entry<T> {
    stamp: FileStamp,
    /// False while the file may still change without its stamp showing it.
    trusted: bool,
    /// The host's epoch when the file was last read or stat'ed.
    epoch: Option<u64>,
    /// The last listing pass that asked for the file.
    pass: u64,
    parsed: Result<T, FileError>,
}

/// A directory's `*.json` files, shared between the cache and a scan.
pub type Listing = Arc<JsonListing>;

pub struct FileCache<T> {
    entries: HashMap<String, Entry<T>>,
    /// The directory's last listing, the epoch it was taken in, and the
    /// shard it was taken for.
    listing: Option<(u64, Option<Shard>, Listing)>,
    /// Counts listings taken, so that a pass can forget what it did not ask for.
    pass: u64,
    hits: u64,
    unchecked: u64,
    misses: u64,
}

impl<T> Default for FileCache<T> {
    fn default() -> Self {
        FileCache { entries: HashMap::new(), listing: None, pass: 0, hits: 0, unchecked: 0, misses: 0 }
    }
}

impl<T: Clone> FileCache<T> {
    /// The parsed form of `rel`: from the cache when its stamp is unchanged
    /// and trusted, else from `read` (which reads and parses it afresh,
    /// given the stamp just taken). The stat comes before the read, so
    /// content newer than the stamp can be cached but never content older
    /// than it. Under the `epoch` the entry was last seen in, there is no
    /// stat at all.
    pub fn get(
        &mut self,
        dir: &DataDir,
        rel: &str,
        now: Timestamp,
        epoch: Option<u64>,
        read: impl FnOnce(FileStamp) -> Read<T>,
    ) -> Result<T, FileError> {
        if let Some(entry) = self.entries.get_mut(rel)
            && epoch.is_some()
            && entry.epoch == epoch
        {
            self.hits += 1;
            self.unchecked += 1;
            entry.pass = self.pass;
            return entry.parsed.clone();
        }
        let stamp = match dir.stamp(rel) {
            Ok(stamp) => stamp,
            Err(e) => {
                self.entries.remove(rel);
                return Err(e);
            }
        };
        if let Some(entry) = self.entries.get_mut(rel)
            && entry.trusted
            && entry.stamp == stamp
        {
            self.hits += 1;
            entry.epoch = epoch;
            entry.pass = self.pass;
            return entry.parsed.clone();
        }
        self.misses += 1;
        let Read { stamp: read_at, parsed, torn } = read(stamp);
        let stamp = read_at.unwrap_or(stamp);
        // A parse result depends only on the bytes; a failure to read (gone,
        // too large for this call's limit, refused) may not recur, nor may
        // a read that caught a writer half-way.
        let keep = !torn
            && match &parsed {
                Ok(_) => true,
                Err(e) => e.kind == FileErrorKind::Malformed,
            };
        if keep {
            let trusted = settled(stamp, now);
            let pass = self.pass;
            self.entries.insert(rel.to_string(), Entry { stamp, trusted, epoch, pass, parsed: parsed.clone() });
        } else {
            self.entries.remove(rel);
        }
        parsed
    }

    /// The `*.json` files of `rel_dir` (of `shard`'s, if given): the
    /// listing taken under `epoch` for the same shard if there is one
    /// (`true`: reused), else a fresh one.
    /// Starts a pass: see [`FileCache::forget_unvisited`].
    pub fn listing(
        &mut self,
        dir: &DataDir,
        rel_dir: &str,
        epoch: Option<u64>,
        shard: Option<Shard>,
    ) -> Result<(Listing, bool), FileError> {
        self.pass += 1;
        if let (Some(epoch), Some((seen, seen_shard, listing))) = (epoch, &self.listing)
            && epoch == *seen
            && shard == *seen_shard
        {
            return Ok((listing.clone(), true));
        }
        let listing = Arc::new(JsonListing::read(dir, rel_dir, shard)?);
        self.listing = epoch.map(|epoch| (epoch, shard, listing.clone()));
        Ok((listing, false))
    }

    /// Forgets the files that the pass begun by the last
    /// [`FileCache::listing`] did not ask for: they are no longer listed.
    pub fn forget_unvisited(&mut self) {
        let pass = self.pass;
        self.entries.retain(|_, entry| entry.pass == pass);
    }

    pub fn stats(&self) -> CacheStats {
        CacheStats {
            entries: self.entries.len() as u64,
            hits: self.hits,
            unchecked: self.unchecked,
            misses: self.misses,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::time::{Duration, SystemTime};

    use jiff::SignedDuration;

    use super::*;

    fn set_mtime(path: &std::path::Path, t: SystemTime) {
        fs::File::options().write(true).open(path).unwrap().set_modified(t).unwrap();
    }

    fn read_text(dir: &DataDir, rel: &str) -> Result<String, FileError> {
        dir.read(rel, 1024).map(|b| String::from_utf8(b).unwrap())
    }

    /// A read that did not catch a writer half-way.
    fn whole<T>(parsed: Result<T, FileError>) -> Read<T> {
        Read { stamp: None, parsed, torn: false }
    }

    #[test]
    fn a_settled_file_is_served_from_the_cache_until_its_stamp_changes() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a.json");
        fs::write(&path, "one").unwrap();
        let old = SystemTime::now() - Duration::from_secs(60);
        set_mtime(&path, old);
        let dir = DataDir::new(tmp.path());
        let mut cache = FileCache::default();
        let now = Timestamp::now();
        assert_eq!(cache.get(&dir, "a.json", now, None, |_| whole(read_text(&dir, "a.json"))).unwrap(), "one");
        assert_eq!(cache.get(&dir, "a.json", now, None, |_| panic!("must not read")).unwrap(), "one");
        assert_eq!((cache.hits, cache.misses), (1, 1));
        // Same size, new mtime: re-read.
        fs::write(&path, "two").unwrap();
        set_mtime(&path, old + Duration::from_secs(1));
        assert_eq!(cache.get(&dir, "a.json", now, None, |_| whole(read_text(&dir, "a.json"))).unwrap(), "two");
    }

    #[test]
    fn a_racily_clean_file_is_read_again() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a.json");
        fs::write(&path, "one").unwrap();
        let mtime = SystemTime::now();
        set_mtime(&path, mtime);
        let dir = DataDir::new(tmp.path());
        let mut cache = FileCache::default();
        // Parsed within the racy window of its mtime: not trusted.
        let now = Timestamp::try_from(mtime).unwrap() + SignedDuration::from_millis(500);
        cache.get(&dir, "a.json", now, None, |_| whole(read_text(&dir, "a.json"))).unwrap();
        // A same-size rewrite whose mtime the filesystem rounded to the same tick.
        fs::write(&path, "two").unwrap();
        set_mtime(&path, mtime);
        assert_eq!(cache.get(&dir, "a.json", now, None, |_| whole(read_text(&dir, "a.json"))).unwrap(), "two");
        // Seen again once settled, it is trusted from then on.
        let later = now + SignedDuration::from_secs(10);
        cache.get(&dir, "a.json", later, None, |_| whole(read_text(&dir, "a.json"))).unwrap();
        assert_eq!(cache.get(&dir, "a.json", later, None, |_| panic!("must not read")).unwrap(), "two");
    }

    #[test]
    fn under_one_epoch_nothing_is_stat_ed_again() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("a.json"), "one").unwrap();
        let dir = DataDir::new(tmp.path());
        let mut cache = FileCache::default();
        let now = Timestamp::now();
        // Fresh from the writer: outside an epoch this would be read again.
        assert_eq!(cache.get(&dir, "a.json", now, Some(1), |_| whole(read_text(&dir, "a.json"))).unwrap(), "one");
        let (listing, reused) = cache.listing(&dir, ".", Some(1), None).unwrap();
        assert!(!reused);
        // Gone from the disk, yet served: the host vouched nothing changed.
        fs::remove_file(tmp.path().join("a.json")).unwrap();
        assert_eq!(cache.get(&dir, "a.json", now, Some(1), |_| panic!("must not read")).unwrap(), "one");
        assert_eq!(cache.listing(&dir, ".", Some(1), None).unwrap(), (listing, true));
        // A new epoch looks again.
        assert_eq!(
            cache.get(&dir, "a.json", now, Some(2), |_| panic!("gone")).unwrap_err().kind,
            FileErrorKind::NotFound
        );
        let (listing, reused) = cache.listing(&dir, ".", Some(2), None).unwrap();
        assert!(listing.is_empty() && !reused);
    }

    #[test]
    fn a_stat_under_an_epoch_vouches_for_the_rest_of_it() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a.json");
        fs::write(&path, "one").unwrap();
        set_mtime(&path, SystemTime::now() - Duration::from_secs(60));
        let dir = DataDir::new(tmp.path());
        let mut cache = FileCache::default();
        let now = Timestamp::now();
        cache.get(&dir, "a.json", now, None, |_| whole(read_text(&dir, "a.json"))).unwrap();
        // Seen unchanged by a stat in epoch 7: trusted without one for the rest of it.
        cache.get(&dir, "a.json", now, Some(7), |_| panic!("settled and unchanged")).unwrap();
        fs::remove_file(&path).unwrap();
        assert_eq!(cache.get(&dir, "a.json", now, Some(7), |_| panic!("must not read")).unwrap(), "one");
        assert!(!cache.listing(&dir, ".", None, None).unwrap().1);
    }

    #[test]
    fn a_future_mtime_is_never_trusted() {
        let stamp = FileStamp { size: 1, modified: Some("2030-01-01T00:00:00Z".parse().unwrap()) };
        assert!(!settled(stamp, "2025-01-01T00:00:00Z".parse().unwrap()));
        assert!(!settled(FileStamp { size: 1, modified: None }, Timestamp::now()));
    }

    #[test]
    fn failures_to_read_are_not_cached_and_vanished_files_are_dropped() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::new(tmp.path());
        let mut cache: FileCache<String> = FileCache::default();
        let err = cache.get(&dir, "gone.json", Timestamp::now(), None, |_| panic!("no stat, no read")).unwrap_err();
        assert_eq!(err.kind, FileErrorKind::NotFound);
        fs::write(tmp.path().join("big.json"), "0123456789").unwrap();
        let big = |_| whole(Err(FileError::new("big.json", FileErrorKind::TooLarge, "too large")));
        cache.get(&dir, "big.json", Timestamp::now(), None, big).unwrap_err();
        assert_eq!(cache.stats().entries, 0);
    }

    #[test]
    fn a_torn_read_is_not_kept() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("a.json"), "{").unwrap();
        set_mtime(&tmp.path().join("a.json"), SystemTime::now() - Duration::from_secs(60));
        let dir = DataDir::new(tmp.path());
        let mut cache: FileCache<String> = FileCache::default();
        let torn = |_| Read {
            stamp: None,
            parsed: Err(FileError::new("a.json", FileErrorKind::Malformed, "EOF")),
            torn: true,
        };
        cache.get(&dir, "a.json", Timestamp::now(), Some(1), torn).unwrap_err();
        assert_eq!(cache.stats().entries, 0);
        // Read again, even under the same epoch.
        assert_eq!(cache.get(&dir, "a.json", Timestamp::now(), Some(1), |_| whole(Ok("x".into()))).unwrap(), "x");
    }

    #[test]
    fn unlisted_files_are_forgotten() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::new(tmp.path());
        let mut cache = FileCache::default();
        fs::create_dir_all(tmp.path().join("sub")).unwrap();
        for rel in ["sub/a.json", "sub/b.json"] {
            fs::write(tmp.path().join(rel), "x").unwrap();
        }
        let pass = |cache: &mut FileCache<String>| {
            let (listing, _) = cache.listing(&dir, "sub", None, None).unwrap();
            for rel in listing.files(&dir) {
                let rel = rel.unwrap();
                cache.get(&dir, &rel, Timestamp::now(), None, |_| whole(read_text(&dir, &rel))).unwrap();
            }
            cache.forget_unvisited();
        };
        pass(&mut cache);
        assert_eq!(cache.stats().entries, 2);
        fs::remove_file(tmp.path().join("sub/a.json")).unwrap();
        pass(&mut cache);
        assert_eq!(cache.stats().entries, 1);
        assert!(cache.entries.contains_key("sub/b.json"));
    }
}
