//! The orchestrator's queue inspector as Nushell commands. Each command reads
//! its flags, asks the sandboxed component (through `orch-runtime`) and turns
//! the plain Rust answer into Nushell values; no queue logic lives here.

// Nushell's error types are large by design and every plugin API returns
// them; boxing them here would only add conversions.
#![allow(clippy::result_large_err)]

mod commands;
mod error;
mod flags;
mod plugin;
mod request;
mod session_pool;
mod skipped;
#[cfg(test)]
mod test_support;
mod value;

use nu_plugin::{Plugin, PluginCommand};

pub use commands::*;
pub use plugin::OrchestratorPlugin;

// The command list lives here, above both: the commands name the plugin
// (`plugin.rs`), and the plugin's own file names no command.
impl Plugin for OrchestratorPlugin {
    fn version(&self) -> String {
        env!("CARGO_PKG_VERSION").into()
    }

    fn commands(&self) -> Vec<Box<dyn PluginCommand<Plugin = Self>>> {
        // Adding a command: one file in `commands/` and one line here.
        vec![
            Box::new(NuCommand(Orch)),
            Box::new(NuCommand(OrchStatus)),
            Box::new(NuCommand(OrchTasks)),
            Box::new(NuCommand(OrchShow)),
            Box::new(NuCommand(OrchValidate)),
            Box::new(NuCommand(OrchStats)),
            Box::new(NuCommand(OrchWatch)),
            Box::new(NuCommand(OrchWorkflows)),
        ]
    }
}
