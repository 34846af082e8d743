//! Fuzzes the KCL lexer and parser: any input, valid UTF-8 or not, must
//! produce diagnostics without panicking, overflowing the stack or
//! hanging, and diagnostics must be well-formed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orch_guest::workflows::kcl::check_source;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let diags = check_source("fuzz.k", &text);
    let mut previous = (0, 0);
    for d in &diags {
        assert!(d.line >= 1 && d.column >= 1, "positions are 1-based: {d:?}");
        assert!((d.end_line, d.end_column) >= (d.line, d.column), "end before start: {d:?}");
        assert!((d.line, d.column) >= previous, "diagnostics are sorted");
        previous = (d.line, d.column);
        assert!(!d.code.is_empty() && !d.message.is_empty());
    }
});
