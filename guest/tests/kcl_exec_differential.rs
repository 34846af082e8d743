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
//! * every semantic file's `# expect: error line N` to be kcl-lib's first
//!   error line (so the corpus cannot rot);
//! * every other disagreement (on the verdict, or on the first error's
//!   line where both reject) to be in `KNOWN_MISSES`, and every input
//!   listed there to disagree so (tests/CORPORA.md).
//!
//! Needs `ORCH_KCL_PYTHON`, like kcl_differential.rs (same skip rules).

mod kcl_support;

use kcl_support::corpus::header::Header;
use kcl_support::corpus::score::{KnownMiss, Miss, Score};
use kcl_support::{
    Differential, case_name, check_known_misses, corpus_files, corpus_root, expected_error_line, valid_mutants,
};
use orch_guest::model::{Diagnostic, ValidationReport};
use orch_guest::workflows::kcl::fs_sources::FsSources;
use orch_guest::workflows::kcl::validate;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The inputs on which our evaluator and kcl-lib's disagree: mutants
/// only. Where both reject, kcl's resolver mostly reports another error
/// first: it checks by phase, before anything runs, not by position.
const KNOWN_MISSES: &[KnownMiss] = &[
    KnownMiss::verdict(
        "valid/039_workflow_steps.k#m7",
        "a unit literal as a config key (`1Ki = ...`): kcl's type error",
    ),
    KnownMiss::verdict(
        "valid/087_protocol_mixin_ok.k#m0",
        "an attribute a mixin's layout adds: kcl's `Cannot add member`",
    ),
    KnownMiss::verdict(
        "valid/087_protocol_mixin_ok.k#m7",
        "an undefined `id` in a schema with a mixin: our name check is lenient",
    ),
    KnownMiss::place(
        "valid/009_if_stmt.k#m3",
        "kcl reports the immutable reassignment (8) before our undefined name (7)",
    ),
    KnownMiss::place(
        "valid/012_schema_basic.k#m0",
        "a required attribute left unset: we report the instance (8), kcl the attribute (9)",
    ),
    KnownMiss::place("valid/051_as_cast.k#m3", "kcl reports the `as` cast (5) before our undefined name `as` (6)"),
    KnownMiss::place(
        "valid/065_selectors_on_calls.k#m6",
        "kcl reports calling a string (4) before our selector on an int (6)",
    ),
    KnownMiss::place("valid/088_rules_ok.k#m2", "kcl reports the failed rule (12), we the undefined name `if` (9)"),
    KnownMiss::place(
        "valid/095_stdlib_imports_ok.k#m2",
        "kcl reports the argument count (8) before our bare-value conflict (12)",
    ),
];

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
    name: String,
    path: PathBuf,
    /// What was done to a valid file, for a mutant.
    mutation: Option<String>,
    /// The expected error line and the class of a semantic file.
    expected: Option<(u32, String)>,
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
            let name = case_name(&path);
            let expected = (group == Group::Semantic).then(|| {
                let header = Header::read(&path);
                let line = expected_error_line(&path, &header);
                (line, header.class.unwrap_or_else(|| panic!("{name} lacks `# class: NAME`")))
            });
            cases.push(Case { group, name, path, mutation: None, expected });
        }
    }
    for m in valid_mutants(dir) {
        cases.push(Case { group: Group::Mutant, name: m.name, path: m.path, mutation: Some(m.how), expected: None });
    }
    cases
}

