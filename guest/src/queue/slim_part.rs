//! The bytes of a shard's slim tasks, as another instance reads them when
//! it merges the shards: all the text first, then the numbers, then a
//! footer with the counts.
//!
//! - **Read in one pass, lent from:** the reader checks once that the text
//!   is UTF-8 and once that every string ends on a character, then lends
//!   each task's strings from it. A merge of 100,000 tasks so costs one list
//!   and no allocation per task: decoding field by field, as a serde format
//!   does, took the merge longer than building the dependency graph.
//! - **Written in place:** the text grows in the buffer that becomes the
//!   part, the numbers (a few bytes a task) beside it, and the footer last,
//!   so a shard never holds its part twice: memory in a component never
//!   shrinks.
//!
//! The layout is ours (the host only carries the bytes):
//!
//! | bytes | what |
//! | --- | --- |
//! | text | every string, UTF-8, a task's after the one before's |
//! | numbers | per task, LEB128 varints (read by `Numbers`) |
//! | 16 | the tasks, the text's bytes and the numbers' bytes, as little-endian `u32`s, then `MAGIC` |
//!
//! A task's numbers, in order: the byte lengths of `id` and `name` (an
//! optional one plus one, 0 for `None`), `status` as its place in
//! `KNOWN_STATUSES` for a known one (no text) or as its length plus five,
//! the lengths of `workflow` and `error_line`,
//! the count of `dependencies` and each one's length, `priority` (zigzag),
//! and each of `created_at`, `started_at` and `completed_at` as a byte, 0
//! for `None` and 1 for an instant, then its seconds as a little-endian
//! `i64` (a varint would take as many bytes, and longer to read) and its
//! nanoseconds (zigzag). The strings follow one another in the text in
//! that order. A known status is told in the scan, where the shards run
//! side by side, so that the merge never compares status text.

use jiff::Timestamp;

use super::queue_part::{DependencyIds, SlimTask, SlimTime};
use super::task_file::{LentTask, Text, normalize_status};
use super::task_status::TaskStatus;
use crate::error::Error;
use crate::model::{KNOWN_STATUSES, Task};

/// Tells this layout from anything else the host might hand over.
const MAGIC: [u8; 4] = *b"slm3";
const FOOTER: usize = 16;

/// What a slim task keeps of a task, whole or lent: `status` as spelled.
struct Fields<'t> {
    id: &'t str,
    name: Option<&'t str>,
    status: &'t str,
    workflow: Option<&'t str>,
    error: Option<&'t str>,
    priority: i64,
    instants: [Option<Timestamp>; 3],
}

/// A shard's slim tasks, written as the scan reads them.
#[derive(Debug, Clone, Default)]
pub struct SlimPart {
    /// The text so far; the part's bytes once the numbers and footer follow.
    bytes: Vec<u8>,
    numbers: Vec<u8>,
    tasks: u32,
}

impl SlimPart {
    pub fn push(&mut self, task: &Task) {
        let listed = task.dependencies.as_deref().unwrap_or_default();
        let fields = Fields {
            id: &task.id,
            name: task.name.as_deref(),
            status: &task.status,
            workflow: task.workflow.as_deref(),
            error: task.error.as_deref(),
            priority: task.priority,
            instants: [task.created_at, task.started_at, task.completed_at],
        };
        self.push_fields(fields, listed.iter().map(String::as_str));
    }

    /// A task lent from its file's bytes, as [`SlimPart::push`] pushes it
    /// made whole: its status is normalized here.
    pub fn push_lent(&mut self, task: &LentTask<'_>) {
        let listed = task.dependencies.as_deref().unwrap_or_default();
        let fields = Fields {
            id: task.id.as_str(),
            name: task.name.as_ref().map(Text::as_str),
            status: task.status.as_str(),
            workflow: task.workflow.as_ref().map(Text::as_str),
            error: task.error.as_ref().map(Text::as_str),
            priority: task.priority.unwrap_or(0),
            instants: [task.created_at, task.started_at, task.completed_at],
        };
        self.push_fields(fields, listed.iter().map(Text::as_str));
    }

