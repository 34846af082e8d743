//! Fuzzes the `status.json` parser: any bytes must give a status or a
//! `FileError` naming the file, never a panic, a stack overflow or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orch_guest::queue::status_file::parse_status;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = parse_status("status.json", data) {
        assert_eq!(e.path, "status.json");
        assert!(!e.message.is_empty());
        if let Some(p) = e.position {
            assert!(p.line >= 1 && p.column >= 1);
        }
    }
});
