//! The plugin's state: one runtime for every call, and the warm sessions.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use orch_runtime::{Limits, Runtime, RuntimeOptions};

use crate::session_pool::SessionPool;

/// The plugin. Nushell keeps its process alive across calls, so the
/// runtime it holds (engine plus pre-instantiated components) is built
/// once and serves every call, whatever its limits, and so are the
/// sessions whose warm instances keep parsed files.
pub struct OrchestratorPlugin {
    cache_dir: Option<PathBuf>,
    /// Built by the first call.
    runtime: Mutex<Option<Runtime>>,
    pub(crate) sessions: SessionPool,
}

impl OrchestratorPlugin {
    /// A plugin that caches compiled components in `cache_dir` (`None`:
    /// compile on every start).
    pub fn with_cache_dir(cache_dir: Option<PathBuf>) -> Self {
        OrchestratorPlugin { cache_dir, runtime: Mutex::new(None), sessions: SessionPool::default() }
    }

    /// The plugin's runtime, its calls under `limits`.
    pub(crate) fn runtime(&self, limits: Limits) -> Result<Arc<Runtime>, orch_runtime::Error> {
        // A panic elsewhere while holding the lock leaves the runtime intact.
        let mut runtime = self.runtime.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(runtime) = &*runtime {
            return Ok(Arc::new(runtime.with_limits(limits)));
        }
        // Built under the lock: concurrent first calls wait for one build.
        let built = Runtime::new(RuntimeOptions { limits, cache_dir: self.cache_dir.clone() })?;
        Ok(Arc::new(runtime.insert(built).with_limits(limits)))
    }
}

impl Default for OrchestratorPlugin {
    /// Caches where `orch` does: `$ORCH_CACHE_DIR`, else the user cache dir.
    fn default() -> Self {
        Self::with_cache_dir(RuntimeOptions::default().cache_dir)
    }
}
