//! The WIT export glue: converts between the generated types and the plain
//! modules. No logic lives here.

use jiff::{SignedDuration, Timestamp};

use std::cell::RefCell;

use crate::error::Error;
use crate::fs::DataDir;
use crate::model;
use crate::queue::parse_cache::ParseCache;
use crate::queue::scan::{ScanOptions, Shard};
use crate::queue::stats::Tally;
use crate::queue::{self, task_diff};

#[cfg(not(feature = "probe"))]
wit_bindgen::generate!({
    world: "orchestrator",
    path: "../wit",
});

// The test-only build exports the probe next to the real interfaces.
#[cfg(feature = "probe")]
wit_bindgen::generate!({
    world: "orchestrator-probe",
    path: "../wit",
    pub_export_macro: true,
});

mod diagnostics;
mod error;
mod kcl;
mod part_set;
#[cfg(feature = "probe")]
mod probe;
mod queue_parts;
mod shard_cursor;
mod show;
mod stats;

use exports::provisioning::orchestrator::queue as wit;
use exports::provisioning::orchestrator::types as wit_types;

use error::{file_error, model_file_error};

use crate::model::layout::SANDBOX_ROOT;

pub(crate) struct Component;

export!(Component);

thread_local! {
    /// Lives as long as the instance: a host that keeps the instance warm
    /// (and passes `cache-now`) reuses what earlier calls parsed.
    static CACHE: RefCell<ParseCache> = RefCell::new(ParseCache::default());
}

fn with_cache<R>(f: impl FnOnce(&mut ParseCache) -> R) -> R {
    CACHE.with(|cache| f(&mut cache.borrow_mut()))
}

/// Runs `f` on a scan of the sandbox's data dir at `now`, through the
/// instance's cache.
fn scanned<R>(now: Timestamp, scan: wit::ScanOptions, f: impl FnOnce(queue::Scan) -> R) -> R {
    let dir = DataDir::new(SANDBOX_ROOT);
    with_cache(|cache| f(queue::Scan { dir: &dir, now, opts: scan_options(scan, now), cache }))
}

impl wit::Guest for Component {
    fn status(now: wit_types::Datetime, scan: wit::ScanOptions) -> Result<wit::StatusReport, wit_types::Error> {
        let report = scanned(timestamp(now), scan, queue::status)?;
        Ok(wit::StatusReport {
            running: report.running,
            tasks_pending: report.tasks_pending,
            tasks_running: report.tasks_running,
            tasks_completed: report.tasks_completed,
            tasks_failed: report.tasks_failed,
            last_check: report.last_check.map(datetime),
            last_check_age: report.last_check_age.map(duration_ns),
            source: match report.source {
                model::StatusSource::StatusFile => wit::StatusSource::StatusFile,
                model::StatusSource::Derived => wit::StatusSource::Derived,
            },
            skipped: report.skipped.into_iter().map(file_error).collect(),
        })
    }

    fn tasks(query: wit::TaskQuery, scan: wit::ScanOptions) -> Result<wit::TaskPage, wit_types::Error> {
        let (query, now) = task_query(query);
        let page = scanned(now, scan, |scan| queue::tasks(scan, &query))?;
        Ok(wit::TaskPage {
            tasks: page.tasks.into_iter().map(task).collect(),
            total: page.total,
            skipped: page.skipped.into_iter().map(file_error).collect(),
        })
    }

    type ShardCursor = shard_cursor::ShardTasks;

    fn open_shard(
        query: wit::TaskQuery,
        scan: wit::ScanOptions,
        shard: wit::Shard,
    ) -> Result<(wit::ShardSummary, wit::ShardCursor), wit_types::Error> {
        let (query, now) = task_query(query);
        let shard = Shard { index: shard.index, count: shard.count };
        let page = scanned(now, scan, |scan| queue::tasks_shard(scan, &query, shard))?;
        let summary = wit::ShardSummary {
            graph: page.graph,
            skipped: page.skipped.into_iter().map(file_error).collect(),
            misnamed: page.misnamed,
        };
        Ok((summary, wit::ShardCursor::new(shard_cursor::ShardTasks::new(page.unresolved))))
    }

    fn stats(query: wit::TaskQuery, scan: wit::ScanOptions) -> Result<wit::TaskStats, wit_types::Error> {
        let (query, now) = task_query(query);
        let report = scanned(now, scan, |scan| queue::stats(scan, &query))?;
        Ok(stats::task_stats(report))
    }

