//! The orchestrator's logic. Everything here is plain Rust that compiles and
//! tests natively; only `component` knows about WIT, and only on wasm.

pub mod error;
pub mod fs_access;
pub mod json_listing;
pub mod kcl;
pub mod model;
pub mod parse_cache;
pub mod queue;
pub mod scan;
pub mod stats;
pub mod status_file;
pub mod task_diff;
pub mod task_file;
pub mod task_filter;
pub mod task_order;
pub mod time_bound;

#[cfg(target_arch = "wasm32")]
mod component;
#[cfg(target_arch = "wasm32")]
mod wasi_fs;
