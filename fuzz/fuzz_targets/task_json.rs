//! Fuzzes the task-file and queue-entry parsers: any bytes must give a task
//! or a `FileError` naming the file, never a panic, a stack overflow or a
//! hang; and an error's position must lie within the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orch_guest::error::FileError;
use orch_guest::queue::task_file::{parse_queue_entry, parse_task};

const PATH: &str = "tasks/fuzz.json";

fn check_error(e: &FileError, data: &[u8]) {
    assert_eq!(e.path, PATH);
    assert!(!e.message.is_empty());
    if let Some(p) = e.position {
        let lines = data.split(|&b| b == b'\n').count() as u32;
        assert!(p.line >= 1 && p.line <= lines.max(1), "line {} of {lines}", p.line);
        assert!(p.column >= 1);
    }
}

fuzz_target!(|data: &[u8]| {
    match parse_task(PATH, data) {
        Ok(task) => {
            assert!(!task.status.is_empty());
            assert_eq!(task.status, task.status.to_ascii_lowercase());
        }
        Err(e) => check_error(&e, data),
    }
    if let Err(e) = parse_queue_entry(PATH, data) {
        check_error(&e, data);
    }
});
