//! The model's validation report to the WIT `diagnostics` records. Both
//! components export the interface, each from its own bindings; this file
//! is a module of either, and `super` is the one it is built into.

use super::exports::provisioning::orchestrator::diagnostics as wit;
use crate::model::{Diagnostic, Related, Severity, ValidationReport};

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
    wit::Diagnostic {
        file: d.span.file.to_string_lossy().into_owned(),
        line: d.span.line,
        column: d.span.column,
        end_line: d.span.end_line,
        end_column: d.span.end_column,
        code: d.code,
        message: d.message,
        hint: d.hint,
        severity: match d.severity {
            Severity::Error => wit::Severity::Error,
            Severity::Warning => wit::Severity::Warning,
        },
        source_line: d.span.source_line,
        related: d.related.into_iter().map(related).collect(),
    }
}

fn related(r: Related) -> wit::RelatedSpan {
    wit::RelatedSpan {
        file: r.span.file.to_string_lossy().into_owned(),
        line: r.span.line,
        column: r.span.column,
        end_line: r.span.end_line,
        end_column: r.span.end_column,
        message: r.message,
        source_line: r.span.source_line,
    }
}
