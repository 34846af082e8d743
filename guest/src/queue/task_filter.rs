//! Which tasks a query keeps. Built once per query from its text form, so
//! that every bad argument is reported before any file is read.

use jiff::Timestamp;

use crate::error::Error;
use crate::model::{KNOWN_STATUSES, StateKind, Task, TaskQuery};
use crate::queue::task_file::normalize_status;
use crate::queue::time_bound::{End, parse_bound};

#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    statuses: Vec<String>,
    min_priority: Option<i64>,
    max_priority: Option<i64>,
    created_from: Option<Timestamp>,
    created_to: Option<Timestamp>,
    workflow: Option<String>,
    /// Pending states to keep. They come from the dependency graph, which
    /// spans the queue, so `matches` only keeps the pending tasks that
    /// could be in one, and [`crate::queue::task_states`] decides.
    states: Vec<StateKind>,
}

impl TaskFilter {
    /// The filter `query` asks for; ages in its bounds count back from `now`.
    pub fn from_query(query: &TaskQuery, now: Timestamp) -> Result<Self, Error> {
        let mut statuses = Vec::new();
        for part in query.statuses.iter().flat_map(|s| s.split(',')) {
            let status = normalize_status(part);
            if status.is_empty() {
                continue;
            }
            if !KNOWN_STATUSES.contains(&status.as_str()) {
                return Err(Error::argument(
                    "status",
                    format!("unknown status {part:?}; expected one of {}", KNOWN_STATUSES.join(", ")),
                ));
            }
            if !statuses.contains(&status) {
                statuses.push(status);
            }
        }
        if let (Some(min), Some(max)) = (query.min_priority, query.max_priority)
            && min > max
        {
            return Err(Error::argument("min-priority", format!("{min} is greater than --max-priority {max}")));
        }
        let bound = |name: &str, text: &Option<String>, end| {
            text.as_deref().map(|t| parse_bound(t, end, now).map_err(|m| Error::argument(name, m))).transpose()
        };
        let created_from = bound("from", &query.from, End::Lower)?;
        let created_to = bound("to", &query.to, End::Upper)?;
        if let (Some(from), Some(to)) = (created_from, created_to)
            && from > to
        {
            return Err(Error::argument("from", format!("{from} is after --to {to}")));
        }
        let mut states = Vec::new();
        for part in query.states.iter().flat_map(|s| s.split(',')) {
            let name = part.trim().to_ascii_lowercase();
            if name.is_empty() {
                continue;
            }
            let Some(state) = StateKind::ALL.into_iter().find(|s| s.name() == name) else {
                let names: Vec<&str> = StateKind::ALL.iter().map(|s| s.name()).collect();
                return Err(Error::argument(
                    "state",
                    format!("unknown state {part:?}; expected one of {}", names.join(", ")),
                ));
            };
            if !states.contains(&state) {
                states.push(state);
            }
        }
        Ok(TaskFilter {
            states,
            statuses,
            min_priority: query.min_priority,
            max_priority: query.max_priority,
            created_from,
            created_to,
            workflow: query.workflow.clone().filter(|w| !w.is_empty()),
        })
    }

    /// The `created-from` and `created-to` bounds, parsed.
    pub fn created_bounds(&self) -> (Option<Timestamp>, Option<Timestamp>) {
        (self.created_from, self.created_to)
    }

    /// The pending states asked for; empty asks for none in particular.
    pub fn states(&self) -> &[StateKind] {
        &self.states
    }

    pub fn matches(&self, task: &Task) -> bool {
        if !self.states.is_empty() && task.status != "pending" {
            return false;
        }
        if !self.statuses.is_empty() && !self.statuses.contains(&task.status) {
            return false;
        }
        if self.min_priority.is_some_and(|min| task.priority < min)
            || self.max_priority.is_some_and(|max| task.priority > max)
        {
            return false;
        }
        if self.created_from.is_some() || self.created_to.is_some() {
            // A task without a creation time cannot be placed in a window.
            let Some(created) = task.created_at else { return false };
            if self.created_from.is_some_and(|from| created < from) || self.created_to.is_some_and(|to| created > to) {
                return false;
            }
        }
        match (&self.workflow, &task.workflow) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(pattern), Some(workflow)) => wildcard_match(pattern, workflow),
        }
    }
}