    fn stats_shard(
        query: wit::TaskQuery,
        scan: wit::ScanOptions,
        shard: wit::Shard,
    ) -> Result<wit::StatsPart, wit_types::Error> {
        let (query, now) = task_query(query);
        let shard = Shard { index: shard.index, count: shard.count };
        let part = scanned(now, scan, |scan| queue::stats_part(scan, &query, shard))?;
        Ok(wit::StatsPart {
            figures: part.tally.encode(),
            skipped: part.skipped.into_iter().map(file_error).collect(),
            misnamed: part.misnamed,
        })
    }

    fn merge_stats(query: wit::TaskQuery, parts: Vec<wit::StatsPart>) -> Result<wit::TaskStats, wit_types::Error> {
        let (query, now) = task_query(query);
        let parts = parts
            .into_iter()
            .map(|p| {
                Ok(queue::StatsPart {
                    tally: Tally::decode(&p.figures).map_err(|e| Error::argument("parts", e.to_string()))?,
                    skipped: p.skipped.into_iter().map(model_file_error).collect(),
                    misnamed: p.misnamed,
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(stats::task_stats(queue::merge_stats(&query, now, parts)?))
    }

    fn diff(
        previous: Option<Vec<wit::Task>>,
        query: wit::TaskQuery,
        scan: wit::ScanOptions,
    ) -> Result<wit::TaskDiff, wit_types::Error> {
        let (query, now) = task_query(query);
        let previous: Option<Vec<model::Task>> = previous.map(|tasks| tasks.into_iter().map(model_task).collect());
        let diff = scanned(now, scan, |scan| queue::diff(scan, previous.as_deref(), &query))?;
        Ok(wit::TaskDiff {
            events: diff.events.into_iter().map(watch_event).collect(),
            snapshot: diff.snapshot.into_iter().map(task).collect(),
            skipped: diff.skipped.into_iter().map(file_error).collect(),
        })
    }

    fn show(id: String, now: wit_types::Datetime, scan: wit::ScanOptions) -> Result<wit::TaskDetail, wit_types::Error> {
        let now = timestamp(now);
        let detail = scanned(now, scan, |scan| queue::show::show(scan, &id))?;
        Ok(show::task_detail(detail))
    }

    fn resolve_states(graphs: Vec<Vec<u8>>) -> Result<Vec<Vec<u8>>, wit_types::Error> {
        Ok(queue::graph_part::state_codes(&graphs)?)
    }

    fn scan_part(
        now: wit_types::Datetime,
        scan: wit::ScanOptions,
        shard: wit::Shard,
        whole: Option<String>,
    ) -> Result<wit::QueuePart, wit_types::Error> {
        Ok(queue_parts::queue_part(scan_part(now, scan, shard, whole)?))
    }

    type PartSet = part_set::PartSet;

    fn show_parts(
        id: String,
        now: wit_types::Datetime,
        parts: wit::PartSet,
    ) -> Result<wit::TaskDetail, wit_types::Error> {
        let parts = parts.into_inner::<part_set::PartSet>().into_parts();
        Ok(show::task_detail(queue::show::show_parts(&id, timestamp(now), parts)?))
    }

    fn workflows(query: wit::WorkflowQuery, parts: wit::PartSet) -> Result<wit::WorkflowList, wit_types::Error> {
        let merged = queue::queue_part::merge(parts.into_inner::<part_set::PartSet>().into_parts())?;
        let model_query = model::WorkflowQuery { name: query.name, states: query.states };
        let rows = queue::workflow_progress::workflows(
            &queue::queue_part::tasks(&merged.bytes)?,
            &model_query,
            timestamp(query.now),
        )?;
        Ok(wit::WorkflowList {
            rows: rows.into_iter().map(queue_parts::workflow_row).collect(),
            skipped: merged.skipped.into_iter().map(file_error).collect(),
        })
    }

    fn workflow(
        name: String,
        now: wit_types::Datetime,
        parts: wit::PartSet,
    ) -> Result<wit::WorkflowDetail, wit_types::Error> {
        let merged = queue::queue_part::merge(parts.into_inner::<part_set::PartSet>().into_parts())?;
        let (row, tasks) =
            queue::workflow_progress::workflow(&queue::queue_part::tasks(&merged.bytes)?, &name, timestamp(now))?;
        Ok(wit::WorkflowDetail {
            row: queue_parts::workflow_row(row),
            tasks: tasks.into_iter().map(queue_parts::workflow_task).collect(),
            skipped: merged.skipped.into_iter().map(file_error).collect(),
        })
    }

    fn cache_stats() -> wit::CacheCounters {
        let s = with_cache(|cache| cache.stats());
        wit::CacheCounters { entries: s.entries, hits: s.hits, unchecked: s.unchecked, misses: s.misses }
    }
}

/// One shard's part (all of the queue for `count: 1`).
fn scan_part(
    now: wit_types::Datetime,
    scan: wit::ScanOptions,
    shard: wit::Shard,
    whole: Option<String>,
) -> Result<queue::queue_part::QueuePart, Error> {
    let shard = (shard.count > 1).then_some(Shard { index: shard.index, count: shard.count });
    scanned(timestamp(now), scan, |scan| queue::part_scan::scan_part(scan, shard, whole.as_deref()))
}

/// The query, and the "now" its ages count back from.
fn task_query(query: wit::TaskQuery) -> (model::TaskQuery, Timestamp) {
    let now = timestamp(query.now);
    let query = model::TaskQuery {
        statuses: query.statuses,
        min_priority: query.min_priority,
        max_priority: query.max_priority,
        from: query.created_from,
        to: query.created_to,
        workflow: query.workflow,
        states: query.states,
        offset: query.offset,
        limit: query.limit,
    };
    (query, now)
}

/// The scan options, with the call's "now", by which a file is told to be
/// settled or possibly being written.
fn scan_options(scan: wit::ScanOptions, now: Timestamp) -> ScanOptions {
    ScanOptions {
        skip_invalid: scan.skip_invalid,
        max_file_size: scan.max_file_size,
        cache_now: scan.cache_now.map(timestamp),
        fs_epoch: scan.fs_epoch,
        now: Some(now),
    }
}

fn watch_event(e: task_diff::WatchEvent) -> wit::WatchEvent {
    wit::WatchEvent {
        task_id: e.task_id,
        at: datetime(e.at),
        change: match e.change {
            model::TaskChange::Added => wit::TaskChange::Added,
            model::TaskChange::Removed => wit::TaskChange::Removed,
            model::TaskChange::StatusChanged { from, to } => {
                wit::TaskChange::StatusChanged(wit::StatusChange { from, to })
            }
            model::TaskChange::Updated => wit::TaskChange::Updated,
        },
        fields: e.fields,
    }
}

/// A snapshot task coming back from the host.
fn model_task(t: wit::Task) -> model::Task {
    model::Task {
        id: t.id,
        name: t.name,
        command: t.command,
        args: t.args,
        dependencies: t.dependencies,
        status: t.status,
        priority: t.priority,
        created_at: t.created_at.map(timestamp),
        started_at: t.started_at.map(timestamp),
        completed_at: t.completed_at.map(timestamp),
        output: t.output,
        error: t.error,
        workflow: t.workflow,
        // A snapshot is only compared with the next; diff builds no graph.
        state: None,
    }
}

pub(crate) fn task(t: model::Task) -> wit::Task {
    wit::Task {
        id: t.id,
        name: t.name,
        command: t.command,
        args: t.args,
        dependencies: t.dependencies,
        status: t.status,
        priority: t.priority,
        created_at: t.created_at.map(datetime),
        started_at: t.started_at.map(datetime),
        completed_at: t.completed_at.map(datetime),
        output: t.output,
        error: t.error,
        workflow: t.workflow,
        state: t.state.map(show::state_kind),
    }
}

fn timestamp(d: wit_types::Datetime) -> Timestamp {
    // Out-of-range instants from a host clamp rather than trap.
    Timestamp::new(d.seconds, d.nanoseconds.min(999_999_999) as i32).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn datetime(t: Timestamp) -> wit_types::Datetime {
    let nanos = t.subsec_nanosecond();
    // jiff keeps the sign on both parts; WIT's form has non-negative nanoseconds.
    if nanos < 0 {
        wit_types::Datetime { seconds: t.as_second() - 1, nanoseconds: (nanos + 1_000_000_000) as u32 }
    } else {
        wit_types::Datetime { seconds: t.as_second(), nanoseconds: nanos as u32 }
    }
}

fn duration_ns(d: SignedDuration) -> i64 {
    i64::try_from(d.as_nanos()).unwrap_or(if d.is_negative() { i64::MIN } else { i64::MAX })
}
