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
mod runtime_pool;
mod session_pool;
mod skipped;
#[cfg(test)]
mod test_support;
mod value;

use nu_plugin::{Plugin, PluginCommand};

pub use commands::*;
use runtime_pool::RuntimePool;
use session_pool::SessionPool;

/// The plugin. Nushell keeps its process alive across calls, so the
/// runtimes it holds (engine plus pre-instantiated component) are built
/// once and reused, and so are the sessions whose warm instances keep
/// parsed files.
pub struct OrchestratorPlugin {
    runtimes: RuntimePool,
    sessions: SessionPool,
}

impl OrchestratorPlugin {
    /// A plugin that caches compiled components in `cache_dir` (`None`:
    /// compile on every start).
    pub fn with_cache_dir(cache_dir: Option<std::path::PathBuf>) -> Self {
        OrchestratorPlugin { runtimes: RuntimePool::new(cache_dir), sessions: SessionPool::default() }
    }
}

impl Default for OrchestratorPlugin {
    /// Caches where `orch` does: `$ORCH_CACHE_DIR`, else the user cache dir.
    fn default() -> Self {
        Self::with_cache_dir(orch_runtime::RuntimeOptions::default().cache_dir)
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
