//! `orch validate` on Nickel workflows, end to end: dispatch by extension,
//! rendered and JSON diagnostics with their related places, import paths,
//! and the package sandbox.

use orch_tests::{orch, workspace};
use serde_json::Value;

fn package(files: &[(&str, &str)]) -> tempfile::TempDir {
    orch_tests::data_dir(files)
}

fn json(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)))
}

#[test]
fn the_example_workflow_is_valid() {
    let output = orch().current_dir(workspace()).args(["validate", "examples/workflows/deploy.ncl"]).output().unwrap();
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8(output.stdout).unwrap(), "examples/workflows/deploy.ncl: valid\n");
}

#[test]
fn a_broken_contract_points_at_the_value_and_at_the_contract() {
    let output = orch()
        .current_dir(workspace())
        .args(["validate", "examples/workflows/broken.ncl", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    assert_eq!(report["valid"], false);
    let error = &report["errors"][0];
    assert!(error["file"].as_str().unwrap().ends_with("examples/workflows/broken.ncl"), "{error}");
    assert_eq!((error["line"].as_u64(), error["column"].as_u64()), (Some(16), Some(16)));
    assert!(error["code"].as_str().unwrap().starts_with("N3"), "{error}");
    assert!(error["message"].as_str().unwrap().contains("contract broken by the value of `type`"), "{error}");
    let related = error["related"].as_array().unwrap();
    assert!(
        related.iter().any(|r| r["file"].as_str().unwrap().ends_with("schemas/workflow_contracts.ncl")),
        "no related span in the contracts file: {error}"
    );

    let text = orch().current_dir(workspace()).args(["validate", "examples/workflows/broken.ncl"]).output().unwrap();
    let stdout = String::from_utf8(text.stdout).unwrap();
    assert!(stdout.contains("--> examples/workflows/broken.ncl:16:16"), "{stdout}");
    assert!(stdout.contains("examples/workflows/schemas/workflow_contracts.ncl:"), "{stdout}");
    assert!(stdout.ends_with("examples/workflows/broken.ncl: invalid (1 error, 0 warnings)\n"), "{stdout}");
}

#[test]
fn strict_checks_the_evaluated_task_graph() {
    let flow = "let step = fun name deps => { id = name, dependencies = deps, timeout = 60 } in\n\
                { operations = [\n  step \"a\" [\"b\"],\n  step \"b\" [\"a\"],\n  step \"c\" [\"nope\"],\n] }\n";
    let dir = package(&[("flow.ncl", flow)]);
    let lenient = orch().current_dir(dir.path()).args(["validate", "flow.ncl", "--format", "json"]).output().unwrap();
    assert!(lenient.status.success());
    let report = json(&lenient);
    let codes: Vec<&str> = report["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["E4002", "E4004"]);
    let strict =
        orch().current_dir(dir.path()).args(["validate", "--strict", "flow.ncl", "--format", "json"]).output().unwrap();
    assert_eq!(strict.status.code(), Some(1));
    let report = json(&strict);
    let unknown = &report["errors"][0];
    assert_eq!(unknown["message"], "dependency on unknown step 'nope'");
    // The id's string came through a function: it still points at its source.
    assert_eq!((unknown["line"].as_u64(), unknown["column"].as_u64()), (Some(5), Some(13)));
}

#[test]
fn other_extensions_are_a_usage_error() {
    let dir = package(&[("flow.yaml", "a: 1\n")]);
    let output = orch().current_dir(dir.path()).args(["validate", "flow.yaml"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("flow.yaml") && stderr.contains("KCL (*.k) or Nickel (*.ncl)"), "{stderr}");
}

#[test]
fn a_directory_validates_both_languages() {
    let dir =
        package(&[("a.k", "a = 1\n"), ("b.ncl", "{ b = 1 + }\n"), ("sub/c.ncl", "{ c = 3 }\n"), ("notes.txt", "x")]);
    let output = orch().current_dir(dir.path()).args(["validate", "."]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.ends_with("a.k: valid\nb.ncl: invalid (1 error, 0 warnings)\nsub/c.ncl: valid\n"), "{stdout}");
}

#[test]
fn import_paths_come_from_the_flag_then_the_environment() {
    let lib = package(&[("defaults.ncl", "{ replicas = 3 }\n")]);
    let other = package(&[("extra.ncl", "{ region = \"eu\" }\n")]);
    let dir = package(&[("flow.ncl", "(import \"defaults.ncl\") & (import \"extra.ncl\")\n")]);
    let run = |args: &[&str], env: Option<&std::path::Path>| {
        let mut cmd = orch();
        cmd.current_dir(dir.path()).args(["validate", "flow.ncl", "--format", "json"]).args(args);
        match env {
            Some(path) => cmd.env("NICKEL_IMPORT_PATH", path),
            None => cmd.env_remove("NICKEL_IMPORT_PATH"),
        };
        cmd.output().unwrap()
    };
    let lib_path = lib.path().to_str().unwrap();
    let missing = run(&["--import-path", lib_path], None);
    assert_eq!(missing.status.code(), Some(1));
    let report = json(&missing);
    assert!(report["errors"][0]["message"].as_str().unwrap().contains("extra.ncl"), "{report}");
    let found = run(&["--import-path", lib_path], Some(other.path()));
    assert!(found.status.success(), "{}", String::from_utf8_lossy(&found.stdout));
}

#[test]
fn an_import_outside_the_sandbox_is_refused_at_its_position() {
    let outside = package(&[("secret.ncl", "{ token = \"hunter2\" }\n")]);
    let secret = outside.path().join("secret.ncl");
    let flow = format!("{{\n  leaked = import \"{}\",\n}}\n", secret.display());
    let dir = package(&[("flow.ncl", &flow)]);
    let output = orch().current_dir(dir.path()).args(["validate", "flow.ncl", "--format", "json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    let error = &report["errors"][0];
    assert!(error["message"].as_str().unwrap().contains("secret.ncl"), "{error}");
    assert_eq!(error["line"].as_u64(), Some(2), "{error}");
    assert!(error["file"].as_str().unwrap().ends_with("flow.ncl"), "{error}");
    assert!(error["hint"].as_str().unwrap().contains("--import-path"), "{error}");
    assert!(!error["message"].as_str().unwrap().contains("/data"), "the sandbox's own paths leak: {error}");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("hunter2"));
}

#[test]
fn trace_output_never_reaches_stdout() {
    let dir = package(&[("flow.ncl", "{ a = std.trace \"TRACED-TEXT\" 1 }\n")]);
    let output = orch().current_dir(dir.path()).args(["validate", "flow.ncl", "--format", "json"]).output().unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(!stdout.contains("TRACED-TEXT"), "{stdout}");
    assert_eq!(json_of(&stdout)["valid"], true);
}

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}
