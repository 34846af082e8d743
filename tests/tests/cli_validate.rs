//! `orch validate`, end to end: compiler-style output, JSON, exit codes,
//! directories, and the package sandbox.

use orch_tests::{orch, orch_in, output_on_exit, workspace};
use serde_json::Value;

fn package(files: &[(&str, &str)]) -> tempfile::TempDir {
    orch_tests::data_dir(files)
}

const CYCLE: &str = "schema Step:\n    id: str\n    depends_on: [str] = []\n\nsteps = [\n    Step {id = \"a\", depends_on = [\"b\"]}\n    Step {id = \"b\", depends_on = [\"a\"]}\n]\n";

#[test]
fn a_valid_workflow_exits_zero() {
    let dir = package(&[("ok.k", "name = \"deploy\"\nreplicas = 3\n")]);
    let output = orch_in(dir.path(), &["validate", "ok.k"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8(output.stdout).unwrap(), "ok.k: valid\n");
}

#[test]
fn syntax_errors_render_like_a_compiler() {
    let dir = package(&[("flow.k", "steps = [\n    {id = \"a\"}\n]\nx = (1 +\n")]);
    let output = orch_in(dir.path(), &["validate", "flow.k"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8(output.stdout).unwrap());
}

#[test]
fn strict_turns_warnings_into_errors() {
    let dir = package(&[("flow.k", CYCLE)]);
    let lenient = orch_in(dir.path(), &["validate", "flow.k", "--format", "json"]);
    assert!(lenient.status.success());
    let report: Value = serde_json::from_slice(&lenient.stdout).unwrap();
    assert_eq!(report["valid"], true);
    assert_eq!(report["warnings"][0]["code"], "E4004");
    assert_eq!(report["warnings"][0]["message"], "dependency cycle: a -> b -> a");

    let strict = orch_in(dir.path(), &["validate", "--strict", "flow.k", "--format", "json"]);
    assert_eq!(strict.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&strict.stdout).unwrap();
    assert_eq!(report["valid"], false);
    let error = &report["errors"][0];
    for field in ["file", "line", "column", "end_line", "end_column", "code", "message", "hint", "severity"] {
        assert!(error.get(field).is_some(), "{field} missing from {error}");
    }
    assert_eq!((error["line"].as_u64(), error["column"].as_u64()), (Some(6), Some(16)));
    assert_eq!(error["severity"], "error");
}

#[test]
fn several_files_or_a_directory() {
    let dir = package(&[("a.k", "a = 1\n"), ("sub/b.k", "b = [1, 2\n"), ("sub/notes.txt", "x"), (".hidden/c.k", "(")]);
    let (stdout, _) = output_on_exit(&orch_in(dir.path(), &["validate", "."]), 1);
    assert!(stdout.ends_with("a.k: valid\nsub/b.k: invalid (1 error, 0 warnings)\n"), "{stdout}");
    let lines = orch_in(dir.path(), &["validate", "a.k", "sub/b.k", "--format", "jsonl"]);
    let reports: Vec<Value> =
        String::from_utf8(lines.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(reports.len(), 2);
    assert_eq!((reports[0]["valid"].as_bool(), reports[1]["valid"].as_bool()), (Some(true), Some(false)));
}

#[test]
fn imports_resolve_inside_the_package_only() {
    let dir = package(&[
        ("pkg/kcl.mod", "[package]\nname = \"pkg\"\n"),
        ("pkg/lib/steps.k", "schema Step:\n    id: str\n"),
        ("pkg/flows/deploy.k", "import lib.steps\n\ns = steps.Step {id = \"x\"}\n"),
        ("pkg/flows/escape.k", "import missing.mod\n"),
        ("outside.k", "schema Secret:\n    x: int\n"),
    ]);
    let ok = orch_in(dir.path(), &["validate", "--strict", "pkg/flows/deploy.k"]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stdout));
    let bad = orch_in(dir.path(), &["validate", "--strict", "pkg/flows/escape.k", "--format", "json"]);
    assert_eq!(bad.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&bad.stdout).unwrap();
    let message = report["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("missing.mod"), "{message}");
}

#[test]
fn an_external_package_is_a_warning_in_both_modes() {
    let dir = package(&[
        ("kcl.mod", "[package]\nname = \"pkg\"\n\n[dependencies]\nk8s = \"1.31\"\n"),
        ("flow.k", "import k8s.api.core.v1 as core\n\npod = core.Pod {name = \"web\"}\nreplicas: int = 3\n"),
    ]);
    for args in
        [&["validate", "flow.k", "--format", "json"][..], &["validate", "--strict", "flow.k", "--format", "json"]]
    {
        let output = orch_in(dir.path(), args);
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stdout));
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(report["valid"], true);
        let warning = &report["warnings"][0];
        assert_eq!((warning["code"].as_str(), warning["line"].as_u64()), (Some("E3006"), Some(1)), "{args:?}");
        let message = warning["message"].as_str().unwrap();
        assert!(message.contains("'k8s'") && message.contains("cannot be read in the sandbox"), "{message}");
    }
}

#[test]
fn a_missing_workflow_is_a_clear_error() {
    let dir = package(&[]);
    let (_, stderr) = output_on_exit(&orch_in(dir.path(), &["validate", "nope.k"]), 1);
    assert!(stderr.contains("no such file or directory") && stderr.contains("nope.k"), "{stderr}");
}

#[test]
fn the_conformance_corpus_is_valid() {
    let output = orch().args(["validate"]).arg(workspace().join("tests/kcl/valid")).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stdout));
}

#[test]
fn a_kcl_file_another_imports_is_a_library() {
    let dir = package(&[
        ("kcl.mod", "[package]\nname = \"pkg\"\n"),
        ("lib/models.k", "schema Step:\n    id: str\n    depends_on: [str] = []\n"),
        ("lib/unused.k", "x = undefined_name\n"),
        ("main.k", "import lib.models\n\nsteps = [models.Step {id = \"a\"}]\n"),
    ]);
    let output = orch_in(dir.path(), &["validate", "--strict", "."]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    // lib/unused.k is imported by nothing: a workflow, whose undefined name --strict makes an error.
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.ends_with(
            "lib/models.k: valid (library: checked without --strict)\n\
             lib/unused.k: invalid (1 error, 0 warnings)\n\
             main.k: valid\n\
             checked 2 files as workflows, 1 as libraries\n"
        ),
        "{stdout}"
    );
    let json = orch_in(dir.path(), &["validate", ".", "--format", "json"]);
    let report: Value = serde_json::from_slice(&json.stdout).unwrap();
    let roles: Vec<&str> = report["files"].as_array().unwrap().iter().map(|f| f["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["library", "workflow", "workflow"]);
}

#[test]
fn a_kcl_library_keeps_its_syntax_errors() {
    let dir = package(&[("lib.k", "x = [1, 2\n"), ("main.k", "import lib\n\ny = lib.x\n")]);
    let (stdout, _) = output_on_exit(&orch_in(dir.path(), &["validate", "."]), 1);
    assert!(stdout.contains("lib.k: invalid (library: checked without --strict; 1 error, 0 warnings)"), "{stdout}");
}

#[test]
fn an_empty_directory_is_a_usage_error() {
    let dir = package(&[("notes.txt", "x")]);
    let (_, stderr) = output_on_exit(&orch_in(dir.path(), &["validate", "."]), 2);
    assert!(stderr.contains("no workflows (*.k, *.ncl) under"), "{stderr}");
}
