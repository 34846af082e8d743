//! Typed errors. They cross the WIT boundary as `types.error` and are
//! rendered by the hosts. A file's own problem is the model's
//! [`FileError`], shared with the hosts.

pub use orch_model::{FileError, FileErrorKind, Position};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    File(#[from] FileError),
    #[error("invalid --{name}: {message}")]
    InvalidArgument { name: String, message: String },
    /// No task has this id, nor an id it begins; `near` are ids a typo away.
    #[error("no task '{id}'")]
    UnknownTask { id: String, near: Vec<String> },
    /// Several tasks' ids begin with this prefix.
    #[error("'{prefix}' is the beginning of {} task ids", candidates.len())]
    AmbiguousTask { prefix: String, candidates: Vec<String> },
    /// No workflow has this name; `near` are names a typo away.
    #[error("no workflow '{name}'")]
    UnknownWorkflow { name: String, near: Vec<String> },
}

impl Error {
    pub fn argument(name: &str, message: impl Into<String>) -> Self {
        Error::InvalidArgument { name: name.to_string(), message: message.into() }
    }
}
