//! The runtime's plain Rust values as typed Nushell values: instants as
//! `date`, ages as `duration`, counts and priorities as `int`, absent
//! fields as `nothing`. Columns come in the order of the CLI's JSON.

use chrono::{DateTime, FixedOffset};
use jiff::{SignedDuration, Timestamp};
use nu_protocol::{Record, Span, Value, record};
use orch_runtime::model::{
    Diagnostic, GroupedBy, GroupedRunTimes, HeldTask, QueueEntry, Related, RelatedTask, RunTimes, Severity,
    Span as SourceSpan, StateKind, StatusReport, Task, TaskChange, TaskDetail, TaskStats, Timings, ValidationReport,
    WatchEvent, WorkflowDetail, WorkflowRow, WorkflowTask,
};

pub fn task(task: Task, span: Span) -> Value {
    Value::record(
        record! {
            "id" => Value::string(task.id, span),
            "name" => text(task.name, span),
            "command" => text(task.command, span),
            "args" => texts(task.args, span),
            "dependencies" => texts(task.dependencies, span),
            "status" => Value::string(task.status, span),
            "priority" => Value::int(task.priority, span),
            "created_at" => date(task.created_at, span),
            "started_at" => date(task.started_at, span),
            "completed_at" => date(task.completed_at, span),
            "output" => text(task.output, span),
            "error" => text(task.error, span),
            "workflow" => text(task.workflow, span),
            // Nothing for a task that is not pending, so the table stays
            // rectangular.
            "state" => state(task.state, span),
        },
        span,
    )
}

/// `orch show`: the task as `orch tasks` lists it, its queue entry, its
/// state in the dependency graph (a name, or nothing for a task that is not
/// pending), timings as `duration`, and its dependencies and dependents as
/// tables in the order of their walk (`depth` 1 is direct).
pub fn detail(detail: TaskDetail, span: Span) -> Value {
    let related = |list: Vec<RelatedTask>| Value::list(list.into_iter().map(|r| related_task(r, span)).collect(), span);
    Value::record(
        record! {
            "task" => task(detail.task, span),
            "queue_entry" => detail.queue_entry.map_or_else(|| Value::nothing(span), |e| queue_entry(e, span)),
            "state" => state(detail.state.map(|s| s.kind()), span),
            "blocked_by" => Value::list(detail.blocked_by.into_iter().map(|id| Value::string(id, span)).collect(), span),
            "reason" => text(detail.reason, span),
            "timings" => timings(detail.timings, span),
            "dependencies" => related(detail.dependencies),
            "dependents" => related(detail.dependents),
        },
        span,
    )
}

fn queue_entry(entry: QueueEntry, span: Span) -> Value {
    Value::record(
        record! {
            "priority" => Value::int(entry.priority, span),
            "enqueued_at" => date(entry.enqueued_at, span),
        },
        span,
    )
}

fn timings(t: Timings, span: Span) -> Value {
    let length = |d: Option<SignedDuration>| d.map_or_else(|| Value::nothing(span), |d| duration(d, span));
    Value::record(
        record! {
            "queued" => length(t.queued),
            "waited" => length(t.waited),
            "ran" => length(t.ran),
        },
        span,
    )
}

fn related_task(r: RelatedTask, span: Span) -> Value {
    Value::record(
        record! {
            "id" => Value::string(r.id, span),
            "status" => Value::string(r.status, span),
            "state" => state(r.state, span),
            "depth" => Value::int(i64::from(r.depth), span),
        },
        span,
    )
}

pub fn status(report: StatusReport, span: Span) -> Value {
    Value::record(
        record! {
            "running" => report.running.map_or_else(|| Value::nothing(span), |r| Value::bool(r, span)),
            "tasks_pending" => count(report.tasks_pending, span),
            "tasks_running" => count(report.tasks_running, span),
            "tasks_completed" => report.tasks_completed.map_or_else(|| Value::nothing(span), |n| count(n, span)),
            "tasks_failed" => report.tasks_failed.map_or_else(|| Value::nothing(span), |n| count(n, span)),
            "last_check" => date(report.last_check, span),
            "last_check_age" => report.last_check_age.map_or_else(|| Value::nothing(span), |d| duration(d, span)),
            "data_dir" => Value::string(report.data_dir.display().to_string(), span),
            "source" => Value::string(report.source.to_string(), span),
        },
        span,
    )
}

