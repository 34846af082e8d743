//! The WASI sandbox of one call: a single read-only preopen, no env, args,
//! stdin or network, a frozen clock, and stderr captured for error reports.

use std::path::Path;
use std::time::Duration;

use wasmtime::ResourceLimiter;
use wasmtime::component::ResourceTable;
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{FsPerms, HostMonotonicClock, HostWallClock, WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

pub use orch_model::layout::SANDBOX_ROOT as GUEST_ROOT;

const STDERR_CAPACITY: usize = 64 * 1024;

pub struct HostState {
    ctx: WasiCtx,
    table: ResourceTable,
    memory: MemoryCap,
    pub stderr: MemoryOutputPipe,
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView { ctx: &mut self.ctx, table: &mut self.table }
    }
}

/// WASI file I/O runs on the calling thread (`allow_blocking_current_thread`);
/// the descriptors the host's own `open-at` makes must say the same.
pub(crate) const BLOCKING_IN_PLACE: bool = true;

impl HostState {
    /// A sandbox that sees each host directory (read-only) at its guest
    /// path, and nothing else.
    pub fn with_preopens(preopens: &[(&Path, &str)], memory_bytes: usize) -> wasmtime::Result<HostState> {
        let stderr = MemoryOutputPipe::new(STDERR_CAPACITY);
        let mut wasi = WasiCtxBuilder::new();
        // Must come before the preopen, which captures it: without it every
        // file operation hops to a blocking thread pool (measured 13-17x slower).
        wasi.allow_blocking_current_thread(BLOCKING_IN_PLACE)
            .stdout(std::io::empty())
            .stderr(stderr.clone())
            .wall_clock(FrozenClock)
            .monotonic_clock(FrozenClock);
        for (dir, guest) in preopens {
            wasi.preopened_dir(dir, guest, FsPerms::ReadOnly)?;
        }
        Ok(HostState {
            ctx: wasi.build(),
            table: ResourceTable::new(),
            memory: MemoryCap { limit: memory_bytes },
            stderr,
        })
    }

    /// Whether the guest holds no WASI resource (file, stream, pollable):
    /// then nothing of this store's is referred to from the guest's memory.
    pub fn holds_no_handles(&self) -> bool {
        self.table.is_empty()
    }

    pub fn limiter(&mut self) -> &mut dyn ResourceLimiter {
        &mut self.memory
    }
}

/// Raised, as a trap, when the guest asks for more memory than its cap.
/// A typed error (rather than a failed `memory.grow`, which the guest's
/// allocator turns into an anonymous abort) lets the host say what happened.
#[derive(Debug, thiserror::Error)]
#[error("memory limit of {limit} bytes exceeded (asked for {desired})")]
pub struct MemoryLimitExceeded {
    pub limit: usize,
    pub desired: usize,
}

struct MemoryCap {
    limit: usize,
}

impl ResourceLimiter for MemoryCap {
    fn memory_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        if desired > self.limit {
            return Err(MemoryLimitExceeded { limit: self.limit, desired }.into());
        }
        Ok(true)
    }

    fn table_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        Ok(desired <= MAX_TABLE_ELEMENTS)
    }
}

const MAX_TABLE_ELEMENTS: usize = 1 << 20;

/// The guest gets no clock: both clocks read the epoch, and the host passes
/// "now" as an argument where it matters.
struct FrozenClock;

impl HostWallClock for FrozenClock {
    fn resolution(&self) -> Duration {
        Duration::from_secs(1)
    }
    fn now(&self) -> Duration {
        Duration::ZERO
    }
}

impl HostMonotonicClock for FrozenClock {
    fn resolution(&self) -> u64 {
        1_000_000_000
    }
    fn now(&self) -> u64 {
        0
    }
}
