//! The Nickel corpus (`tests/nickel/`), validated by the Nickel component
//! as `orch validate` does. Each case's header says what Nickel 1.18 makes
//! of it (see tests/nickel/README.md): `valid/` and `strict/` export,
//! `syntax/` and `eval/` fail on the line in `# expect-error-line: N` (or
//! `# expect-error: lib/FILE:N`), and `strict/` cases find the task-graph
//! codes in `# expect-strict: CODES`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use orch_runtime::validate::{ValidateOptions, ValidationReport};
use orch_runtime::{Runtime, RuntimeOptions};
use orch_tests::{cache_dir, workspace};

fn corpus() -> PathBuf {
    workspace().join("tests/nickel")
}

fn cases(sub: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus().join(sub))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ncl"))
        .collect();
    files.sort();
    files
}

fn runtime() -> Runtime {
    Runtime::new(RuntimeOptions { cache_dir: Some(cache_dir()), ..RuntimeOptions::default() }).unwrap()
}

fn validate(rt: &Runtime, file: &Path, strict: bool) -> ValidationReport {
    rt.validate(file, &ValidateOptions { strict, import_paths: Vec::new() }).unwrap()
}

fn header<'a>(file: &Path, text: &'a str, key: &str) -> &'a str {
    let first = text.lines().next().unwrap_or("");
    first.strip_prefix(&format!("# {key}: ")).unwrap_or_else(|| panic!("{}: no `# {key}:` first line", file.display()))
}

/// Every case of `sub`, with what is wrong with it, if anything.
fn failures(sub: &str, judge: impl Fn(&Runtime, &Path) -> Option<String>) -> Vec<String> {
    let rt = runtime();
    let files = cases(sub);
    assert!(!files.is_empty(), "no cases in tests/nickel/{sub}");
    files.iter().filter_map(|f| judge(&rt, f).map(|why| format!("{}: {why}", f.display()))).collect()
}

fn assert_none(failures: Vec<String>) {
    assert!(failures.is_empty(), "{} cases disagree with their headers:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn valid_files_are_valid() {
    assert_none(failures("valid", |rt, file| {
        let report = validate(rt, file, false);
        (!report.valid).then(|| format!("rejected: {:?}", report.errors.first().map(|d| (&d.code, &d.message, d.line))))
    }));
}

#[test]
fn rejected_files_fail_on_their_line() {
    for sub in ["syntax", "eval"] {
        assert_none(failures(sub, |rt, file| {
            let text = std::fs::read_to_string(file).unwrap();
            let expected = match text.lines().next().and_then(|l| l.strip_prefix("# expect-error: ")) {
                Some(place) => {
                    let (rel, line) = place.rsplit_once(':').unwrap();
                    (corpus().join(rel), line.parse::<u32>().unwrap())
                }
                None => (file.to_path_buf(), header(file, &text, "expect-error-line").parse().unwrap()),
            };
            let report = validate(rt, file, false);
            let Some(first) = report.errors.first() else { return Some("accepted".into()) };
            let got = (first.file.clone(), first.line);
            (got != expected).then(|| {
                format!(
                    "first error {}:{} ({}), expected {}:{}",
                    got.0.display(),
                    got.1,
                    first.message,
                    expected.0.display(),
                    expected.1
                )
            })
        }));
    }
}

#[test]
fn syntax_errors_have_parse_codes_and_eval_errors_do_not() {
    assert_none(failures("syntax", |rt, file| {
        let report = validate(rt, file, false);
        let code = report.errors.first().map_or("", |d| d.code.as_str()).to_string();
        (!code.starts_with("N1")).then(|| format!("code {code}"))
    }));
    assert_none(failures("eval", |rt, file| {
        let report = validate(rt, file, false);
        let code = report.errors.first().map_or("", |d| d.code.as_str()).to_string();
        code.starts_with("N1").then(|| format!("code {code}"))
    }));
}

#[test]
fn strict_cases_find_their_codes() {
    assert_none(failures("strict", |rt, file| {
        let text = std::fs::read_to_string(file).unwrap();
        let expected: BTreeSet<String> = match header(file, &text, "expect-strict") {
            "none" => BTreeSet::new(),
            codes => codes.split(',').map(|c| c.trim().to_string()).collect(),
        };
        let strict = validate(rt, file, true);
        let found: BTreeSet<String> = strict.errors.iter().map(|d| d.code.clone()).collect();
        if found != expected || strict.valid != expected.is_empty() {
            return Some(format!("strict found {found:?}, expected {expected:?}"));
        }
        let lenient = validate(rt, file, false);
        let warned: BTreeSet<String> = lenient.warnings.iter().map(|d| d.code.clone()).collect();
        (!lenient.valid || warned != expected)
            .then(|| format!("without --strict: valid {}, warnings {warned:?}", lenient.valid))
    }));
}
