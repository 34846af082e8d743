//! Workflow diagnostics the way a compiler shows them: `file:line:col`, the
//! source line, a caret under the span, the related places (often in
//! another file) and the hint, through annotate-snippets.

use std::io::IsTerminal;
use std::path::Path;

use annotate_snippets::{Level, Renderer, Snippet};
use orch_runtime::model::{Diagnostic, Language, Related, Role, Severity, Span, ValidationReport};
use serde::Serialize;

/// `--format json`: one document for all files, `{valid, errors, warnings,
/// files}`; each diagnostic names its file, and `files` lists each file
/// checked with its `role` (`workflow`, `library`, `manifest`) and verdict.
#[derive(Serialize)]
pub struct Combined<'a> {
    valid: bool,
    errors: Vec<&'a Diagnostic>,
    warnings: Vec<&'a Diagnostic>,
    files: Vec<Checked<'a>>,
}

#[derive(Serialize)]
struct Checked<'a> {
    file: &'a Path,
    role: Role,
    valid: bool,
}

impl<'a> Combined<'a> {
    pub fn of(reports: &'a [ValidationReport]) -> Self {
        Combined {
            valid: reports.iter().all(|r| r.valid),
            errors: reports.iter().flat_map(|r| &r.errors).collect(),
            warnings: reports.iter().flat_map(|r| &r.warnings).collect(),
            files: reports.iter().map(|r| Checked { file: &r.file, role: r.role, valid: r.valid }).collect(),
        }
    }
}

pub fn text(reports: &[ValidationReport], cwd: &Path) -> String {
    let renderer = if std::io::stdout().is_terminal() { Renderer::styled() } else { Renderer::plain() };
    let mut out = String::new();
    for report in reports {
        for d in report.errors.iter().chain(&report.warnings) {
            out.push_str(&render(&renderer, d, cwd));
            out.push_str("\n\n");
        }
    }
    out.push_str(&summary(reports, cwd));
    out
}

fn render(renderer: &Renderer, d: &Diagnostic, cwd: &Path) -> String {
    let level = match d.severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
    };
    let origin = shown(&d.span.file, cwd);
    let primary = range(&d.span);
    let mut message = level.title(&d.message).id(&d.code).snippet(
        Snippet::source(&d.span.source_line)
            .line_start(d.span.line as usize)
            .origin(&origin)
            .annotation(level.span(primary)),
    );
    let related: Vec<(String, &Related)> = d.related.iter().map(|r| (shown(&r.span.file, cwd), r)).collect();
    for (origin, r) in &related {
        message = message.snippet(
            Snippet::source(&r.span.source_line)
                .line_start(r.span.line as usize)
                .origin(origin)
                .annotation(Level::Info.span(range(&r.span)).label(&r.message)),
        );
    }
    if let Some(hint) = &d.hint {
        message = message.footer(Level::Help.title(hint));
    }
    renderer.render(message).to_string()
}

/// The byte range of the span on its first line; a span that runs onto
/// later lines is shown to the end of this one, and an empty span (say, at
/// the end of the file) as one caret.
fn range(span: &Span) -> std::ops::Range<usize> {
    let line = span.source_line.as_str();
    let byte = |column: u32| line.char_indices().nth(column.saturating_sub(1) as usize).map_or(line.len(), |(i, _)| i);
    let start = byte(span.column);
    let end = if span.end_line == span.line { byte(span.end_column) } else { line.len() };
    if end > start {
        start..end
    } else {
        let next = line[start..].chars().next().map_or(0, char::len_utf8);
        start..start + next
    }
}

/// One line per file: its verdict and counts, and for a file not checked
/// as a workflow, its role and how far it was checked; then, when some file
/// was a library or the manifest, a line counting the files of each role.
fn summary(reports: &[ValidationReport], cwd: &Path) -> String {
    let mut out = String::new();
    for r in reports {
        let verdict = if r.valid { "valid" } else { "invalid" };
        let mut notes = Vec::new();
        let nickel = Language::of(&r.file) == Some(Language::Nickel);
        match r.role {
            Role::Workflow => {}
            Role::Library if nickel => notes.push("library: typechecked, not exported".to_string()),
            Role::Library => notes.push("library: checked without --strict".to_string()),
            Role::Manifest => notes.push("manifest: typechecked, not exported".to_string()),
        }
        if !r.errors.is_empty() || !r.warnings.is_empty() {
            notes.push(format!("{}, {}", count(r.errors.len(), "error"), count(r.warnings.len(), "warning")));
        }
        let mut line = format!("{}: {verdict}", shown(&r.file, cwd));
        if !notes.is_empty() {
            line.push_str(&format!(" ({})", notes.join("; ")));
        }
        out.push_str(&line);
        out.push('\n');
    }
    if reports.iter().any(|r| r.role != Role::Workflow) {
        out.push_str(&roles(reports));
        out.push('\n');
    }
    out
}

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// `checked 4 files as workflows, 2 as libraries, 1 as the package manifest`
fn roles(reports: &[ValidationReport]) -> String {
    let of = |role: Role| reports.iter().filter(|r| r.role == role).count();
    let mut line = format!("checked {} as workflows", count(of(Role::Workflow), "file"));
    if of(Role::Library) > 0 {
        line.push_str(&format!(", {} as libraries", of(Role::Library)));
    }
    match of(Role::Manifest) {
        0 => {}
        1 => line.push_str(", 1 as the package manifest"),
        n => line.push_str(&format!(", {n} as package manifests")),
    }
    line
}

/// Paths under the current directory are shown relative to it.
fn shown(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn span(line: &str, column: u32, end_column: u32) -> Span {
        let file = PathBuf::from("/w/flow.k");
        Span { file, line: 3, column, end_line: 3, end_column, source_line: line.into() }
    }

    fn diagnostic(line: &str, column: u32, end_column: u32) -> Diagnostic {
        Diagnostic {
            span: span(line, column, end_column),
            code: "E1001".into(),
            message: "unexpected token".into(),
            hint: Some("remove it".into()),
            severity: Severity::Error,
            related: Vec::new(),
        }
    }

    #[test]
    fn renders_like_a_compiler() {
        let text = render(&Renderer::plain(), &diagnostic("x = é + )", 9, 10), Path::new("/w"));
        assert_eq!(
            text,
            "error[E1001]: unexpected token\n --> flow.k:3:9\n  |\n3 | x = é + )\n  |         ^\n  |\n  = help: remove it"
        );
    }

    #[test]
    fn an_empty_span_at_the_end_is_one_caret() {
        assert_eq!(range(&span("x = (", 6, 6)), 5..5);
        assert_eq!(range(&span("x = (", 5, 5)), 4..5);
    }
}
