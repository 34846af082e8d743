//! The WIT `kcl` export: KCL validation over the preopened package
//! directory.

use super::diagnostics::validation_report;
use super::exports::provisioning::orchestrator::diagnostics as wit;
use super::exports::provisioning::orchestrator::kcl as wit_kcl;
use super::exports::provisioning::orchestrator::types as wit_types;
use super::{Component, SANDBOX_ROOT, file_error};
use crate::workflows::kcl;
use crate::workflows::kcl::fs_sources::FsSources;

impl wit_kcl::Guest for Component {
    fn validate(path: String, strict: bool, max_file_size: u64) -> Result<wit::ValidationReport, wit_types::Error> {
        let sources = FsSources::new(SANDBOX_ROOT).with_max_file_size(max_file_size);
        let report = kcl::validate(&sources, &path, strict).map_err(|e| wit_types::Error::File(file_error(e)))?;
        Ok(validation_report(report))
    }

    fn imports(path: String, max_file_size: u64) -> Result<Vec<String>, wit_types::Error> {
        let sources = FsSources::new(SANDBOX_ROOT).with_max_file_size(max_file_size);
        kcl::imported_files(&sources, &path).map_err(|e| wit_types::Error::File(file_error(e)))
    }
}
