//! The host side of the orchestrator component, shared by the `orch` CLI
//! and the Nushell plugin.
//!
//! It embeds the components, owns wasmtime (engine, precompiled-component
//! cache, WASI sandbox, limits), and hands out plain Rust values. Neither
//! host touches wasmtime directly.
//!
//! * [`Runtime`] (`runtime`): the calls, each in fresh instances, under
//!   the limits it was given; [`Session`] (`session`): the same calls in
//!   instances kept warm for long-lived hosts; `watch` ([`Watcher`]): the
//!   watch loop over a session, and `change_epoch`, the inotify epoch a
//!   warm parse cache trusts.
//! * The queue calls, each written once for both: `status`, `diff`
//!   ([`Snapshot`], [`TaskDiff`]), `sharded` (`tasks` and `stats` over one
//!   instance per core, [`TaskStream`]) and `part_calls` (`show`,
//!   `workflows`, `workflow`, over parts merged in one instance).
//! * [`validate`]: KCL and Nickel workflows, and the set a directory
//!   stands for.
//! * `slot`: an instance and its store, and the slot a shard's calls run
//!   in; a trap empties it.
//! * `engine`: the wasmtime engine, the components loaded on first use,
//!   the epoch ticker, and the one way a guest call is made, under its
//!   [`Limits`]. `prepared` pre-initialises the Nickel component and
//!   `component_cache` keeps components precompiled.
//! * `wasi`: the sandbox and the host's own filesystem calls; it imports
//!   nothing else of the crate.
//! * `convert`: the WIT types to and from the model's ([`model`]).
//! * [`Error`] (`error`): what every call returns; it imports only
//!   [`data_dir`] (where the queue is) and the model. `hint`: what an
//!   error tells a user to do, in each host's words ([`Host`]).
//!   [`import_path`]: Nickel's import path, from flags and
//!   `$NICKEL_IMPORT_PATH`. `bindings`: the WIT bindings.
//!
//! Imports go down this list, never up: the calls and [`validate`] take
//! the engine under their limits (`engine::Limited`), never the
//! runtime or a session.

mod bindings;
mod change_epoch;
mod component_cache;
mod convert;
pub mod data_dir;
mod diff;
mod engine;
mod error;
mod hint;
pub mod import_path;
mod part_calls;
mod prepared;
pub use orch_model as model;
#[cfg(feature = "probe")]
pub mod probe;
mod runtime;
mod session;
mod sharded;
mod slot;
mod status;
pub mod validate;
mod wasi;
mod watch;

pub use diff::{Snapshot, TaskDiff};
pub use engine::{Limits, RuntimeOptions};
pub use error::{Error, TrapKind};
pub use hint::Host;
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
