//! The host side of the orchestrator component, shared by the `orch` CLI
//! and the Nushell plugin.
//!
//! It embeds the component, owns wasmtime (engine, precompiled-component
//! cache, WASI sandbox, limits), and hands out plain Rust values. Neither
//! host touches wasmtime directly.

mod bindings;
mod change_epoch;
mod component_cache;
mod convert;
pub mod data_dir;
mod error;
mod instances;
pub use orch_model as model;
#[cfg(feature = "probe")]
pub mod probe;
mod queue_calls;
mod runtime;
mod session;
mod sharded;
pub mod validate;
mod wasi;
mod watch;

pub use error::{Error, GuestError, TrapKind};
pub use instances::{Limits, RuntimeOptions};
pub use queue_calls::{Snapshot, TaskDiff};
pub use runtime::Runtime;
pub use session::Session;
pub use sharded::TaskStream;
pub use watch::{WatchMode, WatchOptions, Watcher};

/// The component this library runs, for hosts that want to hand it to
/// another runtime.
pub mod component {
    include!(concat!(env!("OUT_DIR"), "/components.rs"));
}