    fn push_fields<'t>(&mut self, task: Fields<'t>, dependencies: impl ExactSizeIterator<Item = &'t str>) {
        self.string(task.id);
        self.optional(task.name);
        let status = TaskStatus::of_spelled(task.status);
        match status.rank() {
            Some(rank) => varint(&mut self.numbers, rank as u64),
            None => {
                let text = normalize_status(task.status);
                varint(&mut self.numbers, (text.len() + KNOWN_STATUSES.len()) as u64);
                self.bytes.extend_from_slice(text.as_bytes());
            }
        }
        self.optional(task.workflow);
        self.optional(task.error.and_then(|error| SlimTask::error_line(status, error)));
        varint(&mut self.numbers, dependencies.len() as u64);
        for id in dependencies {
            self.string(id);
        }
        varint(&mut self.numbers, zigzag(task.priority));
        for instant in task.instants {
            match instant {
                None => self.numbers.push(0),
                Some(t) => {
                    self.numbers.push(1);
                    self.numbers.extend(t.as_second().to_le_bytes());
                    varint(&mut self.numbers, zigzag(i64::from(t.subsec_nanosecond())));
                }
            }
        }
        self.tasks = self.tasks.saturating_add(1);
    }

    /// Room for `tasks` more: made once, room costs less than room grown
    /// into, which doubles.
    pub fn reserve(&mut self, tasks: usize) {
        // About what a task of a uuid, a name and one dependency takes.
        self.bytes.reserve(tasks.saturating_mul(128));
        self.numbers.reserve(tasks.saturating_mul(24));
    }

    pub fn into_bytes(mut self) -> Vec<u8> {
        let text = self.bytes.len();
        // Exactly, if at all: growing would double the room.
        self.bytes.reserve_exact(self.numbers.len() + FOOTER);
        self.bytes.extend_from_slice(&self.numbers);
        for count in [self.tasks as usize, text, self.numbers.len()] {
            self.bytes.extend(u32::try_from(count).unwrap_or(u32::MAX).to_le_bytes());
        }
        self.bytes.extend(MAGIC);
        self.bytes
    }

    fn string(&mut self, s: &str) {
        varint(&mut self.numbers, s.len() as u64);
        self.bytes.extend_from_slice(s.as_bytes());
    }

    fn optional(&mut self, s: Option<&str>) {
        match s {
            None => varint(&mut self.numbers, 0),
            Some(s) => {
                varint(&mut self.numbers, s.len() as u64 + 1);
                self.bytes.extend_from_slice(s.as_bytes());
            }
        }
    }
}

fn varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn zigzag(n: i64) -> u64 {
    ((n << 1) ^ (n >> 63)) as u64
}

fn unzigzag(n: u64) -> i64 {
    (n >> 1) as i64 ^ -((n & 1) as i64)
}

/// Every part's slim tasks, in order, borrowed from their bytes.
pub fn read_all(parts: &[Vec<u8>]) -> Result<Vec<SlimTask<'_>>, Error> {
    let split = parts.iter().map(|bytes| split(bytes)).collect::<Result<Vec<_>, _>>()?;
    let mut tasks = Vec::with_capacity(split.iter().map(|(count, ..)| *count).sum());
    for (count, text, numbers) in split {
        let mut reader = Numbers { bytes: numbers, text, cursor: 0 };
        for _ in 0..count {
            tasks.push(reader.task().ok_or_else(|| refused("a task out of range"))?);
        }
        if !reader.bytes.is_empty() || reader.cursor != text.len() {
            return Err(refused("bytes after its last task"));
        }
    }
    Ok(tasks)
}

fn refused(why: &str) -> Error {
    Error::argument("parts", format!("not a part this component wrote: {why}"))
}

/// A part's count of tasks, its text and its numbers.
fn split(bytes: &[u8]) -> Result<(usize, &str, &[u8]), Error> {
    let Some((body, footer)) = bytes.split_last_chunk::<FOOTER>() else { return Err(refused("no footer")) };
    if footer[12..] != MAGIC {
        return Err(refused("an unknown layout"));
    }
    let word = |i: usize| u32::from_le_bytes([footer[i], footer[i + 1], footer[i + 2], footer[i + 3]]) as usize;
    let (count, text, numbers) = (word(0), word(4), word(8));
    if text.checked_add(numbers) != Some(body.len()) {
        return Err(refused("its counts do not add up to its length"));
    }
    let (text, numbers) = body.split_at(text);
    let text = std::str::from_utf8(text).map_err(|e| refused(&format!("its text is not UTF-8: {e}")))?;
    // Every task takes several bytes of numbers: a larger count is not ours.
    Ok((count.min(numbers.len()), text, numbers))
}

