//! `types.error` and a file's error, to the model's.

use std::path::Path;

use crate::bindings::exports::provisioning::orchestrator::types as wit_types;
use crate::model::{self, QueryError};

/// The component names files relative to its preopen; the host names them
/// where the user can find them.
pub fn file_error(e: wit_types::FileError, root: &Path) -> model::FileError {
    model::FileError {
        path: root.join(&e.path),
        kind: match e.kind {
            wit_types::FileErrorKind::NotFound => model::FileErrorKind::NotFound,
            wit_types::FileErrorKind::Denied => model::FileErrorKind::Denied,
            wit_types::FileErrorKind::TooLarge => model::FileErrorKind::TooLarge,
            wit_types::FileErrorKind::NotAFile => model::FileErrorKind::NotAFile,
            wit_types::FileErrorKind::Malformed => model::FileErrorKind::Malformed,
            wit_types::FileErrorKind::Io => model::FileErrorKind::Io,
        },
        position: e.position.map(|p| model::Position { line: p.line, column: p.column }),
        message: e.message,
    }
}

pub fn guest_error(e: wit_types::Error, root: &Path) -> QueryError {
    match e {
        wit_types::Error::File(f) => QueryError::File(file_error(f, root)),
        wit_types::Error::InvalidArgument(a) => QueryError::InvalidArgument { name: a.name, message: a.message },
        wit_types::Error::UnknownTask(t) => QueryError::UnknownTask { id: t.id, near: t.candidates },
        wit_types::Error::AmbiguousTask(t) => QueryError::AmbiguousTask { prefix: t.id, candidates: t.candidates },
        wit_types::Error::UnknownWorkflow(t) => QueryError::UnknownWorkflow { name: t.id, near: t.candidates },
    }
}
