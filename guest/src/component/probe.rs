//! The test-only `probe` export: each function attempts one thing the
//! sandbox must refuse, and reports what happened instead of judging it.

use std::io::{Read, Write};

use super::Component;
use super::exports::provisioning::orchestrator::probe::Guest;

impl Guest for Component {
    fn read_file(path: String) -> Result<u64, String> {
        std::fs::read(&path).map(|b| b.len() as u64).map_err(|e| e.to_string())
    }

    fn write_file(path: String, contents: String) -> Result<(), String> {
        std::fs::write(&path, contents).map_err(|e| e.to_string())
    }

    fn list_dir(path: String) -> Result<Vec<String>, String> {
        let entries = std::fs::read_dir(&path).map_err(|e| e.to_string())?;
        let mut names: Vec<String> =
            entries.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        Ok(names)
    }

    fn environment() -> Vec<(String, String)> {
        std::env::vars().collect()
    }

    fn arguments() -> Vec<String> {
        std::env::args().collect()
    }

    fn read_stdin() -> Result<String, String> {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map(|_| text).map_err(|e| e.to_string())
    }

    fn clocks() -> (u64, u64) {
        let wall = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let start = std::time::Instant::now();
        let monotonic = start.elapsed().as_nanos() as u64;
        (wall, monotonic)
    }

    fn connect(address: String) -> Result<(), String> {
        std::net::TcpStream::connect(address.as_str()).map(drop).map_err(|e| e.to_string())
    }

    fn print(stdout: String, stderr: String) {
        let _ = std::io::stdout().write_all(stdout.as_bytes());
        let _ = std::io::stdout().flush();
        let _ = std::io::stderr().write_all(stderr.as_bytes());
    }

    fn allocate(bytes: u64) -> u64 {
        let mut block = vec![0u8; bytes as usize];
        // Touch every page so the memory is really committed.
        for i in (0..block.len()).step_by(4096) {
            block[i] = 1;
        }
        std::hint::black_box(&block);
        block.len() as u64
    }

    #[allow(clippy::empty_loop)]
    fn spin() {
        let mut n: u64 = 0;
        loop {
            n = std::hint::black_box(n.wrapping_add(1));
        }
    }

    fn crash(message: String) {
        panic!("{message}");
    }
}
