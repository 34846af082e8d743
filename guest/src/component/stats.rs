//! `queue.task-stats`, from the model's.

use super::{datetime, duration_ns, file_error, wit};
use crate::model::{GroupedRunTimes, RunTimes, TaskStats};

pub(super) fn task_stats(s: TaskStats) -> wit::TaskStats {
    let grouped = |groups: Vec<GroupedRunTimes>| {
        groups.into_iter().map(|g| wit::GroupedRunTimes { key: g.key, run_times: run_times(g.run_times) }).collect()
    };
    wit::TaskStats {
        total: s.total,
        by_status: s.by_status.into_iter().map(|c| wit::StatusCount { status: c.status, count: c.count }).collect(),
        by_priority: s
            .by_priority
            .into_iter()
            .map(|c| wit::PriorityCount { priority: c.priority, count: c.count })
            .collect(),
        // The day's first instant, UTC: the date is the UTC day's.
        by_day: s
            .by_day
            .into_iter()
            .map(|c| wit::DayCount { day: datetime(utc_midnight(c.day)), count: c.count })
            .collect(),
        undated: s.undated,
        run_times: s.run_times.map(run_times),
        run_times_by_status: grouped(s.run_times_by_status),
        run_times_by_workflow: grouped(s.run_times_by_workflow),
        negative_run_times: s.negative_run_times,
        oldest_pending: s.oldest_pending.map(|o| wit::OldestPending {
            id: o.id,
            created_at: datetime(o.created_at),
            age: duration_ns(o.age),
        }),
        throughput: s.throughput.map(|t| wit::Throughput {
            window_start: datetime(t.window_start),
            window_end: datetime(t.window_end),
            completed: t.completed,
            per_hour: t.per_hour,
        }),
        skipped: s.skipped.into_iter().map(file_error).collect(),
    }
}

fn utc_midnight(day: jiff::civil::Date) -> jiff::Timestamp {
    // Every date the tally makes came from a timestamp, so its midnight is one too.
    day.to_zoned(jiff::tz::TimeZone::UTC).map(|z| z.timestamp()).unwrap_or(jiff::Timestamp::MIN)
}

fn run_times(r: RunTimes) -> wit::RunTimeSummary {
    wit::RunTimeSummary {
        count: r.count,
        min: duration_ns(r.min),
        median: duration_ns(r.median),
        p95: duration_ns(r.p95),
        max: duration_ns(r.max),
    }
}
