//! `orch`: the command group itself, which only shows its help.

use nu_plugin::{EngineInterface, EvaluatedCall, SimplePluginCommand};
use nu_protocol::{LabeledError, Signature, Type, Value};

use crate::OrchestratorPlugin;

pub struct Orch;

impl SimplePluginCommand for Orch {
    type Plugin = OrchestratorPlugin;

    fn name(&self) -> &str {
        "orch"
    }

    fn description(&self) -> &str {
        "Inspect the provisioning orchestrator's local state: its status and task queue."
    }

    fn extra_description(&self) -> &str {
        "The orchestrator's files are read by a sandboxed WebAssembly component that sees only \
the data directory, read-only. The data directory is --data-dir, else $env.ORCHESTRATOR_DATA_DIR, \
else $env.PROVISIONING/platform/orchestrator/data, else ./provisioning/platform/orchestrator/data; \
relative paths start at the current directory."
    }

    fn signature(&self) -> Signature {
        Signature::build(self.name()).input_output_type(Type::Nothing, Type::String).category(super::category())
    }

    fn search_terms(&self) -> Vec<&str> {
        vec!["orchestrator", "provisioning", "queue"]
    }

    fn run(
        &self,
        _plugin: &OrchestratorPlugin,
        engine: &EngineInterface,
        call: &EvaluatedCall,
        _input: &Value,
    ) -> Result<Value, LabeledError> {
        // The engine renders the help, subcommands included, as for a
        // built-in command group.
        Ok(Value::string(engine.get_help()?, call.head))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn lists_the_subcommands() {
        let output =
            crate::test_support::plugin_test().eval("orch").unwrap().into_value(nu_protocol::Span::test_data());
        let help = output.unwrap().into_string().unwrap();
        assert!(help.contains("orch status"), "{help}");
        assert!(help.contains("orch tasks"), "{help}");
    }
}
