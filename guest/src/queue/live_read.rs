//! Reading a file that the orchestrator may be rewriting at that moment.
//!
//! A writer that rewrites a file in place (open with truncate, write the
//! first part, write the rest) can be caught half-way: the read gets a
//! prefix, which fails to parse, or a size other than the one stat'ed just
//! before it. Such a read is *torn*, not malformed. The file is read again
//! after a pause, up to [`MAX_READS`] reads in all, the pauses doubling
//! from [`FIRST_PAUSE`] (1 + 2 + ... + 64 = 127 ms for one file); one call
//! pauses at most [`CALL_WINDOW`] over all its files, and once that is
//! spent a torn file gets one more read at once, no pause. Only a file
//! that still fails then is reported, with its last read's error.
//!
//! A file whose modification time is settled ([`RACY_WINDOW`] before the
//! host's "now") is not being written, so a parse error there stands at
//! once: a file that is broken and stays broken costs no wait. A read that
//! parses is a whole file: no prefix of a JSON object is a JSON object.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use super::scan::ScanOptions;
use crate::error::{FileError, FileErrorKind};
use crate::fs::{DataDir, FileStamp, pause};

/// How many times one file is read before its error stands.
pub const MAX_READS: u32 = 8;
/// The pause before the second read; each later one doubles.
pub const FIRST_PAUSE: Duration = Duration::from_millis(1);
/// The most one call pauses, over all the files it reads. A writer that
/// rewrites many files in a loop on a busy machine tears several in one
/// call, so the window spans a few files' retries, not one.
pub const CALL_WINDOW: Duration = Duration::from_millis(250);

/// How close to the host's clock a modification time must be for its file
/// to count as possibly still being written. Covers one-second timestamps
/// and some skew between the writer's clock and the host's.
pub const RACY_WINDOW: SignedDuration = SignedDuration::from_secs(2);

/// One read's outcome, and what it was read against.
pub struct Read<T> {
    /// The stamp from the stat just before the read that gave `parsed`, if
    /// one was made.
    pub stamp: Option<FileStamp>,
    pub parsed: Result<T, FileError>,
    /// The last read still looked torn when the retries ran out: a later
    /// read may well give something else, so nothing may keep it.
    pub torn: bool,
}

/// One call's reads: the host's "now", and how much of the call's window
/// its pauses have spent.
pub struct LiveReader {
    now: Option<Timestamp>,
    max_file_size: u64,
    paused: Duration,
}

impl LiveReader {
    pub fn new(opts: &ScanOptions) -> Self {
        LiveReader { now: opts.now, max_file_size: opts.max_file_size, paused: Duration::ZERO }
    }

    /// Reads and parses `path`, again while it looks torn. `stamp` is the
    /// file's stamp from a stat just before this call, where the caller
    /// made one; each read again is stat'ed afresh first.
    /// A file gone at any point was deleted or renamed away: `NotFound`.
    /// Without a stamp, a read that parses is returned at once, so `parse`
    /// succeeds at most once.
    pub fn read<T>(
        &mut self,
        dir: &DataDir,
        path: &str,
        mut stamp: Option<FileStamp>,
        mut parse: impl FnMut(&str, &[u8]) -> Result<T, FileError>,
    ) -> Read<T> {
        let mut next_pause = FIRST_PAUSE;
        let mut reads = 0;
        loop {
            reads += 1;
            let bytes = match dir.read(path, self.max_file_size) {
                Ok(bytes) => bytes,
                Err(e) => return Read { stamp, parsed: Err(e), torn: false },
            };
            let parsed = parse(path, &bytes);
            let resized = stamp.is_some_and(|s| s.size != bytes.len() as u64);
            let malformed = matches!(&parsed, Err(e) if e.kind == FileErrorKind::Malformed);
            if !(resized || malformed) {
                return Read { stamp, parsed, torn: false };
            }
            // Stat'ed after the read: settled now means unchanged since
            // before the call began, so the read saw the file as it is.
            let after = match dir.stamp(path) {
                Ok(after) => after,
                Err(e) => return Read { stamp, parsed: Err(e), torn: false },
            };
            if malformed && after.size == bytes.len() as u64 && self.settled(after) {
                return Read { stamp: Some(after), parsed, torn: false };
            }
            // A file that parsed is whole, only newer than its stamp: read
            // again at once, against a stamp that matches it.
            let wait = if malformed { next_pause.min(CALL_WINDOW.saturating_sub(self.paused)) } else { Duration::ZERO };
            if reads == MAX_READS || (malformed && wait.is_zero() && reads > 1) {
                return Read { stamp, parsed, torn: true };
            }
            if !wait.is_zero() {
                pause(wait);
                self.paused += wait;
                next_pause *= 2;
            }
            stamp = match (stamp, wait.is_zero()) {
                (None, _) => None,
                (Some(_), true) => Some(after),
                (Some(_), false) => match dir.stamp(path) {
                    Ok(fresh) => Some(fresh),
                    Err(e) => return Read { stamp, parsed: Err(e), torn: false },
                },
            };
        }
    }

    /// Whether a file with this stamp has not been written since well
    /// before the call began. Without the host's clock, none is.
    pub fn settled(&self, stamp: FileStamp) -> bool {
        self.now.is_some_and(|now| settled(stamp, now))
    }
}

