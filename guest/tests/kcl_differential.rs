//! Differential test: our parser against the official KCL parser
//! (PyPI `kcl-lib`, driven by `tests/kcl/kcl_reference.py`).
//!
//! Inputs: the whole corpus plus seeded single-token mutations of every
//! valid file. Both parsers judge every input; the test prints the
//! agreement and every disagreement, and fails when an input disagrees
//! (on the verdict, or on the first error's line where both reject) that
//! is not in `KNOWN_MISSES`, or one listed there agrees (tests/CORPORA.md).
//!
//! Needs `ORCH_KCL_PYTHON` (a Python with kcl-lib installed; see
//! tests/kcl/README.md). Without it the test fails; `ORCH_SKIP_KCL_DIFF=1`
//! skips it explicitly (loudly), and never under `CI` or
//! `ORCH_REQUIRE_TOOLS`.

mod kcl_support;

use kcl_support::corpus::score::{KnownMiss, Score};
use kcl_support::{Differential, case_name, check_known_misses, corpus_files, valid_mutants};
use orch_guest::workflows::kcl::check_source;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The inputs on which the parsers disagree: none.
const KNOWN_MISSES: &[KnownMiss] = &[];

struct Case {
    name: String,
    path: PathBuf,
    text: String,
    /// What was done to a valid file, for a mutant.
    mutation: Option<String>,
}

fn build_cases(dir: &Path) -> Vec<Case> {
    let mut cases = Vec::new();
    for sub in ["valid", "invalid", "strict", "semantic"] {
        for path in corpus_files(sub) {
            let text = std::fs::read_to_string(&path).unwrap();
            cases.push(Case { name: case_name(&path), path, text, mutation: None });
        }
    }
    for m in valid_mutants(dir) {
        cases.push(Case { name: m.name, path: m.path, text: m.text, mutation: Some(m.how) });
    }
    cases
}

#[derive(Debug)]
struct Verdict {
    ok: bool,
    line: Option<u32>,
    messages: Vec<String>,
}

fn reference(run: &Differential, cases: &[Case]) -> HashMap<PathBuf, Verdict> {
    let paths: Vec<&Path> = cases.iter().map(|c| c.path.as_path()).collect();
    run.reference("kcl_reference.py", &paths)
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
    let Some(run) = Differential::new() else { return };
    let cases = build_cases(&run.dir);
    let reference = reference(&run, &cases);

    let (mut corpus, mut mutants) = (Score::default(), Score::default());
    // Inputs on which kcl-lib itself crashes or exhausts memory have no
    // reference verdict; they are listed, not scored.
    let mut reference_crashes = Vec::new();
    for case in &cases {
        let theirs = &reference[&case.path];
        let ours = check_source(&case.name, &case.text);
        let first = ours
            .first()
            .map(|d| format!("{}:{} {}", d.span.line, d.span.column, d.message))
            .unwrap_or_else(|| "valid".into());
        let score = if case.mutation.is_some() { &mut mutants } else { &mut corpus };
        if theirs.messages.first().is_some_and(|m| m.starts_with("reference failure")) {
            score.unscored(&case.name);
            reference_crashes.push(format!("  {}: ours {first}; kcl {:?}", case.name, theirs.messages));
            continue;
        }
        // Accepted, or the first error's line (kcl-lib may give none).
        let our_line = ours.first().map(|d| Some(d.span.line));
        let their_line = (!theirs.ok).then_some(theirs.line);
        score.judge(&case.name, our_line.as_ref(), their_line.as_ref(), || {
            let kcl =
                if theirs.ok { "valid".to_string() } else { format!("line {:?} {:?}", theirs.line, theirs.messages) };
            let how = case.mutation.as_deref().map(|m| format!("({m}) ")).unwrap_or_default();
            format!("{how}ours {first}; kcl {kcl}")
        });
    }
    println!(
        "KCL differential report ({} corpus files + {} mutations; {} crashed kcl-lib, not scored)",
        corpus.inputs,
        mutants.inputs,
        reference_crashes.len()
    );
    println!("  corpus:  {}", corpus.summary());
    println!("  mutants: {}", mutants.summary());
    for score in [&corpus, &mutants] {
        for miss in &score.misses {
            println!("  {:?} miss: {}: {}", miss.miss, miss.case, miss.detail);
        }
    }
    if !reference_crashes.is_empty() {
        println!("inputs that crash kcl-lib (not scored):\n{}", reference_crashes.join("\n"));
    }
    assert!(mutants.inputs >= 300, "only {} mutations generated", mutants.inputs);
    check_known_misses(&[&corpus], &mutants, KNOWN_MISSES, "KNOWN_MISSES in guest/tests/kcl_differential.rs");
}