fn reference(run: &Differential, cases: &[Case]) -> BTreeMap<PathBuf, Reference> {
    let paths: Vec<&Path> = cases.iter().map(|c| c.path.as_path()).collect();
    run.reference("kcl_exec_reference.py", &paths)
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

fn first(judged: &[&Diagnostic]) -> String {
    judged
        .first()
        .map(|d| format!("{}:{} {} {}", d.span.line, d.span.column, d.code, d.message))
        .unwrap_or_else(|| "valid".into())
}

#[test]
fn evaluator_agrees_with_official_kcl() {
    let Some(run) = Differential::new() else { return };
    let cases = build_cases(&run.dir);
    let reference = reference(&run, &cases);

    let mut scores: BTreeMap<Group, Score> = BTreeMap::new();
    // class -> (files, rejected on the header's line)
    let mut classes: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut false_rejects = Vec::new();
    let mut header_rot = Vec::new();
    let mut kcl_rejects_valid = Vec::new();
    let mut unscored = Vec::new();
    for case in &cases {
        let theirs = &reference[&case.path];
        let report = ours(&case.path);
        // The workflow-graph checks (E4xxx: duplicate ids, unknown
        // dependencies, cycles) are orch's own; kcl has no such verdict.
        let judged: Vec<&Diagnostic> = report.errors.iter().filter(|d| !d.code.starts_with("E4")).collect();
        let score = scores.entry(case.group).or_default();
        if theirs.failed {
            score.unscored(&case.name);
            unscored.push(format!("  {}: ours {}; kcl {}", case.name, first(&judged), theirs.message));
            continue;
        }
        let our_line = judged.first().map(|d| Some(d.span.line));
        let their_line = (!theirs.ok).then_some(theirs.line);
        let miss = score.judge(&case.name, our_line.as_ref(), their_line.as_ref(), || {
            let how = case.mutation.as_deref().map(|m| format!("({m}) ")).unwrap_or_default();
            let kcl = if theirs.ok { "ok".to_string() } else { format!("{:?} {}", theirs.line, theirs.message) };
            format!("{how}ours {}; kcl {kcl}", first(&judged))
        });
        if miss == Some(Miss::Verdict) && theirs.ok {
            false_rejects.push(format!("  {}: ours {}", case.name, first(&judged)));
        }
        if case.group == Group::Valid && !theirs.ok {
            kcl_rejects_valid.push(format!("  {}: kcl {:?} {}", case.name, theirs.line, theirs.message));
        }
        if let Some((expected, class)) = &case.expected {
            if theirs.ok || theirs.line != Some(*expected) {
                let kcl =
                    if theirs.ok { "accepts it".to_string() } else { format!("{:?} {}", theirs.line, theirs.message) };
                header_rot.push(format!("  {}: header line {expected}, kcl {kcl}", case.name));
            }
            let entry = classes.entry(class.clone()).or_default();
            entry.0 += 1;
            entry.1 += usize::from(our_line == Some(Some(*expected)));
        }
    }

    println!("KCL exec differential report (kcl-lib ExecProgram vs validate(strict = true))");
    println!("  group     inputs unscored   kcl ok  kcl err  ours ok  verdict agree     line agree  false-  missed");
    for (group, s) in &scores {
        println!(
            "  {:<9} {:>6} {:>8} {:>8} {:>8} {:>8} {:>7} {:>5.1}% {:>7} {:>5.1}% {:>7} {:>7}",
            group.name(),
            s.inputs,
            s.unscored.len(),
            s.theirs_accept,
            s.scored() - s.theirs_accept,
            s.ours_accept,
            s.verdict_agree,
            s.verdict_pct(),
            s.place_agree,
            s.place_pct(),
            s.false_rejects,
            s.false_accepts()
        );
    }
    println!("  (line agree: over inputs both reject; false-: kcl accepts, we reject; missed: kcl rejects, we accept)");
    for (group, s) in &scores {
        println!("  {}: {}", group.name(), s.summary());
    }
    let semantic_total: usize = classes.values().map(|c| c.0).sum();
    let semantic_hits: usize = classes.values().map(|c| c.1).sum();
    println!("semantic corpus: {semantic_hits}/{semantic_total} rejected on the header's line");
    for (class, (files, hits)) in &classes {
        println!("  {class:<22} {hits:>3}/{files:<3}");
    }
    let show = |title: &str, items: &[String]| {
        if !items.is_empty() {
            println!("{title} ({}):\n{}", items.len(), items.join("\n"));
        }
    };
    let misses: Vec<String> = scores
        .values()
        .flat_map(|s| &s.misses)
        .map(|m| format!("  {:?} miss: {}: {}", m.miss, m.case, m.detail))
        .collect();
    show("disagreements (verdict, or first-error line where both reject)", &misses);
    show("FALSE REJECTS (kcl-lib runs these without error)", &false_rejects);
    show("semantic headers that disagree with kcl-lib", &header_rot);
    show("valid/ files kcl-lib's evaluator rejects (syntax-only cases; not false rejects)", &kcl_rejects_valid);
    show("inputs kcl-lib crashes or times out on (not scored)", &unscored);

    let semantic_files = corpus_files("semantic").len();
    assert!(semantic_files >= 85, "only {semantic_files} semantic files in {}", corpus_root().display());
    assert!(header_rot.is_empty(), "{} semantic headers disagree with kcl-lib (listed above)", header_rot.len());
    // Never a known miss: orch must not reject what KCL runs.
    assert!(false_rejects.is_empty(), "{} false rejects (listed above)", false_rejects.len());
    let corpus = [&scores[&Group::Valid], &scores[&Group::Semantic]];
    let list = "KNOWN_MISSES in guest/tests/kcl_exec_differential.rs";
    check_known_misses(&corpus, &scores[&Group::Mutant], KNOWN_MISSES, list);
}
