//! What every call shares: one engine, the precompiled component
//! pre-instantiated, the limits, and the epoch ticker that enforces the
//! deadline. Each call gets a fresh store and sandbox from here, so a trap
//! (which poisons its store) never reaches the next call.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use jiff::Timestamp;
use wasmtime::component::Component;
use wasmtime::{Config, Engine, Store, Trap};

use crate::bindings::exports::provisioning::orchestrator::queue as wit;
use crate::bindings::nickel::NickelValidatorPre;
use crate::bindings::{Orchestrator, OrchestratorPre};
use crate::error::{Error, TrapKind};
use crate::wasi::{HostState, MemoryLimitExceeded};
use crate::{component, component_cache, convert, model, prepared};

/// Bounds on one call into the component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The guest's linear memory cap.
    pub memory_bytes: usize,
    /// Wall time after which a call is stopped.
    pub deadline: Duration,
    /// Files larger than this are refused by the component.
    pub max_file_size: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { memory_bytes: 256 * 1024 * 1024, deadline: Duration::from_secs(10), max_file_size: 16 * 1024 * 1024 }
    }
}

#[derive(Debug, Clone)]
pub struct RuntimeOptions {
    pub limits: Limits,
    /// Where precompiled components are cached; `None` compiles every time.
    pub cache_dir: Option<PathBuf>,
}

impl Default for RuntimeOptions {
    fn default() -> Self {
        RuntimeOptions { limits: Limits::default(), cache_dir: component_cache::default_dir() }
    }
}

pub(crate) struct Instances {
    pub(crate) engine: Engine,
    /// The queue's component (with the KCL validator), loaded by its first
    /// call.
    pre: OnceLock<Result<OrchestratorPre<HostState>, String>>,
    /// The Nickel engine's component, loaded by the first `.ncl` validated:
    /// the queue commands never pay for its size.
    nickel: OnceLock<Result<NickelValidatorPre<HostState>, String>>,
    cache_dir: Option<PathBuf>,
    pub(crate) limits: Limits,
    ticker: EpochTicker,
}

impl Instances {
    pub(crate) fn new(options: RuntimeOptions) -> Result<Instances, Error> {
        let engine = engine()?;
        let ticker = EpochTicker::start(&engine, options.limits.deadline);
        Ok(Instances {
            engine,
            pre: OnceLock::new(),
            nickel: OnceLock::new(),
            cache_dir: options.cache_dir,
            limits: options.limits,
            ticker,
        })
    }

    /// The queue's component, loaded on first use: validating Nickel alone
    /// never needs it.
    fn orchestrator(&self) -> Result<&OrchestratorPre<HostState>, Error> {
        let load = || -> wasmtime::Result<OrchestratorPre<HostState>> {
            let (wasm, hash) = (component::ORCHESTRATOR_WASM, component::ORCHESTRATOR_HASH);
            let component = component_cache::load(&self.engine, wasm, hash, self.cache_dir.as_deref())?;
            OrchestratorPre::new(crate::wasi::linker(&self.engine)?.instantiate_pre(&component)?)
        };
        let pre = self.pre.get_or_init(|| load().map_err(|e| format!("{e:#}")));
        pre.as_ref().map_err(|e| Error::Setup(e.clone()))
    }

    /// The Nickel component, loaded on first use. With a cache directory it
    /// is the pre-initialised one (`prepared`): made and compiled once, then
    /// read from the cache. Without one, or should making it fail, it is the
    /// embedded component as it is, which prepares its standard library in
    /// each instance's first call.
    pub(crate) fn nickel(&self) -> Result<&NickelValidatorPre<HostState>, Error> {
        let load = || -> wasmtime::Result<NickelValidatorPre<HostState>> {
            let (wasm, hash) = (component::NICKEL_WASM, component::NICKEL_HASH);
            let component = match self.cache_dir.as_deref() {
                Some(dir) => {
                    self.prepared_nickel(dir).or_else(|_| component_cache::load(&self.engine, wasm, hash, Some(dir)))?
                }
                None => Component::new(&self.engine, wasm)?,
            };
            NickelValidatorPre::new(crate::wasi::linker(&self.engine)?.instantiate_pre(&component)?)
        };
        let pre = self.nickel.get_or_init(|| load().map_err(|e| format!("{e:#}")));
        pre.as_ref().map_err(|e| Error::Setup(format!("the Nickel component: {e}")))
    }

    /// The pre-initialised Nickel component, from the cache, else made in a
    /// sandbox that preopens nothing. Its `prepare` runs the component's own
    /// code on the library it embeds, with no input of the user's, so it has
    /// bounds of its own ([`PREPARE_LIMITS`]): a tight `--memory-limit` or
    /// `--deadline` never keeps the snapshot from being made, which would
    /// otherwise be tried again, compile and all, by every process. Each
    /// instance of the snapshot runs under this runtime's limits.
    fn prepared_nickel(&self, dir: &Path) -> wasmtime::Result<Component> {
        let key = format!("{}-{}", component::NICKEL_HASH, prepared::SNAPSHOT_VERSION);
        component_cache::load_made(&self.engine, &key, dir, || {
            prepared::prepare(&self.engine, component::NICKEL_WASM, || {
                let (memory, deadline) = PREPARE_LIMITS;
                let mut store = self.store_for(HostState::with_preopens(&[], memory)?);
                store.set_epoch_deadline(ticks(deadline, self.ticker.period));
                Ok(store)
            })
        })
    }

