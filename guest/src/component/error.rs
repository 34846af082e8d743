//! The model's errors to the WIT `types` records, and a skipped file's
//! back for the parts a host hands in again.

use super::wit_types;
use crate::error::{Error, FileError, FileErrorKind, Position};

pub(super) fn file_error(e: FileError) -> wit_types::FileError {
    wit_types::FileError {
        path: e.path.to_string_lossy().into_owned(),
        kind: match e.kind {
            FileErrorKind::NotFound => wit_types::FileErrorKind::NotFound,
            FileErrorKind::Denied => wit_types::FileErrorKind::Denied,
            FileErrorKind::TooLarge => wit_types::FileErrorKind::TooLarge,
            FileErrorKind::NotAFile => wit_types::FileErrorKind::NotAFile,
            FileErrorKind::Malformed => wit_types::FileErrorKind::Malformed,
            FileErrorKind::Io => wit_types::FileErrorKind::Io,
        },
        position: e.position.map(|p| wit_types::Position { line: p.line, column: p.column }),
        message: e.message,
    }
}

pub(super) fn model_file_error(e: wit_types::FileError) -> FileError {
    FileError {
        path: e.path.into(),
        kind: match e.kind {
            wit_types::FileErrorKind::NotFound => FileErrorKind::NotFound,
            wit_types::FileErrorKind::Denied => FileErrorKind::Denied,
            wit_types::FileErrorKind::TooLarge => FileErrorKind::TooLarge,
            wit_types::FileErrorKind::NotAFile => FileErrorKind::NotAFile,
            wit_types::FileErrorKind::Malformed => FileErrorKind::Malformed,
            wit_types::FileErrorKind::Io => FileErrorKind::Io,
        },
        position: e.position.map(|p| Position { line: p.line, column: p.column }),
        message: e.message,
    }
}

impl From<Error> for wit_types::Error {
    fn from(e: Error) -> Self {
        match e {
            Error::File(f) => wit_types::Error::File(file_error(f)),
            Error::InvalidArgument { name, message } => {
                wit_types::Error::InvalidArgument(wit_types::ArgumentError { name, message })
            }
            Error::UnknownTask { id, near } => {
                wit_types::Error::UnknownTask(wit_types::TaskLookup { id, candidates: near })
            }
            Error::AmbiguousTask { prefix, candidates } => {
                wit_types::Error::AmbiguousTask(wit_types::TaskLookup { id: prefix, candidates })
            }
            Error::UnknownWorkflow { name, near } => {
                wit_types::Error::UnknownWorkflow(wit_types::TaskLookup { id: name, candidates: near })
            }
        }
    }
}
