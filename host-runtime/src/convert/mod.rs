//! WIT values to plain Rust values, and back for arguments.

mod detail;
mod diagnostics;
mod error;
mod workflow;

use std::path::Path;

use jiff::{SignedDuration, Timestamp};

use crate::bindings::exports::provisioning::orchestrator::{queue as wit, types as wit_types};
use crate::model;

pub use detail::task_detail;
pub use diagnostics::validation_report;
pub use error::{file_error, guest_error};
pub use workflow::{workflow_detail, workflow_list, workflow_query};

pub fn datetime(t: Timestamp) -> wit_types::Datetime {
    let nanos = t.subsec_nanosecond();
    if nanos < 0 {
        wit_types::Datetime { seconds: t.as_second() - 1, nanoseconds: (nanos + 1_000_000_000) as u32 }
    } else {
        wit_types::Datetime { seconds: t.as_second(), nanoseconds: nanos as u32 }
    }
}

pub fn timestamp(d: wit_types::Datetime) -> Timestamp {
    Timestamp::new(d.seconds, d.nanoseconds.min(999_999_999) as i32).unwrap_or(Timestamp::UNIX_EPOCH)
}

pub fn task_query(q: &model::TaskQuery, now: Timestamp) -> wit::TaskQuery {
    wit::TaskQuery {
        statuses: q.statuses.clone(),
        min_priority: q.min_priority,
        max_priority: q.max_priority,
        created_from: q.from.clone(),
        created_to: q.to.clone(),
        workflow: q.workflow.clone(),
        states: q.states.clone(),
        offset: q.offset,
        limit: q.limit,
        now: datetime(now),
    }
}

pub fn task(t: wit::Task) -> model::Task {
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
        state: t.state.map(detail::state_kind),
    }
}

pub fn status_report(r: wit::StatusReport, root: &Path) -> model::StatusReport {
    model::StatusReport {
        running: r.running,
        tasks_pending: r.tasks_pending,
        tasks_running: r.tasks_running,
        tasks_completed: r.tasks_completed,
        tasks_failed: r.tasks_failed,
        last_check: r.last_check.map(timestamp),
        last_check_age: r.last_check_age.map(SignedDuration::from_nanos),
        data_dir: root.to_path_buf(),
        source: match r.source {
            wit::StatusSource::StatusFile => model::StatusSource::StatusFile,
            wit::StatusSource::Derived => model::StatusSource::Derived,
        },
        skipped: r.skipped.into_iter().map(|e| file_error(e, root)).collect(),
    }
}

pub fn task_stats(s: wit::TaskStats, root: &Path) -> model::TaskStats {
    let grouped = |groups: Vec<wit::GroupedRunTimes>| {
        groups.into_iter().map(|g| model::GroupedRunTimes { key: g.key, run_times: run_times(g.run_times) }).collect()
    };
    model::TaskStats {
        total: s.total,
        by_status: s.by_status.into_iter().map(|c| model::StatusCount { status: c.status, count: c.count }).collect(),
        by_priority: s
            .by_priority
            .into_iter()
            .map(|c| model::PriorityCount { priority: c.priority, count: c.count })
            .collect(),
        by_day: s.by_day.into_iter().map(|c| model::DayCount { day: utc_date(c.day), count: c.count }).collect(),
        undated: s.undated,
        run_times: s.run_times.map(run_times),
        run_times_by_status: grouped(s.run_times_by_status),
        run_times_by_workflow: grouped(s.run_times_by_workflow),
        negative_run_times: s.negative_run_times,
        oldest_pending: s.oldest_pending.map(|o| model::OldestPending {
            id: o.id,
            created_at: timestamp(o.created_at),
            age: SignedDuration::from_nanos(o.age),
        }),
        throughput: s.throughput.map(|t| model::Throughput {
            window_start: timestamp(t.window_start),
            window_end: timestamp(t.window_end),
            completed: t.completed,
            per_hour: t.per_hour,
        }),
        skipped: s.skipped.into_iter().map(|e| file_error(e, root)).collect(),
    }
}

fn run_times(r: wit::RunTimeSummary) -> model::RunTimes {
    model::RunTimes {
        count: r.count,
        min: SignedDuration::from_nanos(r.min),
        median: SignedDuration::from_nanos(r.median),
        p95: SignedDuration::from_nanos(r.p95),
        max: SignedDuration::from_nanos(r.max),
    }
}

/// The component names a day by its first instant, UTC.
fn utc_date(d: wit_types::Datetime) -> jiff::civil::Date {
    timestamp(d).to_zoned(jiff::tz::TimeZone::UTC).date()
}

pub fn watch_event(e: wit::WatchEvent) -> model::WatchEvent {
    model::WatchEvent {
        task_id: e.task_id,
        at: timestamp(e.at),
        change: match e.change {
            wit::TaskChange::Added => model::TaskChange::Added,
            wit::TaskChange::Removed => model::TaskChange::Removed,
            wit::TaskChange::StatusChanged(c) => model::TaskChange::StatusChanged { from: c.from, to: c.to },
            wit::TaskChange::Updated => model::TaskChange::Updated,
        },
        fields: e.fields,
    }
}

pub fn cache_stats(s: wit::CacheCounters) -> model::CacheStats {
    model::CacheStats { entries: s.entries, hits: s.hits, unchecked: s.unchecked, misses: s.misses }
}
