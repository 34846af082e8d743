//! `orch validate` against hostile KCL: a 10 MB single line, and 100,000
//! nested brackets of each kind. Each ends within its deadline with an
//! answer or a clear error; none crashes the component or hangs.

use std::path::Path;
use std::time::{Duration, Instant};

use orch_tests::orch;

fn validate(file: &Path) -> (Option<i32>, String, String, Duration) {
    let start = Instant::now();
    let out = orch().args(["validate", "--deadline", "20s"]).arg(file).output().unwrap();
    let took = start.elapsed();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        took,
    )
}

fn workflow(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("workflow.k");
    std::fs::write(&file, text).unwrap();
    (dir, file)
}

#[test]
fn a_10_mb_single_line_string_is_validated() {
    let (_dir, file) = workflow(&format!("x = \"{}\"\n", "a".repeat(10_000_000)));
    let (code, stdout, stderr, took) = validate(&file);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("valid"), "{stdout}");
    assert!(took < Duration::from_secs(20), "took {took:?}");
}

#[test]
fn a_10_mb_single_line_list_ends_in_an_answer_or_a_clear_limit() {
    // 3.3 million elements: the syntax tree may outgrow the memory limit,
    // which must then be reported as such, not as a crash.
    let items = vec!["1"; 3_333_333].join(", ");
    let (_dir, file) = workflow(&format!("items = [{items}]\n"));
    let (code, _, stderr, took) = validate(&file);
    assert!(took < Duration::from_secs(25), "took {took:?}");
    match code {
        Some(0) => {}
        Some(1) => assert!(
            stderr.starts_with("error: the component needed more than its 256 MiB memory limit and was stopped")
                && stderr.contains("--memory-limit"),
            "{stderr}"
        ),
        other => panic!("exit {other:?}: {stderr}"),
    }
    assert!(!stderr.contains("crashed"), "{stderr}");
}

#[test]
fn nesting_100000_deep_is_refused_with_a_diagnostic() {
    let depth = 100_000;
    for (kind, text) in [
        ("lists", format!("x = {}{}\n", "[".repeat(depth), "]".repeat(depth))),
        ("parentheses", format!("x = {}1{}\n", "(".repeat(depth), ")".repeat(depth))),
        ("dicts", format!("x = {}1{}\n", "{a: ".repeat(depth), "}".repeat(depth))),
    ] {
        let (_dir, file) = workflow(&text);
        let (code, stdout, stderr, took) = validate(&file);
        // Diagnostics are the command's output: on stdout.
        assert_eq!(code, Some(1), "{kind}: {stdout}{stderr}");
        assert!(stdout.contains("error[E2006]: nesting is too deep (more than 256 levels)"), "{kind}: {stdout}");
        assert!(stdout.contains("workflow.k:1:"), "{kind}: {stdout}");
        assert!(took < Duration::from_secs(20), "{kind}: took {took:?}");
    }
}
