//! The flags the commands share, declared once so that every command spells
//! them the same way, and the way the `orch` CLI does. Values are passed on
//! as given: parsing times, splitting statuses and checking ranges are the
//! component's job, and it names the flag it refuses.

use std::time::Duration;

use nu_plugin::EvaluatedCall;
use nu_protocol::{LabeledError, Signature, SyntaxShape, Value};
use orch_runtime::Limits;
use orch_runtime::model::{ReadOptions, TaskQuery};

use crate::error;

/// Where to read and within which limits: every queue command has these.
pub fn add_read_flags(signature: Signature) -> Signature {
    add_limit_flags(
        signature
            .named(
                "data-dir",
                SyntaxShape::Filepath,
                "The orchestrator's data directory [default: $env.ORCHESTRATOR_DATA_DIR, else \
                 $env.PROVISIONING/platform/orchestrator/data, else ./provisioning/platform/orchestrator/data].",
                None,
            )
            .switch("skip-invalid", "Skip malformed task files (listed on stderr) instead of failing.", None)
            .switch("no-cache", "Read every file afresh instead of reusing what earlier calls parsed.", None),
    )
}

/// The component's limits: every command has these.
pub fn add_limit_flags(signature: Signature) -> Signature {
    signature
        .named("max-file-size", SyntaxShape::Filesize, "Refuse files larger than this [default: 16MiB].", None)
        .named("memory-limit", SyntaxShape::Filesize, "The component's memory limit [default: 256MiB].", None)
        .named("deadline", SyntaxShape::Duration, "Stop the component after this long [default: 10sec].", None)
}

/// Which tasks to keep: `orch tasks`, `orch stats` and `orch watch` have these.
pub fn add_task_filter_flags(signature: Signature) -> Signature {
    signature
        .named(
            "status",
            list_shape(),
            "Keep tasks with these statuses (pending, running, completed, failed, cancelled): a list or comma-separated.",
            None,
        )
        .named("min-priority", SyntaxShape::Int, "Keep tasks with at least this priority.", None)
        .named("max-priority", SyntaxShape::Int, "Keep tasks with at most this priority.", None)
        .named(
            "from",
            time_shape(),
            "Keep tasks created at or after this time: RFC 3339, a date (2025-10-08), or an age (2h, 3d, 90min).",
            None,
        )
        .named(
            "to",
            time_shape(),
            "Keep tasks created at or before this time: RFC 3339, a date (its whole day), or an age.",
            None,
        )
        .named("workflow", SyntaxShape::String, "Keep tasks of this workflow; `*` and `?` are wildcards.", None)
}

/// A flag of several values. Nushell flags cannot repeat, so they come as
/// a list or as one comma-separated string, like the CLI's; the component
/// splits the commas.
pub fn list_shape() -> SyntaxShape {
    SyntaxShape::OneOf(vec![SyntaxShape::List(Box::new(SyntaxShape::String)), SyntaxShape::String])
}

/// A time bound: text for the component to parse, or a Nushell duration
/// (`90min`), which is an age. Duration first: a bare `2025-10-08` or `2h`
/// is no duration literal, so it stays text.
fn time_shape() -> SyntaxShape {
    SyntaxShape::OneOf(vec![SyntaxShape::Duration, SyntaxShape::String])
}

pub fn read_options(call: &EvaluatedCall) -> Result<ReadOptions, LabeledError> {
    Ok(ReadOptions { skip_invalid: call.has_flag("skip-invalid")? })
}

/// Whether the call may reuse files parsed by earlier calls (no `--no-cache`).
pub fn cache(call: &EvaluatedCall) -> Result<bool, LabeledError> {
    Ok(!call.has_flag("no-cache")?)
}

/// The limits given, the runtime's defaults for the others.
pub fn limits(call: &EvaluatedCall) -> Result<Limits, LabeledError> {
    let defaults = Limits::default();
    let size = |flag: &str| -> Result<Option<u64>, LabeledError> {
        match call.get_flag_value(flag) {
            None => Ok(None),
            Some(Value::Filesize { val, .. }) if val.get() > 0 => Ok(Some(val.get() as u64)),
            Some(_) => Err(error::argument(flag, "must be a positive file size, such as 16MiB", call)),
        }
    };
    let deadline = match call.get_flag_value("deadline") {
        None => defaults.deadline,
        Some(Value::Duration { val, .. }) if val > 0 => Duration::from_nanos(val as u64),
        Some(_) => return Err(error::argument("deadline", "must be a positive duration, such as 10sec", call)),
    };
    Ok(Limits {
        memory_bytes: size("memory-limit")?.map_or(defaults.memory_bytes, |n| usize::try_from(n).unwrap_or(usize::MAX)),
        deadline,
        max_file_size: size("max-file-size")?.unwrap_or(defaults.max_file_size),
    })
}

/// The task filter flags as a query; paging is left to the caller.
pub fn task_filter(call: &EvaluatedCall) -> Result<TaskQuery, LabeledError> {
    Ok(TaskQuery {
        statuses: list(call, "status")?,
        min_priority: call.get_flag("min-priority")?,
        max_priority: call.get_flag("max-priority")?,
        from: time_bound(call, "from")?,
        to: time_bound(call, "to")?,
        workflow: call.get_flag("workflow")?,
        ..TaskQuery::default()
    })
}

/// A [`list_shape`] flag's values, as given (none when it is absent).
pub fn list(call: &EvaluatedCall, flag: &str) -> Result<Vec<String>, LabeledError> {
    match call.get_flag_value(flag) {
        None => Ok(Vec::new()),
        Some(Value::List { vals, .. }) => {
            vals.into_iter().map(|v| v.into_string().map_err(LabeledError::from)).collect()
        }
        Some(v) => Ok(vec![v.into_string()?]),
    }
}

/// A duration becomes the component's age syntax in whole seconds.
fn time_bound(call: &EvaluatedCall, flag: &str) -> Result<Option<String>, LabeledError> {
    match call.get_flag_value(flag) {
        None => Ok(None),
        Some(Value::Duration { val, .. }) => Ok(Some(format!("{}s", val / 1_000_000_000))),
        Some(v) => Ok(Some(v.into_string()?)),
    }
}

/// A count flag (`--limit`, `--offset`): an `int` that is not negative.
pub fn count(call: &EvaluatedCall, flag: &str) -> Result<Option<u64>, LabeledError> {
    match call.get_flag::<i64>(flag)? {
        None => Ok(None),
        Some(n) => u64::try_from(n).map(Some).map_err(|_| error::argument(flag, format!("{n} is negative"), call)),
    }
}
