//! `orch validate`

use std::ffi::OsStr;
use std::path::PathBuf;

use nu_plugin::{EngineInterface, EvaluatedCall};
use nu_protocol::{
    Example, IntoPipelineData, LabeledError, PipelineData, Signature, Spanned, SyntaxShape, Type, Value,
};
use orch_runtime::Error;
use orch_runtime::import_path;
use orch_runtime::model::QueryError;
use orch_runtime::validate::ValidateOptions;

use super::{Invocation, OrchCommand};
use crate::{error, flags, value};

pub struct OrchValidate;

impl OrchCommand for OrchValidate {
    const NAME: &str = "orch validate";
    const DESCRIPTION: &str = "Check a workflow before it is submitted: KCL without running it, Nickel with Nickel's own engine as `nickel export` does; with --strict also the task graph.";
    const EXTRA_DESCRIPTION: &str =
        "The workflow is checked in a sandbox that sees only its package: the nearest directory up from \
the file holding kcl.mod (KCL) or Nickel-pkg.ncl (Nickel), else the file's own directory, and for Nickel \
its import paths. Returns {valid, errors, warnings}; each finding has its file, 1-based line and column \
(characters), end position, a stable code, a message, a hint and its related places (file, position, \
message), such as the contract a value broke. Without --strict, the checks beyond the language's own \
verdict are warnings.

A directory stands for every *.k and *.ncl file below it (hidden ones skipped): a set of workflows and \
the libraries they use. A file that another file of the set imports is a library, checked through its \
importers and alone only as far as it stands alone (Nickel: parsed and typechecked as `nickel typecheck` \
does, never exported; KCL: checked as without --strict); Nickel-pkg.ncl is the package manifest, \
typechecked and never exported. For a directory the record also has `files`: each file with its role \
(workflow, library, manifest), verdict and counts.";
    const SEARCH_TERMS: &[&str] = &["orchestrator", "kcl", "nickel", "workflow", "lint", "check"];

    fn parameters(signature: Signature) -> Signature {
        flags::add_limit_flags(
            signature
                .required("path", SyntaxShape::Filepath, "The workflow file (*.k or *.ncl), or a directory of them.")
                .switch(
                    "strict",
                    "Report the checks beyond the language's own verdict as errors rather than warnings.",
                    None,
                )
                .named(
                    "import-path",
                    SyntaxShape::List(Box::new(SyntaxShape::Filepath)),
                    "Directories Nickel searches for imports, in order, before $env.NICKEL_IMPORT_PATH.",
                    Some('I'),
                ),
        )
    }

    fn output_types() -> Vec<Type> {
        vec![Type::record()]
    }

    fn examples() -> Vec<Example<'static>> {
        let list = |values: Vec<Value>| Some(Value::test_list(values));
        vec![
            Example {
                example: "(orch validate workflows/deploy.k).valid",
                description: "Check a workflow",
                result: Some(Value::test_bool(true)),
            },
            Example {
                example: "(orch validate workflows/deploy.ncl --import-path [schemas]).errors.line",
                description: "Check a Nickel workflow against contracts in an import path: the lines of its errors \
                              (each error's `related` says where the contract it broke is defined)",
                result: list(vec![Value::test_int(2)]),
            },
            Example {
                example: "(orch validate --strict workflows/cycle.k).errors.code",
                description: "What strict mode finds: here a dependency cycle",
                result: list(vec![Value::test_string("E4004")]),
            },
            Example {
                example: "(orch validate workflows).files.valid",
                description: "Check a directory of workflows and the libraries they import: each file's verdict, \
                              by path (deploy.ncl's contracts are not in an import path here)",
                result: list(vec![Value::test_bool(true), Value::test_bool(true), Value::test_bool(false)]),
            },
        ]
    }

    fn run(&self, Invocation { plugin, engine, call }: Invocation) -> Result<PipelineData, LabeledError> {
        let path: Spanned<PathBuf> = call.req(0)?;
        let file = PathBuf::from(engine.get_current_dir()?).join(&path.item);
        let runtime = plugin.runtime(flags::limits(call)?).map_err(|e| error::labeled(e, call))?;
        let options = ValidateOptions { strict: call.has_flag("strict")?, import_paths: import_paths(engine, call)? };
        let directory = file.is_dir();
        let report = match runtime.validate_paths(std::slice::from_ref(&file), &options) {
            Ok(reports) if directory => Ok(value::validation_set(reports, call.head)),
            Ok(mut reports) => Ok(value::validation(reports.remove(0), call.head)),
            // The file itself is missing or unreadable: point at the path.
            Err(e @ Error::Guest(QueryError::File(_))) => {
                Err(LabeledError::new(e.to_string()).with_code(e.code()).with_label("this workflow", path.span))
            }
            Err(e) => Err(error::labeled(e, call)),
        };
        Ok(report?.into_pipeline_data())
    }
}