/// A file last modified well before `now` will show any later change in its
/// stamp. No modification time, or one in the future, is never settled.
pub fn settled(stamp: FileStamp, now: Timestamp) -> bool {
    stamp.modified.is_some_and(|modified| modified.checked_add(RACY_WINDOW).is_ok_and(|t| t <= now))
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::io::Write;
    use std::time::SystemTime;

    use super::*;

    fn parse_object(path: &str, bytes: &[u8]) -> Result<String, FileError> {
        serde_json::from_slice::<serde_json::Value>(bytes)
            .map(|v| v["v"].as_str().unwrap_or_default().to_string())
            .map_err(|e| FileError::from_json(path, bytes, &e))
    }

    fn reader(now: Option<Timestamp>) -> LiveReader {
        LiveReader { now, max_file_size: 1 << 20, paused: Duration::ZERO }
    }

    fn age(path: &std::path::Path, secs: u64) {
        let t = SystemTime::now() - Duration::from_secs(secs);
        fs::File::options().write(true).open(path).unwrap().set_modified(t).unwrap();
    }

    #[test]
    fn a_file_caught_half_written_is_read_again_until_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("t.json");
        fs::write(&path, r#"{"v": "old"}"#).unwrap();
        let text = format!(r#"{{"v": "new", "pad": "{}"}}"#, "x".repeat(4000));
        let (half, rest) = text.split_at(text.len() / 2);
        let (tx, rx) = std::sync::mpsc::channel();
        let writer = {
            let (path, half, rest) = (path.clone(), half.to_string(), rest.to_string());
            std::thread::spawn(move || {
                let mut file = fs::File::create(&path).unwrap();
                file.write_all(half.as_bytes()).unwrap();
                file.flush().unwrap();
                tx.send(()).unwrap();
                std::thread::sleep(Duration::from_millis(5));
                file.write_all(rest.as_bytes()).unwrap();
            })
        };
        rx.recv().unwrap();
        let mut live = reader(Some(Timestamp::now()));
        let read = live.read(&DataDir::new(tmp.path()), "t.json", None, parse_object);
        writer.join().unwrap();
        assert_eq!(read.parsed.unwrap(), "new");
        assert!(!read.torn);
        assert!(live.paused >= FIRST_PAUSE, "it paused for the writer");
    }

    #[test]
    fn a_settled_broken_file_fails_at_once() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("t.json");
        fs::write(&path, "{\"v\": ").unwrap();
        age(&path, 3600);
        let mut live = reader(Some(Timestamp::now()));
        let read = live.read(&DataDir::new(tmp.path()), "t.json", None, parse_object);
        assert_eq!(read.parsed.unwrap_err().kind, FileErrorKind::Malformed);
        assert!(!read.torn);
        assert_eq!(live.paused, Duration::ZERO);
    }

    #[test]
    fn a_fresh_broken_file_fails_after_the_window_and_the_call_s_window_is_shared() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::new(tmp.path());
        for name in ["a.json", "b.json", "c.json"] {
            fs::write(tmp.path().join(name), "{\"v\": ").unwrap();
        }
        let mut live = reader(Some(Timestamp::now()));
        let first = live.read(&dir, "a.json", None, parse_object);
        assert_eq!(first.parsed.unwrap_err().to_string(), "a.json:1:6: EOF while parsing a value");
        assert!(first.torn);
        assert_eq!(live.paused, Duration::from_millis(127));
        live.read(&dir, "b.json", None, parse_object);
        assert_eq!(live.paused, CALL_WINDOW);
        // The window is spent: one read more, at once.
        let last = live.read(&dir, "c.json", None, parse_object);
        assert!(last.torn && last.parsed.is_err());
        assert_eq!(live.paused, CALL_WINDOW);
    }

    #[test]
    fn without_the_host_s_clock_no_file_is_settled() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("t.json");
        fs::write(&path, "{").unwrap();
        age(&path, 3600);
        let mut live = reader(None);
        assert!(live.read(&DataDir::new(tmp.path()), "t.json", None, parse_object).torn);
        assert_eq!(live.paused, Duration::from_millis(127));
    }

    #[test]
    fn a_read_that_does_not_match_its_stamp_is_read_against_a_fresh_one() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::new(tmp.path());
        fs::write(tmp.path().join("t.json"), r#"{"v": "a"}"#).unwrap();
        let stale = dir.stamp("t.json").unwrap();
        fs::write(tmp.path().join("t.json"), r#"{"v": "longer"}"#).unwrap();
        let read = reader(Some(Timestamp::now())).read(&dir, "t.json", Some(stale), parse_object);
        assert_eq!(read.parsed.unwrap(), "longer");
        assert_eq!(read.stamp, Some(dir.stamp("t.json").unwrap()));
        assert!(!read.torn);
    }

    #[test]
    fn a_file_gone_is_not_found() {
        let tmp = tempfile::tempdir().unwrap();
        let read = reader(Some(Timestamp::now())).read(&DataDir::new(tmp.path()), "t.json", None, parse_object);
        assert_eq!(read.parsed.unwrap_err().kind, FileErrorKind::NotFound);
    }
}
