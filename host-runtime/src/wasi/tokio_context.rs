//! The Tokio context wasmtime-wasi's synchronous calls run in.
//!
//! Each synchronous WASI call blocks on a future: on the calling thread's
//! Tokio runtime if it has one, else on a multi-thread runtime that
//! wasmtime-wasi starts for the process, with a worker thread per core,
//! after reading the cgroup's CPU quota. Starting that runtime took a
//! quarter of a millisecond of every `orch` run, inside the component's
//! first WASI call. The calls made here never wait on Tokio: files are read
//! on the calling thread (`allow_blocking_current_thread`), output goes to
//! memory, a pause sleeps the thread (`pause`), and the sandbox gives the
//! component no network. A current-thread runtime without drivers does: it
//! starts no thread, and a timer, were one ever set, would fail loudly
//! rather than wait forever.

use std::sync::LazyLock;

use tokio::runtime::{Builder, EnterGuard, Handle, Runtime};

static RUNTIME: LazyLock<Option<Runtime>> = LazyLock::new(|| Builder::new_current_thread().build().ok());

/// Makes the runtime current on this thread until the guard drops, unless
/// the thread has one already (a host that embeds this in its own Tokio).
pub(crate) fn enter() -> Option<EnterGuard<'static>> {
    if Handle::try_current().is_ok() {
        return None;
    }
    RUNTIME.as_ref().map(Runtime::enter)
}
