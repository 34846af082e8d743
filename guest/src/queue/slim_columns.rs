//! The bytes of a shard's slim tasks, as another instance reads them when
//! it merges the shards: a row of numbers per task, then the place of
//! every dependency, then all the text.
//!
//! The reader checks that the text is UTF-8 once and that every place
//! lies inside it once, then lends each task's strings from it. A merge of
//! 100,000 tasks so costs one list and no allocation per task: decoding
//! field by field, as a serde format does, took the merge longer than
//! building the dependency graph.
//!
//! The layout is ours (the host only carries the bytes), little-endian:
//!
//! | bytes | what |
//! | --- | --- |
//! | 16 | `MAGIC`, then the counts of rows, of dependencies and of text bytes, each a `u32` |
//! | rows × `ROW` | a [`Row`] per task, as `u32` words |
//! | dependencies × 8 | a [`Place`] per dependency, the tasks' lists one after another |
//! | text | every string, UTF-8 |

use jiff::Timestamp;

use super::queue_part::{DependencyIds, SlimTask};
use crate::error::Error;
use crate::model::Task;

/// Tells this layout from anything else the host might hand over.
const MAGIC: [u8; 4] = *b"slm1";
const HEADER: usize = 16;
const WORD: usize = 4;
/// The words of a [`Row`].
const ROW_WORDS: usize = 23;
const ROW: usize = ROW_WORDS * WORD;
const PLACE: usize = 2 * WORD;
/// The length word of an absent string.
const ABSENT: u32 = u32::MAX;
/// The nanoseconds word of an absent instant: no `Timestamp` has it.
const NO_INSTANT: u32 = i32::MIN as u32;

/// Where a string sits in the text: its offset and length in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Place {
    offset: u32,
    len: u32,
}

/// One task's numbers, in word order: the places of `id`, `name`,
/// `status`, `workflow` and `error_line`; the first dependency and how
/// many; `priority` as two words; each instant as three (seconds as two,
/// then nanoseconds).
struct Row;

impl Row {
    const ID: usize = 0;
    const NAME: usize = 2;
    const STATUS: usize = 4;
    const WORKFLOW: usize = 6;
    const ERROR_LINE: usize = 8;
    const DEPENDENCIES: usize = 10;
    const PRIORITY: usize = 12;
    const CREATED_AT: usize = 14;
    const STARTED_AT: usize = 17;
    const COMPLETED_AT: usize = 20;
}

/// A shard's slim tasks, written as the scan reads them.
#[derive(Debug, Clone, Default)]
pub struct SlimColumns {
    rows: Vec<u32>,
    dependencies: Vec<u32>,
    text: String,
}

impl SlimColumns {
    pub fn push(&mut self, task: &Task) {
        let mut row = [0u32; ROW_WORDS];
        let mut place = |at: usize, s: Option<&str>, row: &mut [u32; ROW_WORDS]| {
            let place = s.map_or(Place { offset: 0, len: ABSENT }, |s| self.add_text(s));
            row[at] = place.offset;
            row[at + 1] = place.len;
        };
        place(Row::ID, Some(&task.id), &mut row);
        place(Row::NAME, task.name.as_deref(), &mut row);
        place(Row::STATUS, Some(&task.status), &mut row);
        place(Row::WORKFLOW, task.workflow.as_deref(), &mut row);
        place(Row::ERROR_LINE, SlimTask::error_line_of(task), &mut row);
        let listed = task.dependencies.as_deref().unwrap_or_default();
        row[Row::DEPENDENCIES] = word(self.dependencies.len() / 2);
        row[Row::DEPENDENCIES + 1] = word(listed.len());
        for id in listed {
            let place = self.add_text(id);
            self.dependencies.extend([place.offset, place.len]);
        }
        let priority = task.priority as u64;
        row[Row::PRIORITY] = priority as u32;
        row[Row::PRIORITY + 1] = (priority >> 32) as u32;
        for (at, instant) in [
            (Row::CREATED_AT, task.created_at),
            (Row::STARTED_AT, task.started_at),
            (Row::COMPLETED_AT, task.completed_at),
        ] {
            let (second, nanos) =
                instant.map_or((0, NO_INSTANT), |t| (t.as_second() as u64, t.subsec_nanosecond() as u32));
            row[at] = second as u32;
            row[at + 1] = (second >> 32) as u32;
            row[at + 2] = nanos;
        }
        self.rows.extend(row);
    }

