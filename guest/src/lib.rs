//! The orchestrator's logic: two subjects on one file layer, behind one
//! contract. Everything here is plain Rust that compiles and tests natively;
//! only `component` knows about WIT, and only on wasm.
//!
//! - [`queue`]: reading and querying the task queue and the status file.
//! - [`workflows`]: validating workflows before they are submitted.
//! - [`fs`]: the read-only file layer both subjects read through.
//! - [`suggest`]: "did you mean" guesses, for both subjects' names.
//!
//! The records they produce are [`orch_model`]'s, shared with the hosts.

pub mod error;
pub mod fs;
pub mod queue;
pub mod suggest;
pub mod workflows;

pub use orch_model as model;

// One crate, two components: the queue's (with the KCL validator), and
// with the `nickel` feature the Nickel engine's, which alone links it.
#[cfg(all(target_arch = "wasm32", not(feature = "nickel")))]
mod component;
#[cfg(all(target_arch = "wasm32", feature = "nickel"))]
#[path = "component/nickel.rs"]
mod nickel_component;
