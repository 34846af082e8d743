//! A data directory's change epoch, for a warm instance's parse cache: a
//! number that stays the same for as long as nothing under the directory
//! changes (see `scan-options.fs-epoch` in the WIT).
//!
//! On Linux it is inotify, drained without blocking before each call. The
//! kernel queues an event before the write that causes it returns, so a
//! change made before a call began is always seen by that call; a watcher
//! thread (the `notify` crate's) could still be holding it. Where inotify is
//! missing or cannot be trusted, there is no epoch and the component stats
//! every file, as it does without a host watching.
//!
//! Not seen by inotify, so not vouched for: writes through a hard link that
//! lives outside the watched directories, and writes through a shared
//! `mmap`. The orchestrator writes its files by path.

use std::path::Path;

/// The directories the component reads, relative to the data directory.
const WATCHED: [&str; 5] = orch_model::layout::DIRECTORIES;

pub struct ChangeEpoch {
    watch: Option<platform::Watch>,
    epoch: u64,
}

impl ChangeEpoch {
    /// Starts watching `dir`. A watch that cannot be armed (no inotify, out
    /// of watches, a network filesystem) leaves the epoch unset.
    pub fn arm(dir: &Path) -> ChangeEpoch {
        ChangeEpoch { watch: platform::Watch::arm(dir), epoch: 0 }
    }

    /// The epoch for a call about to start: the previous call's if nothing
    /// changed since it began, else a new one. `None` once the watch fails.
    pub fn current(&mut self) -> Option<u64> {
        let watch = self.watch.as_mut()?;
        match watch.changed() {
            Some(false) => Some(self.epoch),
            Some(true) => {
                self.epoch += 1;
                Some(self.epoch)
            }
            None => {
                self.watch = None;
                None
            }
        }
    }

    /// Whether calls get an epoch.
    #[cfg(test)]
    pub fn is_armed(&self) -> bool {
        self.watch.is_some()
    }
}

#[cfg(target_os = "linux")]
mod platform {
    use std::io::ErrorKind;
    use std::path::{Path, PathBuf};

    use inotify::{Inotify, WatchMask};

    pub struct Watch {
        inotify: Inotify,
        dir: PathBuf,
        buffer: Vec<u8>,
    }

    impl Watch {
        pub fn arm(dir: &Path) -> Option<Watch> {
            let mut watch = Watch { inotify: Inotify::init().ok()?, dir: dir.to_path_buf(), buffer: vec![0; 4096] };
            watch.add_watches().then_some(watch)
        }

        /// Adds a watch on each directory the component reads that exists now;
        /// the one above it reports a missing one's creation. False when a
        /// directory cannot be watched or trusted.
        fn add_watches(&mut self) -> bool {
            let mask = WatchMask::MODIFY
                | WatchMask::ATTRIB
                | WatchMask::CLOSE_WRITE
                | WatchMask::CREATE
                | WatchMask::DELETE
                | WatchMask::MOVED_FROM
                | WatchMask::MOVED_TO
                | WatchMask::DELETE_SELF
                | WatchMask::MOVE_SELF;
            super::WATCHED.iter().all(|rel| {
                let path = self.dir.join(rel);
                if !path.is_dir() {
                    return *rel != ".";
                }
                local_filesystem(&path) && self.inotify.watches().add(&path, mask).is_ok()
            })
        }

        /// Whether anything happened since the last look; `None` when the
        /// watch can no longer tell.
        pub fn changed(&mut self) -> Option<bool> {
            let mut changed = false;
            loop {
                match self.inotify.read_events(&mut self.buffer) {
                    // Any event at all, an overflow of the kernel's queue included.
                    Ok(mut events) => changed |= events.next().is_some(),
                    Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                    Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                    Err(_) => return None,
                }
            }
            // A directory created since the last look gets its watch now,
            // before the call that will read it.
            if changed && !self.add_watches() {
                return None;
            }
            Some(changed)
        }
    }

    /// Changes made on another machine raise no inotify event here.
    fn local_filesystem(path: &Path) -> bool {
        const REMOTE: [i64; 11] = [
            0x6969,      // NFS
            0x517B,      // SMB
            0xFF53_4D42, // CIFS
            0xFE53_4D42, // SMB2
            0x6573_5546, // FUSE
            0x0102_1997, // 9P
            0x00C3_6400, // Ceph
            0x5346_414F, // AFS
            0x7375_7245, // Coda
            0x7461_636F, // OCFS2
            0x0116_1970, // GFS2
        ];
        match rustix::fs::statfs(path) {
            // `f_type`'s integer type differs between architectures.
            #[allow(clippy::unnecessary_cast)]
            Ok(fs) => !REMOTE.contains(&(fs.f_type as i64)),
            Err(_) => false,
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod platform {
    use std::path::Path;

    pub struct Watch;

    impl Watch {
        pub fn arm(_dir: &Path) -> Option<Watch> {
            None
        }

        pub fn changed(&mut self) -> Option<bool> {
            None
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn the_epoch_moves_only_when_something_changes() {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir(tmp.path().join("tasks")).unwrap();
        fs::write(tmp.path().join("tasks/a.json"), "{}").unwrap();
        let mut epoch = ChangeEpoch::arm(tmp.path());
        assert!(epoch.is_armed());
        let first = epoch.current().unwrap();
        assert_eq!(epoch.current(), Some(first));
        // Reading is not a change.
        fs::read(tmp.path().join("tasks/a.json")).unwrap();
        assert_eq!(epoch.current(), Some(first));
        // Same size, and the modification time put back: a stat would miss it.
        let mtime = fs::metadata(tmp.path().join("tasks/a.json")).unwrap().modified().unwrap();
        fs::write(tmp.path().join("tasks/a.json"), "[]").unwrap();
        fs::File::options().write(true).open(tmp.path().join("tasks/a.json")).unwrap().set_modified(mtime).unwrap();
        let second = epoch.current().unwrap();
        assert_ne!(second, first);
        assert_eq!(epoch.current(), Some(second));
    }

    #[test]
    fn a_directory_created_later_is_watched_too() {
        let tmp = tempfile::tempdir().unwrap();
        let mut epoch = ChangeEpoch::arm(tmp.path());
        let first = epoch.current().unwrap();
        fs::create_dir_all(tmp.path().join("queue.rkvs/queue")).unwrap();
        let second = epoch.current().unwrap();
        assert_ne!(second, first);
        fs::write(tmp.path().join("queue.rkvs/queue/a.json"), "{}").unwrap();
        assert_ne!(epoch.current().unwrap(), second);
    }
}
