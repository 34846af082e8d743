//! The queue's order: priority high first, then oldest first (undated
//! last), then id. Total, so every run prints the same page.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use jiff::Timestamp;

use crate::model::Task;

/// What the queue's order reads of a task: a whole [`Task`], or the slim
/// form a shard hands over ([`super::queue_part::SlimTask`]).
pub trait Queued {
    fn id(&self) -> &str;
    fn priority(&self) -> i64;
    fn created_at(&self) -> Option<Timestamp>;
}

impl Queued for Task {
    fn id(&self) -> &str {
        &self.id
    }
    fn priority(&self) -> i64 {
        self.priority
    }
    fn created_at(&self) -> Option<Timestamp> {
        self.created_at
    }
}

/// Priority high first, then oldest (undated last), then id.
pub fn queue_order<T: Queued>(a: &T, b: &T) -> Ordering {
    queue_key(a).cmp(&queue_key(b)).then_with(|| a.id().cmp(b.id()))
}

/// What [`queue_order`] compares before the id, as integers: priority
/// reversed, undated or not, then the instant as seconds and nanoseconds
/// (a `Timestamp` keeps both of one sign, so they compare as it does). A
/// sort of many tasks computes it once each.
pub type QueueKey = (u64, bool, i64, i32);

pub fn queue_key<T: Queued>(task: &T) -> QueueKey {
    let descending = !(task.priority() as u64 ^ (1 << 63));
    match task.created_at() {
        Some(t) => (descending, false, t.as_second(), t.subsec_nanosecond()),
        None => (descending, true, 0, 0),
    }
}

/// The first eight bytes of an id, big-endian and padded with zeros: when
/// two ids' prefixes differ, they order the ids as the whole ids do (a
/// zero pad sorts before any byte, as a shorter id before a longer one
/// that continues it), so a sort compares strings only on a tie. Sorts of
/// many ids are mostly such integer comparisons, which matters in wasm,
/// where `memcmp` goes a byte at a time.
pub fn id_prefix(id: &str) -> u64 {
    let mut prefix = [0u8; 8];
    let head = &id.as_bytes()[..id.len().min(8)];
    prefix[..head.len()].copy_from_slice(head);
    u64::from_be_bytes(prefix)
}

/// Task indices in id order, then by index: keyed by [`id_prefix`].
pub fn sort_by_id<T: Queued>(indices: &mut [usize], tasks: &[T]) {
    sort_keyed(indices, tasks, |task| id_prefix(task.id()));
}

/// Task indices in the queue's order, then by index.
pub fn sort_queued<T: Queued>(indices: &mut [usize], tasks: &[T]) {
    sort_keyed(indices, tasks, queue_key);
}

/// Task indices by `key`, then id, then index. Each key is computed once,
/// and ids are compared only where keys tie.
fn sort_keyed<T: Queued, K: Ord>(indices: &mut [usize], tasks: &[T], key: impl Fn(&T) -> K) {
    if indices.len() < 2 {
        return;
    }
    let mut keyed: Vec<(K, usize)> = indices.iter().map(|&v| (key(&tasks[v]), v)).collect();
    keyed.sort_unstable_by(|(k, i), (l, j)| k.cmp(l).then_with(|| tasks[*i].id().cmp(tasks[*j].id())).then(i.cmp(j)));
    for (slot, (_, v)) in indices.iter_mut().zip(keyed) {
        *slot = v;
    }
}

/// Bytes that compare, lexicographically, as [`queue_order`] compares
/// tasks: priority descending, then created (undated last), then id.
/// Numbers are big-endian with the sign bit flipped, so that byte order
/// is numeric order; the id comes last, so its variable length is safe.
pub fn order_key(task: &Task) -> Vec<u8> {
    let (descending, undated, second, nanosecond) = queue_key(task);
    let mut key = Vec::with_capacity(8 + 1 + 12 + task.id.len());
    key.extend_from_slice(&descending.to_be_bytes());
    key.push(u8::from(undated));
    if !undated {
        key.extend_from_slice(&(second as u64 ^ (1 << 63)).to_be_bytes());
        key.extend_from_slice(&(nanosecond as u32 ^ (1 << 31)).to_be_bytes());
    }
    key.extend_from_slice(task.id.as_bytes());
    key
}

