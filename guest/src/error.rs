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
}

impl Error {
    pub fn argument(name: &str, message: impl Into<String>) -> Self {
        Error::InvalidArgument { name: name.to_string(), message: message.into() }
    }
}
