//! The WIT `nickel` export: the Nickel engine's own component.

use crate::workflows::nickel::{self, Engine, Finding, Roots};

wit_bindgen::generate!({
    world: "nickel-validator",
    path: "../wit",
});

use exports::provisioning::orchestrator::diagnostics as wit;
use exports::provisioning::orchestrator::nickel as wit_nickel;

/// The package directory's path inside the sandbox; the host preopens it here.
const PACKAGE_ROOT: &str = "/data";

struct Component;

export!(Component);

thread_local! {
    /// The standard library, prepared once per instance (by `prepare`, or
    /// the first `validate`): a host that keeps the instance warm, or starts
    /// it from a snapshot taken after `prepare`, pays for it once.
    static ENGINE: std::cell::RefCell<Engine> = std::cell::RefCell::new(Engine::new());
}

impl wit_nickel::Guest for Component {
    fn prepare() {
        ENGINE.with(|engine| drop(engine.borrow()));
    }

    fn validate(path: String, import_paths: Vec<String>, strict: bool, max_file_size: u64) -> wit::ValidationReport {
        let roots = Roots { package: PACKAGE_ROOT, imports: &import_paths };
        let report =
            ENGINE.with(|engine| nickel::validate(&mut engine.borrow_mut(), &roots, &path, strict, max_file_size));
        wit_report(report)
    }

    fn typecheck(path: String, import_paths: Vec<String>, max_file_size: u64) -> wit::ValidationReport {
        let roots = Roots { package: PACKAGE_ROOT, imports: &import_paths };
        let report = ENGINE.with(|engine| nickel::typecheck(&mut engine.borrow_mut(), &roots, &path, max_file_size));
        wit_report(report)
    }

    fn imports(path: String, import_paths: Vec<String>, max_file_size: u64) -> Vec<String> {
        nickel::imports(&Roots { package: PACKAGE_ROOT, imports: &import_paths }, &path, max_file_size)
    }
}

fn wit_report(report: nickel::Report) -> wit::ValidationReport {
    wit::ValidationReport {
        valid: report.valid,
        errors: report.errors.into_iter().map(diagnostic).collect(),
        warnings: report.warnings.into_iter().map(diagnostic).collect(),
    }
}

fn diagnostic(f: Finding) -> wit::Diagnostic {
    wit::Diagnostic {
        file: f.place.file,
        line: f.place.line,
        column: f.place.column,
        end_line: f.place.end_line,
        end_column: f.place.end_column,
        code: f.code,
        message: f.message,
        hint: f.hint,
        severity: if f.error { wit::Severity::Error } else { wit::Severity::Warning },
        source_line: f.place.source_line,
        related: f
            .related
            .into_iter()
            .map(|(p, message)| wit::RelatedSpan {
                file: p.file,
                line: p.line,
                column: p.column,
                end_line: p.end_line,
                end_column: p.end_column,
                message,
                source_line: p.source_line,
            })
            .collect(),
    }
}
