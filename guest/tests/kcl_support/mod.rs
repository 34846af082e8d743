//! The KCL side of the corpus harness: the corpus's place, KCL's crude
//! tokens and mutants, and the kcl-lib reference. The harness itself (the
//! header format, mutation, scoring with known misses) is shared with the
//! Nickel tests: tests/src/corpus, included here by path so that these
//! tests build without the runtime.
#![allow(dead_code)]

#[path = "../../../tests/src/corpus/mod.rs"]
pub mod corpus;

use corpus::crude_tokens::{self, skip_while};
use corpus::header::Header;
use corpus::mutation::{Draw, Mutant, Mutator, XorShiftStar, is_mutant};
use corpus::score::{KnownMiss, Score, check_known};
use std::path::{Path, PathBuf};

/// `tests/kcl` at the workspace root.
pub fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/kcl")
}

/// The `.k` files directly in `tests/kcl/<dir>`, sorted.
pub fn corpus_files(dir: &str) -> Vec<PathBuf> {
    corpus::cases::files(&corpus_root(), dir, "k")
}

/// A case's name: `invalid/017_unclosed_list_eof.k`.
pub fn case_name(path: &Path) -> String {
    corpus::cases::name(&corpus_root(), path)
}

/// The line of a case's expected first error (`# expect: error line N`);
/// a KCL case's error is in the case itself.
pub fn expected_error_line(path: &Path, header: &Header) -> u32 {
    let name = case_name(path);
    let (line, file) = header.rejected(&name);
    assert!(file.is_none(), "{name}: a KCL case expects its error in itself, not in {file:?}");
    line
}

/// Crude tokens for mutation: identifier/number runs, quoted strings (to
/// the end of the line), newlines, indentation runs, and single
/// punctuation characters. Byte ranges into the text.
pub fn crude_tokens(text: &str) -> Vec<(usize, usize)> {
    let blank = |b: u8| b == b' ' || b == b'\t';
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    crude_tokens::scan(text, |bytes, i| {
        let c = bytes[*i];
        if blank(c) {
            // Indentation is a token; blanks inside a line are not.
            let line_start = *i == 0 || bytes[*i - 1] == b'\n';
            *i = skip_while(bytes, *i, blank);
            return line_start;
        }
        if word(c) {
            *i = skip_while(bytes, *i, word);
        } else if c == b'"' || c == b'\'' {
            *i = skip_while(bytes, *i + 1, |b| b != c && b != b'\n');
            if *i < bytes.len() && bytes[*i] == c {
                *i += 1;
            }
        } else if c == b'#' {
            *i = skip_while(bytes, *i, |b| b != b'\n');
            return false;
        } else {
            *i += 1;
        }
        true
    })
}

/// Replacement tokens for "replace" mutations.
pub const POOL: &[&str] = &[
    "(", ")", "[", "]", "{", "}", ":", "=", ",", ".", "if", "else", "elif", "for", "in", "lambda", "schema", "1",
    "\"s\"", "x", "+", "-", "not", "**", "\n", "    ", "check", "?", "@", "|", "->", "0x", "1Ki", "'''", "$", "\\",
    ";", "!", "and", "import", "None", "...", "*", "+=", "<", ">=", "assert", "rule", "mixin",
];

/// KCL's mutations: its crude tokens, replaced from `POOL`.
pub const MUTATOR: Mutator = Mutator { tokens: crude_tokens, pool: POOL };

/// The texts of the `.k` files in these corpus folders, in order.
pub fn corpus_texts(dirs: &[&str]) -> Vec<String> {
    dirs.iter().flat_map(|dir| corpus_files(dir)).map(|p| std::fs::read_to_string(p).unwrap()).collect()
}

/// One of `seeds`, drawn at random, after up to `times` mutations (a
/// mutation that finds nothing to change is skipped).
pub fn mutated(seeds: &[String], times: usize, rng: &mut XorShiftStar) -> String {
    let mut text = seeds[rng.below(seeds.len())].clone();
    for _ in 0..times {
        if let Some((m, _)) = MUTATOR.mutate(&text, rng) {
            text = m;
        }
    }
    text
}

/// Mutants per valid file, and the seed, of the differential tests
/// (`ORCH_KCL_DIFF_MUTATIONS=<n>` / `ORCH_KCL_DIFF_SEED=<n>` change them).
pub const MUTATIONS_PER_FILE: usize = 8;
pub const MUTATION_SEED: u64 = 0x00DD_C0FF_EE15_BAD5;

