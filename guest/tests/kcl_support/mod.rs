//! Shared helpers for the KCL corpus, differential and smoke tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// `tests/kcl` at the workspace root.
pub fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/kcl")
}

/// The `.k` files directly in `tests/kcl/<dir>`, sorted.
pub fn corpus_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_root().join(dir))
        .unwrap_or_else(|e| panic!("reading tests/kcl/{dir}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "k"))
        .collect();
    files.sort();
    files
}

/// The value of a `# key: value` header line, if present in the first
/// lines of the file.
pub fn header(text: &str, key: &str) -> Option<String> {
    text.lines().take(3).find_map(|line| {
        let rest = line.strip_prefix('#')?.trim();
        let value = rest.strip_prefix(key)?.strip_prefix(':')?;
        Some(value.trim().to_string())
    })
}

/// A small deterministic PRNG (xorshift64*), so mutation sets are stable.
pub struct XorShift(pub u64);

impl XorShift {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Crude tokens for mutation: identifier/number runs, quoted strings (to
/// the end of the line), newlines, indentation runs, and single
/// punctuation characters. Byte ranges into the text.
pub fn crude_tokens(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c == b' ' || c == b'\t' {
            let line_start = i == 0 || bytes[i - 1] == b'\n';
            while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
                i += 1;
            }
            if line_start {
                out.push((start, i));
            }
            continue;
        }
        if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] >= 0x80) {
                i += 1;
            }
        } else if c == b'"' || c == b'\'' {
            i += 1;
            while i < bytes.len() && bytes[i] != c && bytes[i] != b'\n' {
                i += 1;
            }
            if i < bytes.len() && bytes[i] == c {
                i += 1;
            }
        } else if c == b'#' {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        } else {
            i += 1;
        }
        out.push((start, i));
    }
    out
}

/// Replacement tokens for "replace" mutations.
pub const POOL: &[&str] = &[
    "(", ")", "[", "]", "{", "}", ":", "=", ",", ".", "if", "else", "elif", "for", "in", "lambda", "schema", "1",
    "\"s\"", "x", "+", "-", "not", "**", "\n", "    ", "check", "?", "@", "|", "->", "0x", "1Ki", "'''", "$", "\\",
    ";", "!", "and", "import", "None", "...", "*", "+=", "<", ">=", "assert", "rule", "mixin",
];

/// One seeded single-token mutation of `text`, with a label.
pub fn mutate(text: &str, rng: &mut XorShift) -> Option<(String, String)> {
    let toks = crude_tokens(text);
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
            let swapped =
                format!("{}{}{}{}{}", &text[..a.0], &text[b.0..b.1], &text[a.1..b.0], &text[a.0..a.1], &text[b.1..]);
            (swapped, format!("swap {:?} and {:?} at {}", &text[a.0..a.1], &text[b.0..b.1], a.0))
        }
        _ => {
            let with = POOL[rng.below(POOL.len())];
            (format!("{}{}{}", &text[..s], with, &text[e..]), format!("replace {piece:?} at {s} with {with:?}"))
        }
    })
}
