//! The WIT `diagnostics` records to the model's validation report, with
//! each file put back on the host.

use std::path::PathBuf;

use crate::bindings::exports::provisioning::orchestrator::diagnostics as wit;
use crate::model::{Diagnostic, Related, Role, Severity, Span, ValidationReport};

/// The report on `file` (as the caller named it), checked in `role`;
/// `host_path` turns a file as the guest names it into the host's.
pub fn validation_report(
    report: wit::ValidationReport,
    file: PathBuf,
    role: Role,
    host_path: impl Fn(&str) -> PathBuf,
) -> ValidationReport {
    let diagnostic = |d: wit::Diagnostic| Diagnostic {
        // The WIT records are flat; the model gathers the place into a span.
        span: Span {
            file: host_path(&d.file),
            line: d.line,
            column: d.column,
            end_line: d.end_line,
            end_column: d.end_column,
            source_line: d.source_line,
        },
        code: d.code,
        message: d.message,
        hint: d.hint,
        severity: match d.severity {
            wit::Severity::Error => Severity::Error,
            wit::Severity::Warning => Severity::Warning,
        },
        related: d
            .related
            .into_iter()
            .map(|r| Related {
                span: Span {
                    file: host_path(&r.file),
                    line: r.line,
                    column: r.column,
                    end_line: r.end_line,
                    end_column: r.end_column,
                    source_line: r.source_line,
                },
                message: r.message,
            })
            .collect(),
    };
    ValidationReport {
        file,
        role,
        valid: report.valid,
        errors: report.errors.into_iter().map(diagnostic).collect(),
        warnings: report.warnings.into_iter().map(diagnostic).collect(),
    }
}