/// `*` matches any run of characters, `?` any one character.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            backtrack = Some((pi, ti));
            pi += 1;
        } else if let Some((star, matched)) = backtrack {
            pi = star + 1;
            ti = matched + 1;
            backtrack = Some((star, matched + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(status: &str, priority: i64, created: &str, workflow: Option<&str>) -> Task {
        Task {
            id: "t".into(),
            status: status.into(),
            priority,
            created_at: Some(created.parse().unwrap()),
            workflow: workflow.map(Into::into),
            ..Task::default()
        }
    }

    fn now() -> Timestamp {
        "2025-10-08T12:00:00Z".parse().unwrap()
    }

    fn query() -> TaskQuery {
        TaskQuery::default()
    }

    #[test]
    fn statuses_repeat_and_split_on_commas() {
        let filter = TaskFilter::from_query(
            &TaskQuery { statuses: vec!["Pending,running".into(), "FAILED".into()], ..query() },
            now(),
        )
        .unwrap();
        assert!(filter.matches(&task("pending", 0, "2025-10-08T00:00:00Z", None)));
        assert!(filter.matches(&task("failed", 0, "2025-10-08T00:00:00Z", None)));
        assert!(!filter.matches(&task("completed", 0, "2025-10-08T00:00:00Z", None)));
    }

    #[test]
    fn unknown_status_is_an_argument_error() {
        let err = TaskFilter::from_query(&TaskQuery { statuses: vec!["pendng".into()], ..query() }, now()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid --status: unknown status \"pendng\"; expected one of pending, running, completed, failed, cancelled"
        );
    }

    #[test]
    fn priority_and_time_windows_are_inclusive() {
        let filter = TaskFilter::from_query(
            &TaskQuery {
                min_priority: Some(3),
                max_priority: Some(5),
                from: Some("2025-10-07".into()),
                to: Some("2h".into()),
                ..query()
            },
            now(),
        )
        .unwrap();
        assert!(filter.matches(&task("pending", 3, "2025-10-07T00:00:00Z", None)));
        assert!(filter.matches(&task("pending", 5, "2025-10-08T10:00:00Z", None)));
        assert!(!filter.matches(&task("pending", 6, "2025-10-08T09:00:00Z", None)));
        assert!(!filter.matches(&task("pending", 2, "2025-10-08T09:00:00Z", None)));
        assert!(!filter.matches(&task("pending", 4, "2025-10-06T23:59:59Z", None)));
        assert!(!filter.matches(&task("pending", 4, "2025-10-08T10:00:01Z", None)));
        let undated = Task { created_at: None, ..task("pending", 4, "2025-10-08T00:00:00Z", None) };
        assert!(!filter.matches(&undated));
    }

    #[test]
    fn inverted_ranges_are_rejected() {
        let err = TaskFilter::from_query(&TaskQuery { min_priority: Some(5), max_priority: Some(1), ..query() }, now())
            .unwrap_err();
        assert_eq!(err.to_string(), "invalid --min-priority: 5 is greater than --max-priority 1");
        let err =
            TaskFilter::from_query(&TaskQuery { from: Some("1h".into()), to: Some("2h".into()), ..query() }, now())
                .unwrap_err();
        assert!(matches!(err, Error::InvalidArgument { ref name, .. } if name == "from"));
    }

    #[test]
    fn workflow_wildcards() {
        let filter =
            TaskFilter::from_query(&TaskQuery { workflow: Some("deploy-*".into()), ..query() }, now()).unwrap();
        assert!(filter.matches(&task("pending", 0, "2025-10-08T00:00:00Z", Some("deploy-web"))));
        assert!(!filter.matches(&task("pending", 0, "2025-10-08T00:00:00Z", Some("backup"))));
        assert!(!filter.matches(&task("pending", 0, "2025-10-08T00:00:00Z", None)));
        assert!(wildcard_match("a?c*", "abcdef"));
        assert!(wildcard_match("*", ""));
        assert!(!wildcard_match("a*c", "abd"));
        assert!(wildcard_match("*b*b", "abxbb"));
    }
}
