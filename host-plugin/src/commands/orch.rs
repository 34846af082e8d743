//! `orch`: the command group itself, which only shows its help.

use nu_protocol::{IntoPipelineData, LabeledError, PipelineData, Signature, Type, Value};

use super::{Invocation, OrchCommand};

pub struct Orch;

impl OrchCommand for Orch {
    const NAME: &'static str = "orch";
    const DESCRIPTION: &'static str = "Inspect the provisioning orchestrator's local state: its status and task queue.";
    const EXTRA_DESCRIPTION: &'static str = "The orchestrator's files are read by a sandboxed WebAssembly component that sees only \
the data directory, read-only. The data directory is --data-dir, else $env.ORCHESTRATOR_DATA_DIR, \
else $env.PROVISIONING/platform/orchestrator/data, else ./provisioning/platform/orchestrator/data; \
relative paths start at the current directory.";
    const SEARCH_TERMS: &'static [&'static str] = &["orchestrator", "provisioning", "queue"];

    fn parameters(signature: Signature) -> Signature {
        signature
    }

    fn output_types() -> Vec<Type> {
        vec![Type::String]
    }

    fn run(&self, Invocation { engine, call, .. }: Invocation) -> Result<PipelineData, LabeledError> {
        // The engine renders the help, subcommands included, as for a
        // built-in command group.
        Ok(Value::string(engine.get_help()?, call.head).into_pipeline_data())
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
