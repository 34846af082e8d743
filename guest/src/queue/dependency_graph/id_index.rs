//! Each id's first task, for resolving every dependency of the queue at
//! once. Looking up an id in a map keyed by the ids costs, with 100,000
//! tasks, two misses of the cache one after the other: the map's slot,
//! then the text of the id in it, to compare. Here the table holds task
//! indices beside their ids' hashes, small enough to stay in the cache,
//! and [`IdIndex::first_tasks`] looks every id up in two passes: probes
//! that read no id text, then the comparisons, independent of one another,
//! whose misses the processor overlaps. Open addressing with linear
//! probing, at most half full: a probe mostly reads one slot.

use std::hash::BuildHasher;

use rustc_hash::FxBuildHasher;

use super::{GraphTask, NONE};

#[derive(Debug, Clone)]
pub(super) struct IdIndex<'t> {
    /// Each task's id, by index.
    ids: Vec<&'t str>,
    /// Each task's id's hash, by index.
    hashes: Vec<u32>,
    /// Task indices, [`EMPTY`] where there is none; a power of two long.
    slots: Vec<u32>,
}

const EMPTY: u32 = u32::MAX;

impl<'t> IdIndex<'t> {
    pub fn build<T: GraphTask>(tasks: &'t [T]) -> Self {
        let ids: Vec<&str> = tasks.iter().map(|task| task.id()).collect();
        let hashes: Vec<u32> = ids.iter().map(|id| hash(id)).collect();
        let mut index = IdIndex { slots: vec![EMPTY; (ids.len() * 2).next_power_of_two().max(8)], ids, hashes };
        for i in 0..index.ids.len() {
            let (h, id) = (index.hashes[i], index.ids[i]);
            let mut at = index.start(h);
            loop {
                match index.slots[at] {
                    EMPTY => {
                        index.slots[at] = i as u32;
                        break;
                    }
                    // A later task with an id already indexed: the first one stands.
                    j if index.is(j, h, id) => break,
                    _ => at = index.next(at),
                }
            }
        }
        index
    }

    /// The first task with this id.
    pub fn get(&self, id: &str) -> Option<usize> {
        let h = hash(id);
        self.probe(h, |j| self.is(j, h, id))
    }

    /// Each id's first task, or [`NONE`] for one that no task has.
    pub fn first_tasks(&self, ids: &[&str]) -> Vec<usize> {
        // The first task whose id has the same hash: almost always the one.
        let candidates: Vec<Option<usize>> = ids
            .iter()
            .map(|id| {
                let h = hash(id);
                self.probe(h, |j| self.hashes[j as usize] == h)
            })
            .collect();
        ids.iter()
            .zip(candidates)
            .map(|(&id, candidate)| match candidate {
                Some(j) if same_id(self.ids[j], id) => j,
                // Two ids of one hash, or one that no task has: looked up whole.
                Some(_) => self.get(id).unwrap_or(NONE),
                None => NONE,
            })
            .collect()
    }

    /// The first task, in probe order from `h`'s slot, that `found` accepts.
    fn probe(&self, h: u32, found: impl Fn(u32) -> bool) -> Option<usize> {
        let mut at = self.start(h);
        loop {
            match self.slots[at] {
                EMPTY => return None,
                j if found(j) => return Some(j as usize),
                _ => at = self.next(at),
            }
        }
    }

    fn is(&self, j: u32, h: u32, id: &str) -> bool {
        self.hashes[j as usize] == h && same_id(self.ids[j as usize], id)
    }

    fn start(&self, h: u32) -> usize {
        h as usize & (self.slots.len() - 1)
    }

    fn next(&self, at: usize) -> usize {
        (at + 1) & (self.slots.len() - 1)
    }
}

/// Two ids' bytes compared eight at a time: in wasm, `memcmp` goes one
/// byte at a time, and ids are mostly uuids.
fn same_id(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let ((a_words, a_rest), (b_words, b_rest)) = (a.as_chunks::<8>(), b.as_chunks::<8>());
    a_words.iter().zip(b_words).all(|(x, y)| u64::from_ne_bytes(*x) == u64::from_ne_bytes(*y))
        && a_rest.iter().zip(b_rest).all(|(x, y)| x == y)
}

fn hash(id: &str) -> u32 {
    FxBuildHasher.hash_one(id) as u32
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::model::Task;

    fn tasks(ids: &[&str]) -> Vec<Task> {
        ids.iter().map(|&id| Task { id: id.into(), ..Task::default() }).collect()
    }

    /// Two ids of one hash, found by trying ids in turn (a birthday search
    /// over 32 bits takes some 80,000).
    fn colliding() -> (String, String) {
        let mut seen = HashMap::new();
        for n in 0.. {
            let id = format!("task-{n}");
            if let Some(other) = seen.insert(hash(&id), id.clone()) {
                return (other, id);
            }
        }
        unreachable!()
    }

    #[test]
    fn an_id_names_its_first_task() {
        let queue = tasks(&["a", "b", "a", "", "c"]);
        let index = IdIndex::build(&queue);
        assert_eq!(["a", "b", "c", "", "z"].map(|id| index.get(id)), [Some(0), Some(1), Some(4), Some(3), None]);
        assert_eq!(index.first_tasks(&["c", "a", "zz", "a"]), [4, 0, NONE, 0]);
    }

    #[test]
    fn ids_of_one_hash_are_told_apart_by_their_text() {
        let (first, second) = colliding();
        assert_eq!(hash(&first), hash(&second));
        let both = tasks(&[&second, "x", &first]);
        let index = IdIndex::build(&both);
        assert_eq!(index.first_tasks(&[&first, &second]), [2, 0]);
        assert_eq!((index.get(&first), index.get(&second)), (Some(2), Some(0)));
        // An id that no task has, with a task's hash, is missing.
        let one = tasks(&[&first]);
        let index = IdIndex::build(&one);
        assert_eq!(index.first_tasks(&[&second, &first]), [NONE, 0]);
    }

    #[test]
    fn many_ids_fill_no_table() {
        let ids: Vec<String> = (0..5000).map(|n| format!("{n:x}")).collect();
        let queue = tasks(&ids.iter().map(String::as_str).collect::<Vec<_>>());
        let index = IdIndex::build(&queue);
        let wanted: Vec<&str> = ids.iter().rev().map(String::as_str).chain(["nope"]).collect();
        let expected: Vec<usize> = (0..5000).rev().chain([NONE]).collect();
        assert_eq!(index.first_tasks(&wanted), expected);
    }
}