/// Sorts `tasks` and keeps the page `[offset, offset + limit)`. With a
/// limit, only the first `offset + limit` are selected and sorted, not the
/// whole queue.
pub fn page<T: Queued>(mut tasks: Vec<T>, offset: u64, limit: Option<u64>) -> Vec<T> {
    let offset = usize::try_from(offset).unwrap_or(usize::MAX);
    let end = limit.map_or(usize::MAX, |l| offset.saturating_add(usize::try_from(l).unwrap_or(usize::MAX)));
    if end < tasks.len() {
        if end > 0 {
            tasks.select_nth_unstable_by(end - 1, queue_order);
        }
        tasks.truncate(end);
    }
    tasks.sort_unstable_by(queue_order);
    if offset >= tasks.len() {
        return Vec::new();
    }
    tasks.drain(..offset);
    tasks
}

/// Collects the page `[offset, offset + limit)` of a stream of tasks in
/// queue order. With a limit it holds at most `offset + limit` tasks at a
/// time (a heap whose top is the worst kept), so a scan of a huge queue
/// for `--limit 50` stays small.
pub struct Selection<T = Task> {
    offset: usize,
    keep: Option<usize>,
    heap: BinaryHeap<Ranked<T>>,
    all: Vec<T>,
    seen: u64,
}

/// A task ordered by [`queue_order`], for the heap.
struct Ranked<T>(T);

impl<T: Queued> PartialEq for Ranked<T> {
    fn eq(&self, other: &Self) -> bool {
        queue_order(&self.0, &other.0) == Ordering::Equal
    }
}
impl<T: Queued> Eq for Ranked<T> {}
impl<T: Queued> PartialOrd for Ranked<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<T: Queued> Ord for Ranked<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        queue_order(&self.0, &other.0)
    }
}

impl<T: Queued> Selection<T> {
    pub fn new(offset: u64, limit: Option<u64>) -> Self {
        let offset = usize::try_from(offset).unwrap_or(usize::MAX);
        let keep = limit.map(|l| offset.saturating_add(usize::try_from(l).unwrap_or(usize::MAX)));
        Selection { offset, keep, heap: BinaryHeap::new(), all: Vec::new(), seen: 0 }
    }

    pub fn push(&mut self, task: T) {
        self.seen += 1;
        match self.keep {
            None => self.all.push(task),
            Some(0) => {}
            Some(k) if self.heap.len() < k => self.heap.push(Ranked(task)),
            Some(_) => {
                let ranked = Ranked(task);
                if ranked < *self.heap.peek().expect("k > 0 tasks are kept") {
                    self.heap.pop();
                    self.heap.push(ranked);
                }
            }
        }
    }

    /// Makes room for up to `n` more tasks when all are kept; a top-k heap
    /// stays at k.
    pub fn expect(&mut self, n: usize) {
        if self.keep.is_none() {
            self.all.reserve(n);
        }
    }

    /// How many tasks were pushed: the total before offset and limit.
    pub fn seen(&self) -> u64 {
        self.seen
    }

