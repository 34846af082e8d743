//! Typed errors: the model's, built here directly. They cross the WIT
//! boundary as `types.error` (`component::error`) and are rendered by the
//! hosts.

pub use orch_model::{FileError, FileErrorKind, Position, QueryError as Error};
