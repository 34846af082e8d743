//! Nickel errors and warnings → our [`Diagnostic`]s, through nickel's own codespan diagnostics
//! (`IntoDiagnostics`), so that messages, labels and notes are exactly what `nickel` prints.

use nickel_lang_core::{
    error::{Diagnostic as CsDiagnostic, Error, IntoDiagnostics, Label, LabelStyle, Warning},
    files::{FileId, Files},
};

use codespan_reporting::diagnostic::Severity as CsSeverity;

use super::{
    codes,
    span::span_of,
    types::{Diagnostic, Related, Severity, Span},
};

/// Converts one nickel error. `files` must be the database of the program that raised it;
/// nickel may add snippets to it (for values without a source position), which is why it is
/// taken mutably — pass a clone if the original must stay untouched.
pub fn error_diagnostics(error: Error, files: &mut Files) -> Vec<Diagnostic> {
    let codes = codes::codes_of(&error);
    let diags = error.into_diagnostics(files);
    convert(diags, files, &codes, Severity::Error)
}

pub fn warning_diagnostics(warning: Warning, files: &mut Files) -> Vec<Diagnostic> {
    let code = codes::warning_code(&warning);
    let diags = warning.into_diagnostics(files);
    convert(diags, files, &[code], Severity::Warning)
}

/// A diagnostic for failures that don't come from nickel itself (I/O before nickel starts, or a
/// caught panic).
pub fn plain(code: &str, message: String, hint: Option<String>) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        code: code.to_owned(),
        message,
        span: None,
        label: None,
        hint,
        related: Vec::new(),
    }
}

/// Groups codespan diagnostics: an error/warning/bug starts a new [`Diagnostic`]; the `note:` and
/// `help:` diagnostics nickel emits after it (call stack, parent contracts, "while matching
/// types") belong to it and are folded into its `related` and `hint`. The i-th top-level
/// diagnostic gets `codes[i]` (or the last code, if nickel produced more than expected).
fn convert(
    diags: Vec<CsDiagnostic<FileId>>,
    files: &Files,
    codes: &[&str],
    default_severity: Severity,
) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    for diag in diags {
        let is_note = matches!(diag.severity, CsSeverity::Note | CsSeverity::Help);
        match out.last_mut() {
            Some(parent) if is_note => fold_note(parent, diag, files),
            _ => {
                let code = codes.get(out.len()).or(codes.last()).copied().unwrap_or("N0000");
                let severity = match diag.severity {
                    CsSeverity::Warning => Severity::Warning,
                    CsSeverity::Error | CsSeverity::Bug => Severity::Error,
                    // A leading note (never seen in practice) stands for its error.
                    CsSeverity::Note | CsSeverity::Help => default_severity,
                };
                out.push(top_level(diag, files, code, severity));
            }
        }
    }
    out
}

fn top_level(diag: CsDiagnostic<FileId>, files: &Files, code: &str, severity: Severity) -> Diagnostic {
    let mut span = None;
    let mut label = None;
    let mut related = Vec::new();
    for l in diag.labels {
        if span.is_none()
            && l.style == LabelStyle::Primary
            && let Some(s) = label_span(&l, files)
        {
            span = Some(s);
            label = non_empty(l.message);
            continue;
        }
        push_related(&mut related, l, files, None);
    }
    Diagnostic {
        severity,
        code: code.to_owned(),
        message: diag.message,
        span,
        label,
        hint: join_lines(diag.notes),
        related,
    }
}

fn fold_note(parent: &mut Diagnostic, note: CsDiagnostic<FileId>, files: &Files) {
    let mut lines: Vec<String> = parent.hint.take().into_iter().collect();
    if !note.message.is_empty() {
        lines.push(format!("note: {}", note.message));
    }
    lines.extend(note.notes);
    parent.hint = join_lines(lines);
    let fallback = non_empty(note.message);
    for l in note.labels {
        push_related(&mut parent.related, l, files, fallback.as_deref());
    }
}

/// A label without text (nickel's call-stack notes put the text on the label, but some notes
/// don't) takes the text of the note it came from, so that `related` messages are never blank
/// when nickel had something to say.
fn push_related(related: &mut Vec<Related>, l: Label<FileId>, files: &Files, fallback: Option<&str>) {
    let Some(span) = label_span(&l, files) else {
        return;
    };
    let message = match (l.message.is_empty(), fallback) {
        (true, Some(f)) => f.to_owned(),
        _ => l.message,
    };
    related.push(Related { span, message });
}

fn label_span(l: &Label<FileId>, files: &Files) -> Option<Span> {
    span_of(files, l.file_id, l.range.clone())
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

fn join_lines(lines: Vec<String>) -> Option<String> {
    (!lines.is_empty()).then(|| lines.join("\n"))
}
