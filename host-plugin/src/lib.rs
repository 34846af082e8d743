//! The orchestrator's queue inspector as Nushell commands. Each command reads
//! its flags, asks the sandboxed component (through `orch-runtime`) and turns
//! the plain Rust answer into Nushell values; no queue logic lives here.

// Nushell's error types are large by design and every plugin API returns
// them; boxing them here would only add conversions.
#![allow(clippy::result_large_err)]

mod commands;
mod error;
mod flags;
mod request;
mod session_pool;
mod skipped;
#[cfg(test)]
mod test_support;
mod value;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use nu_plugin::{Plugin, PluginCommand};
use orch_runtime::{Limits, Runtime, RuntimeOptions};

pub use commands::*;
use session_pool::SessionPool;

/// The plugin. Nushell keeps its process alive across calls, so the
/// runtime it holds (engine plus pre-instantiated components) is built
/// once and serves every call, whatever its limits, and so are the
/// sessions whose warm instances keep parsed files.
pub struct OrchestratorPlugin {
    cache_dir: Option<PathBuf>,
    /// Built by the first call.
    runtime: Mutex<Option<Runtime>>,
    sessions: SessionPool,
}

impl OrchestratorPlugin {
    /// A plugin that caches compiled components in `cache_dir` (`None`:
    /// compile on every start).
    pub fn with_cache_dir(cache_dir: Option<PathBuf>) -> Self {
        OrchestratorPlugin { cache_dir, runtime: Mutex::new(None), sessions: SessionPool::default() }
    }

    /// The plugin's runtime, its calls under `limits`.
    fn runtime(&self, limits: Limits) -> Result<Arc<Runtime>, orch_runtime::Error> {
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

impl Plugin for OrchestratorPlugin {
    fn version(&self) -> String {
        env!("CARGO_PKG_VERSION").into()
    }

    fn commands(&self) -> Vec<Box<dyn PluginCommand<Plugin = Self>>> {
        // Adding a command: one file in `commands/` and one line here.
        vec![
            Box::new(Orch),
            Box::new(OrchStatus),
            Box::new(OrchTasks),
            Box::new(OrchShow),
            Box::new(OrchValidate),
            Box::new(OrchStats),
            Box::new(OrchWatch),
            Box::new(OrchWorkflows),
        ]
    }
}
