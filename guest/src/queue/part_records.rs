//! The bytes a shard hands over for another instance of this component to
//! read, where each record is small and fixed in shape: records one after
//! another, in postcard (the graph nodes of `orch tasks --state`, see
//! [`super::graph_part`]). A part's slim tasks, many strings each, have a
//! layout of their own ([`super::slim_part`]). The host only carries the
//! bytes, so their form is ours.
//!
//! A shard appends each record as it scans, so it never holds the records
//! themselves, and the reader borrows every string from the bytes, so that
//! 100,000 records cost no allocation of their own but one list each. The
//! count comes first, so that the reader makes room for them all at once.

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// How many records follow, as a little-endian `u32`: the reader makes
/// room for them all at once.
const COUNT: usize = 4;

/// Records written one at a time, after their count.
#[derive(Debug, Clone, PartialEq)]
pub struct PartRecords {
    bytes: Vec<u8>,
    records: usize,
}

impl Default for PartRecords {
    fn default() -> Self {
        PartRecords { bytes: vec![0; COUNT], records: 0 }
    }
}

impl PartRecords {
    /// Appends `record`; its place among the records.
    pub fn push(&mut self, record: &impl Serialize) -> usize {
        // Records are plain strings, numbers and lists: writing them to memory cannot fail.
        let bytes = std::mem::take(&mut self.bytes);
        self.bytes = postcard::to_extend(record, bytes).unwrap_or_default();
        self.records += 1;
        self.records - 1
    }

    /// Room for `records` more of about `size` bytes each: room made once
    /// costs less than room grown into, in a memory that never shrinks.
    pub fn reserve(&mut self, records: usize, size: usize) {
        self.bytes.reserve(records.saturating_mul(size));
    }

    pub fn len(&self) -> usize {
        self.records
    }

    pub fn is_empty(&self) -> bool {
        self.records == 0
    }

    pub fn into_bytes(mut self) -> Vec<u8> {
        let count = u32::try_from(self.records).unwrap_or(u32::MAX);
        self.bytes[..COUNT].copy_from_slice(&count.to_le_bytes());
        self.bytes
    }
}

/// The count a part's bytes begin with, and the records after it.
fn split<'b>(bytes: &'b [u8], what: &str) -> Result<(usize, &'b [u8]), Error> {
    let Some((count, records)) = bytes.split_first_chunk::<COUNT>() else {
        return Err(Error::argument(what, "not a part this component wrote: no count"));
    };
    // Every record takes a byte at least: a larger count is not ours.
    Ok((usize::try_from(u32::from_le_bytes(*count)).unwrap_or(usize::MAX).min(records.len()), records))
}

/// Every record of `bytes`, borrowed from them; `what` names the argument
/// in the error for bytes this component did not write.
pub fn read<'b, T: Deserialize<'b>>(bytes: &'b [u8], what: &str) -> Result<Vec<T>, Error> {
    let (count, _) = split(bytes, what)?;
    let mut records = Vec::with_capacity(count);
    read_into(bytes, what, &mut records)?;
    Ok(records)
}

/// The records of several parts, in order, as one list.
pub fn read_all<'b, T: Deserialize<'b>>(parts: &'b [Vec<u8>], what: &str) -> Result<Vec<T>, Error> {
    let counts = parts.iter().map(|part| split(part, what).map(|(count, _)| count)).collect::<Result<Vec<_>, _>>()?;
    let mut records = Vec::with_capacity(counts.iter().sum());
    for part in parts {
        read_into(part, what, &mut records)?;
    }
    Ok(records)
}

fn read_into<'b, T: Deserialize<'b>>(bytes: &'b [u8], what: &str, records: &mut Vec<T>) -> Result<(), Error> {
    let (_, mut bytes) = split(bytes, what)?;
    while !bytes.is_empty() {
        let (record, rest) = postcard::take_from_bytes(bytes)
            .map_err(|e| Error::argument(what, format!("not a part this component wrote: {e}")))?;
        records.push(record);
        bytes = rest;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Pair<'b> {
        name: &'b str,
        #[serde(borrow)]
        items: Vec<&'b str>,
    }

    #[test]
    fn records_come_back_in_order_borrowed_and_foreign_bytes_are_refused() {
        let mut part = PartRecords::default();
        assert_eq!(part.push(&Pair { name: "a", items: vec!["x", "y"] }), 0);
        assert_eq!(part.push(&Pair { name: "b", items: vec![] }), 1);
        let bytes = vec![part.into_bytes(), PartRecords::default().into_bytes()];
        let records: Vec<Pair> = read_all(&bytes, "parts").unwrap();
        assert_eq!(records, [Pair { name: "a", items: vec!["x", "y"] }, Pair { name: "b", items: vec![] }]);
        assert!(matches!(read::<Pair>(&[0, 0, 0, 0, 0xff, 0xff, 0xff], "parts"), Err(Error::InvalidArgument { .. })));
        assert!(matches!(read::<Pair>(&[], "parts"), Err(Error::InvalidArgument { .. })));
    }
}
