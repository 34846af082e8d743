//! WASI's `subscribe-duration`, as a pause on the calling thread.
//!
//! The guest pauses while a writer finishes a file it caught half-written
//! (`guest/src/queue/live_read.rs`). wasmtime-wasi's own subscription
//! waits on a Tokio timer, and the current-thread runtime the calls run in
//! (`tokio_context`) has no timer to drive. Here the pollable sleeps the
//! thread instead, as every other WASI call here blocks in place. Each
//! pause is capped at [`MAX_PAUSE`]: while the host sleeps, the epoch
//! deadline is not checked. The clocks still read zero; a pause tells the
//! guest nothing of the time.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use wasmtime::component::Linker;
use wasmtime_wasi::WasiView;
use wasmtime_wasi::p2::{DynPollable, Pollable, subscribe};

/// The longest pause one subscription gets: above the guest's own window
/// for one file, far below any deadline.
pub(crate) const MAX_PAUSE: Duration = Duration::from_millis(100);

const MONOTONIC_CLOCK: &str = "wasi:clocks/monotonic-clock@0.2.12";

struct Pause {
    until: Instant,
}

// `async_trait`'s form of `async fn ready`, written out.
impl Pollable for Pause {
    fn ready<'life, 'future>(&'life mut self) -> Pin<Box<dyn Future<Output = ()> + Send + 'future>>
    where
        'life: 'future,
        Self: 'future,
    {
        let left = self.until.saturating_duration_since(Instant::now());
        if !left.is_zero() {
            std::thread::sleep(left);
        }
        Box::pin(std::future::ready(()))
    }
}

pub(crate) fn add_to_linker<T: WasiView + 'static>(linker: &mut Linker<T>) -> wasmtime::Result<()> {
    linker.allow_shadowing(true);
    linker.instance(MONOTONIC_CLOCK)?.func_wrap(
        "subscribe-duration",
        |mut store: wasmtime::StoreContextMut<'_, T>, (nanos,): (u64,)| {
            let until = Instant::now() + Duration::from_nanos(nanos).min(MAX_PAUSE);
            let table = store.data_mut().ctx().table;
            let pause = table.push(Pause { until })?;
            let pollable: wasmtime::component::Resource<DynPollable> = subscribe(table, pause)?;
            Ok((pollable,))
        },
    )?;
    linker.allow_shadowing(false);
    Ok(())
}
