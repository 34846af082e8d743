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
mod hint;
pub mod import_path;
mod instances;
mod part_calls;
mod prepared;
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
pub use hint::Host;
pub use instances::{Limits, RuntimeOptions};
pub use queue_calls::{Snapshot, TaskDiff};
pub use runtime::Runtime;
pub use session::Session;
pub use sharded::TaskStream;
pub use watch::{WatchMode, WatchOptions, Watcher};

/// The components this library runs, and the WIT package they implement,
/// for hosts that want to hand them to another runtime. The build script
/// generates the constants: `COMPONENTS` has one line per shipped component.
pub mod component {
    /// A component embedded in the hosts.
    #[derive(Debug, Clone, Copy)]
    pub struct Embedded {
        /// The WIT world it exports.
        pub world: &'static str,
        /// Its bytes, exactly as the runtime loads them.
        pub wasm: &'static [u8],
        /// A hash of the bytes, the key of its precompiled form in the cache.
        pub hash: &'static str,
    }

    /// One file of the WIT package.
    #[derive(Debug, Clone, Copy)]
    pub struct WitFile {
        /// Its name in `wit/`.
        pub name: &'static str,
        pub text: &'static str,
    }

    /// The shipped component exporting `world`.
    pub fn by_world(world: &str) -> Option<&'static Embedded> {
        COMPONENTS.iter().find(|c| c.world == world)
    }

    include!(concat!(env!("OUT_DIR"), "/components.rs"));
}
