//! What every call shares: one engine, the precompiled components
//! pre-instantiated, and the epoch ticker that enforces deadlines; and the
//! one way a guest call is made ([`Limited::run`]), under the limits it is
//! given. Each store gets its memory cap when it is made and each call its
//! deadline when it starts, so one engine serves calls of any limits.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
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

/// Bounds on one call into the component. A kept instance keeps the
/// memory cap of the store it was made in.
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

/// The engine every call shares, whatever its limits: wasmtime's engine,
/// the components pre-instantiated as they are first needed, and the epoch
/// ticker. Nothing here depends on a call's limits: [`Limited`] puts them
/// on a call.
pub(crate) struct ComponentEngine {
    pub(crate) wasmtime: Engine,
    /// The queue's component (with the KCL validator), loaded by its first
    /// call.
    pre: OnceLock<Result<OrchestratorPre<HostState>, String>>,
    /// The Nickel engine's component, loaded by the first `.ncl` validated:
    /// the queue commands never pay for its size.
    nickel: OnceLock<Result<NickelValidatorPre<HostState>, String>>,
    cache_dir: Option<PathBuf>,
    ticker: EpochTicker,
}

impl ComponentEngine {
    pub(crate) fn new(cache_dir: Option<PathBuf>) -> Result<ComponentEngine, Error> {
        let wasmtime = engine()?;
        let ticker = EpochTicker::start(&wasmtime)?;
        Ok(ComponentEngine { wasmtime, pre: OnceLock::new(), nickel: OnceLock::new(), cache_dir, ticker })
    }

    /// This engine, each call under `limits`.
    pub(crate) fn limited(&self, limits: Limits) -> Limited<'_> {
        Limited { engine: self, limits }
    }

    /// The queue's component, loaded on first use: validating Nickel alone
    /// never needs it.
    fn orchestrator(&self) -> Result<&OrchestratorPre<HostState>, Error> {
        let load = || -> wasmtime::Result<OrchestratorPre<HostState>> {
            let (wasm, hash) = (component::ORCHESTRATOR_WASM, component::ORCHESTRATOR_HASH);
            let component = component_cache::load(&self.wasmtime, wasm, hash, self.cache_dir.as_deref())?;
            OrchestratorPre::new(crate::wasi::linker(&self.wasmtime)?.instantiate_pre(&component)?)
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
                Some(dir) => self
                    .prepared_nickel(dir)
                    .or_else(|_| component_cache::load(&self.wasmtime, wasm, hash, Some(dir)))?,
                None => Component::new(&self.wasmtime, wasm)?,
            };
            NickelValidatorPre::new(crate::wasi::linker(&self.wasmtime)?.instantiate_pre(&component)?)
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
    /// instance of the snapshot runs under its call's limits.
    fn prepared_nickel(&self, dir: &Path) -> wasmtime::Result<Component> {
        let key = format!("{}-{}", component::NICKEL_HASH, prepared::SNAPSHOT_VERSION);
        let _guest = self.enter();
        component_cache::load_made(&self.wasmtime, &key, dir, || {
            prepared::prepare(&self.wasmtime, component::NICKEL_WASM, || {
                let (memory, deadline) = PREPARE_LIMITS;
                let mut store = self.store_for(HostState::with_preopens(&[], memory)?);
                store.set_epoch_deadline(ticks(deadline));
                Ok(store)
            })
        })
    }

    /// What a guest call runs in, until the guard drops: the Tokio context
    /// WASI calls need, and the epoch ticking.
    fn enter(&self) -> GuestContext<'_> {
        GuestContext { _tokio: crate::wasi::enter_tokio(), _ticking: self.ticker.running() }
    }

    /// A fresh store around `state`, its memory capped by `state`.
    fn store_for(&self, state: HostState) -> Store<HostState> {
        let mut store = Store::new(&self.wasmtime, state);
        store.limiter(|state| state.limiter());
        store
    }
}

