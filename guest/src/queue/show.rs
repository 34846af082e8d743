//! One task, whole, with its place in the queue: its queue entry, its
//! timings, and where it stands in the dependency graph, for `orch show`.
//! A task is named by its id or by a prefix that only its id begins with,
//! as git and docker name objects.

use jiff::Timestamp;

use super::dependency_graph::{self as graph, DependencyGraph};
use super::operations::Scan;
use super::part_scan::scan_part;
use super::queue_part::{self, QueuePart, SlimTask};
use crate::error::Error;
use crate::model::{PendingState, RelatedTask, Task, TaskDetail, Timings};

/// At most this many candidates are named for an ambiguous prefix.
pub const MAX_CANDIDATES: usize = 10;

pub fn show(scan: Scan, id: &str) -> Result<TaskDetail, Error> {
    let now = scan.now;
    let part = scan_part(scan, None, Some(id))?;
    show_parts(id, now, vec![part])
}

/// [`show`] over every shard's part, each scanned with `id` as its
/// `whole` prefix.
pub fn show_parts(id: &str, now: Timestamp, parts: Vec<QueuePart>) -> Result<TaskDetail, Error> {
    let merged = queue_part::merge(parts)?;
    let queue = queue_part::tasks(&merged.bytes)?;
    let at = find(&queue, id)?;
    // The graph of the task's neighbourhood says of it all that the whole
    // queue's would, for the cost of resolving the edges once.
    let near = graph::neighbourhood(&queue, at);
    let at = near.binary_search(&at).unwrap_or_default();
    let tasks: &[SlimTask] = &near.iter().map(|&i| queue[i].clone()).collect::<Vec<_>>();
    let graph = DependencyGraph::build(tasks);
    let state = graph.state(at).map(model_state);
    let related = |walk: Vec<(usize, u32)>| -> Vec<RelatedTask> {
        walk.into_iter()
            .map(|(i, depth)| RelatedTask {
                id: tasks[i].id.to_string(),
                status: tasks[i].status.to_string(),
                state: graph.state(i).map(|s| s.kind()),
                depth,
            })
            .collect()
    };
    let Some(whole) = merged.whole.into_iter().find(|w| w.task.id == tasks[at].id) else {
        return Err(Error::argument("parts", format!("no part holds task '{}' whole", tasks[at].id)));
    };
    let mut task = whole.task;
    task.state = state.as_ref().map(PendingState::kind);
    Ok(TaskDetail {
        queue_entry: whole.queue_entry,
        blocked_by: state.as_ref().map(|s| s.blocked_by().to_vec()).unwrap_or_default(),
        reason: graph.reason(at, tasks),
        state,
        timings: timings(&task, now),
        dependencies: related(graph.dependencies(at)),
        dependents: related(graph.dependents(at)),
        task,
        skipped: merged.skipped,
    })
}

/// The task `id` names: its own, else the one task whose id begins with it.
fn find(tasks: &[SlimTask], id: &str) -> Result<usize, Error> {
    if let Some(at) = tasks.iter().position(|t| t.id == id) {
        return Ok(at);
    }
    let mut starting: Vec<usize> =
        (0..tasks.len()).filter(|&i| !id.is_empty() && tasks[i].id.starts_with(id)).collect();
    match starting.len() {
        1 => Ok(starting[0]),
        0 => {
            let near = crate::suggest::closest(id, tasks.iter().map(|t| t.id));
            Err(Error::UnknownTask { id: id.to_string(), near: near.into_iter().map(str::to_string).collect() })
        }
        _ => {
            starting.sort_by(|&a, &b| tasks[a].id.cmp(tasks[b].id));
            let candidates = starting.iter().take(MAX_CANDIDATES).map(|&i| tasks[i].id.to_string()).collect();
            Err(Error::AmbiguousTask { prefix: id.to_string(), candidates })
        }
    }
}

/// Queued: created to now; waited: created to started; ran: started to
/// completed, or to now while it runs.
fn timings(task: &Task, now: Timestamp) -> Timings {
    let span = |from: Option<Timestamp>, to: Option<Timestamp>| Some(to?.duration_since(from?));
    let ran_to = task.completed_at.or((task.status == "running").then_some(now));
    Timings {
        queued: span(task.created_at, Some(now)),
        waited: span(task.created_at, task.started_at),
        ran: span(task.started_at, ran_to),
    }
}

pub fn model_state(state: &graph::PendingState) -> PendingState {
    match state {
        graph::PendingState::Ready => PendingState::Ready,
        graph::PendingState::Waiting => PendingState::Waiting,
        graph::PendingState::Blocked { by } => PendingState::Blocked(by.to_vec()),
        graph::PendingState::Dangling { missing } => PendingState::Dangling(missing.clone()),
        graph::PendingState::Cycle { path } => PendingState::Cycle(path.to_vec()),
    }
}