    pub(crate) fn scan_options(
        &self,
        read: model::ReadOptions,
        cache_now: Option<Timestamp>,
        fs_epoch: Option<u64>,
    ) -> wit::ScanOptions {
        wit::ScanOptions {
            skip_invalid: read.skip_invalid,
            max_file_size: self.limits.max_file_size,
            cache_now: cache_now.map(convert::datetime),
            fs_epoch,
        }
    }

    /// A new instance in a fresh store: nothing survives from earlier calls.
    pub(crate) fn instantiate(&self, dir: &Path) -> Result<(Store<HostState>, Orchestrator), Error> {
        // Loaded before the store: the deadline starts with the store, and a
        // first load may compile the component.
        let pre = self.orchestrator()?;
        let mut store = self.store(dir)?;
        let instance = pre.instantiate(&mut store).map_err(|e| self.trap(e, &store))?;
        Ok((store, instance))
    }

    /// Allows a long-lived store one more call's worth of time.
    pub(crate) fn renew_deadline(&self, store: &mut Store<HostState>) {
        store.set_epoch_deadline(self.ticker.deadline_ticks);
    }

    /// A fresh store whose sandbox preopens `dir`, read-only.
    pub(crate) fn store(&self, dir: &Path) -> Result<Store<HostState>, Error> {
        self.store_with(&[(dir, crate::wasi::GUEST_ROOT)])
    }

    /// A fresh store whose sandbox preopens each directory, read-only, at
    /// its guest path.
    pub(crate) fn store_with(&self, preopens: &[(&Path, &str)]) -> Result<Store<HostState>, Error> {
        let state = HostState::with_preopens(preopens, self.limits.memory_bytes).map_err(|e| {
            let dir = preopens.iter().find(|(dir, _)| !dir.is_dir()).unwrap_or(&preopens[0]).0;
            Error::DataDir(crate::data_dir::DataDirError::Unreadable {
                path: dir.to_path_buf(),
                message: e.to_string(),
            })
        })?;
        Ok(self.store_for(state))
    }

    /// A fresh store around `state`, under this runtime's limits.
    fn store_for(&self, state: HostState) -> Store<HostState> {
        let mut store = Store::new(&self.engine, state);
        store.limiter(|state| state.limiter());
        store.set_epoch_deadline(self.ticker.deadline_ticks);
        store
    }

    pub(crate) fn trap(&self, err: wasmtime::Error, store: &Store<HostState>) -> Error {
        let stderr = String::from_utf8_lossy(&store.data().stderr.contents()).into_owned();
        let kind = if err.downcast_ref::<MemoryLimitExceeded>().is_some() {
            TrapKind::Memory(self.limits.memory_bytes)
        } else if err.downcast_ref::<Trap>() == Some(&Trap::Interrupt) {
            TrapKind::Deadline(self.limits.deadline)
        } else {
            TrapKind::Crash
        };
        Error::Trap { kind, detail: format!("{err:#}"), stderr }
    }
}

/// The memory cap and deadline of the Nickel component's `prepare`: many
/// times what it needs (tens of MiB, tens of milliseconds).
const PREPARE_LIMITS: (usize, Duration) = (1 << 30, Duration::from_secs(60));

fn setup(e: wasmtime::Error) -> Error {
    Error::Setup(format!("{e:#}"))
}

/// One engine configuration everywhere: a precompiled artifact loads only
/// into an engine configured the same way. No native unwind info: nothing
/// unwinds through guest frames with the system unwinder, and registering it
/// was a fifth of loading the precompiled component.
fn engine() -> Result<Engine, Error> {
    let mut config = Config::new();
    config.wasm_component_model(true).epoch_interruption(true).native_unwind_info(false);
    Engine::new(&config).map_err(setup)
}

/// Advances the engine's epoch on a fixed period; a store's deadline is a
/// number of periods. One ticker serves concurrent calls fairly, which a
/// per-call watchdog bumping the shared epoch would not.
struct EpochTicker {
    period: Duration,
    deadline_ticks: u64,
    stop: Arc<AtomicBool>,
}

impl EpochTicker {
    fn start(engine: &Engine, deadline: Duration) -> EpochTicker {
        let period = (deadline / 20).clamp(Duration::from_millis(1), Duration::from_millis(100));
        let deadline_ticks = ticks(deadline, period);
        let stop = Arc::new(AtomicBool::new(false));
        let engine = engine.weak();
        let flag = stop.clone();
        std::thread::Builder::new()
            .name("orch-epoch".into())
            .spawn(move || {
                while !flag.load(Ordering::Relaxed) {
                    std::thread::sleep(period);
                    match engine.upgrade() {
                        Some(engine) => engine.increment_epoch(),
                        None => break,
                    }
                }
            })
            .expect("spawn the epoch thread");
        EpochTicker { period, deadline_ticks, stop }
    }
}

/// The periods in `time`, rounded down, and one more for the period already under way.
fn ticks(time: Duration, period: Duration) -> u64 {
    (time.as_nanos() / period.as_nanos()).max(1) as u64 + 1
}

impl Drop for EpochTicker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}