/// `{valid, errors, warnings}`; the lists are tables of findings.
pub fn validation(report: ValidationReport, span: Span) -> Value {
    let findings = |list: Vec<Diagnostic>| Value::list(list.into_iter().map(|d| diagnostic(d, span)).collect(), span);
    Value::record(
        record! {
            "valid" => Value::bool(report.valid, span),
            "errors" => findings(report.errors),
            "warnings" => findings(report.warnings),
        },
        span,
    )
}

/// A directory's files, one record: every file's findings together, as
/// for one file, and `files`, each file with its role and verdict.
pub fn validation_set(reports: Vec<ValidationReport>, span: Span) -> Value {
    let valid = reports.iter().all(|r| r.valid);
    let files: Vec<Value> = reports
        .iter()
        .map(|r| {
            Value::record(
                record! {
                    "file" => Value::string(r.file.display().to_string(), span),
                    "role" => Value::string(r.role.as_str(), span),
                    "valid" => Value::bool(r.valid, span),
                    "errors" => Value::int(r.errors.len() as i64, span),
                    "warnings" => Value::int(r.warnings.len() as i64, span),
                },
                span,
            )
        })
        .collect();
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    for r in reports {
        errors.extend(r.errors.into_iter().map(|d| diagnostic(d, span)));
        warnings.extend(r.warnings.into_iter().map(|d| diagnostic(d, span)));
    }
    Value::record(
        record! {
            "valid" => Value::bool(valid, span),
            "errors" => Value::list(errors, span),
            "warnings" => Value::list(warnings, span),
            "files" => Value::list(files, span),
        },
        span,
    )
}

fn diagnostic(d: Diagnostic, span: Span) -> Value {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut record = place(&d.span, span);
    record.push("code", Value::string(d.code, span));
    record.push("message", Value::string(d.message, span));
    record.push("hint", text(d.hint, span));
    record.push("severity", Value::string(severity, span));
    record.push("related", Value::list(d.related.into_iter().map(|r| related(r, span)).collect(), span));
    Value::record(record, span)
}

/// A place that explains a finding, such as the contract a value broke.
fn related(r: Related, span: Span) -> Value {
    let mut record = place(&r.span, span);
    record.push("message", Value::string(r.message, span));
    Value::record(record, span)
}

/// Where a finding or a related place is: the columns both begin with.
fn place(at: &SourceSpan, span: Span) -> Record {
    record! {
        "file" => Value::string(at.file.display().to_string(), span),
        "line" => Value::int(i64::from(at.line), span),
        "column" => Value::int(i64::from(at.column), span),
        "end_line" => Value::int(i64::from(at.end_line), span),
        "end_column" => Value::int(i64::from(at.end_column), span),
    }
}

fn text(text: Option<String>, span: Span) -> Value {
    text.map_or_else(|| Value::nothing(span), |t| Value::string(t, span))
}

/// A pending task's state by name; nothing for the others.
fn state(state: Option<StateKind>, span: Span) -> Value {
    state.map_or_else(|| Value::nothing(span), |s| Value::string(s.name(), span))
}

fn texts(texts: Option<Vec<String>>, span: Span) -> Value {
    texts.map_or_else(
        || Value::nothing(span),
        |texts| Value::list(texts.into_iter().map(|t| Value::string(t, span)).collect(), span),
    )
}

/// Counts are `u64` in the model and `i64` in Nushell; no queue comes near
/// the difference, but saturate rather than wrap.
fn count(n: u64, span: Span) -> Value {
    Value::int(i64::try_from(n).unwrap_or(i64::MAX), span)
}

fn date(t: Option<Timestamp>, span: Span) -> Value {
    t.map_or_else(|| Value::nothing(span), |t| Value::date(to_chrono(t), span))
}

