//! The Nickel corpus (`tests/nickel/`), validated by the Nickel component
//! as `orch validate` does. Each case's `# expect:` header
//! (tests/CORPORA.md) says what Nickel 1.18 makes of it (see
//! tests/nickel/README.md): `valid/` and `strict/` export, `syntax/` and
//! `eval/` fail on the line of `error line N [in lib/FILE]`, and `strict/`
//! cases find the task-graph findings of `strict CODE line N, ...`, each
//! on the line of the operation it names first.

use std::path::{Path, PathBuf};

use orch_runtime::model::ValidationReport;
use orch_runtime::validate::ValidateOptions;
use orch_runtime::{Runtime, RuntimeOptions};
use orch_tests::corpus::{cases, header::Header};
use orch_tests::{cache_dir, workspace};

fn corpus() -> PathBuf {
    workspace().join("tests/nickel")
}

fn runtime() -> Runtime {
    Runtime::new(RuntimeOptions { cache_dir: Some(cache_dir()), ..RuntimeOptions::default() }).unwrap()
}

fn validate(rt: &Runtime, file: &Path, strict: bool) -> ValidationReport {
    rt.validate(file, &ValidateOptions { strict, import_paths: Vec::new() }).unwrap()
}

/// A case's name: `eval/003_wf_parallel_limit_string.ncl`.
fn name(file: &Path) -> String {
    cases::name(&corpus(), file)
}

/// Every case of `sub`, with what is wrong with it, if anything.
fn failures(sub: &str, judge: impl Fn(&Runtime, &Path) -> Option<String>) -> Vec<String> {
    let rt = runtime();
    let files = cases::files(&corpus(), sub, "ncl");
    files.iter().filter_map(|f| judge(&rt, f).map(|why| format!("{}: {why}", f.display()))).collect()
}

