//! What changed between two snapshots of the queue, task by task, for
//! `orch watch`.
//!
//! Snapshots hold every task, unfiltered, and a task is reported when the
//! query selects it on either side: a task that leaves `--status pending`
//! because it started is a status change, not a removal.

use std::collections::BTreeMap;

use jiff::Timestamp;

pub use crate::model::WatchEvent;
use crate::model::{Task, TaskChange as Change};

/// The events turning `previous` into `current`, ordered by task id. A
/// task id that occurs twice (in both layouts) is compared by its first
/// occurrence, as both snapshots list the layouts in the same order.
pub fn diff(previous: &[Task], current: &[Task], selected: impl Fn(&Task) -> bool, at: Timestamp) -> Vec<WatchEvent> {
    let before = by_id(previous);
    let after = by_id(current);
    let mut ids: Vec<&str> = before.keys().chain(after.keys()).copied().collect();
    ids.sort_unstable();
    ids.dedup();
    let event = |id: &str, change, fields: Vec<&str>| WatchEvent {
        task_id: id.to_string(),
        at,
        change,
        fields: fields.into_iter().map(str::to_string).collect(),
    };
    ids.into_iter()
        .filter_map(|id| match (before.get(id), after.get(id)) {
            (Some(old), None) => selected(old).then(|| event(id, Change::Removed, Vec::new())),
            (None, Some(new)) => selected(new).then(|| event(id, Change::Added, Vec::new())),
            (Some(old), Some(new)) if old != new && (selected(old) || selected(new)) => {
                let change = if old.status != new.status {
                    Change::StatusChanged { from: old.status.clone(), to: new.status.clone() }
                } else {
                    Change::Updated
                };
                Some(event(id, change, changed_fields(old, new)))
            }
            _ => None,
        })
        .collect()
}

fn by_id(tasks: &[Task]) -> BTreeMap<&str, &Task> {
    let mut map = BTreeMap::new();
    for task in tasks {
        map.entry(task.id.as_str()).or_insert(task);
    }
    map
}

/// The names of the fields that differ, as the WIT record spells them.
pub fn changed_fields(a: &Task, b: &Task) -> Vec<&'static str> {
    let checks = [
        ("name", a.name != b.name),
        ("command", a.command != b.command),
        ("args", a.args != b.args),
        ("dependencies", a.dependencies != b.dependencies),
        ("status", a.status != b.status),
        ("priority", a.priority != b.priority),
        ("created-at", a.created_at != b.created_at),
        ("started-at", a.started_at != b.started_at),
        ("completed-at", a.completed_at != b.completed_at),
        ("output", a.output != b.output),
        ("error", a.error != b.error),
        ("workflow", a.workflow != b.workflow),
    ];
    checks.into_iter().filter(|(_, changed)| *changed).map(|(name, _)| name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> Timestamp {
        "2025-10-08T12:00:00Z".parse().unwrap()
    }

    fn task(id: &str, status: &str) -> Task {
        Task { id: id.into(), status: status.into(), ..Task::default() }
    }

    fn all(_: &Task) -> bool {
        true
    }

    fn summary(events: &[WatchEvent]) -> Vec<(&str, &Change, Vec<&str>)> {
        events.iter().map(|e| (e.task_id.as_str(), &e.change, e.fields.iter().map(String::as_str).collect())).collect()
    }

    #[test]
    fn no_change_no_events() {
        let tasks = [task("a", "pending"), task("b", "running")];
        assert!(diff(&tasks, &tasks, all, at()).is_empty());
    }

    #[test]
    fn each_kind_of_change_once_in_id_order() {
        let before = [task("c", "pending"), task("a", "pending"), task("b", "pending")];
        let mut b = task("b", "pending");
        b.priority = 4;
        b.output = Some("ok".into());
        let after = [task("d", "pending"), b, task("c", "running")];
        let events = diff(&before, &after, all, at());
        let status = Change::StatusChanged { from: "pending".into(), to: "running".into() };
        assert_eq!(
            summary(&events),
            [
                ("a", &Change::Removed, vec![]),
                ("b", &Change::Updated, vec!["priority", "output"]),
                ("c", &status, vec!["status"]),
                ("d", &Change::Added, vec![]),
            ]
        );
        assert!(events.iter().all(|e| e.at == at()));
    }

    #[test]
    fn a_status_change_lists_the_other_fields_too() {
        let mut done = task("a", "completed");
        done.completed_at = Some(at());
        let events = diff(&[task("a", "running")], &[done], all, at());
        assert_eq!(events[0].fields, ["status", "completed-at"]);
    }

    #[test]
    fn a_task_selected_on_either_side_is_reported() {
        let pending = |t: &Task| t.status == "pending";
        // Leaves the selection: reported as the status change it is.
        let events = diff(&[task("a", "pending")], &[task("a", "running")], pending, at());
        assert_eq!(events[0].change, Change::StatusChanged { from: "pending".into(), to: "running".into() });
        // Never selected: silent.
        assert!(diff(&[task("b", "running")], &[task("b", "failed")], pending, at()).is_empty());
        assert!(diff(&[], &[task("c", "running")], pending, at()).is_empty());
        assert!(diff(&[task("c", "running")], &[], pending, at()).is_empty());
    }

    #[test]
    fn duplicate_ids_compare_their_first_occurrence() {
        let before = [task("a", "pending"), task("a", "failed")];
        let after = [task("a", "pending"), task("a", "cancelled")];
        assert!(diff(&before, &after, all, at()).is_empty());
    }
}