/// `--import-path` in order, then `$env.NICKEL_IMPORT_PATH`, as the
/// `nickel` CLI searches them; relative ones against the current directory.
fn import_paths(engine: &EngineInterface, call: &EvaluatedCall) -> Result<Vec<PathBuf>, LabeledError> {
    let cwd = PathBuf::from(engine.get_current_dir()?);
    let flags: Vec<PathBuf> = call.get_flag::<Vec<PathBuf>>("import-path")?.unwrap_or_default();
    // A value that is no string (a list, say) adds nothing, as an unset one.
    let var = engine.get_env_var(import_path::VAR)?.and_then(|value| value.coerce_into_string().ok());
    Ok(import_path::resolve(&flags, var.as_deref().map(OsStr::new), &cwd))
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::NuCommand;
    use crate::test_support::{Fixture, columns, error_of, eval_in, plugin_test_in};

    /// The examples' `workflows/` and `schemas/`.
    fn examples_fixture() -> Fixture {
        let fixture = Fixture::with_files(&[]);
        let dir = fixture.session_dir();
        std::fs::create_dir_all(dir.join("workflows")).unwrap();
        std::fs::create_dir_all(dir.join("schemas")).unwrap();
        let step = "schema Step:\n    id: str\n    depends_on: [str] = []\n\n";
        let deploy = format!(
            "{step}steps = [\n    Step {{id = \"build\"}}\n    Step {{id = \"deploy\", depends_on = [\"build\"]}}\n]\n"
        );
        std::fs::write(dir.join("workflows/deploy.k"), deploy).unwrap();
        let cycle = format!(
            "{step}steps = [\n    Step {{id = \"a\", depends_on = [\"b\"]}}\n    Step {{id = \"b\", depends_on = [\"a\"]}}\n]\n"
        );
        std::fs::write(dir.join("workflows/cycle.k"), cycle).unwrap();
        std::fs::write(dir.join("schemas/contracts.ncl"), "{ Service = { port | std.number.PosNat } }\n").unwrap();
        let nickel = "let C = import \"contracts.ncl\" in\n{ web | C.Service = { port = -1 } }\n";
        std::fs::write(dir.join("workflows/deploy.ncl"), nickel).unwrap();
        fixture
    }

    fn fixture() -> Fixture {
        let fixture = Fixture::with_files(&[]);
        let flow = "schema Step:\n    id: str\n    depends_on: [str] = []\n\nsteps = [\n    Step {id = \"a\", depends_on = [\"b\"]}\n    Step {id = \"b\", depends_on = [\"a\"]}\n]\n";
        std::fs::write(fixture.session_dir().join("flow.k"), flow).unwrap();
        std::fs::write(fixture.session_dir().join("broken.k"), "x = [1, 2\ny = 3\n").unwrap();
        std::fs::write(fixture.session_dir().join("contracts.ncl"), "{ Service = { port | std.number.PosNat } }\n")
            .unwrap();
        let flow = "let C = import \"contracts.ncl\" in\n{ web | C.Service = { port = -1 } }\n";
        std::fs::write(fixture.session_dir().join("flow.ncl"), flow).unwrap();
        fixture
    }

    /// `orch validate <args>` in [`fixture`]'s directory.
    fn validate(args: &str) -> Value {
        eval_in(&fixture(), &format!("orch validate {args}"))
    }

    #[test]
    fn nickel_errors_carry_their_related_places() {
        let report = validate("flow.ncl");
        let record = report.as_record().unwrap();
        assert!(!record.get("valid").unwrap().as_bool().unwrap());
        let error = record.get("errors").unwrap().as_list().unwrap()[0].as_record().unwrap().clone();
        assert_eq!(error.get("code").unwrap().as_str().unwrap(), "N3001");
        assert!(matches!(error.get("line"), Some(Value::Int { val: 2, .. })));
        let related = error.get("related").unwrap().as_list().unwrap();
        let files: Vec<String> =
            related.iter().map(|r| r.as_record().unwrap().get("file").unwrap().as_str().unwrap().to_string()).collect();
        assert!(files.iter().any(|f| f.ends_with("contracts.ncl")), "{files:?}");
    }

    #[test]
    fn examples() -> Result<(), nu_protocol::ShellError> {
        plugin_test_in(&examples_fixture()).test_command_examples(&NuCommand(OrchValidate))
    }

    #[test]
    fn a_record_of_tables() {
        let report = validate("flow.k");
        let record = report.as_record().unwrap();
        assert_eq!(columns(&report), ["valid", "errors", "warnings"]);
        assert!(record.get("valid").unwrap().as_bool().unwrap());
        let warnings = record.get("warnings").unwrap().as_list().unwrap();
        assert_eq!(warnings.len(), 1);
        let warning = warnings[0].as_record().unwrap();
        assert_eq!(warning.get("code").unwrap().as_str().unwrap(), "E4004");
        assert_eq!(warning.get("severity").unwrap().as_str().unwrap(), "warning");
        assert!(matches!(warning.get("line"), Some(Value::Int { val: 6, .. })));
    }

    #[test]
    fn strict_makes_findings_errors() {
        let report = validate("--strict flow.k");
        let record = report.as_record().unwrap();
        assert!(!record.get("valid").unwrap().as_bool().unwrap());
        assert_eq!(record.get("errors").unwrap().as_list().unwrap().len(), 1);
    }

    #[test]
    fn syntax_errors_name_the_position() {
        let report = validate("broken.k");
        let errors = report.as_record().unwrap().get("errors").unwrap().as_list().unwrap().to_vec();
        assert!(!errors.is_empty());
        let first = errors[0].as_record().unwrap();
        assert!(first.get("file").unwrap().as_str().unwrap().ends_with("broken.k"));
        assert!(matches!(first.get("line"), Some(Value::Int { val: 1 | 2, .. })), "{first:?}");
    }

    #[test]
    fn a_directory_is_workflows_and_their_libraries() {
        let report = validate(".");
        let record = report.as_record().unwrap();
        assert_eq!(columns(&report), ["valid", "errors", "warnings", "files"]);
        assert!(!record.get("valid").unwrap().as_bool().unwrap());
        let files: Vec<(String, String, bool)> = record
            .get("files")
            .unwrap()
            .as_list()
            .unwrap()
            .iter()
            .map(|f| {
                let f = f.as_record().unwrap();
                let name = f.get("file").unwrap().as_str().unwrap().rsplit('/').next().unwrap().to_string();
                (name, f.get("role").unwrap().as_str().unwrap().to_string(), f.get("valid").unwrap().as_bool().unwrap())
            })
            .collect();
        let expected = [
            ("broken.k", "workflow", false),
            ("contracts.ncl", "library", true),
            ("flow.k", "workflow", true),
            ("flow.ncl", "workflow", false),
        ];
        assert_eq!(files, expected.map(|(f, r, v)| (f.to_string(), r.to_string(), v)));
        // The findings of every file, together.
        let errors = record.get("errors").unwrap().as_list().unwrap();
        assert!(errors.iter().any(|e| e.as_record().unwrap().get("code").unwrap().as_str().unwrap() == "N3001"));
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
