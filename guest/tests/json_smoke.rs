//! A fuzz smoke run that needs no nightly: thousands of deterministic
//! random and mutated inputs through the task, queue-entry and status
//! parsers, which must answer every one with a value or an error naming the
//! file, never a panic. The real fuzzing (coverage-guided, open-ended) is
//! `cargo +nightly fuzz run task_json` / `status_json` in fuzz/; see SECURITY.md.

use std::path::Path;

use orch_guest::error::FileError;
use orch_guest::queue::status_file::parse_status;
use orch_guest::queue::task_file::{parse_queue_entry, parse_task};

/// Inputs per seed file and per strategy; the total is printed.
const ROUNDS: usize = 300;

/// xorshift64*: deterministic, so a failure reproduces from its round number.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Fragments that steer mutations towards interesting JSON.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "\\u0000",
    "\\ud800",
    "null",
    "true",
    "-1",
    "1e999",
    "18446744073709551616",
    "-9223372036854775809",
    "\"status\"",
    "\"id\"",
    "\"created_at\"",
    "\"2025-10-08T12:00:00Z\"",
    "\"2025-13-40T25:61:61Z\"",
    "\"priority\"",
    "\"args\"",
    "é",
    "\u{feff}",
    "\n",
    "\0",
];

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut data = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(data.len() + 1);
        match rng.below(5) {
            0 if !data.is_empty() => {
                let i = at.min(data.len() - 1);
                data[i] = rng.next() as u8;
            }
            1 => data.splice(at..at, TOKENS[rng.below(TOKENS.len())].bytes()).for_each(drop),
            2 => data.truncate(at),
            3 if at < data.len() => {
                let end = (at + rng.below(16)).min(data.len());
                data.drain(at..end);
            }
            _ => {
                let depth = 1 + rng.below(2_000);
                let open = if rng.below(2) == 0 { "[" } else { "{\"a\":" };
                data.splice(at..at, open.repeat(depth).bytes()).for_each(drop);
            }
        }
    }
    data
}

fn check(path: &str, data: &[u8], result: Result<(), FileError>) {
    if let Err(e) = result {
        assert_eq!(e.path, std::path::Path::new(path), "input {:?}", String::from_utf8_lossy(data));
        assert!(!e.message.is_empty());
        if let Some(p) = e.position {
            assert!(p.line >= 1 && p.column >= 1, "{e}");
        }
    }
}

fn feed(data: &[u8]) {
    check("tasks/t.json", data, parse_task("tasks/t.json", data).map(|t| assert!(!t.status.is_empty())));
    check("queue/q.json", data, parse_queue_entry("queue/q.json", data).map(drop));
    check("status.json", data, parse_status("status.json", data).map(drop));
}

/// Every task, queue entry and status file of examples/data.
fn seeds() -> Vec<Vec<u8>> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/data");
    let mut seeds = vec![std::fs::read(data.join("status.json")).unwrap()];
    for dir in ["tasks", "queue.rkvs/tasks", "queue.rkvs/queue"] {
        let mut files: Vec<_> = std::fs::read_dir(data.join(dir)).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        seeds.extend(files.iter().map(|f| std::fs::read(f).unwrap()));
    }
    seeds
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..ROUNDS * 4 {
        let len = rng.below(512);
        let data: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        feed(&data);
    }
}

#[test]
fn mutated_fixture_files_never_panic() {
    let mut rng = Rng(0x0bad_5eed_dead_beef);
    let seeds = seeds();
    assert!(seeds.len() > 30, "examples/data has {} files", seeds.len());
    let mut inputs = 0;
    for seed in &seeds {
        feed(seed);
        for _ in 0..ROUNDS / 10 {
            feed(&mutate(&mut rng, seed));
            inputs += 1;
        }
    }
    // Then mutations of mutations, which wander further from valid JSON.
    for round in 0..ROUNDS * 4 {
        let mut data = seeds[round % seeds.len()].clone();
        for _ in 0..1 + rng.below(8) {
            data = mutate(&mut rng, &data);
        }
        feed(&data);
        inputs += 1;
    }
    eprintln!("json_smoke: {} mutated inputs, each through 3 parsers", inputs);
}
