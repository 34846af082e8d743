//! The model's validation report to the WIT `diagnostics` records. Both
//! components export the interface, each from its own bindings; this file
//! is a module of either, and `super` is the one it is built into.

use super::exports::provisioning::orchestrator::diagnostics as wit;
use crate::model::{Diagnostic, Severity, Span, ValidationReport};

/// The WIT report carries only the verdict and the findings: the host
/// knows which file it asked about, and in which role.
pub fn validation_report(report: ValidationReport) -> wit::ValidationReport {
    wit::ValidationReport {
        valid: report.valid,
        errors: report.errors.into_iter().map(diagnostic).collect(),
        warnings: report.warnings.into_iter().map(diagnostic).collect(),
    }
}

fn diagnostic(d: Diagnostic) -> wit::Diagnostic {
    // The WIT records are flat: the span converts as a related span's does,
    // and the diagnostic takes its fields.
    let wit::RelatedSpan { file, line, column, end_line, end_column, source_line, .. } =
        related_span(d.span, String::new());
    wit::Diagnostic {
        file,
        line,
        column,
        end_line,
        end_column,
        code: d.code,
        message: d.message,
        hint: d.hint,
        severity: match d.severity {
            Severity::Error => wit::Severity::Error,
            Severity::Warning => wit::Severity::Warning,
        },
        source_line,
        related: d.related.into_iter().map(|r| related_span(r.span, r.message)).collect(),
    }
}

fn related_span(span: Span, message: String) -> wit::RelatedSpan {
    wit::RelatedSpan {
        file: span.file.to_string_lossy().into_owned(),
        line: span.line,
        column: span.column,
        end_line: span.end_line,
        end_column: span.end_column,
        message,
        source_line: span.source_line,
    }
}
