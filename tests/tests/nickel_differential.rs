//! Differential test: the Nickel component against the official Nickel
//! 1.18 (PyPI `py-nickel`, driven by `tests/nickel/nickel_reference.py`).
//!
//! Inputs: the whole corpus, plus seeded single-token mutants of every
//! valid file (deleted, duplicated, swapped or replaced tokens), written
//! beside a copy of the corpus's `lib/` so that their imports resolve.
//! Both judge every input; the test prints the agreement and every
//! disagreement, and fails when an input disagrees (on the verdict, or on
//! the first error's file and line where both reject) that is not in
//! `KNOWN_MISSES`, or one listed there agrees (tests/CORPORA.md).
//!
//! Needs `ORCH_PYTHON` (the tools venv, with py-nickel; scripts/test.sh
//! sets it). Without it the test fails under `ORCH_REQUIRE_TOOLS` or CI.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use orch_runtime::validate::ValidateOptions;
use orch_runtime::{Runtime, RuntimeOptions};
use orch_tests::corpus::crude_tokens::{self, skip_while};
use orch_tests::corpus::mutation::{Mutator, XorShift};
use orch_tests::corpus::score::{KnownMiss, Score, check_known};
use orch_tests::corpus::{cases, oracle};
use orch_tests::{cache_dir, external_tool, workspace};

const MUTANTS_PER_FILE: usize = 5;
const SEED: u64 = 0x005E_ED0F_41C6_1E18;

/// The inputs on which the component and Nickel disagree: errors whose
/// first place Nickel gives inside its standard library (`<stdlib/...>`),
/// which orch does not show; it places them at the nearest place in the
/// workflow's own files instead.
const KNOWN_MISSES: &[KnownMiss] = &[
    KnownMiss::place("valid/044_std_number.ncl#m1", "non serializable term: nickel at <stdlib/internals.ncl>:80"),
    KnownMiss::place("valid/044_std_number.ncl#m2", "non serializable term: nickel at <stdlib/internals.ncl>:80"),
    KnownMiss::place("valid/054_array_generation.ncl#m4", "not a function: nickel at <stdlib/std.ncl>:596"),
    KnownMiss::place("valid/056_serialize.ncl#m4", "non serializable term: nickel at <stdlib/std.ncl>:5408"),
];

/// What either side makes of one file: `None` accepted, else the first
/// error's file and line.
type Verdict = Option<(PathBuf, u32)>;

struct Case {
    name: String,
    path: PathBuf,
    /// What was done to a valid file, for a mutant.
    mutation: Option<String>,
}

#[test]
#[cfg_attr(not(has_python), ignore = "needs Python: $ORCH_PYTHON is not set (scripts/test.sh sets it)")]
fn verdicts_agree_with_nickel_1_18() {
    let python = external_tool("ORCH_PYTHON");
    let root = workspace().join("tests/nickel");
    let scratch = tempfile::tempdir().unwrap();
    let cases = cases(&root, scratch.path());

    let theirs = official(&python, &root, scratch.path(), &cases);
    let rt = Runtime::new(RuntimeOptions { cache_dir: Some(cache_dir()), ..RuntimeOptions::default() }).unwrap();
    let options = ValidateOptions::default();
    let mut score = Score::default();
    for case in &cases {
        let report = rt.validate(&case.path, &options).unwrap();
        let ours: Verdict = report.errors.first().map(|d| (d.span.file.clone(), d.span.line));
        let official = &theirs[&case.path];
        score.judge(&case.name, ours.as_ref(), official.as_ref(), || {
            let show = |v: &Verdict| v.as_ref().map_or("accepted".to_string(), |(f, l)| format!("{}:{l}", f.display()));
            let message = report.errors.first().map_or(String::new(), |d| format!(" [{}: {}]", d.code, d.message));
            let how = case.mutation.as_deref().map(|m| format!("({m}) ")).unwrap_or_default();
            format!("{how}ours {}{message}, nickel {}", show(&ours), show(official))
        });
    }
    eprintln!("nickel differential: {} inputs; {}", cases.len(), score.summary());
    for miss in &score.misses {
        eprintln!("  {:?} miss: {}: {}", miss.miss, miss.case, miss.detail);
    }
    assert!(cases.len() > 500, "too few inputs: {}", cases.len());
    if let Err(e) = check_known(&[&score], KNOWN_MISSES, "KNOWN_MISSES in tests/tests/nickel_differential.rs") {
        panic!("{e}");
    }
}