    pub fn into_page(self) -> Vec<T> {
        let tasks = match self.keep {
            None => self.all,
            Some(_) => self.heap.into_iter().map(|r| r.0).collect(),
        };
        page(tasks, self.offset as u64, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(id: &str, priority: i64, created: Option<&str>) -> Task {
        Task { id: id.into(), priority, created_at: created.map(|c| c.parse().unwrap()), ..Task::default() }
    }

    fn ids(tasks: &[Task]) -> Vec<&str> {
        tasks.iter().map(|t| t.id.as_str()).collect()
    }

    fn sample() -> Vec<Task> {
        vec![
            task("e", 1, None),
            task("d", 1, Some("2025-10-02T00:00:00Z")),
            task("c", 9, Some("2025-10-03T00:00:00Z")),
            task("b", 1, Some("2025-10-01T00:00:00Z")),
            task("a", 1, Some("2025-10-01T00:00:00Z")),
        ]
    }

    #[test]
    fn priority_then_age_then_id() {
        assert_eq!(ids(&page(sample(), 0, None)), ["c", "a", "b", "d", "e"]);
    }

    #[test]
    fn offset_and_limit_select_a_page() {
        assert_eq!(ids(&page(sample(), 1, Some(2))), ["a", "b"]);
        assert_eq!(ids(&page(sample(), 4, Some(10))), ["e"]);
        assert!(page(sample(), 5, None).is_empty());
        assert!(page(sample(), 0, Some(0)).is_empty());
        assert_eq!(ids(&page(sample(), 0, Some(u64::MAX))), ["c", "a", "b", "d", "e"]);
    }

    #[test]
    fn a_selection_keeps_only_its_page() {
        for (offset, limit) in [(0, Some(2)), (1, Some(2)), (4, Some(10)), (5, None), (0, Some(0)), (0, None)] {
            let mut selection = Selection::new(offset, limit);
            for task in sample() {
                selection.push(task);
            }
            assert_eq!(selection.seen(), 5);
            assert_eq!(ids(&selection.into_page()), ids(&page(sample(), offset, limit)), "{offset} {limit:?}");
        }
    }

    #[test]
    fn order_keys_compare_as_the_queue_order() {
        let mut tasks = sample();
        tasks.push(task("neg", -3, Some("1969-12-31T23:59:59.5Z")));
        tasks.push(task("neg2", -3, Some("1969-12-31T23:59:59Z")));
        tasks.push(task("big", i64::MAX, None));
        tasks.push(task("small", i64::MIN, Some("2025-10-01T00:00:00.000000001Z")));
        tasks.push(task("b2", 1, Some("2025-10-01T00:00:00Z")));
        // Half a second either side of the epoch: the same whole second, fractions of either sign.
        tasks.push(task("pre", -3, Some("1969-12-31T23:59:59.5Z")));
        tasks.push(task("post", -3, Some("1970-01-01T00:00:00.5Z")));
        for a in &tasks {
            for b in &tasks {
                assert_eq!(order_key(a).cmp(&order_key(b)), queue_order(a, b), "{} vs {}", a.id, b.id);
                if let (true, Some(x), Some(y)) = (a.priority == b.priority, a.created_at, b.created_at) {
                    assert_eq!(queue_order(a, b), x.cmp(&y).then(a.id.cmp(&b.id)), "{} vs {}", a.id, b.id);
                }
            }
        }
    }

    #[test]
    fn id_prefixes_order_as_the_ids_do() {
        let ids = ["", "a", "a\0", "a\0b", "ab", "abcdefgh", "abcdefgh\0", "abcdefghi", "abcdefgi", "b", "\u{ff}"];
        for a in ids {
            for b in ids {
                let (x, y) = (id_prefix(a), id_prefix(b));
                if x != y {
                    assert_eq!(x.cmp(&y), a.cmp(b), "{a:?} vs {b:?}");
                }
            }
        }
        let tasks: Vec<Task> = ids.iter().rev().chain(&ids).map(|id| task(id, 0, None)).collect();
        let mut by_id: Vec<usize> = (0..tasks.len()).collect();
        sort_by_id(&mut by_id, &tasks);
        let mut expected: Vec<usize> = (0..tasks.len()).collect();
        expected.sort_by(|&i, &j| tasks[i].id.cmp(&tasks[j].id).then(i.cmp(&j)));
        assert_eq!(by_id, expected);
    }

    #[test]
    fn a_queued_sort_agrees_with_the_queue_order() {
        let tasks = sample();
        let mut queued: Vec<usize> = (0..tasks.len()).collect();
        sort_queued(&mut queued, &tasks);
        let mut expected: Vec<usize> = (0..tasks.len()).collect();
        expected.sort_by(|&i, &j| queue_order(&tasks[i], &tasks[j]).then(i.cmp(&j)));
        assert_eq!(queued, expected);
    }

    #[test]
    fn top_k_agrees_with_a_full_sort() {
        let mut all: Vec<Task> = (0..200)
            .map(|i| task(&format!("t{i:03}"), (i * 7919) % 11, Some(&format!("2025-10-{:02}T00:00:00Z", 1 + i % 28))))
            .collect();
        let top = page(all.clone(), 10, Some(25));
        all.sort_by(queue_order);
        assert_eq!(ids(&top), ids(&all[10..35]));
    }
}
