//! Letting time pass while a writer finishes: the one wait the guest makes.
//!
//! The sandbox gives the guest no clock to read (both WASI clocks say
//! zero), but a WASI wait is measured by the host's own timer, so a pause
//! takes real time without telling the guest what time it is. The host
//! caps each pause (`host-runtime/src/wasi/pause.rs`).

use std::time::Duration;

#[cfg(target_arch = "wasm32")]
pub fn pause(d: Duration) {
    let nanos = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
    wasip2::clocks::monotonic_clock::subscribe_duration(nanos).block();
}

#[cfg(not(target_arch = "wasm32"))]
pub fn pause(d: Duration) {
    std::thread::sleep(d);
}
