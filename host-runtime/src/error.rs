//! Errors, typed here and rendered once by each host.

use std::time::Duration;

use crate::data_dir::DataDirError;
use crate::model::QueryError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    DataDir(#[from] DataDirError),
    /// The component refused the call: a bad file, a bad argument, or an
    /// id or a name that matches no record or more than one.
    #[error(transparent)]
    Guest(#[from] QueryError),
    /// The component was stopped. The runtime stays usable: every call gets a fresh store.
    #[error("{kind}")]
    Trap { kind: TrapKind, detail: String, stderr: String },
    /// The engine or the component could not be set up.
    #[error("cannot start the orchestrator component: {0}")]
    Setup(String),
    /// `orch validate` was given a file of no workflow language it knows.
    #[error("{}: not a workflow: expected {}", .0.display(), crate::model::Language::ACCEPTED)]
    NotAWorkflow(std::path::PathBuf),
    /// `orch validate` was given a directory with no workflow file below it.
    #[error("no workflows (*.k, *.ncl) under {}", .0.display())]
    NoWorkflows(std::path::PathBuf),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrapKind {
    /// The epoch deadline passed.
    Deadline(Duration),
    /// The guest tried to grow its memory past the cap (bytes).
    Memory(usize),
    /// Anything else: a panic, a stack overflow, an unreachable.
    Crash,
}

impl std::fmt::Display for TrapKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TrapKind::Deadline(d) => {
                write!(f, "the component ran past its {} ms deadline and was stopped", d.as_millis())
            }
            TrapKind::Memory(bytes) => {
                write!(
                    f,
                    "the component needed more than its {} MiB memory limit and was stopped",
                    bytes / (1024 * 1024)
                )
            }
            TrapKind::Crash => f.write_str("the component crashed"),
        }
    }
}

impl Error {
    /// A stable, machine-readable name for the error, used as the plugin's
    /// error code and in tests.
    pub fn code(&self) -> String {
        match self {
            Error::DataDir(_) => "orch::data_dir".into(),
            Error::Guest(QueryError::File(f)) => format!("orch::file::{}", f.kind.as_str()),
            Error::Guest(QueryError::InvalidArgument { .. }) => "orch::argument".into(),
            Error::Guest(QueryError::UnknownTask { .. }) => "orch::task::unknown".into(),
            Error::Guest(QueryError::AmbiguousTask { .. }) => "orch::task::ambiguous".into(),
            Error::Guest(QueryError::UnknownWorkflow { .. }) => "orch::workflow::unknown".into(),
            Error::Trap { kind: TrapKind::Deadline(_), .. } => "orch::trap::deadline".into(),
            Error::Trap { kind: TrapKind::Memory(_), .. } => "orch::trap::memory".into(),
            Error::Trap { kind: TrapKind::Crash, .. } => "orch::trap::crash".into(),
            Error::Setup(_) => "orch::setup".into(),
            Error::NotAWorkflow(_) => "orch::usage::language".into(),
            Error::NoWorkflows(_) => "orch::usage::empty".into(),
        }
    }

    /// Whether what the user typed is at fault (an argument, an id that
    /// names more than one task, a path that holds no workflow) rather
    /// than the data or the component: `orch` exits 2 for these.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            Error::Guest(QueryError::InvalidArgument { .. } | QueryError::AmbiguousTask { .. })
                | Error::NotAWorkflow(_)
                | Error::NoWorkflows(_)
        )
    }
}