    /// Room for `tasks` more of about `text` bytes of strings each: room
    /// made once costs less than room grown into, in a memory that never
    /// shrinks.
    pub fn reserve(&mut self, tasks: usize, text: usize) {
        self.rows.reserve(tasks.saturating_mul(ROW_WORDS));
        self.dependencies.reserve(tasks.saturating_mul(2));
        self.text.reserve(tasks.saturating_mul(text));
    }

    pub fn into_bytes(self) -> Vec<u8> {
        let rows = self.rows.len() / ROW_WORDS;
        let mut bytes =
            Vec::with_capacity(HEADER + (self.rows.len() + self.dependencies.len()) * WORD + self.text.len());
        bytes.extend(MAGIC);
        for count in [rows, self.dependencies.len() / 2, self.text.len()] {
            bytes.extend(word(count).to_le_bytes());
        }
        for w in self.rows.iter().chain(&self.dependencies) {
            bytes.extend(w.to_le_bytes());
        }
        bytes.extend(self.text.as_bytes());
        bytes
    }

    fn add_text(&mut self, s: &str) -> Place {
        let offset = word(self.text.len());
        self.text.push_str(s);
        Place { offset, len: word(s.len()) }
    }
}

/// A count or an offset as a word. More than 4 GiB of text cannot be in
/// the component's memory; were it, the reader would refuse the places.
fn word(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(ABSENT - 1)
}

/// Every part's slim tasks, in order, borrowed from their bytes.
pub fn read_all(parts: &[Vec<u8>]) -> Result<Vec<SlimTask<'_>>, Error> {
    let tables = parts.iter().map(|bytes| Table::of(bytes)).collect::<Result<Vec<_>, _>>()?;
    let mut tasks = Vec::with_capacity(tables.iter().map(|t| t.rows.len() / ROW).sum());
    for table in tables {
        table.read_into(&mut tasks)?;
    }
    Ok(tasks)
}

/// One part's bytes, split and checked.
struct Table<'b> {
    rows: &'b [u8],
    places: &'b [u8],
    text: &'b str,
}

impl<'b> Table<'b> {
    fn of(bytes: &'b [u8]) -> Result<Self, Error> {
        let refused = |why: &str| Error::argument("parts", format!("not a part this component wrote: {why}"));
        let Some((header, body)) = bytes.split_first_chunk::<HEADER>() else { return Err(refused("no header")) };
        if header[..WORD] != MAGIC {
            return Err(refused("an unknown layout"));
        }
        let count = |i: usize| words(&header[i * WORD..]).next().unwrap_or(0) as usize;
        let (rows, places, text) = (count(1), count(2), count(3));
        let sizes = [rows.checked_mul(ROW), places.checked_mul(PLACE)];
        let [Some(row_bytes), Some(place_bytes)] = sizes else { return Err(refused("counts out of range")) };
        if body.len() != row_bytes + place_bytes + text {
            return Err(refused("its counts do not add up to its length"));
        }
        let (rows, rest) = body.split_at(row_bytes);
        let (places, text) = rest.split_at(place_bytes);
        let text = std::str::from_utf8(text).map_err(|e| refused(&format!("its text is not UTF-8: {e}")))?;
        let table = Table { rows, places, text };
        let outside = places.chunks_exact(PLACE).any(|p| {
            let mut w = words(p);
            let place = Place { offset: w.next().unwrap_or(0), len: w.next().unwrap_or(ABSENT) };
            table.text(place).is_none()
        });
        if outside {
            return Err(refused("a dependency outside its text"));
        }
        Ok(table)
    }

