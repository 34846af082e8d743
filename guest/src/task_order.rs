//! The queue's order: priority high first, then oldest first (undated
//! last), then id. Total, so every run prints the same page.

use std::cmp::Ordering;

use crate::model::Task;

pub fn queue_order(a: &Task, b: &Task) -> Ordering {
    b.priority
        .cmp(&a.priority)
        .then_with(|| match (a.created_at, b.created_at) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
        .then_with(|| a.id.cmp(&b.id))
}

/// Sorts `tasks` and keeps the page `[offset, offset + limit)`. With a
/// limit, only the first `offset + limit` are selected and sorted, not the
/// whole queue.
pub fn page(mut tasks: Vec<Task>, offset: u64, limit: Option<u64>) -> Vec<Task> {
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
    fn top_k_agrees_with_a_full_sort() {
        let mut all: Vec<Task> = (0..200)
            .map(|i| task(&format!("t{i:03}"), (i * 7919) % 11, Some(&format!("2025-10-{:02}T00:00:00Z", 1 + i % 28))))
            .collect();
        let top = page(all.clone(), 10, Some(25));
        all.sort_by(queue_order);
        assert_eq!(ids(&top), ids(&all[10..35]));
    }
}