fn assert_none(failures: Vec<String>) {
    assert!(failures.is_empty(), "{} cases disagree with their headers:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn valid_files_are_valid() {
    assert_none(failures("valid", |rt, file| {
        let header = Header::read(file);
        let (strict, warnings) = header.accepted(&name(file));
        assert!(strict.is_empty() && warnings.is_empty(), "{}: a valid case expects no findings", name(file));
        let report = validate(rt, file, false);
        (!report.valid)
            .then(|| format!("rejected: {:?}", report.errors.first().map(|d| (&d.code, &d.message, d.span.line))))
    }));
}

#[test]
fn rejected_files_fail_on_their_line() {
    for sub in ["syntax", "eval"] {
        assert_none(failures(sub, |rt, file| {
            let header = Header::read(file);
            let (line, in_file) = header.rejected(&name(file));
            let expected = (in_file.map_or_else(|| file.to_path_buf(), |rel| corpus().join(rel)), line);
            let report = validate(rt, file, false);
            let Some(first) = report.errors.first() else { return Some("accepted".into()) };
            let got = (first.span.file.clone(), first.span.line);
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

/// The header's `strict CODE line N, ...` (or `valid`), sorted.
fn expected_findings(file: &Path) -> Vec<(String, u32)> {
    let header = Header::read(file);
    let (strict, warnings) = header.accepted(&name(file));
    assert!(warnings.is_empty(), "{}: no Nickel finding is a warning in both modes", name(file));
    let mut expected: Vec<(String, u32)> = strict
        .iter()
        .map(|f| {
            let line = f.line.unwrap_or_else(|| panic!("{}: `{}` has no line", name(file), f.code));
            (f.code.clone(), line)
        })
        .collect();
    expected.sort();
    expected
}

fn found_findings(file: &Path, diags: &[orch_runtime::model::Diagnostic]) -> Vec<(String, u32)> {
    let mut found: Vec<(String, u32)> =
        diags.iter().map(|d| (d.code.clone(), if d.span.file == file { d.span.line } else { 0 })).collect();
    found.sort();
    found
}

#[test]
fn strict_cases_find_their_codes_on_their_lines() {
    assert_none(failures("strict", |rt, file| {
        let expected = expected_findings(file);
        let strict = validate(rt, file, true);
        let found = found_findings(file, &strict.errors);
        if found != expected || strict.valid != expected.is_empty() {
            return Some(format!("strict found {found:?}, expected {expected:?} (line 0: another file)"));
        }
        let lenient = validate(rt, file, false);
        let warned = found_findings(file, &lenient.warnings);
        (!lenient.valid || warned != expected)
            .then(|| format!("without --strict: valid {}, warnings {warned:?}", lenient.valid))
    }));
}

/// The lines where the operation `id` is written: `id = "ID"`, else (ids
/// passed to a builder function) wherever the string `"ID"` is.
fn operation_lines(text: &str, id: &str) -> Vec<u32> {
    let lines = |needle: &str| -> Vec<u32> {
        text.lines().enumerate().filter(|(_, l)| l.contains(needle)).map(|(i, _)| i as u32 + 1).collect()
    };
    let defined = lines(&format!("id = \"{id}\""));
    if defined.is_empty() { lines(&format!("\"{id}\"")) } else { defined }
}

/// The operation a finding names first: the duplicate or self-dependent
/// step, the first step of a cycle's path. Unknown dependencies and limits
/// name no operation first (a missing step, a field).
fn named_first(message: &str) -> Option<&str> {
    if let Some(path) = message.strip_prefix("dependency cycle: ") {
        return path.split(" -> ").next();
    }
    let quoted = message.strip_prefix("duplicate step id '").or_else(|| message.strip_prefix("step '"))?;
    quoted.split('\'').next()
}

#[test]
fn strict_findings_are_on_the_line_of_the_operation_they_name_first() {
    let checked = std::cell::Cell::new(0);
    assert_none(failures("strict", |rt, file| {
        let text = std::fs::read_to_string(file).unwrap();
        let mut why = Vec::new();
        for d in &validate(rt, file, true).errors {
            let at = |line: u32, what: &str, id: &str| {
                let lines = operation_lines(&text, id);
                // Ids built by interpolation are written nowhere: the header's line stands.
                if lines.is_empty() && text.contains("%{") {
                    return None;
                }
                checked.set(checked.get() + 1);
                let ok = match d.code.as_str() {
                    // The later of several places (one, when both come from one default).
                    "E4001" if what == "finding" => lines.contains(&line) && (lines.len() == 1 || line != lines[0]),
                    _ => lines.first() == Some(&line),
                };
                (!ok).then(|| format!("{} `{}`: {what} on line {line}, `{id}` is on {lines:?}", d.code, d.message))
            };
            if let Some(id) = named_first(&d.message) {
                why.extend(at(d.span.line, "finding", id));
            }
            for r in &d.related {
                if let Some(id) = r.message.strip_prefix("on step `").and_then(|m| m.strip_suffix('`')) {
                    why.extend(at(r.span.line, "related", id));
                } else if let Some(id) =
                    r.message.strip_prefix('`').and_then(|m| m.strip_suffix("` is first defined here"))
                {
                    why.extend(at(r.span.line, "related", id));
                }
            }
            if d.code == "E4004" {
                // One related place per edge, in path order, each a dependency entry naming the next step.
                let path: Vec<&str> = d.message.trim_start_matches("dependency cycle: ").split(" -> ").collect();
                let edges: Vec<String> =
                    path.windows(2).map(|w| format!("`{}` depends on `{}` here", w[0], w[1])).collect();
                let related: Vec<&str> = d.related.iter().map(|r| r.message.as_str()).collect();
                if related != edges {
                    why.push(format!("cycle `{}`: related {related:?}", d.message));
                }
                for (r, next) in d.related.iter().zip(&path[1..]) {
                    let line = text.lines().nth(r.span.line as usize - 1).unwrap_or("");
                    if r.span.file != file || !line.contains(&format!("\"{next}\"")) {
                        why.push(format!("cycle `{}`: `{}` on line {} ({line:?})", d.message, r.message, r.span.line));
                    }
                }
            }
        }
        (!why.is_empty()).then(|| why.join("; "))
    }));
    assert!(checked.get() >= 40, "only {} places checked", checked.get());
}
