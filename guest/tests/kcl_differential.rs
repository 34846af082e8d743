//! Differential test: our parser against the official KCL parser
//! (PyPI `kcl-lib`, driven by `tests/kcl/kcl_reference.py`).
//!
//! Inputs: the whole corpus plus seeded single-token mutations of every
//! valid file. Both parsers judge every input; the test prints agreement
//! and every disagreement, and requires ≥99% verdict agreement and ≥95%
//! first-error-line agreement (over inputs both reject).
//!
//! Needs `ORCH_KCL_PYTHON` (a Python with kcl-lib installed; see
//! tests/kcl/README.md). Without it the test fails; `ORCH_SKIP_KCL_DIFF=1`
//! skips it explicitly (loudly), and never under `CI` or
//! `ORCH_REQUIRE_TOOLS`.

mod kcl_support;

use kcl_support::{corpus_files, reference_python, run_reference, scratch_dir, valid_mutants};
use orch_guest::workflows::kcl::check_source;
use std::collections::HashMap;
use std::path::PathBuf;

struct Case {
    path: PathBuf,
    label: String,
    text: String,
}

fn build_cases(dir: &std::path::Path) -> Vec<Case> {
    let mut cases = Vec::new();
    for sub in ["valid", "invalid", "strict", "semantic"] {
        for path in corpus_files(sub) {
            let text = std::fs::read_to_string(&path).unwrap();
            let label = format!("{sub}/{}", path.file_name().unwrap().to_string_lossy());
            cases.push(Case { path, label, text });
        }
    }
    for m in valid_mutants(dir) {
        cases.push(Case { path: m.path, label: m.label, text: m.text });
    }
    cases
}

#[derive(Debug)]
struct Verdict {
    ok: bool,
    line: Option<u32>,
    messages: Vec<String>,
}

fn reference(python: &str, cases: &[Case], dir: &std::path::Path) -> HashMap<PathBuf, Verdict> {
    let paths: Vec<&std::path::Path> = cases.iter().map(|c| c.path.as_path()).collect();
    run_reference(python, "kcl_reference.py", &paths, dir)
        .into_iter()
        .map(|(path, v)| {
            let messages = v["messages"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_string()).collect();
            let verdict = Verdict {
                ok: v["ok"].as_bool().unwrap(),
                line: v["first_error_line"].as_u64().map(|l| l as u32),
                messages,
            };
            (path, verdict)
        })
        .collect()
}

#[test]
fn parser_agrees_with_official_kcl() {
    let Some(python) = reference_python() else { return };
    // ORCH_KCL_DIFF_KEEP=<dir> keeps the generated inputs for debugging.
    let (_temp, dir) = scratch_dir();
    let cases = build_cases(&dir);
    let reference = reference(&python, &cases, &dir);

    let (mut verdict_agree, mut both_invalid, mut line_agree) = (0usize, 0usize, 0usize);
    let mut verdict_diffs = Vec::new();
    let mut line_diffs = Vec::new();
    // Inputs on which kcl-lib itself crashes or exhausts memory have no
    // reference verdict; they are listed, not scored.
    let mut reference_crashes = Vec::new();
    let mut scored = 0usize;
    for case in &cases {
        let theirs = reference.get(&case.path).unwrap_or_else(|| panic!("no reference verdict for {}", case.label));
        let ours = check_source(&case.label, &case.text);
        if theirs.messages.first().is_some_and(|m| m.starts_with("reference failure")) {
            let first = ours
                .first()
                .map(|d| format!("{}:{} {}", d.span.line, d.span.column, d.message))
                .unwrap_or_else(|| "valid".into());
            reference_crashes.push(format!("  {}: ours {first}; kcl {:?}", case.label, theirs.messages));
            continue;
        }
        scored += 1;
        let our_ok = ours.is_empty();
        let our_line = ours.first().map(|d| d.span.line);
        if our_ok == theirs.ok {
            verdict_agree += 1;
        } else {
            verdict_diffs.push(format!(
                "  {}: ours {} (first: {}), kcl {} {:?}",
                case.label,
                if our_ok { "valid" } else { "invalid" },
                ours.first().map(|d| format!("{}:{} {}", d.span.line, d.span.column, d.message)).unwrap_or_default(),
                if theirs.ok { "valid" } else { "invalid" },
                theirs.messages,
            ));
        }
        if !our_ok && !theirs.ok {
            both_invalid += 1;
            if our_line == theirs.line {
                line_agree += 1;
            } else {
                line_diffs.push(format!(
                    "  {}: ours line {:?} ({}), kcl line {:?} {:?}",
                    case.label,
                    our_line,
                    ours.first().map(|d| d.message.clone()).unwrap_or_default(),
                    theirs.line,
                    theirs.messages
                ));
            }
        }
    }
    let total = scored;
    let verdict_pct = 100.0 * verdict_agree as f64 / total as f64;
    let line_pct = if both_invalid == 0 { 100.0 } else { 100.0 * line_agree as f64 / both_invalid as f64 };
    let mutations = cases.iter().filter(|c| c.label.starts_with("mutation")).count();
    println!(
        "KCL differential report ({} corpus files + {} mutations = {} inputs; {} scored, {} crashed kcl-lib)",
        cases.len() - mutations,
        mutations,
        cases.len(),
        total,
        reference_crashes.len()
    );
    println!("  verdict agreement:          {verdict_agree}/{total} = {verdict_pct:.2}%");
    println!("  first-error-line agreement: {line_agree}/{both_invalid} = {line_pct:.2}% (inputs both reject)");
    if !verdict_diffs.is_empty() {
        println!("verdict disagreements:\n{}", verdict_diffs.join("\n"));
    }
    if !line_diffs.is_empty() {
        println!("first-error-line disagreements:\n{}", line_diffs.join("\n"));
    }
    if !reference_crashes.is_empty() {
        println!("inputs that crash kcl-lib (not scored):\n{}", reference_crashes.join("\n"));
    }
    assert!(mutations >= 300, "only {mutations} mutations generated");
    assert!(verdict_pct >= 99.0, "verdict agreement {verdict_pct:.2}% < 99%");
    assert!(line_pct >= 95.0, "first-error-line agreement {line_pct:.2}% < 95%");
}