    fn read_into(&self, tasks: &mut Vec<SlimTask<'b>>) -> Result<(), Error> {
        let refused = || Error::argument("parts", "not a part this component wrote: a row out of range");
        for row in self.rows.chunks_exact(ROW) {
            let mut w = [0u32; ROW_WORDS];
            for (slot, value) in w.iter_mut().zip(words(row)) {
                *slot = value;
            }
            let string = |at: usize| -> Result<Option<&'b str>, Error> {
                let place = Place { offset: w[at], len: w[at + 1] };
                if place.len == ABSENT { Ok(None) } else { self.text(place).map(Some).ok_or_else(refused) }
            };
            let required = |at: usize| string(at)?.ok_or_else(refused);
            let instant = |at: usize| -> Result<Option<Timestamp>, Error> {
                if w[at + 2] == NO_INSTANT {
                    return Ok(None);
                }
                let second = (u64::from(w[at + 1]) << 32 | u64::from(w[at])) as i64;
                Timestamp::new(second, w[at + 2] as i32).map(Some).map_err(|_| refused())
            };
            let (first, count) = (w[Row::DEPENDENCIES] as usize, w[Row::DEPENDENCIES + 1] as usize);
            let places = first
                .checked_mul(PLACE)
                .zip(first.checked_add(count).and_then(|end| end.checked_mul(PLACE)))
                .and_then(|(from, to)| self.places.get(from..to))
                .ok_or_else(refused)?;
            tasks.push(SlimTask {
                id: required(Row::ID)?,
                name: string(Row::NAME)?,
                status: required(Row::STATUS)?,
                dependencies: DependencyIds::Packed { text: self.text, places },
                priority: (u64::from(w[Row::PRIORITY + 1]) << 32 | u64::from(w[Row::PRIORITY])) as i64,
                created_at: instant(Row::CREATED_AT)?,
                started_at: instant(Row::STARTED_AT)?,
                completed_at: instant(Row::COMPLETED_AT)?,
                workflow: string(Row::WORKFLOW)?,
                error_line: string(Row::ERROR_LINE)?,
            });
        }
        Ok(())
    }

    fn text(&self, place: Place) -> Option<&'b str> {
        let from = place.offset as usize;
        self.text.get(from..from.checked_add(place.len as usize)?)
    }
}

/// The little-endian words of `bytes`, a trailing part of a word left out.
fn words(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bytes.chunks_exact(WORD).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
}

/// The dependency ids of a packed list: each place, checked when the part
/// was read, lent from the text.
pub(super) fn packed_ids<'b>(text: &'b str, places: &'b [u8]) -> impl Iterator<Item = &'b str> + 'b {
    let mut w = words(places);
    std::iter::from_fn(move || {
        let (offset, len) = (w.next()? as usize, w.next()? as usize);
        // Checked in `Table::of`: never empty for a real dependency.
        Some(text.get(offset..offset + len).unwrap_or_default())
    })
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
            dependencies: Some(vec!["t0".into(), "tø".into()]),
            status: "failed".into(),
            priority: -3,
            created_at: Some("2025-10-01T00:00:00.5Z".parse().unwrap()),
            // Before the epoch, the seconds and their fraction are both negative.
            started_at: Some("1969-12-31T23:59:58.25Z".parse().unwrap()),
            error: Some("  exit 1: refused \nstack".into()),
            workflow: Some("wf".into()),
            ..Task::default()
        };
        let bare = Task { id: "t0".into(), priority: i64::MIN, ..Task::default() };
        let mut part = SlimColumns::default();
        part.push(&task);
        part.push(&bare);
        let parts = vec![part.into_bytes(), SlimColumns::default().into_bytes()];
        let slim = read_all(&parts).unwrap();
        assert_eq!(slim.len(), 2);
        let t = &slim[0];
        assert_eq!(
            (t.id, t.name, t.status, t.workflow, t.error_line),
            ("t1", Some("deploy"), "failed", Some("wf"), Some("exit 1: refused"))
        );
        assert_eq!(t.dependencies.iter().collect::<Vec<_>>(), ["t0", "tø"]);
        assert_eq!(
            (t.priority, t.created_at, t.started_at, t.completed_at),
            (-3, task.created_at, task.started_at, None)
        );
        let b = &slim[1];
        assert_eq!((b.id, b.name, b.status, b.priority, b.created_at), ("t0", None, "", i64::MIN, None));
        assert!(b.dependencies.is_empty());
    }

    #[test]
    fn bytes_this_component_did_not_write_are_refused() {
        let mut part = SlimColumns::default();
        part.push(&Task { id: "t".into(), dependencies: Some(vec!["u".into()]), ..Task::default() });
        let good = part.into_bytes();
        let refused = |bytes: Vec<u8>| matches!(read_all(&[bytes]), Err(Error::InvalidArgument { .. }));
        assert!(refused(vec![0xff; 3]));
        assert!(refused([b"nope".as_slice(), &good[4..]].concat()));
        assert!(refused(good[..good.len() - 1].to_vec()));
        // A dependency's place past the text.
        let mut far = good.clone();
        let place = HEADER + ROW;
        far[place..place + 4].copy_from_slice(&99u32.to_le_bytes());
        assert!(refused(far));
        // Text that is not UTF-8.
        let mut garbled = good.clone();
        let last = garbled.len() - 1;
        garbled[last] = 0xff;
        assert!(refused(garbled));
    }
}
