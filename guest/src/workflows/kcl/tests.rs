//! `validate` end to end over in-memory sources: import resolution,
//! severities, error ordering, unreadable files.

use super::{Sources, check_source, validate};
use crate::error::{FileError, FileErrorKind};
use crate::model::{Diagnostic, Severity};
use std::collections::BTreeMap;

/// Files by path relative to the package root.
struct Mem(BTreeMap<&'static str, &'static str>);

impl Sources for Mem {
    fn read(&self, path: &str) -> Result<String, FileError> {
        if path == "secret.k" {
            return Err(FileError::new(path, FileErrorKind::Denied, "access denied"));
        }
        self.0
            .get(path)
            .map(|s| s.to_string())
            .ok_or_else(|| FileError::new(path, FileErrorKind::NotFound, "no such file"))
    }

    fn list_k_files(&self, dir: &str) -> Result<Vec<String>, FileError> {
        let prefix = format!("{dir}/");
        Ok(self
            .0
            .keys()
            .filter(|p| p.starts_with(&prefix) && p.ends_with(".k") && !p[prefix.len()..].contains('/'))
            .map(|p| p.to_string())
            .collect())
    }
}

fn mem(files: &[(&'static str, &'static str)]) -> Mem {
    Mem(files.iter().copied().collect())
}

fn codes(diags: &[Diagnostic]) -> Vec<&str> {
    diags.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn resolves_file_directory_relative_stdlib_and_external_imports() {
    let src = mem(&[
        ("kcl.mod", "[package]\nname = \"wf\"\n[dependencies]\nk8s = \"1.31\"\n"),
        (
            "main.k",
            "import math\nimport k8s.api\nimport models.step\nimport shared\nimport .local\ns = step.Step {id = \"a\"}\nh = shared.Host {}\nv = local.value + math.pi\n",
        ),
        ("models/step.k", "schema Step:\n    id: str\n"),
        ("shared/a.k", "schema Host:\n    name: str = \"h\"\n"),
        ("shared/b.k", "default = Host {}\n"),
        ("local.k", "value = 1\n"),
    ]);
    let report = validate(&src, "main.k", true).unwrap();
    assert!(report.valid, "{report:#?}");
    let files = super::imported_files(&src, "main.k").unwrap();
    assert_eq!(files, ["models/step.k", "shared/a.k", "shared/b.k", "local.k"]);
}

#[test]
fn unresolved_import_is_a_warning_unless_strict() {
    let src = mem(&[("main.k", "import nothing.here\n")]);
    let lax = validate(&src, "main.k", false).unwrap();
    assert!(lax.valid);
    assert_eq!(codes(&lax.warnings), ["E3005"]);
    assert_eq!(lax.warnings[0].severity, Severity::Warning);
    let strict = validate(&src, "main.k", true).unwrap();
    assert!(!strict.valid);
    assert_eq!(codes(&strict.errors), ["E3005"]);
    assert_eq!((strict.errors[0].span.line, strict.errors[0].span.column), (1, 1));
}

#[test]
fn unreadable_import_is_reported_not_fatal() {
    let src = mem(&[("main.k", "import secret\n")]);
    let report = validate(&src, "main.k", true).unwrap();
    assert_eq!(codes(&report.errors), ["E3005"]);
    assert!(report.errors[0].message.contains("access denied"), "{}", report.errors[0].message);
}

#[test]
fn missing_entry_is_an_error_result() {
    let err = validate(&mem(&[]), "main.k", false).unwrap_err();
    assert_eq!(err.kind, FileErrorKind::NotFound);
}

#[test]
fn syntax_errors_in_imports_are_errors_of_that_file_after_the_entry() {
    let src = mem(&[("main.k", "import lib\nx = (\n"), ("lib.k", "a = = 1\n")]);
    let report = validate(&src, "main.k", false).unwrap();
    assert!(!report.valid);
    let files: Vec<&str> = report.errors.iter().map(|d| d.span.file.to_str().unwrap()).collect();
    assert_eq!(files.first(), Some(&"main.k"));
    assert!(files.contains(&"lib.k"));
    // Strict checks are skipped for files with syntax errors.
    assert!(report.warnings.is_empty());
}

#[test]
fn every_syntax_error_is_reported_in_order() {
    let diags = check_source("f.k", "a = (1\nb = [1,\nc = 0X1\nd = \"open\n");
    assert!(diags.len() >= 3, "{diags:#?}");
    let lines: Vec<u32> = diags.iter().map(|d| d.span.line).collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted);
    assert_eq!(diags[0].span.line, 1);
    assert!(diags.iter().any(|d| d.code == "E1004"));
    assert!(diags.iter().any(|d| d.code == "E1002"));
}

#[test]
fn hints_explain_kcl_specific_rules() {
    let else_if = check_source("f.k", "if a:\n    b = 1\nelse if c:\n    b = 2\n");
    assert_eq!(else_if[0].code, "E2003");
    assert!(else_if[0].hint.as_deref().unwrap().contains("elif"));
    let paren = check_source("f.k", "x = (\n    1)\n");
    assert_eq!(paren[0].span.line, 1);
    assert!(paren[0].hint.is_some());
    let prefix = check_source("f.k", "x = 0XFF\n");
    assert!(prefix[0].hint.as_deref().unwrap().contains("lowercase"));
}

#[test]
fn positions_are_one_based_characters() {
    let diags = check_source("f.k", "név = \"é\" ~ 1\n");
    assert_eq!((diags[0].span.line, diags[0].span.column), (1, 11));
    assert_eq!(diags[0].span.source_line, "név = \"é\" ~ 1");
}

#[test]
fn imported_files_are_every_file_reached() {
    let sources = mem(&[
        ("main.k", "import lib.models\nimport .util\nimport math\n\nx = 1\n"),
        ("lib/models.k", "import lib.base\n\ny = 2\n"),
        ("lib/base.k", "z = 3\n"),
        ("util.k", "w = 4\n"),
    ]);
    let files = super::imported_files(&sources, "main.k").unwrap();
    assert_eq!(files, ["lib/models.k", "util.k", "lib/base.k"]);
    assert!(super::imported_files(&sources, "lib/base.k").unwrap().is_empty());
    assert!(super::imported_files(&sources, "nope.k").is_err());
}
