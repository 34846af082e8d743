//! The conformance corpus under `tests/kcl/`, against each case's
//! `# expect:` header (tests/CORPORA.md, tests/kcl/README.md): every
//! valid file parses cleanly, every invalid file fails with its first
//! error on the recorded line, every strict file yields exactly the
//! recorded strict codes (as errors with `strict`, warnings without;
//! `warnings` codes are warnings in both modes), and semantic files (one
//! evaluation-time error each) are rejected in strict mode on the
//! recorded line.

mod kcl_support;

use kcl_support::corpus::header::{Finding, Header};
use kcl_support::{corpus_files, corpus_root, expected_error_line};
use orch_guest::model::{Diagnostic, Severity};
use orch_guest::workflows::kcl::fs_sources::FsSources;
use orch_guest::workflows::kcl::{check_source, validate};
use std::collections::BTreeSet;
use std::path::PathBuf;

#[test]
fn valid_files_have_no_diagnostics() {
    let (_, cases) = package_cases("valid", 116);
    let mut failures = Vec::new();
    for Case { path, text, .. } in &cases {
        let diags = check_source(&path.display().to_string(), text);
        if let Some(d) = diags.first() {
            failures.push(format!("{}:{}:{}: {} [{}]", path.display(), d.span.line, d.span.column, d.message, d.code));
        }
    }
    assert!(failures.is_empty(), "valid files rejected:\n{}", failures.join("\n"));
}

#[test]
fn invalid_files_fail_on_the_recorded_line() {
    let (_, cases) = package_cases("invalid", 91);
    let mut failures = Vec::new();
    for Case { path, text, header, .. } in &cases {
        let expected = expected_error_line(path, header);
        let diags = check_source("f.k", text);
        match diags.first() {
            None => failures.push(format!("{}: accepted, expected an error on line {expected}", path.display())),
            Some(d) if d.span.line != expected => failures.push(format!(
                "{}: first error on line {} ({}), expected line {expected}",
                path.display(),
                d.span.line,
                d.message
            )),
            Some(d) => {
                assert!(d.span.column >= 1 && d.span.end_line >= d.span.line, "{}: bad position {d:?}", path.display());
                assert!(!d.code.is_empty() && !d.message.is_empty());
            }
        }
        // Sorted by position.
        let positions: Vec<(u32, u32)> = diags.iter().map(|d| (d.span.line, d.span.column)).collect();
        let mut sorted = positions.clone();
        sorted.sort();
        assert_eq!(positions, sorted, "{}: diagnostics not sorted", path.display());
    }
    assert!(failures.is_empty(), "invalid-file expectations not met:\n{}", failures.join("\n"));
}

fn codes(diags: &[Diagnostic]) -> BTreeSet<String> {
    diags.iter().map(|d| d.code.clone()).collect()
}

/// Diagnostics one a line, for a failure message.
fn listing(diags: &[Diagnostic]) -> String {
    let lines: Vec<String> = diags
        .iter()
        .map(|d| format!("    {}:{}:{} {} {}", d.span.file.display(), d.span.line, d.span.column, d.code, d.message))
        .collect();
    lines.join("\n")
}

/// The codes of a header's findings: the KCL corpus records no lines.
fn expected_codes(case: &str, findings: &[Finding]) -> BTreeSet<String> {
    assert!(findings.iter().all(|f| f.line.is_none()), "{case}: KCL findings are codes, without lines");
    findings.iter().map(|f| f.code.clone()).collect()
}

/// A case of `tests/kcl/<dir>` as `validate` sees it: `name` in the
/// package that folder is.
struct Case {
    path: PathBuf,
    name: String,
    text: String,
    header: Header,
}

/// The cases of `tests/kcl/<dir>` (at least `min` of them), and the
/// sources that read the folder as a package.
fn package_cases(dir: &str, min: usize) -> (FsSources, Vec<Case>) {
    let files = corpus_files(dir);
    assert!(files.len() >= min, "only {} {dir} files", files.len());
    let cases = files
        .into_iter()
        .map(|path| Case {
            name: path.file_name().unwrap().to_string_lossy().to_string(),
            text: std::fs::read_to_string(&path).unwrap(),
            header: Header::read(&path),
            path,
        })
        .collect();
    (FsSources::new(corpus_root().join(dir)), cases)
}

