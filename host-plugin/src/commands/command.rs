//! What each command's file declares, and the one adapter that makes any of
//! them a Nushell plugin command. Every `orch` command takes nothing in, is
//! filed under the same category and is served by the same plugin; that is
//! said here once instead of in every file.

use nu_plugin::{EngineInterface, EvaluatedCall, PluginCommand};
use nu_protocol::{Category, Example, LabeledError, PipelineData, Signature, Type};

use crate::OrchestratorPlugin;

/// An `orch` command: its help, its parameters, its examples and its work.
pub trait OrchCommand: Sync {
    /// The whole name, `orch` included.
    const NAME: &'static str;
    const DESCRIPTION: &'static str;
    const EXTRA_DESCRIPTION: &'static str;
    const SEARCH_TERMS: &'static [&'static str];

    /// Adds the positional arguments and flags, in the order help lists them.
    fn parameters(signature: Signature) -> Signature;

    /// What the command returns; it takes nothing.
    fn output_types() -> Vec<Type>;

    fn examples() -> Vec<Example<'static>> {
        Vec::new()
    }

    fn run(&self, invocation: Invocation<'_>) -> Result<PipelineData, LabeledError>;
}

/// One call of a command, with the plugin and the engine that serve it.
#[derive(Clone, Copy)]
pub struct Invocation<'a> {
    pub plugin: &'a OrchestratorPlugin,
    pub engine: &'a EngineInterface,
    pub call: &'a EvaluatedCall,
}

/// An [`OrchCommand`] as Nushell sees it.
pub struct NuCommand<C>(pub C);

impl<C: OrchCommand> PluginCommand for NuCommand<C> {
    type Plugin = OrchestratorPlugin;

    fn name(&self) -> &str {
        C::NAME
    }

    fn description(&self) -> &str {
        C::DESCRIPTION
    }

    fn extra_description(&self) -> &str {
        C::EXTRA_DESCRIPTION
    }

    fn signature(&self) -> Signature {
        let types = C::output_types().into_iter().map(|output| (Type::Nothing, output)).collect();
        C::parameters(Signature::build(C::NAME)).input_output_types(types).category(category())
    }

    fn search_terms(&self) -> Vec<&str> {
        C::SEARCH_TERMS.to_vec()
    }

    fn examples(&self) -> Vec<Example<'_>> {
        C::examples()
    }

    fn run(
        &self,
        plugin: &OrchestratorPlugin,
        engine: &EngineInterface,
        call: &EvaluatedCall,
        // Nothing: every command's input type.
        _input: PipelineData,
    ) -> Result<PipelineData, LabeledError> {
        self.0.run(Invocation { plugin, engine, call })
    }
}

/// Where `help commands` files every `orch` command.
fn category() -> Category {
    Category::Custom("orchestrator".into())
}
