//! Fuzzes the Nickel entry point (`orch_guest::workflows::nickel::validate`):
//! any input, valid UTF-8 or not, must give a verdict without panicking, and
//! every finding must be well-formed.
#![no_main]

use std::cell::RefCell;

use libfuzzer_sys::fuzz_target;
use orch_guest::workflows::nickel::{Engine, Roots, validate};

thread_local! {
    static ENGINE: RefCell<Engine> = RefCell::new(Engine::new());
    static DIR: tempfile::TempDir = tempfile::tempdir().unwrap();
}

fuzz_target!(|data: &[u8]| {
    DIR.with(|dir| {
        std::fs::write(dir.path().join("fuzz.ncl"), data).unwrap();
        let package = dir.path().to_str().unwrap();
        let roots = Roots { package, imports: &[] };
        let report = ENGINE.with(|engine| validate(&mut engine.borrow_mut(), &roots, "fuzz.ncl", true, 1 << 20));
        assert_eq!(report.valid, report.errors.is_empty());
        for f in report.errors.iter().chain(&report.warnings) {
            assert!(f.span.line >= 1 && f.span.column >= 1, "positions are 1-based: {f:?}");
            assert!(!f.code.is_empty() && !f.message.is_empty(), "{f:?}");
        }
    });
});