#[test]
fn strict_files_report_the_recorded_codes() {
    let (sources, cases) = package_cases("strict", 26);
    let mut failures = Vec::new();
    for Case { name, text, header, .. } in &cases {
        let (strict, warnings) = header.accepted(name);
        let expected = expected_codes(name, strict);
        // Warnings in both modes (E3006, an unreadable external package).
        let always = expected_codes(name, warnings);
        assert!(check_source(name, text).is_empty(), "{name} has syntax errors");

        let strict = validate(&sources, name, true).unwrap();
        let lax = validate(&sources, name, false).unwrap();
        let got = codes(&strict.errors);
        if got != expected {
            failures.push(format!("{name}: strict codes {got:?}, expected {expected:?}\n{}", listing(&strict.errors)));
            continue;
        }
        if codes(&strict.warnings) != always {
            failures.push(format!("{name}: strict warnings {:?}, expected {always:?}", codes(&strict.warnings)));
        }
        // Without strict the same findings are warnings and the file is valid.
        let lax_expected: BTreeSet<String> = expected.union(&always).cloned().collect();
        if !lax.valid || !lax.errors.is_empty() || codes(&lax.warnings) != lax_expected {
            failures.push(format!("{name}: non-strict report wrong: {lax:?}"));
        }
        if strict.valid != expected.is_empty() {
            failures.push(format!("{name}: strict validity {}", strict.valid));
        }
        assert!(strict.errors.iter().all(|d| d.severity == Severity::Error));
        assert!(lax.warnings.iter().all(|d| d.severity == Severity::Warning));
    }
    assert!(failures.is_empty(), "strict expectations not met:\n{}", failures.join("\n"));
}

/// The valid corpus is idiomatic KCL: strict mode finds nothing in it
/// except where a file says otherwise with `# expect: strict ...`.
#[test]
fn valid_files_are_clean_in_strict_mode() {
    let (sources, cases) = package_cases("valid", 116);
    let mut failures = Vec::new();
    for Case { name, header, .. } in &cases {
        let (strict, warnings) = header.accepted(name);
        assert!(warnings.is_empty(), "{name}: valid files expect no warnings");
        let expected = expected_codes(name, strict);
        let report = validate(&sources, name, true).unwrap();
        if codes(&report.errors) != expected {
            failures.push(format!("{name}:\n{}", listing(&report.errors)));
        }
    }
    assert!(failures.is_empty(), "strict findings in valid files:\n{}", failures.join("\n"));
}

/// Every semantic file is syntactically valid and, judged alone with
/// `strict = true`, rejected with the first error on the line kcl-lib's
/// evaluator reports (`# expect: error line N`, cross-checked against kcl-lib
/// by kcl_exec_differential.rs): every one.
#[test]
fn semantic_files_fail_on_the_recorded_line_in_strict_mode() {
    let (sources, cases) = package_cases("semantic", 166);
    let mut misses = Vec::new();
    for Case { path, name, text, header } in &cases {
        let expected = expected_error_line(path, header);
        let class = header.class.as_deref().unwrap_or_else(|| panic!("{name} lacks `# class: NAME`"));
        let syntax = check_source(name, text);
        assert!(syntax.is_empty(), "{name} has syntax errors: {syntax:?}");
        let report = validate(&sources, name, true).unwrap();
        match report.errors.first() {
            Some(d) if d.span.line == expected => {}
            Some(d) => misses.push(format!(
                "{name} [{class}]: first error on line {} ({} {}), expected line {expected}",
                d.span.line, d.code, d.message
            )),
            None => misses.push(format!("{name} [{class}]: accepted, expected an error on line {expected}")),
        }
    }
    assert!(misses.is_empty(), "semantic files not rejected on the recorded line:\n{}", misses.join("\n"));
}
