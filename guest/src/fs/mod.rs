//! The file layer: a directory tree addressed by paths relative to its root
//! (the preopen in the component, any directory natively), with the
//! sandbox's limits (size caps, file types, error naming) in one place.
//! It imports only `crate::error`; both subjects read through it. Its one
//! wait, [`pause`], lets a writer finish.

mod access;
mod data_dir;
mod entry;
mod pause;
#[cfg(target_arch = "wasm32")]
mod wasi;

pub use data_dir::{DEFAULT_MAX_FILE_SIZE, DataDir, FileStamp, not_a_file};
pub use entry::{Kind, Meta};
pub use pause::pause;
