//! Why the component refused a call: a bad file, a bad argument, or a
//! name that matches no record or more than one. The component's logic
//! builds it, the WIT carries it as `types.error`, and the hosts render it.

use crate::FileError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("{0}")]
    File(#[from] FileError),
    #[error("invalid --{name}: {message}")]
    InvalidArgument { name: String, message: String },
    /// No task has this id, nor an id it begins; `near` are ids a typo away.
    #[error("no task '{id}'")]
    UnknownTask { id: String, near: Vec<String> },
    /// Several tasks' ids begin with this prefix; `candidates` are the
    /// first of them.
    #[error("'{prefix}' is the beginning of more than one task id")]
    AmbiguousTask { prefix: String, candidates: Vec<String> },
    /// No workflow has this name; `near` are names a typo away.
    #[error("no workflow '{name}'")]
    UnknownWorkflow { name: String, near: Vec<String> },
}

impl QueryError {
    pub fn argument(name: &str, message: impl Into<String>) -> Self {
        QueryError::InvalidArgument { name: name.to_string(), message: message.into() }
    }
}
