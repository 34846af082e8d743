//! The last line of defence against a panic inside the engine. Natively it
//! is caught and reported; in the component a panic aborts, which the host
//! sees as a trap and reports as the component's crash.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use super::codes;
use super::engine::Engine;
use super::report;
use super::types::{Options, Outcome};

impl Engine {
    /// [`Engine::check`], with a panic turned into an internal-error
    /// diagnostic. The engine stays usable: the check's own state is dropped.
    pub fn check_guarded(&mut self, path: &Path, opts: &Options) -> Outcome {
        guarded(|| self.check(path, opts))
    }

    /// [`Engine::typecheck`], guarded likewise.
    pub fn typecheck_guarded(&mut self, path: &Path, opts: &Options) -> Outcome {
        guarded(|| self.typecheck(path, opts))
    }
}

fn guarded(run: impl FnOnce() -> Outcome) -> Outcome {
    // Unwind safety: a check only reads the engine's prepared state and
    // builds its own; nothing half-updated survives a panic.
    match catch_unwind(AssertUnwindSafe(run)) {
        Ok(outcome) => outcome,
        Err(payload) => {
            let detail = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic payload".to_owned());
            Outcome {
                diagnostics: vec![report::plain(
                    codes::INTERNAL_PANIC,
                    "internal error: the Nickel engine panicked".to_owned(),
                    Some(detail),
                )],
                value: None,
            }
        }
    }
}
