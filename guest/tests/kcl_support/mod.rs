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

/// Mutants per valid file, and the seed, of the differential tests
/// (`ORCH_KCL_DIFF_MUTATIONS=<n>` / `ORCH_KCL_DIFF_SEED=<n>` change them).
pub const MUTATIONS_PER_FILE: usize = 8;
pub const MUTATION_SEED: u64 = 0x00DD_C0FF_EE15_BAD5;

/// One generated input: where it was written, what it is, its text.
pub struct Mutant {
    pub path: PathBuf,
    pub label: String,
    pub text: String,
}

/// The seeded single-token mutants of every `valid/` file, written to
/// `dir` as `<stem>__m<n>.k`. The same set for every test that asks.
pub fn valid_mutants(dir: &Path) -> Vec<Mutant> {
    let seed = std::env::var("ORCH_KCL_DIFF_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(MUTATION_SEED);
    let per_file =
        std::env::var("ORCH_KCL_DIFF_MUTATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(MUTATIONS_PER_FILE);
    let mut rng = XorShift(seed);
    let mut mutants = Vec::new();
    for path in corpus_files("valid") {
        let text = std::fs::read_to_string(&path).unwrap();
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        for n in 0..per_file {
            let Some((mutated, how)) = mutate(&text, &mut rng) else { continue };
            let out = dir.join(format!("{stem}__m{n}.k"));
            std::fs::write(&out, &mutated).unwrap();
            mutants.push(Mutant { path: out, label: format!("mutation of valid/{stem}.k: {how}"), text: mutated });
        }
    }
    mutants
}

/// Where a differential test writes its generated inputs: a fresh temp
/// dir, or `ORCH_KCL_DIFF_KEEP=<dir>` to keep them for debugging. Keep
/// the returned guard alive while the directory is used.
pub fn scratch_dir() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let dir = std::env::var_os("ORCH_KCL_DIFF_KEEP").map(PathBuf::from).unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&dir).unwrap();
    (temp, dir)
}

/// The Python with kcl-lib for the differential tests: `ORCH_KCL_PYTHON`.
/// Without it the test fails; `ORCH_SKIP_KCL_DIFF=1` skips it loudly
/// (None), except under `CI` or `ORCH_REQUIRE_TOOLS`.
pub fn reference_python() -> Option<String> {
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

/// Runs `tests/kcl/<script>` once over `paths` (through a list file in
/// `dir`) and returns its JSON records, keyed by path.
pub fn run_reference(
    python: &str,
    script: &str,
    paths: &[&Path],
    dir: &Path,
) -> std::collections::HashMap<PathBuf, serde_json::Value> {
    let list = dir.join(format!("{script}.paths.txt"));
    let lines: Vec<String> = paths.iter().map(|p| p.to_string_lossy().to_string()).collect();
    std::fs::write(&list, lines.join("\n")).unwrap();
    let script_path = corpus_root().join(script);
    let output = std::process::Command::new(python)
        .arg(&script_path)
        .arg(format!("@{}", list.display()))
        .output()
        .unwrap_or_else(|e| panic!("running {python} {}: {e}", script_path.display()));
    assert!(
        output.status.success(),
        "{script} failed: {}\n(is kcl-lib installed in {python}? see tests/kcl/README.md)",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut records = std::collections::HashMap::new();
    for line in String::from_utf8(output.stdout).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        records.insert(PathBuf::from(v["path"].as_str().unwrap()), v);
    }
    records
}

/// Runs `f` on a thread with the stack the component has in release
/// (1 MiB, like wasm); unoptimised debug frames are several times
/// larger, so debug builds get 8 MiB.
#[allow(dead_code)]
pub fn on_component_stack(f: impl FnOnce() + Send + 'static) {
    let stack = if cfg!(debug_assertions) { 8 << 20 } else { 1 << 20 };
    std::thread::Builder::new().stack_size(stack).spawn(f).unwrap().join().unwrap();
}