/// A part's numbers, read in step with its text; `None` past their end or
/// for a string that does not fit the text.
struct Numbers<'b> {
    bytes: &'b [u8],
    text: &'b str,
    /// Where the next string begins in the text.
    cursor: usize,
}

impl<'b> Numbers<'b> {
    fn task(&mut self) -> Option<SlimTask<'b>> {
        let id = self.string()?;
        let name = self.optional()?;
        let (status, status_kind) = self.status()?;
        let workflow = self.optional()?;
        let error_line = self.optional()?;
        let count = self.next()? as usize;
        let (lengths, text_from) = (self.bytes, self.cursor);
        for _ in 0..count {
            self.string()?;
        }
        let lengths = &lengths[..lengths.len() - self.bytes.len()];
        let dependencies =
            DependencyIds::Packed { text: self.text.get(text_from..self.cursor)?, lengths, count: count as u32 };
        Some(SlimTask {
            id,
            name,
            status,
            status_kind,
            dependencies,
            priority: unzigzag(self.next()?),
            created_at: self.instant()?,
            started_at: self.instant()?,
            completed_at: self.instant()?,
            workflow,
            error_line,
        })
    }

    fn next(&mut self) -> Option<u64> {
        let (n, rest) = read_varint(self.bytes)?;
        self.bytes = rest;
        Some(n)
    }

    fn string(&mut self) -> Option<&'b str> {
        let len = self.next()? as usize;
        self.take(len)
    }

    fn status(&mut self) -> Option<(&'b str, TaskStatus)> {
        let code = self.next()? as usize;
        match TaskStatus::known(code) {
            Some(known) => Some((KNOWN_STATUSES[code], known)),
            None => Some((self.take(code - KNOWN_STATUSES.len())?, TaskStatus::Other)),
        }
    }

    fn optional(&mut self) -> Option<Option<&'b str>> {
        match self.next()? as usize {
            0 => Some(None),
            n => self.take(n - 1).map(Some),
        }
    }

    fn take(&mut self, len: usize) -> Option<&'b str> {
        let s = self.text.get(self.cursor..self.cursor.checked_add(len)?)?;
        self.cursor += len;
        Some(s)
    }

    fn instant(&mut self) -> Option<SlimTime> {
        let (&present, rest) = self.bytes.split_first()?;
        self.bytes = rest;
        if present == 0 {
            return Some(SlimTime::NONE);
        }
        let (second, rest) = self.bytes.split_first_chunk::<8>()?;
        self.bytes = rest;
        let nanos = i32::try_from(unzigzag(self.next()?)).ok()?;
        Timestamp::new(i64::from_le_bytes(*second), nanos).ok().map(|at| SlimTime::from(Some(at)))
    }
}

/// A varint and the bytes after it; `None` for one cut short or too long.
fn read_varint(bytes: &[u8]) -> Option<(u64, &[u8])> {
    // Most are lengths under 128: one byte.
    if let Some((&b, rest)) = bytes.split_first()
        && b < 0x80
    {
        return Some((u64::from(b), rest));
    }
    let mut n = 0u64;
    for (i, &b) in bytes.iter().enumerate().take(10) {
        n |= u64::from(b & 0x7f) << (7 * i);
        if b < 0x80 {
            return Some((n, &bytes[i + 1..]));
        }
    }
    None
}

/// The ids of a packed dependency list: `text` holds them one after
/// another, `lengths` their byte lengths as varints, both checked when the
/// part was read.
pub struct PackedIds<'b> {
    text: &'b str,
    lengths: &'b [u8],
}

impl<'b> PackedIds<'b> {
    pub(super) fn new(text: &'b str, lengths: &'b [u8]) -> Self {
        PackedIds { text, lengths }
    }
}

impl<'b> Iterator for PackedIds<'b> {
    type Item = &'b str;

