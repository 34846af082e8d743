//! The one-line reason of a pending task: why it can or can't run. Each
//! line is pushed piece by piece into one `String`, without the formatting
//! machinery: `orch workflows` writes one for every task that holds a
//! workflow up.

use std::sync::Arc;

use super::{CYCLE_SHOWN, DependencyGraph, GraphTask, LISTED, PendingState};
use crate::queue::task_status::TaskStatus;

impl DependencyGraph<'_> {
    /// One line saying why a pending task can or can't run, such as
    /// `blocked: task-003 failed (exit 1: connection refused)`; `None` for a
    /// task that is not pending. `tasks` is the slice the graph was built
    /// from. Long lists name the first few and count the rest.
    pub fn reason<T: GraphTask>(&self, index: usize, tasks: &[T]) -> Option<String> {
        let line = match self.state(index)? {
            PendingState::Ready if self.dependencies.of(index).is_empty() => "ready: no dependencies".to_string(),
            PendingState::Ready => "ready: every dependency is completed".to_string(),
            PendingState::Waiting => {
                let mut line = begun("waiting: on ");
                let waited = self.dependencies.of(index).iter().filter(|&&d| self.statuses[d] != TaskStatus::Completed);
                let total = waited.clone().count();
                list(&mut line, waited.map(|&d| Unfinished(&tasks[d])), total);
                line
            }
            PendingState::Blocked { by } => {
                // Every task above a failure shares its set, and so its line.
                let mut lines = self.blocked_lines.borrow_mut();
                let shared = lines.entry(Arc::as_ptr(by).cast::<String>()).or_insert_with(|| {
                    let mut line = begun("blocked: ");
                    let causes = by.iter().filter_map(|id| self.index_of(id)).map(|root| RootCause(&tasks[root]));
                    list(&mut line, causes, by.len());
                    line
                });
                shared.clone()
            }
            PendingState::Dangling { missing } => {
                let mut line = begun("dangling: depends on ");
                list(&mut line, missing.iter(), missing.len());
                line.push_str(if missing.len() == 1 { ", which is" } else { ", which are" });
                line.push_str(" not in the queue");
                line
            }
            PendingState::Cycle { path } => {
                let mut line = begun("cycle: ");
                cycle_line(&mut line, path);
                line
            }
        };
        Some(line)
    }
}

/// A line that starts with `head`, with room for most lines: growing a
/// string reallocates it.
fn begun(head: &str) -> String {
    let mut line = String::with_capacity(64);
    line.push_str(head);
    line
}

/// What a reason lists: it pushes itself onto the line.
trait Listed {
    fn push_to(&self, line: &mut String);
}

impl Listed for &String {
    fn push_to(&self, line: &mut String) {
        line.push_str(self);
    }
}

/// `a, b, c`, or for more than [`LISTED`] the first ones and `and N more`.
fn list(line: &mut String, items: impl Iterator<Item = impl Listed>, total: usize) {
    let mut shown = 0;
    for item in items.take(LISTED) {
        if shown > 0 {
            line.push_str(", ");
        }
        item.push_to(line);
        shown += 1;
    }
    if total > shown {
        push_all(line, &[" and ", &(total - shown).to_string(), " more"]);
    }
}

/// `a -> b -> c -> a`, or for a long cycle the first ids, a count of the
/// rest, and the way back to the start.
fn cycle_line(line: &mut String, path: &[String]) {
    let shown = if path.len() <= CYCLE_SHOWN + 1 { path } else { &path[..CYCLE_SHOWN] };
    for (i, id) in shown.iter().enumerate() {
        if i > 0 {
            line.push_str(" -> ");
        }
        line.push_str(id);
    }
    if shown.len() < path.len() {
        let hidden = path.len() - 1 - CYCLE_SHOWN;
        push_all(line, &[" -> … ", &hidden.to_string(), " more -> ", &path[path.len() - 1]]);
    }
}

fn push_all(line: &mut String, pieces: &[&str]) {
    for piece in pieces {
        line.push_str(piece);
    }
}

/// `task-003 failed (exit 1: connection refused)`: the status, and the
/// error's first line when there is one.
struct RootCause<'t, T>(&'t T);

impl<T: GraphTask> Listed for RootCause<'_, T> {
    fn push_to(&self, line: &mut String) {
        let task = self.0;
        push_all(line, &[task.id(), " ", task.status()]);
        if let Some(error) = task.error().and_then(|e| e.lines().next()).map(str::trim).filter(|l| !l.is_empty()) {
            push_all(line, &[" (", error, ")"]);
        }
    }
}

/// `task-002 (running)`: a dependency waited on, with its status.
struct Unfinished<'t, T>(&'t T);

impl<T: GraphTask> Listed for Unfinished<'_, T> {
    fn push_to(&self, line: &mut String) {
        let task = self.0;
        let status = if task.status().is_empty() { "no status" } else { task.status() };
        push_all(line, &[task.id(), " (", status, ")"]);
    }
}
