//! The Nickel component under abuse: each workflow below ends in a clear
//! error (Nickel's own, or the sandbox stopping the component), and the
//! same runtime then validates the next workflow normally.

use std::path::Path;
use std::time::Duration;

use orch_runtime::model::ValidationReport;
use orch_runtime::validate::ValidateOptions;
use orch_runtime::{Error, Limits, Runtime, RuntimeOptions};
use orch_tests::cache_dir;

fn runtime() -> Runtime {
    let limits = Limits { deadline: Duration::from_secs(5), ..Limits::default() };
    Runtime::new(RuntimeOptions { limits, cache_dir: Some(cache_dir()) }).unwrap()
}

fn validate(rt: &Runtime, file: &Path) -> Result<ValidationReport, Error> {
    rt.validate(file, &ValidateOptions::default())
}

/// What the user is told, whichever way the workflow was stopped.
fn refusal(rt: &Runtime, file: &Path) -> String {
    match validate(rt, file) {
        Ok(report) => {
            assert!(!report.valid, "{} was accepted", file.display());
            let first = &report.errors[0];
            format!("{}: {}", first.code, first.message)
        }
        Err(e @ Error::Trap { .. }) => e.to_string(),
        Err(other) => panic!("{}: not a clear refusal: {other:?}", file.display()),
    }
}

#[test]
fn abusive_workflows_end_in_a_clear_error_and_the_next_call_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    // 10 MB of fields: Nickel needs far more memory for it than the cap allows.
    let mut big = String::from("{\n");
    for i in 0.. {
        if big.len() > 10 * 1024 * 1024 {
            break;
        }
        big.push_str(&format!("  field_{i} = {{ id = \"op-{i}\", timeout = {i} }},\n"));
    }
    big.push_str("}\n");
    let cases = [
        ("recursion.ncl", "let rec f = fun x => f (x + 1) in f 0\n".to_string()),
        ("record.ncl", "let rec r = { a = r.a } in r\n".to_string()),
        ("array.ncl", "std.array.generate (fun i => i) 100000000\n".to_string()),
        ("deep.ncl", deep),
        ("big.ncl", big),
    ];
    std::fs::write(dir.path().join("ok.ncl"), "{ replicas = 3 }\n").unwrap();
    let rt = runtime();
    for (name, source) in &cases {
        let file = dir.path().join(name);
        std::fs::write(&file, source).unwrap();
        let told = refusal(&rt, &file);
        eprintln!("{name}: {told}");
        assert!(!told.is_empty());
        let next = validate(&rt, &dir.path().join("ok.ncl")).unwrap();
        assert!(next.valid, "after {name}: {:?}", next.errors);
    }
}

#[test]
fn a_file_over_the_size_limit_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("flow.ncl");
    std::fs::write(&file, format!("{{ a = \"{}\" }}\n", "x".repeat(4096))).unwrap();
    let limits = Limits { max_file_size: 1024, ..Limits::default() };
    let rt = Runtime::new(RuntimeOptions { limits, cache_dir: Some(cache_dir()) }).unwrap();
    let report = validate(&rt, &file).unwrap();
    assert!(!report.valid);
    assert_eq!(report.errors[0].span.file, file);
    assert!(report.errors[0].message.contains("larger than"), "{:?}", report.errors[0]);
}

#[test]
fn a_warm_instance_sees_every_change_and_every_package() {
    let rt = runtime();
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    let flow = one.path().join("flow.ncl");
    let verdicts: Vec<bool> = [
        (&flow, "{ replicas = 3 }\n"),
        (&flow, "{ replicas | Number = \"3\" }\n"),
        (&flow, "{ replicas | Number = 3 }\n"),
    ]
    .into_iter()
    .map(|(file, text)| {
        std::fs::write(file, text).unwrap();
        validate(&rt, file).unwrap().valid
    })
    .collect();
    assert_eq!(verdicts, [true, false, true]);
    // Another package is another sandbox: the first one's files are not in it.
    std::fs::write(two.path().join("flow.ncl"), "import \"../flow.ncl\"\n").unwrap();
    let other = validate(&rt, &two.path().join("flow.ncl")).unwrap();
    assert!(!other.valid);
    assert!(validate(&rt, &flow).unwrap().valid);
}

/// The warm instance hands back its last verdict while nothing that check
/// read has changed; an imported file rewritten in place, to the same size
/// and within the same second, is a change.
#[test]
fn a_warm_repeat_sees_a_changed_import() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let flow = dir.path().join("flow.ncl");
    let limits = dir.path().join("limits.ncl");
    std::fs::write(&flow, "let c = import \"limits.ncl\" in { parallel_limit | c.Limit = 4 }\n").unwrap();
    std::fs::write(&limits, "{ Limit = std.contract.from_predicate (fun n => n > 0) }\n").unwrap();
    let first = validate(&rt, &flow).unwrap();
    assert!(first.valid, "{first:?}");
    assert_eq!(validate(&rt, &flow).unwrap(), first);
    std::fs::write(&limits, "{ Limit = std.contract.from_predicate (fun n => n > 9) }\n").unwrap();
    let changed = validate(&rt, &flow).unwrap();
    assert!(!changed.valid);
    assert_eq!(changed.errors[0].code, "N3001", "{changed:?}");
}
