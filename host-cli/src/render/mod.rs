//! Turning values into terminal output. Tables for people, JSON for
//! machines; both go to stdout, everything else to stderr.

pub mod diagnostics;
pub mod error;
pub mod show;
pub mod skipped;
pub mod stats;
pub mod table;
pub mod watch;
pub mod workflows;

use std::cell::RefCell;
use std::io::Write;

use serde::Serialize;

use crate::args::Format;
use crate::commands::CliError;

/// Prints one value: a table, a JSON document, or a JSON line.
pub fn output<T: Serialize>(format: Format, value: &T, table: impl FnOnce(&T) -> String) -> Result<(), CliError> {
    match format {
        Format::Table => write_out(&table(value)),
        Format::Json => write_json(|out| serde_json::to_writer_pretty(&mut *out, value)),
        Format::Jsonl => write_json(|out| serde_json::to_writer(&mut *out, value)),
    }
}

/// Prints a list: a table, a JSON array, or one JSON object per line.
pub fn output_list<T: Serialize>(
    format: Format,
    items: &[T],
    table: impl FnOnce(&[T]) -> String,
) -> Result<(), CliError> {
    match format {
        Format::Table => write_out(&table(items)),
        Format::Json => write_json(|out| serde_json::to_writer_pretty(&mut *out, items)),
        Format::Jsonl => write_json(|out| {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.write_all(b"\n").map_err(serde_json::Error::io)?;
                }
                serde_json::to_writer(&mut *out, item)?;
            }
            Ok(())
        }),
    }
}

/// Prints a list that arrives item by item: JSON written as each comes, a
/// table once all are in (its columns need every row). An item that fails
/// ends the output, and JSON is left unterminated so that no reader takes
/// it for the whole list.
pub fn output_stream<T: Serialize, E: Into<CliError>>(
    format: Format,
    items: impl Iterator<Item = Result<T, E>>,
    table: impl FnOnce(&[T]) -> String,
) -> Result<(), CliError> {
    let items = Fallible { items: RefCell::new(Some(items)), failure: RefCell::new(None) };
    let written = match format {
        Format::Table => {
            let rows = items.items.take().into_iter().flatten().collect::<Result<Vec<T>, E>>().map_err(Into::into)?;
            return write_out(&table(&rows));
        }
        Format::Json => write_json(|out| items.serialize(&mut serde_json::Serializer::pretty(out))),
        Format::Jsonl => write_json(|out| {
            for (i, item) in items.items.take().into_iter().flatten().enumerate() {
                let item = item.map_err(|e| items.fail(e))?;
                if i > 0 {
                    out.write_all(b"\n").map_err(serde_json::Error::io)?;
                }
                serde_json::to_writer(&mut *out, &item)?;
            }
            Ok(())
        }),
    };
    match items.failure.take() {
        Some(e) => Err(e),
        None => written,
    }
}

/// Items to serialize as a sequence, stopping at the first that failed to
/// arrive; that failure is kept for the caller to report.
struct Fallible<I> {
    items: RefCell<Option<I>>,
    failure: RefCell<Option<CliError>>,
}

impl<I> Fallible<I> {
    fn fail<S: serde::ser::Error>(&self, e: impl Into<CliError>) -> S {
        *self.failure.borrow_mut() = Some(e.into());
        S::custom("the list was cut short")
    }
}

impl<T: Serialize, E: Into<CliError>, I: Iterator<Item = Result<T, E>>> Serialize for Fallible<I> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(None)?;
        for item in self.items.take().into_iter().flatten() {
            seq.serialize_element(&item.map_err(|e| self.fail::<S::Error>(e))?)?;
        }
        seq.end()
    }
}

/// JSON goes straight to stdout through a buffer, ended by a newline: a
/// hundred thousand tasks never exist as one string.
/// A concrete writer, not `dyn Write`: serde_json writes a token at a time,
/// and a call through a vtable per token was a third of the time it took
/// to print the 4.5 MB of `orch workflows` at 100,000 tasks.
type JsonOut<'a> = std::io::BufWriter<std::io::StdoutLock<'a>>;

fn write_json(write: impl FnOnce(&mut JsonOut<'_>) -> serde_json::Result<()>) -> Result<(), CliError> {
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    let result =
        write(&mut out).map_err(std::io::Error::from).and_then(|()| out.write_all(b"\n")).and_then(|()| out.flush());
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::Output(e)),
    }
}

fn to_json<T: Serialize + ?Sized>(value: &T, pretty: bool) -> String {
    let result = if pretty { serde_json::to_string_pretty(value) } else { serde_json::to_string(value) };
    result.expect("output values always serialize")
}

/// A closed pipe (`orch tasks | head`) ends the output quietly.
/// Text for people: styles (`anstyle`) are kept on a terminal and dropped
/// elsewhere, or where `NO_COLOR` says so.
fn write_out(text: &str) -> Result<(), CliError> {
    if !text.contains('\x1b') {
        return stream(text).map(|_| ());
    }
    let mut stdout = anstream::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::Output(e)),
    }
}

/// Writes bytes as they are (a component, a script, a page).
pub fn bytes(bytes: &[u8]) -> Result<(), CliError> {
    write_stdout(bytes).map(|_| ())
}

/// Writes and flushes `text`, for output that arrives over time. `false`
/// when the reader has gone (`orch watch | head -1`), which ends the stream.
pub fn stream(text: &str) -> Result<bool, CliError> {
    write_stdout(text.as_bytes())
}

fn write_stdout(bytes: &[u8]) -> Result<bool, CliError> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(CliError::Output(e)),
    }
}

fn to_json_line<T: Serialize + ?Sized>(value: &T) -> String {
    to_json(value, false) + "\n"
}
