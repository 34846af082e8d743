//! WASI plumbing: the sandbox a call runs in, the host's own answers to the
//! filesystem calls it reads through (`open-at` for reading,
//! `read-directory`), a pause for `subscribe-duration`, the Tokio context
//! WASI calls run in, and the linker that puts them together. It imports
//! nothing else of the crate.

mod open;
mod pause;
mod readdir;
mod sandbox;
mod tokio_context;

use wasmtime::component::Linker;

pub use sandbox::{GUEST_ROOT, HostState, MemoryLimitExceeded};
pub(crate) use tokio_context::enter as enter_tokio;

/// WASI Preview 2 with orch's own `open-at`, `read-directory` and
/// `subscribe-duration` in front of wasmtime-wasi's.
pub(crate) fn linker<T: wasmtime_wasi::WasiView + 'static>(engine: &wasmtime::Engine) -> wasmtime::Result<Linker<T>> {
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
    readdir::add_to_linker(&mut linker)?;
    open::add_to_linker(&mut linker)?;
    pause::add_to_linker(&mut linker)?;
    Ok(linker)
}
