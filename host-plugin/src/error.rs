//! Errors, rendered once: every failure becomes a `LabeledError` with a
//! stable code (`orch::...`), a label on what the user typed that caused
//! it, and help saying what to try. The code, the notes and the help are
//! the runtime's (`Error::code`, `Error::notes`, `Error::help`); the
//! labels, which point into the call, are the plugin's own.

use nu_plugin::EvaluatedCall;
use nu_protocol::{LabeledError, Span, Value};
use orch_runtime::data_dir::DataDirError;
use orch_runtime::model::{FileErrorKind, QueryError};
use orch_runtime::{Error, Host, TrapKind};

/// The one rendering of a runtime error.
pub fn labeled(err: Error, call: &EvaluatedCall) -> LabeledError {
    let (label, span) = match &err {
        Error::DataDir(e) => (data_dir_label(e, call), flag_span(call, "data-dir")),
        Error::Guest(QueryError::File(file)) => file_label(file.kind, call),
        // The message says what is wrong; the label only points.
        Error::Guest(QueryError::InvalidArgument { name, .. }) => ("invalid value", flag_span(call, name)),
        Error::Guest(QueryError::UnknownTask { .. }) => ("no task has this id or begins with it", id_span(call)),
        Error::Guest(QueryError::UnknownWorkflow { .. }) => ("no workflow has this name", id_span(call)),
        Error::Guest(QueryError::AmbiguousTask { .. }) => ("more than one task id begins with this", id_span(call)),
        Error::Trap { kind, .. } => trap_label(*kind, call),
        Error::Setup(_) => ("while starting the component", call.head),
        Error::NotAWorkflow(_) => ("this workflow", call.head),
        Error::NoWorkflows(_) => ("this directory", call.head),
    };
    // A trap at a limit needs no more than its label and what to raise:
    // the notes are wasmtime's report of where the component stood.
    let notes = match &err {
        Error::Trap { kind: TrapKind::Deadline(_) | TrapKind::Memory(_), .. } => Vec::new(),
        _ => err.notes(),
    };
    let help: Vec<String> = notes.into_iter().chain(err.help(Host::Plugin)).collect();
    let error = LabeledError::new(err.to_string()).with_label(label, span).with_code(err.code());
    if help.is_empty() { error } else { error.with_help(help.join("\n")) }
}

/// A flag's value the plugin itself refuses (before the component runs).
pub fn argument(flag: &str, message: impl Into<String>, call: &EvaluatedCall) -> LabeledError {
    labeled(Error::Guest(QueryError::InvalidArgument { name: flag.into(), message: message.into() }), call)
}

fn data_dir_label(e: &DataDirError, call: &EvaluatedCall) -> &'static str {
    let given = call.get_flag_value("data-dir").is_some();
    match (e, given) {
        (DataDirError::Missing { .. }, true) => "no such directory",
        (DataDirError::NotADirectory { .. }, true) => "not a directory",
        (DataDirError::Unreadable { .. }, true) => "cannot be opened",
        (_, false) => "while looking for the orchestrator's data directory",
    }
}

/// The message names the file and the line and column (`FileError`'s
/// Display); the label points at what let it in.
fn file_label(kind: FileErrorKind, call: &EvaluatedCall) -> (&'static str, Span) {
    match kind {
        FileErrorKind::Malformed => ("this data directory holds a malformed task file", flag_span(call, "data-dir")),
        FileErrorKind::TooLarge => ("larger than the file size limit", flag_span(call, "max-file-size")),
        _ => ("while reading this data directory", flag_span(call, "data-dir")),
    }
}

fn trap_label(kind: TrapKind, call: &EvaluatedCall) -> (&'static str, Span) {
    match kind {
        TrapKind::Deadline(_) => ("the component was stopped at this deadline", flag_span(call, "deadline")),
        TrapKind::Memory(_) => ("the component was stopped at this memory limit", flag_span(call, "memory-limit")),
        TrapKind::Crash => ("while running this command", call.head),
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
