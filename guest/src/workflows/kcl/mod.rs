//! KCL workflow validation, in pure Rust.
//!
//! * [`check_source`]: syntax only, one text in, diagnostics out.
//! * [`validate`]: a workflow file and everything it imports, read through
//!   [`Sources`]; syntax errors plus strict checks (undefined names,
//!   immutable reassignment, schema attributes, unresolved imports,
//!   workflow-graph problems). Strict findings are warnings unless
//!   `strict` is set; an import of an external package, which the
//!   sandbox cannot read, is a warning in both modes. With `strict`, a workflow that passes those checks
//!   is then evaluated ([`eval`]): failed `check:` blocks and asserts,
//!   type errors, conflicting values and runtime errors, as `kcl run`
//!   reports them.
//!
//! Sources are a directory ([`fs_sources`]) or one text ([`text_source`]).
//!
//! The lexer and parser mirror the reference implementation (kcl-lib)
//! closely enough to agree with it on what is valid and on the line of
//! the first error; `tests/kcl/` holds the evidence.

pub mod ast;
pub mod diagnostic;
mod eval;
pub mod fs_sources;
mod imports;
mod lexer;
mod parser;
mod strict;
pub mod text_source;
pub mod token;

#[cfg(test)]
mod tests;

use std::path::Path;

use crate::error::FileError;
use crate::model::{Diagnostic, Role, Severity, ValidationReport};
use diagnostic::{RawDiag, Resolver};
pub use imports::Sources;

/// Syntax-checks one source text. Diagnostics are errors, sorted by
/// position.
pub fn check_source(file: &str, text: &str) -> Vec<Diagnostic> {
    let (_, diags) = parser::parse_text(text);
    Resolver::new(file, text).resolve(diags, Severity::Error)
}

/// Whether a workflow is worth evaluating: it parses, and the strict
/// checks found nothing but workflow-graph findings (KCL itself stops
/// before evaluation on what they find; the graph checks are orch's own).
fn evaluable(files: &imports::Workflow, findings: &[(usize, RawDiag)]) -> bool {
    files.files.iter().all(|f| f.syntax.is_empty()) && findings.iter().all(|(_, d)| d.code.starts_with("E4"))
}

/// The files `entry` imports, directly or through others, relative to the
/// package root, in the order they are first reached; `entry` itself left
/// out. Builtins, external packages and unresolved imports are not files.
///
/// Returns Err only when the entry file itself cannot be read.
pub fn imported_files(sources: &dyn Sources, entry: &str) -> Result<Vec<String>, FileError> {
    let text = sources.read(entry)?;
    let files = imports::load_workflow(sources, entry, text);
    Ok(files.files.into_iter().skip(1).map(|f| f.path).collect())
}

/// Validates the workflow `entry` (a path relative to the package root)
/// and the files it imports.
///
/// Returns Err only when the entry file itself cannot be read; problems
/// in imported files are diagnostics.
pub fn validate(sources: &dyn Sources, entry: &str, strict: bool) -> Result<ValidationReport, FileError> {
    let text = sources.read(entry)?;
    let files = imports::load_workflow(sources, entry, text);
    let severity = if strict { Severity::Error } else { Severity::Warning };
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let findings = strict::check(&files);
    let unchecked = imports::external_imports(&files);
    let evaluated = if strict && evaluable(&files, &findings) { eval::evaluate(&files) } else { Vec::new() };
    for (index, file) in files.files.iter().enumerate() {
        let resolver = Resolver::new(&file.path, &file.text);
        errors.extend(resolver.resolve(file.syntax.clone(), Severity::Error));
        let own: Vec<RawDiag> = findings.iter().filter(|(i, _)| *i == index).map(|(_, d)| d.clone()).collect();
        let resolved = resolver.resolve(own, severity);
        if strict {
            errors.extend(resolved);
        } else {
            warnings.extend(resolved);
        }
        let own: Vec<RawDiag> = unchecked.iter().filter(|(i, _)| *i == index).map(|(_, d)| d.clone()).collect();
        warnings.extend(resolver.resolve(own, Severity::Warning));
    }
    for (index, raw, related) in evaluated {
        let file = &files.files[index];
        let mut diagnostic = Resolver::new(&file.path, &file.text).resolve(vec![raw], Severity::Error).remove(0);
        diagnostic.related = related
            .into_iter()
            .map(|r| {
                let f = &files.files[r.file];
                Resolver::new(&f.path, &f.text).place(r.span.start, r.span.end, r.message)
            })
            .collect();
        errors.push(diagnostic);
    }
    // Paths compare as their bytes (`a.k` before `a/b.k`), not by
    // component as `Path`'s `Ord` would.
    let order = |d: &Diagnostic| {
        (d.span.file != Path::new(entry), d.span.file.as_os_str().to_owned(), d.span.line, d.span.column)
    };
    errors.sort_by_key(order);
    warnings.sort_by_key(order);
    // `validate` is the only KCL check: a library is checked through it too,
    // without `strict`, and the host names the role.
    Ok(ValidationReport::new(entry, Role::Workflow, errors, warnings))
}