    fn next(&mut self) -> Option<&'b str> {
        let (len, rest) = read_varint(self.lengths)?;
        self.lengths = rest;
        let (id, after) = self.text.split_at_checked(len as usize)?;
        self.text = after;
        Some(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_survives_the_bytes() {
        let task = Task {
            id: "t1".into(),
            name: Some("deploy".into()),
            command: Some("kubectl".into()),
            output: Some("lots".into()),
            dependencies: Some(vec!["t0".into(), "tø".into(), String::new()]),
            status: "failed".into(),
            priority: -3,
            created_at: Some("2025-10-01T00:00:00.5Z".parse().unwrap()),
            // Before the epoch, the seconds and their fraction are both negative.
            started_at: Some("1969-12-31T23:59:58.25Z".parse().unwrap()),
            error: Some("  exit 1: refused \nstack".into()),
            workflow: Some("".into()),
            ..Task::default()
        };
        let bare = Task { id: "t0".into(), priority: i64::MIN, completed_at: Some(Timestamp::MAX), ..Task::default() };
        let paused = Task { id: "t2".into(), status: "paused".into(), name: Some("n".into()), ..Task::default() };
        let mut part = SlimPart::default();
        part.push(&task);
        part.push(&bare);
        part.push(&paused);
        let parts = vec![part.into_bytes(), SlimPart::default().into_bytes()];
        let slim = read_all(&parts).unwrap();
        assert_eq!(slim.len(), 3);
        let t = &slim[0];
        assert_eq!(
            (t.id, t.name, t.status, t.workflow, t.error_line),
            ("t1", Some("deploy"), "failed", Some(""), Some("exit 1: refused"))
        );
        assert_eq!(t.dependencies.iter().collect::<Vec<_>>(), ["t0", "tø", ""]);
        assert_eq!(t.dependencies.len(), 3);
        assert_eq!(
            (t.priority, t.created_at.get(), t.started_at.get(), t.completed_at.get()),
            (-3, task.created_at, task.started_at, None)
        );
        let b = &slim[1];
        assert_eq!(
            (b.id, b.name, b.status, b.priority, b.completed_at.get()),
            ("t0", None, "", i64::MIN, Some(Timestamp::MAX))
        );
        assert!(b.dependencies.is_empty());
        // A known status is kept as its place, any other as its text.
        let statuses: Vec<_> = slim.iter().map(|t| (t.status, t.status_kind)).collect();
        assert_eq!(statuses, [("failed", TaskStatus::Failed), ("", TaskStatus::Other), ("paused", TaskStatus::Other)]);
        assert_eq!((slim[2].id, slim[2].name), ("t2", Some("n")));
    }

    #[test]
    fn a_task_lent_from_its_file_is_written_as_the_task_made_whole() {
        let files: [&[u8]; 5] = [
            br#"{"id": "a", "status": "Failed", "name": "n\u00e9", "error": " exit 1 \nmore", "dependencies": ["b", "c\"d"],
                "priority": 4, "created_at": "2025-10-08T12:00:00+02:00", "workflow": "w", "output": "o", "args": ["x"]}"#,
            br#"{"id": "b", "status": " CANCELED ", "error": "\n"}"#,
            br#"{"id": "c", "status": "Paused", "completed_at": "2025-10-08T12:00:00.25Z"}"#,
            br#"{"id": "d", "status": "completed", "error": "kept only when failed", "dependencies": []}"#,
            br#"{"id": "e\t", "status": "pending", "name": null, "dependencies": null}"#,
        ];
        for file in files {
            let (mut lent, mut whole) = (SlimPart::default(), SlimPart::default());
            lent.push_lent(&LentTask::parse("t.json", file).unwrap());
            whole.push(&crate::queue::task_file::parse_task("t.json", file).unwrap());
            assert_eq!(lent.into_bytes(), whole.into_bytes(), "{}", String::from_utf8_lossy(file));
        }
    }

    #[test]
    fn bytes_this_component_did_not_write_are_refused() {
        let mut part = SlimPart::default();
        part.push(&Task { id: "tø".into(), dependencies: Some(vec!["u".into()]), ..Task::default() });
        let good = part.into_bytes();
        let refused = |bytes: Vec<u8>| matches!(read_all(&[bytes]), Err(Error::InvalidArgument { .. }));
        assert!(!refused(good.clone()));
        assert!(refused(vec![0xff; 3]));
        assert!(refused([&good[..good.len() - 4], b"nope".as_slice()].concat()));
        assert!(refused(good[1..].to_vec()));
        // A length that ends inside a character, or past the text.
        for id_len in [2, 9] {
            let mut cut = good.clone();
            cut[4] = id_len;
            assert!(refused(cut));
        }
        // Text that is not UTF-8.
        let mut garbled = good.clone();
        garbled[1] = 0xff;
        assert!(refused(garbled));
    }
}