/// Nushell's dates are chrono's, with an offset; ours are UTC instants.
pub fn to_chrono(t: Timestamp) -> DateTime<FixedOffset> {
    // jiff gives the sub-second part the sign of the instant; chrono wants
    // it in 0..1e9 on top of floored seconds.
    let (mut seconds, mut nanos) = (t.as_second(), t.subsec_nanosecond());
    if nanos < 0 {
        seconds -= 1;
        nanos += 1_000_000_000;
    }
    DateTime::from_timestamp(seconds, nanos as u32)
        .expect("jiff's range (years -9999..=9999) lies within chrono's")
        .fixed_offset()
}

/// Nushell's durations are `i64` nanoseconds (about ±292 years).
fn duration(d: SignedDuration, span: Span) -> Value {
    let nanos = d.as_nanos();
    Value::duration(i64::try_from(nanos).unwrap_or(if nanos < 0 { i64::MIN } else { i64::MAX }), span)
}

/// `orch stats`: a record of tables; run times as `duration`, days as
/// `date` (midnight UTC).
pub fn stats(stats: TaskStats, span: Span) -> Value {
    let table = |rows: Vec<Value>| Value::list(rows, span);
    let run_times = |r: RunTimes| run_times_record(None, r, span);
    let grouped = |groups: Vec<GroupedRunTimes>| {
        table(groups.into_iter().map(|g| run_times_record(Some(g.key), g.run_times, span)).collect())
    };
    Value::record(
        record! {
            "total" => count(stats.total, span),
            "by_status" => table(stats.by_status.into_iter().map(|c| Value::record(record! {
                "status" => Value::string(c.status, span),
                "count" => count(c.count, span),
            }, span)).collect()),
            "by_priority" => table(stats.by_priority.into_iter().map(|c| Value::record(record! {
                "priority" => Value::int(c.priority, span),
                "count" => count(c.count, span),
            }, span)).collect()),
            "by_day" => table(stats.by_day.into_iter().map(|c| Value::record(record! {
                "day" => day(c.day, span),
                "count" => count(c.count, span),
            }, span)).collect()),
            "undated" => count(stats.undated, span),
            "run_times" => stats.run_times.map_or_else(|| Value::nothing(span), run_times),
            "run_times_by_status" => grouped(stats.run_times_by_status),
            "run_times_by_workflow" => grouped(stats.run_times_by_workflow),
            "negative_run_times" => count(stats.negative_run_times, span),
            "oldest_pending" => stats.oldest_pending.map_or_else(|| Value::nothing(span), |o| Value::record(record! {
                "id" => Value::string(o.id, span),
                "created_at" => date(Some(o.created_at), span),
                "age" => duration(o.age, span),
            }, span)),
            "throughput" => stats.throughput.map_or_else(|| Value::nothing(span), |t| Value::record(record! {
                "window_start" => date(Some(t.window_start), span),
                "window_end" => date(Some(t.window_end), span),
                "completed" => count(t.completed, span),
                "per_hour" => Value::float(t.per_hour, span),
            }, span)),
        },
        span,
    )
}

/// One row of run times; `key` is the status or workflow of a group.
fn run_times_record(key: Option<String>, r: RunTimes, span: Span) -> Value {
    let mut record = record! {};
    if let Some(key) = key {
        record.push("key", Value::string(key, span));
    }
    record.push("count", count(r.count, span));
    record.push("min", duration(r.min, span));
    record.push("median", duration(r.median, span));
    record.push("p95", duration(r.p95, span));
    record.push("max", duration(r.max, span));
    Value::record(record, span)
}

/// A UTC day as the `date` of its first instant.
fn day(day: jiff::civil::Date, span: Span) -> Value {
    let start = day.to_zoned(jiff::tz::TimeZone::UTC).map(|z| z.timestamp()).ok();
    date(start, span)
}

/// `orch watch`: `from` and `to` are nothing unless the status changed.
pub fn watch_event(event: WatchEvent, span: Span) -> Value {
    let (from, to) = match &event.change {
        TaskChange::StatusChanged { from, to } => (Some(from.clone()), Some(to.clone())),
        _ => (None, None),
    };
    Value::record(
        record! {
            "task_id" => Value::string(event.task_id, span),
            "at" => date(Some(event.at), span),
            "change" => Value::string(event.change.as_str(), span),
            "from" => text(from, span),
            "to" => text(to, span),
            "fields" => Value::list(event.fields.into_iter().map(|f| Value::string(f, span)).collect(), span),
        },
        span,
    )
}

