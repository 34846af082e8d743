//! What a host shows beside an error's message: notes (what the message
//! leaves out) and help (what to try). Written once, here; each host lays
//! them out its own way (`orch` as `note:` and `help:` lines, the plugin
//! as a `LabeledError`'s help) and only picks how a command or a variable
//! is spelled for its user.

use crate::error::{Error, TrapKind};
use crate::model::{FileErrorKind, QueryError};

/// The host an error is shown in, which decides how help names a
/// variable or a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    /// `orch`, typed into a POSIX shell: `$VAR`, commands that print tables.
    Cli,
    /// The Nushell plugin: `$env.VAR`, commands that return values to pick from.
    Plugin,
}

impl Error {
    /// What the message leaves out: the ids an ambiguous prefix begins; for
    /// a trap, the first line of wasmtime's report and the component's stderr.
    pub fn notes(&self) -> Vec<String> {
        match self {
            Error::Guest(QueryError::AmbiguousTask { candidates, .. }) => {
                vec![format!("it begins {}", candidates.join(", "))]
            }
            Error::Trap { detail, stderr, .. } => {
                let mut notes = vec![detail.lines().next().unwrap_or_default().to_string()];
                if !stderr.trim().is_empty() {
                    notes.push(format!("component stderr: {}", stderr.trim()));
                }
                notes
            }
            _ => Vec::new(),
        }
    }

    /// What to try, a line each, in order.
    pub fn help(&self, host: Host) -> Vec<String> {
        let did_you_mean = |near: &[String]| near.iter().map(|n| format!("did you mean '{n}'?")).collect::<Vec<_>>();
        match self {
            Error::DataDir(e) => {
                let var = match host {
                    Host::Cli => "$ORCHESTRATOR_DATA_DIR",
                    Host::Plugin => "$env.ORCHESTRATOR_DATA_DIR",
                };
                e.tried_line().into_iter().chain([format!("pass --data-dir DIR or set {var}")]).collect()
            }
            Error::Guest(QueryError::File(file)) => match file.kind {
                FileErrorKind::Malformed => {
                    vec!["pass --skip-invalid to list the other tasks and report this file".into()]
                }
                FileErrorKind::TooLarge => vec!["raise the limit with --max-file-size".into()],
                _ => Vec::new(),
            },
            Error::Guest(QueryError::UnknownTask { near, .. }) => match (near.as_slice(), host) {
                // `orch`'s message stands alone there: `orch tasks` prints more than the ids.
                ([], Host::Cli) => Vec::new(),
                ([], Host::Plugin) => vec!["`orch tasks | get id` lists the ids".into()],
                (near, _) => did_you_mean(near),
            },
            Error::Guest(QueryError::UnknownWorkflow { near, .. }) => match (near.as_slice(), host) {
                ([], Host::Cli) => vec!["`orch workflows` lists the names".into()],
                ([], Host::Plugin) => vec!["`orch workflows | get name` lists the names".into()],
                (near, _) => did_you_mean(near),
            },
            Error::Guest(QueryError::AmbiguousTask { .. }) => vec!["give more of the id".into()],
            Error::Trap { kind: TrapKind::Deadline(_), .. } => vec!["raise the limit with --deadline".into()],
            Error::Trap { kind: TrapKind::Memory(_), .. } => vec!["raise the limit with --memory-limit".into()],
            Error::Trap { kind: TrapKind::Crash, .. }
            | Error::Guest(QueryError::InvalidArgument { .. })
            | Error::Setup(_)
            | Error::NotAWorkflow(_)
            | Error::NoWorkflows(_) => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn trap(kind: TrapKind, stderr: &str) -> Error {
        Error::Trap { kind, detail: "wasm trap: interrupt\n  0: frame".into(), stderr: stderr.into() }
    }

    #[test]
    fn a_trap_notes_its_first_line_and_any_stderr() {
        assert_eq!(trap(TrapKind::Crash, " \n").notes(), ["wasm trap: interrupt"]);
        assert_eq!(trap(TrapKind::Crash, "panicked\n").notes(), ["wasm trap: interrupt", "component stderr: panicked"]);
        assert_eq!(
            trap(TrapKind::Deadline(Duration::from_secs(1)), "").help(Host::Cli),
            ["raise the limit with --deadline"]
        );
        assert!(trap(TrapKind::Crash, "").help(Host::Plugin).is_empty());
    }

    #[test]
    fn hosts_spell_what_to_type_their_own_way() {
        let unknown = |near: &[&str]| {
            Error::Guest(QueryError::UnknownWorkflow {
                name: "x".into(),
                near: near.iter().map(|n| n.to_string()).collect(),
            })
        };
        assert_eq!(unknown(&[]).help(Host::Cli), ["`orch workflows` lists the names"]);
        assert_eq!(unknown(&[]).help(Host::Plugin), ["`orch workflows | get name` lists the names"]);
        let near = unknown(&["a", "b"]);
        assert_eq!(near.help(Host::Cli), ["did you mean 'a'?", "did you mean 'b'?"]);
        assert_eq!(near.help(Host::Cli), near.help(Host::Plugin));
    }

    #[test]
    fn an_ambiguous_id_notes_its_candidates() {
        let err =
            Error::Guest(QueryError::AmbiguousTask { prefix: "c".into(), candidates: vec!["c1".into(), "c2".into()] });
        assert_eq!(err.notes(), ["it begins c1, c2"]);
        assert_eq!(err.help(Host::Cli), ["give more of the id"]);
    }
}
