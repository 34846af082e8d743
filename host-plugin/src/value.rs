//! The runtime's plain Rust values as typed Nushell values: instants as
//! `date`, ages as `duration`, counts and priorities as `int`, absent
//! fields as `nothing`. Columns come in the order of the CLI's JSON.

use chrono::{DateTime, FixedOffset};
use jiff::{SignedDuration, Timestamp};
use nu_protocol::{Span, Value, record};
use orch_runtime::model::{StatusReport, Task};
use orch_runtime::validate::{Diagnostic, ValidationReport};

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

fn diagnostic(d: Diagnostic, span: Span) -> Value {
    let severity = match d.severity {
        orch_runtime::validate::Severity::Error => "error",
        orch_runtime::validate::Severity::Warning => "warning",
    };
    Value::record(
        record! {
            "file" => Value::string(d.file.display().to_string(), span),
            "line" => Value::int(i64::from(d.line), span),
            "column" => Value::int(i64::from(d.column), span),
            "end_line" => Value::int(i64::from(d.end_line), span),
            "end_column" => Value::int(i64::from(d.end_column), span),
            "code" => Value::string(d.code, span),
            "message" => Value::string(d.message, span),
            "hint" => text(d.hint, span),
            "severity" => Value::string(severity, span),
        },
        span,
    )
}

fn text(text: Option<String>, span: Span) -> Value {
    text.map_or_else(|| Value::nothing(span), |t| Value::string(t, span))
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
            name: None,
            command: None,
            args: Some(vec!["a".into()]),
            dependencies: None,
            status: "pending".into(),
            priority: 3,
            created_at: None,
            started_at: None,
            completed_at: None,
            output: None,
            error: None,
            workflow: None,
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
                "workflow"
            ]
        );
        assert!(record.get("name").unwrap().is_nothing());
        assert_eq!(record.get("priority"), Some(&Value::test_int(3)));
    }
}