/// `orch workflows`: one row. `by_status` is a record, status to count
/// (lifecycle order, only the statuses that occur); `elapsed` a duration;
/// `held_by` a table of the pending tasks holding the workflow up.
pub fn workflow_row(row: WorkflowRow, span: Span) -> Value {
    Value::record(workflow_record(row, span), span)
}

/// `orch workflows NAME`: the row's columns, then its tasks in dependency
/// order.
pub fn workflow_detail(detail: WorkflowDetail, span: Span) -> Value {
    let mut record = workflow_record(detail.row, span);
    record.push("tasks", Value::list(detail.tasks.into_iter().map(|t| workflow_task(t, span)).collect(), span));
    Value::record(record, span)
}

fn workflow_record(row: WorkflowRow, span: Span) -> nu_protocol::Record {
    let grouped_by = match row.grouped_by {
        GroupedBy::Workflow => "workflow",
        GroupedBy::Dependencies => "dependencies",
    };
    let by_status = row.by_status.into_iter().map(|c| (c.status, count(c.count, span))).collect();
    record! {
        "name" => Value::string(row.name, span),
        "grouped_by" => Value::string(grouped_by, span),
        "total" => count(row.total, span),
        "by_status" => Value::record(by_status, span),
        "blocked" => count(row.blocked, span),
        "progress" => Value::float(row.progress, span),
        "state" => Value::string(row.state.name(), span),
        "started" => date(row.started, span),
        "elapsed" => row.elapsed.map_or_else(|| Value::nothing(span), |d| duration(d, span)),
        "last_activity" => date(row.last_activity, span),
        "held_by" => Value::list(row.held_by.into_iter().map(|h| held_task(h, span)).collect(), span),
    }
}

fn held_task(h: HeldTask, span: Span) -> Value {
    Value::record(
        record! {
            "id" => Value::string(h.id, span),
            "name" => text(h.name, span),
            "state" => Value::string(h.state.name(), span),
            "reason" => Value::string(h.reason, span),
        },
        span,
    )
}

fn workflow_task(t: WorkflowTask, span: Span) -> Value {
    Value::record(
        record! {
            "id" => Value::string(t.id, span),
            "name" => text(t.name, span),
            "status" => Value::string(t.status, span),
            "state" => state(t.state, span),
            "reason" => text(t.reason, span),
            "priority" => Value::int(t.priority, span),
            "created_at" => date(t.created_at, span),
            "started_at" => date(t.started_at, span),
            "completed_at" => date(t.completed_at, span),
        },
        span,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_keep_their_nanoseconds_either_side_of_the_epoch() {
        for text in ["2025-10-08T12:00:30.123456789Z", "1969-12-31T23:59:59.5Z", "1970-01-01T00:00:00Z"] {
            let t: Timestamp = text.parse().unwrap();
            let chrono = to_chrono(t);
            assert_eq!(chrono.timestamp_nanos_opt().unwrap() as i128, t.as_nanosecond(), "{text}");
            assert_eq!(chrono.offset().local_minus_utc(), 0);
        }
    }

    #[test]
    fn absent_fields_are_nothing_and_columns_keep_the_cli_order() {
        let task = Task {
            id: "t".into(),
            args: Some(vec!["a".into()]),
            status: "pending".into(),
            priority: 3,
            ..Task::default()
        };
        let value = super::task(task, Span::test_data());
        let record = value.as_record().unwrap();
        let columns: Vec<&str> = record.columns().map(String::as_str).collect();
        assert_eq!(
            columns,
            [
                "id",
                "name",
                "command",
                "args",
                "dependencies",
                "status",
                "priority",
                "created_at",
                "started_at",
                "completed_at",
                "output",
                "error",
                "workflow",
                "state"
            ]
        );
        assert!(record.get("name").unwrap().is_nothing());
        assert_eq!(record.get("priority"), Some(&Value::test_int(3)));
    }
}
