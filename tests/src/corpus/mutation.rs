//! Seeded single-token mutants of a corpus's valid files: one token
//! deleted, duplicated, swapped with the next, or replaced from a pool.
//!
//! A mutant is named after its seed file and its index among that file's
//! mutants (`valid/087_protocol_mixin_ok.k#m3`), and written to a path of
//! the caller's choosing. The set is a function of the seed files (in
//! order), the generator's seed and the count per file: one generator
//! runs through all files, so a new valid file renames the mutants of the
//! files after it, and a known-miss list then says which names to update.

use std::path::{Path, PathBuf};

use super::cases;

/// A source of draws below a bound.
pub trait Draw {
    /// A number in `0..n` (`0` when `n` is 0).
    fn below(&mut self, n: usize) -> usize;
}

/// xorshift64*: the KCL corpus's generator.
pub struct XorShiftStar(pub u64);

impl XorShiftStar {
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

impl Draw for XorShiftStar {
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// xorshift64 (13, 7, 17): the Nickel corpus's generator.
pub struct XorShift(pub u64);

impl Draw for XorShift {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// How to mutate one language: its crude tokens (byte ranges) and the
/// tokens a replacement is drawn from.
pub struct Mutator {
    pub tokens: fn(&str) -> Vec<(usize, usize)>,
    pub pool: &'static [&'static str],
}

/// Whether a case name is a mutant's.
pub fn is_mutant(name: &str) -> bool {
    name.rsplit_once("#m").is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// One generated input.
pub struct Mutant {
    /// `<seed case>#m<index>`.
    pub name: String,
    pub path: PathBuf,
    /// What was done, for reports: `delete "=" at 113`.
    pub how: String,
    pub text: String,
}

impl Mutator {
    /// One mutation of `text` and what it did; `None` for a text of fewer
    /// than two tokens.
    pub fn mutate(&self, text: &str, rng: &mut impl Draw) -> Option<(String, String)> {
        let toks = (self.tokens)(text);
        if toks.len() < 2 {
            return None;
        }
        let i = rng.below(toks.len());
        let (s, e) = toks[i];
        let piece = &text[s..e];
        Some(match rng.below(4) {
            0 => (format!("{}{}", &text[..s], &text[e..]), format!("delete {piece:?} at {s}")),
            1 => (format!("{}{}{}", &text[..e], piece, &text[e..]), format!("duplicate {piece:?} at {s}")),
            2 => {
                let j = if i + 1 < toks.len() { i + 1 } else { i - 1 };
                let (a, b) = if i < j { (toks[i], toks[j]) } else { (toks[j], toks[i]) };
                let (first, second) = (&text[a.0..a.1], &text[b.0..b.1]);
                let swapped = format!("{}{second}{}{first}{}", &text[..a.0], &text[a.1..b.0], &text[b.1..]);
                (swapped, format!("swap {first:?} and {second:?} at {}", a.0))
            }
            _ => {
                let with = self.pool[rng.below(self.pool.len())];
                (format!("{}{with}{}", &text[..s], &text[e..]), format!("replace {piece:?} at {s} with {with:?}"))
            }
        })
    }

    /// `per_file` mutants of each of `seeds` (cases under `root`), in
    /// order, each written to `out(seed stem, index)`.
    pub fn mutants(
        &self,
        root: &Path,
        seeds: &[PathBuf],
        per_file: usize,
        rng: &mut impl Draw,
        out: impl Fn(&str, usize) -> PathBuf,
    ) -> Vec<Mutant> {
        let mut mutants = Vec::new();
        for seed in seeds {
            let text = std::fs::read_to_string(seed).unwrap_or_else(|e| panic!("{}: {e}", seed.display()));
            let stem = seed.file_stem().unwrap().to_string_lossy();
            let seed_name = cases::name(root, seed);
            for n in 0..per_file {
                let Some((mutated, how)) = self.mutate(&text, rng) else { continue };
                let path = out(&stem, n);
                std::fs::write(&path, &mutated).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                mutants.push(Mutant { name: format!("{seed_name}#m{n}"), path, how, text: mutated });
            }
        }
        mutants
    }
}
