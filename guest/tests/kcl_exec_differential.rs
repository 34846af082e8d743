//! Differential test at evaluation level: `validate(.., strict = true)`
//! against the official KCL evaluator (PyPI `kcl-lib`'s ExecProgram,
//! driven by `tests/kcl/kcl_exec_reference.py`).
//!
//! Inputs: `tests/kcl/valid`, `tests/kcl/semantic` and the seeded
//! single-token mutants of the valid files that the syntax differential
//! uses (`kcl_support::valid_mutants`). Every input is judged alone, with
//! its own directory as the package root (no `kcl.mod`). The test prints
//! a summary and every disagreement, and requires
//!
//! * no false rejects: nothing kcl-lib runs without error is rejected;
//! * every semantic file's `# expect-error-line` to be kcl-lib's first
//!   error line (so the corpus cannot rot), and every semantic file
//!   rejected with our first error on that line.
//!
//! Agreement over the mutants is printed, not asserted.
//!
//! Needs `ORCH_KCL_PYTHON`, like kcl_differential.rs (same skip rules).

mod kcl_support;

use kcl_support::{corpus_files, corpus_root, header, reference_python, run_reference, scratch_dir, valid_mutants};
use orch_guest::model::ValidationReport;
use orch_guest::workflows::kcl::fs_sources::FsSources;
use orch_guest::workflows::kcl::validate;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Group {
    Valid,
    Semantic,
    Mutant,
}

impl Group {
    fn name(self) -> &'static str {
        match self {
            Group::Valid => "valid",
            Group::Semantic => "semantic",
            Group::Mutant => "mutants",
        }
    }
}

struct Case {
    group: Group,
    path: PathBuf,
    label: String,
    /// `# expect-error-line` and `# class` of a semantic file.
    expected_line: Option<u32>,
    class: Option<String>,
}

struct Reference {
    ok: bool,
    line: Option<u32>,
    message: String,
    /// kcl-lib itself crashed or timed out: no verdict.
    failed: bool,
}

fn build_cases(dir: &Path) -> Vec<Case> {
    let mut cases = Vec::new();
    for (group, sub) in [(Group::Valid, "valid"), (Group::Semantic, "semantic")] {
        for path in corpus_files(sub) {
            let label = format!("{sub}/{}", path.file_name().unwrap().to_string_lossy());
            let (mut expected_line, mut class) = (None, None);
            if group == Group::Semantic {
                let text = std::fs::read_to_string(&path).unwrap();
                let line = header(&text, "expect-error-line")
                    .unwrap_or_else(|| panic!("{label} lacks `# expect-error-line: N`"));
                expected_line =
                    Some(line.parse().unwrap_or_else(|_| panic!("{label}: bad expect-error-line {line:?}")));
                class = Some(header(&text, "class").unwrap_or_else(|| panic!("{label} lacks `# class: NAME`")));
            }
            cases.push(Case { group, path, label, expected_line, class });
        }
    }
    for m in valid_mutants(dir) {
        cases.push(Case { group: Group::Mutant, path: m.path, label: m.label, expected_line: None, class: None });
    }
    cases
}

fn reference(python: &str, cases: &[Case], dir: &Path) -> BTreeMap<PathBuf, Reference> {
    let paths: Vec<&Path> = cases.iter().map(|c| c.path.as_path()).collect();
    run_reference(python, "kcl_exec_reference.py", &paths, dir)
        .into_iter()
        .map(|(path, v)| {
            let message = v["message"].as_str().unwrap_or_default().to_string();
            let failed = message.starts_with("reference failure") || message == "reference timeout";
            let verdict = Reference {
                ok: v["ok"].as_bool().unwrap(),
                line: v["first_error_line"].as_u64().map(|l| l as u32),
                message,
                failed,
            };
            (path, verdict)
        })
        .collect()
}

/// Our verdict on one file, judged alone: its directory is the root.
fn ours(path: &Path) -> ValidationReport {
    let root = path.parent().unwrap();
    let entry = path.file_name().unwrap().to_string_lossy();
    validate(&FsSources::new(root), &entry, true).unwrap_or_else(|e| panic!("validate {}: {e:?}", path.display()))
}

fn first(report: &ValidationReport) -> String {
    report
        .errors
        .first()
        .map(|d| format!("{}:{} {} {}", d.span.line, d.span.column, d.code, d.message))
        .unwrap_or_else(|| "valid".into())
}

#[derive(Default)]
struct Tally {
    inputs: usize,
    unscored: usize,
    kcl_ok: usize,
    kcl_err: usize,
    ours_ok: usize,
    verdict_agree: usize,
    both_reject: usize,
    line_agree: usize,
    false_rejects: usize,
    missed: usize,
}

fn pct(n: usize, d: usize) -> f64 {
    if d == 0 { 100.0 } else { 100.0 * n as f64 / d as f64 }
}

