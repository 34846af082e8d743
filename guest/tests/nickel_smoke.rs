//! The fuzz target's check without nightly (`fuzz/fuzz_targets/nickel_validate.rs`):
//! random bytes and mutated corpus files through the Nickel entry point,
//! natively. Every input gets a verdict without a panic, and every finding
//! is well-formed.

use std::path::Path;

use orch_guest::model::ValidationReport;
use orch_guest::workflows::nickel::{Engine, Roots, validate};

struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn well_formed(report: &ValidationReport, input: &str) {
    assert_eq!(report.valid, report.errors.is_empty(), "{input:?}");
    for f in report.errors.iter().chain(&report.warnings) {
        assert!(f.span.line >= 1 && f.span.column >= 1, "positions are 1-based: {f:?} for {input:?}");
        assert!(!f.code.is_empty() && !f.message.is_empty(), "{f:?} for {input:?}");
    }
}

#[test]
fn random_and_mutated_inputs_get_a_well_formed_verdict() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/nickel/valid");
    let mut seeds: Vec<String> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ncl"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    seeds.sort();
    let dir = tempfile::tempdir().unwrap();
    let package = dir.path().to_str().unwrap();
    let roots = Roots { package, imports: &[] };
    let mut engine = Engine::new();
    let mut rng = XorShift(0x00F0_22ED_0001_4C6E);
    let soup =
        ["{", "}", "[", "]", "=", ",", "let", "in", "fun", "=>", "|", "&", "\"s\"", "1", "'A", "x", ".", "%{", "m%\""];
    for round in 0..400 {
        let input = if round % 4 == 0 {
            (0..rng.below(40)).map(|_| soup[rng.below(soup.len())]).collect::<Vec<_>>().join(" ")
        } else {
            let mut text = seeds[rng.below(seeds.len())].clone().into_bytes();
            for _ in 0..=(round % 3) {
                if text.is_empty() {
                    break;
                }
                let at = rng.below(text.len());
                match rng.below(3) {
                    0 => drop(text.remove(at)),
                    1 => text.insert(at, b"{}[]=,|&\"'%"[rng.below(11)]),
                    _ => text[at] = b"{}[]=,|&\"'%"[rng.below(11)],
                }
            }
            String::from_utf8_lossy(&text).into_owned()
        };
        std::fs::write(dir.path().join("m.ncl"), &input).unwrap();
        well_formed(&validate(&mut engine, &roots, "m.ncl", true, 1 << 20), &input);
    }
}
