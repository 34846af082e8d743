//! The WIT `nickel` export: the Nickel engine's own component.

use crate::workflows::nickel::{self, Engine, Roots};

wit_bindgen::generate!({
    world: "nickel-validator",
    path: "../wit",
});

// The queue's component converts the same records with the same file.
#[path = "diagnostics.rs"]
mod diagnostics;

use diagnostics::validation_report;
use exports::provisioning::orchestrator::diagnostics as wit;
use exports::provisioning::orchestrator::nickel as wit_nickel;

use crate::model::layout::SANDBOX_ROOT;

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
        let roots = Roots { package: SANDBOX_ROOT, imports: &import_paths };
        let report =
            ENGINE.with(|engine| nickel::validate(&mut engine.borrow_mut(), &roots, &path, strict, max_file_size));
        validation_report(report)
    }

    fn typecheck(path: String, import_paths: Vec<String>, max_file_size: u64) -> wit::ValidationReport {
        let roots = Roots { package: SANDBOX_ROOT, imports: &import_paths };
        let report = ENGINE.with(|engine| nickel::typecheck(&mut engine.borrow_mut(), &roots, &path, max_file_size));
        validation_report(report)
    }

    fn imports(path: String, import_paths: Vec<String>, max_file_size: u64) -> Vec<String> {
        nickel::imports(&Roots { package: SANDBOX_ROOT, imports: &import_paths }, &path, max_file_size)
    }
}
