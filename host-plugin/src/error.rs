//! Errors, rendered once: every failure becomes a `LabeledError` with a
//! stable code (`orch::...`, from `orch-runtime`), a label on what the user
//! typed that caused it, and a help line saying what to try.

use nu_plugin::EvaluatedCall;
use nu_protocol::{LabeledError, Span, Value};
use orch_runtime::data_dir::DataDirError;
use orch_runtime::model::{FileError, FileErrorKind};
use orch_runtime::{Error, GuestError, TrapKind};

/// The one rendering of a runtime error.
pub fn labeled(err: Error, call: &EvaluatedCall) -> LabeledError {
    let code = err.code();
    let error = match &err {
        Error::DataDir(e) => data_dir(e, call),
        Error::Guest(GuestError::File(file)) => bad_file(file, call),
        // The message says what is wrong; the label only points.
        Error::Guest(GuestError::InvalidArgument { name, .. }) => {
            LabeledError::new(err.to_string()).with_label("invalid value", flag_span(call, name))
        }
        Error::Guest(GuestError::UnknownTask { near, .. }) => {
            let error =
                LabeledError::new(err.to_string()).with_label("no task has this id or begins with it", id_span(call));
            match near.as_slice() {
                [] => error.with_help("`orch tasks | get id` lists the ids"),
                near => error
                    .with_help(near.iter().map(|id| format!("did you mean '{id}'?")).collect::<Vec<_>>().join("\n")),
            }
        }
        Error::Guest(GuestError::UnknownWorkflow { near, .. }) => {
            let error = LabeledError::new(err.to_string()).with_label("no workflow has this name", id_span(call));
            match near.as_slice() {
                [] => error.with_help("`orch workflows | get name` lists the names"),
                near => error.with_help(
                    near.iter().map(|name| format!("did you mean '{name}'?")).collect::<Vec<_>>().join("\n"),
                ),
            }
        }
        Error::Guest(GuestError::AmbiguousTask { candidates, .. }) => LabeledError::new(err.to_string())
            .with_label("more than one task id begins with this", id_span(call))
            .with_help(format!("it begins {}\ngive more of the id", candidates.join(", "))),
        Error::Trap { kind, detail, stderr } => trap(*kind, detail, stderr, call),
        Error::Setup(_) => LabeledError::new(err.to_string()).with_label("while starting the component", call.head),
        Error::NotAWorkflow(_) => LabeledError::new(err.to_string()).with_label("this workflow", call.head),
        Error::NoWorkflows(_) => LabeledError::new(err.to_string()).with_label("this directory", call.head),
    };
    error.with_code(code)
}

/// A flag's value the plugin itself refuses (before the component runs).
pub fn argument(flag: &str, message: impl Into<String>, call: &EvaluatedCall) -> LabeledError {
    LabeledError::new(format!("invalid --{flag}: {}", message.into()))
        .with_code("orch::argument")
        .with_label("invalid value", flag_span(call, flag))
}

fn data_dir(e: &DataDirError, call: &EvaluatedCall) -> LabeledError {
    let given = call.get_flag_value("data-dir").is_some();
    let label = match (e, given) {
        (DataDirError::Missing { .. }, true) => "no such directory",
        (DataDirError::NotADirectory { .. }, true) => "not a directory",
        (DataDirError::Unreadable { .. }, true) => "cannot be opened",
        (_, false) => "while looking for the orchestrator's data directory",
    };
    let mut help = e.tried_line().map(|line| format!("{line}\n")).unwrap_or_default();
    help.push_str("pass --data-dir DIR or set $env.ORCHESTRATOR_DATA_DIR");
    LabeledError::new(e.to_string()).with_label(label, flag_span(call, "data-dir")).with_help(help)
}

/// The message names the file and the line and column (`FileError`'s
/// Display); the label points at where the data directory came from.
fn bad_file(file: &FileError, call: &EvaluatedCall) -> LabeledError {
    let error = LabeledError::new(file.to_string());
    match file.kind {
        FileErrorKind::Malformed => error
            .with_label("this data directory holds a malformed task file", flag_span(call, "data-dir"))
            .with_help("pass --skip-invalid to list the other tasks and report this file"),
        FileErrorKind::TooLarge => error
            .with_label("larger than the file size limit", flag_span(call, "max-file-size"))
            .with_help("raise the limit with --max-file-size"),
        _ => error.with_label("while reading this data directory", flag_span(call, "data-dir")),
    }
}

fn trap(kind: TrapKind, detail: &str, stderr: &str, call: &EvaluatedCall) -> LabeledError {
    let error = LabeledError::new(kind.to_string());
    match kind {
        TrapKind::Deadline(_) => error
            .with_label("the component was stopped at this deadline", flag_span(call, "deadline"))
            .with_help("raise the limit with --deadline"),
        TrapKind::Memory(_) => error
            .with_label("the component was stopped at this memory limit", flag_span(call, "memory-limit"))
            .with_help("raise the limit with --memory-limit"),
        TrapKind::Crash => {
            let mut help = detail.lines().next().unwrap_or_default().to_string();
            if !stderr.trim().is_empty() {
                help.push_str(&format!("\ncomponent stderr: {}", stderr.trim()));
            }
            error.with_label("while running this command", call.head).with_help(help)
        }
    }
}

/// Where a flag was given: its value, else its name, else the command.
fn flag_span(call: &EvaluatedCall, flag: &str) -> Span {
    call.get_flag_value(flag).map(|value| value.span()).or_else(|| call.get_flag_span(flag)).unwrap_or(call.head)
}

/// The task id a command was given: its first positional argument.
fn id_span(call: &EvaluatedCall) -> Span {
    call.positional.first().map_or(call.head, Value::span)
}
