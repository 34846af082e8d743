//! `orch validate` on Nickel workflows, end to end: dispatch by extension,
//! rendered and JSON diagnostics with their related places, import paths,
//! and the package sandbox.

use orch_tests::{assert_contains, orch, orch_in, output_on_exit, workspace};
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
    let output = orch_in(&workspace(), &["validate", "examples/workflows/deploy.ncl"]);
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
    let output = orch_in(&workspace(), &["validate", "examples/workflows/broken.ncl", "--format", "json"]);
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

    let text = orch_in(&workspace(), &["validate", "examples/workflows/broken.ncl"]);
    let stdout = String::from_utf8(text.stdout).unwrap();
    assert_contains(
        &stdout,
        &["--> examples/workflows/broken.ncl:16:16", "examples/workflows/schemas/workflow_contracts.ncl:"],
    );
    assert!(stdout.ends_with("examples/workflows/broken.ncl: invalid (1 error, 0 warnings)\n"), "{stdout}");
}

#[test]
fn strict_checks_the_evaluated_task_graph() {
    let flow = "let step = fun name deps => { id = name, dependencies = deps, timeout = 60 } in\n\
                { operations = [\n  step \"a\" [\"b\"],\n  step \"b\" [\"a\"],\n  step \"c\" [\"nope\"],\n] }\n";
    let dir = package(&[("flow.ncl", flow)]);
    let lenient = orch_in(dir.path(), &["validate", "flow.ncl", "--format", "json"]);
    assert!(lenient.status.success());
    let report = json(&lenient);
    let codes: Vec<&str> = report["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["E4002", "E4004"]);
    let strict = orch_in(dir.path(), &["validate", "--strict", "flow.ncl", "--format", "json"]);
    assert_eq!(strict.status.code(), Some(1));
    let report = json(&strict);
    let unknown = &report["errors"][0];
    assert_eq!(unknown["message"], "dependency on unknown step 'nope'");
    // The id's string came through a function: it still points at its source.
    assert_eq!((unknown["line"].as_u64(), unknown["column"].as_u64()), (Some(5), Some(13)));
    // The cycle is at the step it names first; its related places are its edges.
    let cycle = &report["errors"][1];
    assert_eq!(cycle["message"], "dependency cycle: a -> b -> a");
    assert_eq!((cycle["line"].as_u64(), cycle["column"].as_u64()), (Some(3), Some(8)));
    let related: Vec<(u64, &str)> = cycle["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["message"].as_str().unwrap()))
        .collect();
    assert_eq!(related, [(3, "`a` depends on `b` here"), (4, "`b` depends on `a` here")]);
}

#[test]
fn other_extensions_are_a_usage_error() {
    let dir = package(&[("flow.yaml", "a: 1\n")]);
    let (_, stderr) = output_on_exit(&orch_in(dir.path(), &["validate", "flow.yaml"]), 2);
    assert!(stderr.contains("flow.yaml") && stderr.contains("KCL (*.k) or Nickel (*.ncl)"), "{stderr}");
}

#[test]
fn a_directory_validates_both_languages() {
    let dir =
        package(&[("a.k", "a = 1\n"), ("b.ncl", "{ b = 1 + }\n"), ("sub/c.ncl", "{ c = 3 }\n"), ("notes.txt", "x")]);
    let (stdout, _) = output_on_exit(&orch_in(dir.path(), &["validate", "."]), 1);
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
    let output = orch_in(dir.path(), &["validate", "flow.ncl", "--format", "json"]);
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
    let output = orch_in(dir.path(), &["validate", "flow.ncl", "--format", "json"]);
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(!stdout.contains("TRACED-TEXT"), "{stdout}");
    assert_eq!(json_of(&stdout)["valid"], true);
}

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// The three-file benchmark workflow (contracts, defaults, main) and a
/// package manifest, in a directory of their own.
fn three_file_package() -> tempfile::TempDir {
    let bench = workspace().join("tests/nickel/bench");
    let read = |name: &str| std::fs::read_to_string(bench.join(name)).unwrap();
    let (contracts, defaults, main) =
        (read("bench_contracts.ncl"), read("bench_defaults.ncl"), read("bench_workflow.ncl"));
    let manifest = std::fs::read_to_string(workspace().join("tests/nickel/Nickel-pkg.ncl")).unwrap();
    package(&[
        ("bench_contracts.ncl", &contracts),
        ("bench_defaults.ncl", &defaults),
        ("bench_workflow.ncl", &main),
        ("Nickel-pkg.ncl", &manifest),
    ])
}

#[test]
fn a_directory_checks_imported_files_as_libraries_and_reads_the_manifest() {
    let dir = three_file_package();
    let output = orch_in(dir.path(), &["validate", "."]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(
        stdout,
        "Nickel-pkg.ncl: valid (manifest: typechecked, not exported)\n\
         bench_contracts.ncl: valid (library: typechecked, not exported)\n\
         bench_defaults.ncl: valid (library: typechecked, not exported)\n\
         bench_workflow.ncl: valid\n\
         checked 1 file as workflows, 2 as libraries, 1 as the package manifest\n"
    );
    let output = orch_in(dir.path(), &["validate", ".", "--format", "json"]);
    let report = json(&output);
    let roles: Vec<(String, String)> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let name = std::path::Path::new(f["file"].as_str().unwrap()).file_name().unwrap().to_str().unwrap();
            (name.to_owned(), f["role"].as_str().unwrap().to_owned())
        })
        .collect();
    let expected = [
        ("Nickel-pkg.ncl", "manifest"),
        ("bench_contracts.ncl", "library"),
        ("bench_defaults.ncl", "library"),
        ("bench_workflow.ncl", "workflow"),
    ];
    assert_eq!(roles, expected.map(|(f, r)| (f.to_owned(), r.to_owned())));
    // Each JSON line names its role too.
    let lines = orch_in(dir.path(), &["validate", ".", "--format", "jsonl"]);
    let roles: Vec<String> = String::from_utf8(lines.stdout)
        .unwrap()
        .lines()
        .map(|l| json_of(l)["role"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(roles, ["manifest", "library", "library", "workflow"]);
}

#[test]
fn a_file_named_on_its_own_is_a_workflow() {
    let dir = three_file_package();
    // Named, the contracts file is exported as asked, and fails as it
    // would alone; the directory's rule is for directories.
    let (stdout, _) =
        output_on_exit(&orch_in(dir.path(), &["validate", "bench_contracts.ncl", "bench_workflow.ncl"]), 1);
    assert!(
        stdout.ends_with("bench_contracts.ncl: invalid (1 error, 0 warnings)\nbench_workflow.ncl: valid\n"),
        "{stdout}"
    );
    // A file named beside its directory is a workflow, and listed once.
    let output = orch_in(dir.path(), &["validate", "bench_defaults.ncl", "."]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.starts_with("bench_defaults.ncl: valid\nNickel-pkg.ncl: valid (manifest"), "{stdout}");
    assert!(stdout.ends_with("checked 2 files as workflows, 1 as libraries, 1 as the package manifest\n"), "{stdout}");
}

#[test]
fn the_example_directory_reports_only_its_broken_workflows() {
    let (stdout, _) = output_on_exit(&orch_in(&workspace(), &["validate", "examples/workflows"]), 1);
    let summary: Vec<&str> = stdout.lines().rev().take(8).collect::<Vec<_>>().into_iter().rev().collect();
    assert_eq!(
        summary,
        [
            "examples/workflows/Nickel-pkg.ncl: valid (manifest: typechecked, not exported)",
            "examples/workflows/broken.k: valid (0 errors, 1 warning)",
            "examples/workflows/broken.ncl: invalid (1 error, 0 warnings)",
            "examples/workflows/deploy.k: valid",
            "examples/workflows/deploy.ncl: valid",
            "examples/workflows/schemas/workflow_contracts.ncl: valid (library: typechecked, not exported)",
            "examples/workflows/schemas/workflow_defaults.ncl: valid (library: typechecked, not exported)",
            "checked 4 files as workflows, 2 as libraries, 1 as the package manifest",
        ],
        "{stdout}"
    );
    assert!(!stdout.contains("missing definition"), "a library was exported alone: {stdout}");
    // broken.k's failed `check:` is an error with --strict; nothing else changes.
    let strict = orch_in(&workspace(), &["validate", "--strict", "examples/workflows", "--format", "json"]);
    assert_eq!(strict.status.code(), Some(1));
    let report = json(&strict);
    let invalid: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["valid"] == false)
        .map(|f| f["file"].as_str().unwrap().rsplit('/').next().unwrap())
        .collect();
    assert_eq!(invalid, ["broken.k", "broken.ncl"]);
    let contracts = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"].as_str().unwrap().ends_with("workflow_contracts.ncl"))
        .unwrap();
    assert_eq!(contracts["role"], "library");
}

#[test]
fn a_library_with_a_type_error_is_still_reported() {
    let dir = package(&[
        (
            "lib.ncl",
            "{\n  Port = std.contract.from_predicate (fun p => p > 0),\n  double : Number -> Number = fun x => x ++ \"x\",\n}\n",
        ),
        ("main.ncl", "let lib = import \"lib.ncl\" in\n{ port | lib.Port = 80 }\n"),
    ]);
    let output = orch_in(dir.path(), &["validate", ".", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    let files = report["files"].as_array().unwrap();
    assert_eq!((files[0]["role"].as_str(), files[0]["valid"].as_bool()), (Some("library"), Some(false)), "{report}");
    let error = &report["errors"][0];
    assert!(error["file"].as_str().unwrap().ends_with("lib.ncl"), "{error}");
    assert!(error["code"].as_str().unwrap().starts_with("N2"), "a typecheck error: {error}");
    assert_eq!(error["line"].as_u64(), Some(3), "{error}");
}