/// The seeded single-token mutants of every `valid/` file, written to
/// `dir` as `<stem>__m<n>.k` and named `valid/<stem>.k#m<n>`. The same set
/// for every test that asks.
pub fn valid_mutants(dir: &Path) -> Vec<Mutant> {
    let (seed, per_file) = mutation_knobs();
    let seeds = corpus_files("valid");
    MUTATOR.mutants(&corpus_root(), &seeds, per_file, &mut XorShiftStar(seed), |stem, n| {
        dir.join(format!("{stem}__m{n}.k"))
    })
}

/// The seed and the mutants per file: the defaults, or
/// `ORCH_KCL_DIFF_SEED` and `ORCH_KCL_DIFF_MUTATIONS`.
fn mutation_knobs() -> (u64, usize) {
    let seed = std::env::var("ORCH_KCL_DIFF_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(MUTATION_SEED);
    let per_file =
        std::env::var("ORCH_KCL_DIFF_MUTATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(MUTATIONS_PER_FILE);
    (seed, per_file)
}

/// Fails the test unless the misses of `corpus` and `mutants` are those
/// of `known` (the list `list` names). The lists name the default mutant
/// set: with another one (an exploratory run) only the corpus's misses
/// are checked.
pub fn check_known_misses(corpus: &[&Score], mutants: &Score, known: &[KnownMiss], list: &str) {
    let default = mutation_knobs() == (MUTATION_SEED, MUTATIONS_PER_FILE);
    let mut scores = corpus.to_vec();
    if default {
        scores.push(mutants);
    } else {
        println!("ORCH_KCL_DIFF_SEED / ORCH_KCL_DIFF_MUTATIONS: another mutant set, whose misses are not checked");
    }
    let known: Vec<KnownMiss> = known.iter().filter(|k| default || !is_mutant(k.case)).copied().collect();
    if let Err(e) = check_known(&scores, &known, list) {
        panic!("{e}");
    }
}

/// A differential test's run: the Python with kcl-lib, and where the test
/// writes its generated inputs (a fresh temp dir, or
/// `ORCH_KCL_DIFF_KEEP=<dir>` to keep them for debugging).
pub struct Differential {
    python: String,
    pub dir: PathBuf,
    _temp: tempfile::TempDir,
}

impl Differential {
    /// None when the test is skipped ([`reference_python`]).
    pub fn new() -> Option<Self> {
        let python = reference_python()?;
        let temp = tempfile::tempdir().unwrap();
        let dir =
            std::env::var_os("ORCH_KCL_DIFF_KEEP").map(PathBuf::from).unwrap_or_else(|| temp.path().to_path_buf());
        std::fs::create_dir_all(&dir).unwrap();
        Some(Differential { python, dir, _temp: temp })
    }

    /// Runs `tests/kcl/<script>` once over `paths` (through a list file in
    /// the run's dir) and returns its JSON records, keyed by path.
    pub fn reference(&self, script: &str, paths: &[&Path]) -> std::collections::HashMap<PathBuf, serde_json::Value> {
        let mut command = std::process::Command::new(&self.python);
        command.arg(corpus_root().join(script));
        corpus::oracle::run(command, paths, &self.dir)
    }
}

/// The Python with kcl-lib for the differential tests: `ORCH_KCL_PYTHON`.
/// Without it the test fails; `ORCH_SKIP_KCL_DIFF=1` skips it loudly
/// (None), except under `CI` or `ORCH_REQUIRE_TOOLS`.
fn reference_python() -> Option<String> {
    let required = std::env::var_os("CI").is_some() || std::env::var_os("ORCH_REQUIRE_TOOLS").is_some();
    if !required && std::env::var("ORCH_SKIP_KCL_DIFF").as_deref() == Ok("1") {
        eprintln!(
            "\n!!!!! ORCH_SKIP_KCL_DIFF=1: the KCL differential test is SKIPPED; agreement with kcl-lib is unverified !!!!!\n"
        );
        return None;
    }
    match std::env::var("ORCH_KCL_PYTHON") {
        Ok(p) if Path::new(&p).exists() => Some(p),
        Ok(p) => panic!("ORCH_KCL_PYTHON={p} does not exist; see tests/kcl/README.md to create the venv"),
        Err(_) => panic!(
            "ORCH_KCL_PYTHON is not set: point it at a Python with kcl-lib installed \
             (e.g. .tools/venv/bin/python; see tests/kcl/README.md), or set ORCH_SKIP_KCL_DIFF=1 to skip loudly"
        ),
    }
}

/// Runs `f` on a thread with the stack the component has in release
/// (1 MiB, like wasm); unoptimised debug frames are several times
/// larger, so debug builds get 8 MiB.
#[allow(dead_code)]
pub fn on_component_stack(f: impl FnOnce() + Send + 'static) {
    let stack = if cfg!(debug_assertions) { 8 << 20 } else { 1 << 20 };
    std::thread::Builder::new().stack_size(stack).spawn(f).unwrap().join().unwrap();
}
