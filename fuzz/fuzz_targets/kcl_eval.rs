//! Fuzzes `validate(.., strict = true)`, which evaluates the workflow:
//! any input must end in a report, without panicking, overflowing the
//! stack or hanging, and every finding must be well-formed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orch_guest::workflows::kcl::text_source::TextSource;
use orch_guest::workflows::kcl::validate;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let report = validate(&TextSource::new("fuzz.k", text), "fuzz.k", true).expect("the entry is readable");
    assert_eq!(report.valid, report.errors.is_empty());
    for d in report.errors.iter().chain(&report.warnings) {
        assert!(d.line >= 1 && d.column >= 1, "positions are 1-based: {d:?}");
        assert!(!d.code.is_empty() && !d.message.is_empty());
        for r in &d.related {
            assert!(r.line >= 1 && r.column >= 1, "related positions are 1-based: {r:?}");
        }
    }
});