/// The corpus's cases where they are, and the mutants in `scratch`, which
/// holds a copy of `lib/` and the manifest so their imports resolve alike.
fn cases(root: &Path, scratch: &Path) -> Vec<Case> {
    std::fs::create_dir_all(scratch.join("lib")).unwrap();
    std::fs::create_dir_all(scratch.join("mutants")).unwrap();
    for entry in std::fs::read_dir(root.join("lib")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, scratch.join("lib").join(path.file_name().unwrap())).unwrap();
    }
    std::fs::copy(root.join("Nickel-pkg.ncl"), scratch.join("Nickel-pkg.ncl")).unwrap();
    let mut all = Vec::new();
    for sub in ["valid", "syntax", "eval", "strict"] {
        for path in cases::files(root, sub, "ncl") {
            all.push(Case { name: cases::name(root, &path), path, mutation: None });
        }
    }
    let mutator = Mutator { tokens, pool: POOL };
    let seeds = cases::files(root, "valid", "ncl");
    let out = |stem: &str, k: usize| scratch.join("mutants").join(format!("{stem}.m{k}.ncl"));
    for m in mutator.mutants(root, &seeds, MUTANTS_PER_FILE, &mut XorShift(SEED), out) {
        all.push(Case { name: m.name, path: m.path, mutation: Some(m.how) });
    }
    all
}

/// The official verdicts, one process for all files.
fn official(python: &Path, root: &Path, scratch: &Path, cases: &[Case]) -> HashMap<PathBuf, Verdict> {
    let mut command = Command::new(python);
    command.arg(root.join("nickel_reference.py")).current_dir(scratch).env_remove("NICKEL_IMPORT_PATH");
    let paths: Vec<&Path> = cases.iter().map(|c| c.path.as_path()).collect();
    oracle::run(command, &paths, scratch)
        .into_iter()
        .map(|(path, v)| {
            let verdict = (!v["ok"].as_bool().unwrap()).then(|| {
                let file = v["first_error_file"].as_str().map_or(path.clone(), |f| scratch.join(f));
                (file, v["first_error_line"].as_u64().unwrap_or(0) as u32)
            });
            (path, verdict)
        })
        .collect()
}

/// Replacement tokens: the punctuation and keywords a slip of the hand
/// most often leaves behind.
const POOL: &[&str] = &[
    "=", ",", ";", "{", "}", "[", "]", "(", ")", "|", "&", "in", "let", "fun", "=>", "\"x\"", "1", "null", "'A",
    "Number", "String", ".", ":", "..", "++", "if", "then", "else", "match",
];

/// Byte ranges of crude tokens outside comments: words, numbers, strings,
/// and punctuation one character at a time.
fn tokens(text: &str) -> Vec<(usize, usize)> {
    crude_tokens::scan(text, |bytes, i| {
        let c = bytes[*i];
        if c == b'#' {
            *i = skip_while(bytes, *i, |b| b != b'\n');
            return false;
        } else if c.is_ascii_whitespace() {
            *i += 1;
            return false;
        } else if c.is_ascii_alphanumeric() || c == b'_' {
            *i = skip_while(bytes, *i, |b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'\''));
        } else if c == b'"' {
            *i += 1;
            while *i < bytes.len() && bytes[*i] != b'"' && bytes[*i] != b'\n' {
                *i += if bytes[*i] == b'\\' { 2 } else { 1 };
            }
            *i = (*i + 1).min(bytes.len());
        } else {
            *i += text[*i..].chars().next().map_or(1, char::len_utf8);
        }
        true
    })
}