#[test]
fn evaluator_agrees_with_official_kcl() {
    let Some(python) = reference_python() else { return };
    // ORCH_KCL_DIFF_KEEP=<dir> keeps the generated inputs for debugging.
    let (_temp, dir) = scratch_dir();
    let cases = build_cases(&dir);
    let reference = reference(&python, &cases, &dir);

    let mut tallies: BTreeMap<Group, Tally> = BTreeMap::new();
    // class -> (files, rejected on kcl's line)
    let mut classes: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut false_rejects = Vec::new();
    let mut header_rot = Vec::new();
    let mut semantic_misses = Vec::new();
    let mut mutant_diffs = Vec::new();
    let mut kcl_rejects_valid = Vec::new();
    let mut unscored = Vec::new();
    for case in &cases {
        let theirs = reference.get(&case.path).unwrap_or_else(|| panic!("no reference verdict for {}", case.label));
        let report = ours(&case.path);
        let tally = tallies.entry(case.group).or_default();
        tally.inputs += 1;
        if theirs.failed {
            tally.unscored += 1;
            unscored.push(format!("  {}: ours {}; kcl {}", case.label, first(&report), theirs.message));
            continue;
        }
        // The workflow-graph checks (E4xxx: duplicate ids, unknown
        // dependencies, cycles) are orch's own; kcl has no such verdict.
        let judged: Vec<_> = report.errors.iter().filter(|d| !d.code.starts_with("E4")).collect();
        let our_ok = judged.is_empty();
        let our_line = judged.first().map(|d| d.span.line);
        if theirs.ok {
            tally.kcl_ok += 1;
        } else {
            tally.kcl_err += 1;
        }
        if our_ok {
            tally.ours_ok += 1;
        }
        if our_ok == theirs.ok {
            tally.verdict_agree += 1;
        }
        if theirs.ok && !our_ok {
            tally.false_rejects += 1;
            false_rejects.push(format!("  {}: ours {}", case.label, first(&report)));
        }
        if !theirs.ok && our_ok {
            tally.missed += 1;
        }
        if !theirs.ok && !our_ok {
            tally.both_reject += 1;
            if our_line == theirs.line {
                tally.line_agree += 1;
            }
        }
        let disagreement = || {
            format!(
                "  {}: ours {}; kcl {}",
                case.label,
                first(&report),
                if theirs.ok { "ok".to_string() } else { format!("{:?} {}", theirs.line, theirs.message) }
            )
        };
        match case.group {
            Group::Valid => {
                if !theirs.ok {
                    kcl_rejects_valid.push(format!("  {}: kcl {:?} {}", case.label, theirs.line, theirs.message));
                }
            }
            Group::Semantic => {
                let expected = case.expected_line.unwrap();
                if theirs.ok || theirs.line != Some(expected) {
                    header_rot.push(format!(
                        "  {}: header line {expected}, kcl {}",
                        case.label,
                        if theirs.ok {
                            "accepts it".to_string()
                        } else {
                            format!("{:?} {}", theirs.line, theirs.message)
                        }
                    ));
                }
                let entry = classes.entry(case.class.clone().unwrap()).or_default();
                entry.0 += 1;
                if !our_ok && our_line == Some(expected) {
                    entry.1 += 1;
                } else {
                    semantic_misses.push(disagreement());
                }
            }
            Group::Mutant => {
                if our_ok != theirs.ok || (!our_ok && our_line != theirs.line) {
                    mutant_diffs.push(disagreement());
                }
            }
        }
    }

    println!("KCL exec differential report (kcl-lib ExecProgram vs validate(strict = true))");
    println!("  group     inputs unscored   kcl ok  kcl err  ours ok  verdict agree     line agree  false-  missed");
    for (group, t) in &tallies {
        let scored = t.inputs - t.unscored;
        println!(
            "  {:<9} {:>6} {:>8} {:>8} {:>8} {:>8} {:>7} {:>5.1}% {:>7} {:>5.1}% {:>7} {:>7}",
            group.name(),
            t.inputs,
            t.unscored,
            t.kcl_ok,
            t.kcl_err,
            t.ours_ok,
            t.verdict_agree,
            pct(t.verdict_agree, scored),
            t.line_agree,
            pct(t.line_agree, t.both_reject),
            t.false_rejects,
            t.missed
        );
    }
    println!("  (line agree: over inputs both reject; false-: kcl accepts, we reject; missed: kcl rejects, we accept)");
    let semantic_total: usize = classes.values().map(|c| c.0).sum();
    let semantic_hits: usize = classes.values().map(|c| c.1).sum();
    let semantic_pct = pct(semantic_hits, semantic_total);
    println!("semantic corpus: {semantic_hits}/{semantic_total} = {semantic_pct:.1}% rejected on kcl's line");
    for (class, (files, hits)) in &classes {
        println!("  {class:<22} {hits:>3}/{files:<3}");
    }
    let show = |title: &str, items: &[String]| {
        if !items.is_empty() {
            println!("{title} ({}):\n{}", items.len(), items.join("\n"));
        }
    };
    show("FALSE REJECTS (kcl-lib runs these without error)", &false_rejects);
    show("semantic files not rejected on kcl's line", &semantic_misses);
    show("semantic headers that disagree with kcl-lib", &header_rot);
    show("mutant disagreements (verdict or first-error line)", &mutant_diffs);
    show("valid/ files kcl-lib's evaluator rejects (syntax-only cases; not false rejects)", &kcl_rejects_valid);
    show("inputs kcl-lib crashes or times out on (not scored)", &unscored);

    let semantic_files = corpus_files("semantic").len();
    assert!(semantic_files >= 85, "only {semantic_files} semantic files in {}", corpus_root().display());
    assert!(header_rot.is_empty(), "{} semantic headers disagree with kcl-lib (listed above)", header_rot.len());
    assert!(false_rejects.is_empty(), "{} false rejects (listed above)", false_rejects.len());
    assert_eq!(semantic_hits, semantic_total, "semantic files not rejected on kcl's line (listed above)");
}