/// See [`ComponentEngine::enter`].
struct GuestContext<'t> {
    _tokio: Option<tokio::runtime::EnterGuard<'static>>,
    _ticking: Ticking<'t>,
}

/// The engine under one call's limits: every guest call, an instantiation
/// or a resource's drop included, goes through [`Limited::run`].
#[derive(Clone, Copy)]
pub(crate) struct Limited<'e> {
    pub(crate) engine: &'e ComponentEngine,
    pub(crate) limits: Limits,
}

impl Limited<'_> {
    /// Runs `f` on `store` as a guest call: in the Tokio context WASI calls
    /// need, with the epoch ticking and a whole deadline of its own, and a
    /// trap made an [`Error::Trap`]. A trap poisons the store: the caller
    /// must not call into it again.
    pub(crate) fn run<R>(
        &self,
        store: &mut Store<HostState>,
        f: impl FnOnce(&mut Store<HostState>) -> wasmtime::Result<R>,
    ) -> Result<R, Error> {
        let _guest = self.engine.enter();
        store.set_epoch_deadline(ticks(self.limits.deadline));
        f(&mut *store).map_err(|e| self.trap(e, store))
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

    /// A new instance of the queue's component in a fresh store whose
    /// sandbox preopens `dir`: nothing survives from earlier calls.
    pub(crate) fn instantiate(&self, dir: &Path) -> Result<(Store<HostState>, Orchestrator), Error> {
        // Loaded before the store: a first load may compile the component.
        let pre = self.engine.orchestrator()?;
        let mut store = self.store(dir)?;
        let instance = self.run(&mut store, |store| pre.instantiate(store))?;
        Ok((store, instance))
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
        Ok(self.engine.store_for(state))
    }

    fn trap(&self, err: wasmtime::Error, store: &Store<HostState>) -> Error {
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

/// The ticker's period: a deadline is a whole number of them, so it is
/// kept at a time of its own, whatever the calls' deadlines, and short
/// enough that the shortest deadline anyone sets (milliseconds) holds.
const PERIOD: Duration = Duration::from_millis(5);

/// Advances the engine's epoch every [`PERIOD`] while a call runs; a
/// store's deadline is a number of periods. One ticker serves concurrent
/// calls fairly, which a per-call watchdog bumping the shared epoch would
/// not. Between calls it sleeps, so an idle host (the plugin) costs
/// nothing: a deadline counts from its call's start.
struct EpochTicker {
    /// The calls running.
    running: Arc<AtomicUsize>,
    thread: std::thread::Thread,
    stop: Arc<AtomicBool>,
}

impl EpochTicker {
    fn start(engine: &Engine) -> Result<EpochTicker, Error> {
        let running = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let engine = engine.weak();
        let (calls, flag) = (running.clone(), stop.clone());
        let thread = std::thread::Builder::new()
            .name("orch-epoch".into())
            .spawn(move || {
                while !flag.load(Ordering::Relaxed) {
                    if calls.load(Ordering::Acquire) == 0 {
                        // Woken by the next call's start (or by the drop).
                        std::thread::park();
                        continue;
                    }
                    std::thread::sleep(PERIOD);
                    match engine.upgrade() {
                        Some(engine) => engine.increment_epoch(),
                        None => break,
                    }
                }
            })
            .map_err(|e| Error::Setup(format!("could not start the epoch thread: {e}")))?
            .thread()
            .clone();
        Ok(EpochTicker { running, thread, stop })
    }

    /// Keeps the epoch ticking until the guard drops.
    fn running(&self) -> Ticking<'_> {
        if self.running.fetch_add(1, Ordering::AcqRel) == 0 {
            self.thread.unpark();
        }
        Ticking(&self.running)
    }
}

/// A call under way, for the ticker.
struct Ticking<'t>(&'t AtomicUsize);

impl Drop for Ticking<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The periods in `time`, rounded down, and one more for the period already under way.
fn ticks(time: Duration) -> u64 {
    (time.as_nanos() / PERIOD.as_nanos()).max(1) as u64 + 1
}

impl Drop for EpochTicker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.unpark();
    }
}
