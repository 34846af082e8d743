//! Errors, rendered once, rustc-style: `error:` with the message, `-->`
//! with the file and position, `help:` with what to try.

use anstyle::{AnsiColor, Style};
use orch_runtime::{Error, GuestError};

use crate::commands::CliError;

const ERROR: Style = AnsiColor::Red.on_default().bold();
const HELP: Style = AnsiColor::Cyan.on_default().bold();
const ARROW: Style = AnsiColor::Blue.on_default().bold();

pub fn print(err: &CliError) {
    if matches!(err, CliError::Invalid) {
        return;
    }
    anstream::eprint!("{}", render(err));
}

fn render(err: &CliError) -> String {
    let mut out = String::new();
    let mut headline = |message: &str| out.push_str(&format!("{ERROR}error{ERROR:#}: {message}\n"));
    let mut notes: Vec<(Style, &str, String)> = Vec::new();
    match err {
        CliError::Output(e) => headline(&format!("cannot write the output: {e}")),
        CliError::Usage(message) => headline(message),
        CliError::Write(path, e) => headline(&format!("cannot write {}: {e}", path.display())),
        CliError::BinaryToTerminal => {
            headline("refusing to write WebAssembly to a terminal");
            notes.push((HELP, "help:", "pass -o FILE, or redirect stdout to a file or a pipe".into()));
        }
        CliError::Invalid => {}
        CliError::Runtime(Error::Guest(GuestError::File(file))) => {
            if file.kind == orch_runtime::model::FileErrorKind::Malformed {
                let name = file
                    .path
                    .file_name()
                    .map_or_else(|| file.path.display().to_string(), |n| n.to_string_lossy().into_owned());
                headline(&format!("cannot parse {name}: {}", file.message));
            } else {
                headline(&file.message);
            }
            let place = match file.position {
                Some(p) => format!("{}:{}:{}", file.path.display(), p.line, p.column),
                None => file.path.display().to_string(),
            };
            notes.push((ARROW, "-->", place));
            if file.kind == orch_runtime::model::FileErrorKind::Malformed {
                notes.push((HELP, "help:", "pass --skip-invalid to list the other tasks and report this file".into()));
            }
            if file.kind == orch_runtime::model::FileErrorKind::TooLarge {
                notes.push((HELP, "help:", "raise the limit with --max-file-size".into()));
            }
        }
        CliError::Runtime(e @ Error::Guest(GuestError::UnknownTask { near, .. })) => {
            headline(&e.to_string());
            for id in near {
                notes.push((HELP, "help:", format!("did you mean '{id}'?")));
            }
        }
        CliError::Runtime(e @ Error::Guest(GuestError::UnknownWorkflow { near, .. })) => {
            headline(&e.to_string());
            for name in near {
                notes.push((HELP, "help:", format!("did you mean '{name}'?")));
            }
            if near.is_empty() {
                notes.push((HELP, "help:", "`orch workflows` lists the names".into()));
            }
        }
        CliError::Runtime(e @ Error::Guest(GuestError::AmbiguousTask { candidates, .. })) => {
            headline(&e.to_string());
            notes.push((HELP, "note:", format!("it begins {}", candidates.join(", "))));
            notes.push((HELP, "help:", "give more of the id".into()));
        }
        CliError::Runtime(Error::DataDir(e)) => {
            headline(&e.to_string());
            if let Some(line) = e.tried_line() {
                notes.push((HELP, "help:", line));
            }
            notes.push((HELP, "help:", "pass --data-dir DIR or set $ORCHESTRATOR_DATA_DIR".into()));
        }
        CliError::Runtime(e @ Error::Trap { kind, detail, stderr }) => {
            headline(&e.to_string());
            notes.push((HELP, "note:", detail.lines().next().unwrap_or_default().to_string()));
            if !stderr.trim().is_empty() {
                notes.push((HELP, "note:", format!("component stderr: {}", stderr.trim())));
            }
            match kind {
                orch_runtime::TrapKind::Deadline(_) => {
                    notes.push((HELP, "help:", "raise the limit with --deadline".into()))
                }
                orch_runtime::TrapKind::Memory(_) => {
                    notes.push((HELP, "help:", "raise the limit with --memory-limit".into()))
                }
                orch_runtime::TrapKind::Crash => {}
            }
        }
        CliError::Runtime(e) => headline(&e.to_string()),
    }
    for (style, label, text) in notes {
        out.push_str(&format!("  {style}{label}{style:#} {text}\n"));
    }
    out
}
