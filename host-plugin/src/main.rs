//! `nu_plugin_orchestrator`: serves the `orch` commands to Nushell. All the
//! work happens in the library; this binary only speaks the plugin protocol.

use nu_plugin::{MsgPackSerializer, serve_plugin};
use nu_plugin_orchestrator::OrchestratorPlugin;

fn main() {
    serve_plugin(&OrchestratorPlugin::default(), MsgPackSerializer)
}
