//! The WIT `workflows` export: KCL validation over the preopened package
//! directory.

use super::exports::provisioning::orchestrator::diagnostics as wit;
use super::exports::provisioning::orchestrator::types as wit_types;
use super::exports::provisioning::orchestrator::workflows;
use super::{Component, DATA_ROOT, file_error};
use crate::workflows::kcl::fs_sources::FsSources;
use crate::workflows::kcl::{self, Diagnostic, Severity};

impl workflows::Guest for Component {
    fn validate(path: String, strict: bool, max_file_size: u64) -> Result<wit::ValidationReport, wit_types::Error> {
        let sources = FsSources::new(DATA_ROOT).with_max_file_size(max_file_size);
        let report = kcl::validate(&sources, &path, strict).map_err(|e| wit_types::Error::File(file_error(e)))?;
        Ok(wit::ValidationReport {
            valid: report.valid,
            errors: report.errors.into_iter().map(diagnostic).collect(),
            warnings: report.warnings.into_iter().map(diagnostic).collect(),
        })
    }

    fn imports(path: String, max_file_size: u64) -> Result<Vec<String>, wit_types::Error> {
        let sources = FsSources::new(DATA_ROOT).with_max_file_size(max_file_size);
        kcl::imported_files(&sources, &path).map_err(|e| wit_types::Error::File(file_error(e)))
    }
}

fn diagnostic(d: Diagnostic) -> wit::Diagnostic {
    wit::Diagnostic {
        file: d.file,
        line: d.line,
        column: d.column,
        end_line: d.end_line,
        end_column: d.end_column,
        code: d.code,
        message: d.message,
        hint: d.hint,
        severity: match d.severity {
            Severity::Error => wit::Severity::Error,
            Severity::Warning => wit::Severity::Warning,
        },
        source_line: d.source_line,
        related: d
            .related
            .into_iter()
            .map(|r| wit::RelatedSpan {
                file: r.file,
                line: r.line,
                column: r.column,
                end_line: r.end_line,
                end_column: r.end_column,
                message: r.message,
                source_line: r.source_line,
            })
            .collect(),
    }
}
