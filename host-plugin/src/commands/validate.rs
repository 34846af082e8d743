//! `orch validate`

use std::path::PathBuf;

use nu_plugin::{EngineInterface, EvaluatedCall, SimplePluginCommand};
use nu_protocol::{Example, LabeledError, Signature, Spanned, SyntaxShape, Type, Value};
use orch_runtime::{Error, GuestError};

use crate::{OrchestratorPlugin, error, flags, value};

pub struct OrchValidate;

impl SimplePluginCommand for OrchValidate {
    type Plugin = OrchestratorPlugin;

    fn name(&self) -> &str {
        "orch validate"
    }

    fn description(&self) -> &str {
        "Check a KCL workflow without running it: the syntax always, and with --strict also names, schemas, imports and the task graph."
    }

    fn extra_description(&self) -> &str {
        "The workflow is checked in a sandbox that sees only its package: the nearest directory up from \
the file holding kcl.mod, else the file's own directory. Returns {valid, errors, warnings}; each finding \
has its file, 1-based line and column (characters), end position, a stable code, a message and a hint. \
Without --strict, the checks beyond syntax are warnings."
    }

    fn signature(&self) -> Signature {
        flags::add_limit_flags(
            Signature::build(self.name()).required("path", SyntaxShape::Filepath, "The workflow file (*.k).").switch(
                "strict",
                "Report the checks beyond syntax as errors rather than warnings.",
                None,
            ),
        )
        .input_output_type(Type::Nothing, Type::record())
        .category(super::category())
    }

    fn search_terms(&self) -> Vec<&str> {
        vec!["orchestrator", "kcl", "workflow", "lint", "check"]
    }

    fn examples(&self) -> Vec<Example<'_>> {
        vec![
            Example { example: "orch validate workflows/deploy.k", description: "Check a workflow", result: None },
            Example {
                example: "(orch validate --strict workflows/deploy.k).errors | select line column code message",
                description: "List what strict mode finds",
                result: None,
            },
            Example {
                example: "glob workflows/*.k | each { |f| orch validate $f | insert file $f } | where not valid",
                description: "Find the invalid workflows in a directory",
                result: None,
            },
        ]
    }

    fn run(
        &self,
        plugin: &OrchestratorPlugin,
        engine: &EngineInterface,
        call: &EvaluatedCall,
        _input: &Value,
    ) -> Result<Value, LabeledError> {
        let path: Spanned<PathBuf> = call.req(0)?;
        let file = PathBuf::from(engine.get_current_dir()?).join(&path.item);
        let runtime = plugin.runtimes.get(flags::limits(call)?).map_err(|e| error::labeled(e, call))?;
        match runtime.validate(&file, call.has_flag("strict")?) {
            Ok(report) => Ok(value::validation(report, call.head)),
            // The file itself is missing or unreadable: point at the path.
            Err(Error::Guest(GuestError::File(f))) => Err(LabeledError::new(f.to_string())
                .with_code(format!("orch::file::{}", f.kind.as_str()))
                .with_label("this workflow", path.span)),
            Err(e) => Err(error::labeled(e, call)),
        }
    }
}

#[cfg(test)]
mod tests {
    use nu_protocol::Span;

    use super::*;
    use crate::test_support::{Fixture, error_of, plugin_test_in};

    fn fixture() -> Fixture {
        let fixture = Fixture::with_files(&[]);
        let flow = "schema Step:\n    id: str\n    depends_on: [str] = []\n\nsteps = [\n    Step {id = \"a\", depends_on = [\"b\"]}\n    Step {id = \"b\", depends_on = [\"a\"]}\n]\n";
        std::fs::write(fixture.session_dir().join("flow.k"), flow).unwrap();
        std::fs::write(fixture.session_dir().join("broken.k"), "x = [1, 2\ny = 3\n").unwrap();
        fixture
    }

    #[test]
    fn examples() -> Result<(), nu_protocol::ShellError> {
        plugin_test_in(&fixture()).test_command_examples(&OrchValidate)
    }

    #[test]
    fn a_record_of_tables() {
        let fixture = fixture();
        let report =
            plugin_test_in(&fixture).eval("orch validate flow.k").unwrap().into_value(Span::test_data()).unwrap();
        let record = report.as_record().unwrap();
        assert_eq!(record.columns().map(String::as_str).collect::<Vec<_>>(), ["valid", "errors", "warnings"]);
        assert!(record.get("valid").unwrap().as_bool().unwrap());
        let warnings = record.get("warnings").unwrap().as_list().unwrap();
        assert_eq!(warnings.len(), 1);
        let warning = warnings[0].as_record().unwrap();
        assert_eq!(warning.get("code").unwrap().as_str().unwrap(), "E4004");
        assert_eq!(warning.get("severity").unwrap().as_str().unwrap(), "warning");
        assert!(matches!(warning.get("line"), Some(Value::Int { val: 7, .. })));
    }

    #[test]
    fn strict_makes_findings_errors() {
        let fixture = fixture();
        let report = plugin_test_in(&fixture)
            .eval("orch validate --strict flow.k")
            .unwrap()
            .into_value(Span::test_data())
            .unwrap();
        let record = report.as_record().unwrap();
        assert!(!record.get("valid").unwrap().as_bool().unwrap());
        assert_eq!(record.get("errors").unwrap().as_list().unwrap().len(), 1);
    }

    #[test]
    fn syntax_errors_name_the_position() {
        let fixture = fixture();
        let report =
            plugin_test_in(&fixture).eval("orch validate broken.k").unwrap().into_value(Span::test_data()).unwrap();
        let errors = report.as_record().unwrap().get("errors").unwrap().as_list().unwrap().to_vec();
        assert!(!errors.is_empty());
        let first = errors[0].as_record().unwrap();
        assert!(first.get("file").unwrap().as_str().unwrap().ends_with("broken.k"));
        assert!(matches!(first.get("line"), Some(Value::Int { val: 1 | 2, .. })), "{first:?}");
    }

    #[test]
    fn a_missing_workflow_is_labelled() {
        let fixture = fixture();
        let err = error_of(plugin_test_in(&fixture).eval("orch validate nope.k"));
        assert_eq!(err.code.as_deref(), Some("orch::file::not-found"), "{err:?}");
        assert!(err.msg.contains("nope.k"), "{err:?}");
        assert_eq!(err.labels[0].text, "this workflow");
    }
}
