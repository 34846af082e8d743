//! Errors, rendered once, rustc-style: `error:` with the message, `-->`
//! with the file and position, `note:` with what the message leaves out,
//! `help:` with what to try (a runtime error's notes and help are the
//! runtime's: `Error::notes`, `Error::help`).

use anstyle::{AnsiColor, Style};
use orch_runtime::model::{FileErrorKind, QueryError};
use orch_runtime::{Error, Host};

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
        CliError::Runtime(e) => {
            match e {
                Error::Guest(QueryError::File(file)) => {
                    if file.kind == FileErrorKind::Malformed {
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
                }
                e => headline(&e.to_string()),
            }
            notes.extend(e.notes().into_iter().map(|note| (HELP, "note:", note)));
            notes.extend(e.help(Host::Cli).into_iter().map(|help| (HELP, "help:", help)));
        }
    }
    for (style, label, text) in notes {
        out.push_str(&format!("  {style}{label}{style:#} {text}\n"));
    }
    out
}
