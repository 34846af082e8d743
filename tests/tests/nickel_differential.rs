//! Differential test: the Nickel component against the official Nickel
//! 1.18 (PyPI `py-nickel`, driven by `tests/nickel/nickel_reference.py`).
//!
//! Inputs: the whole corpus, plus seeded single-token mutants of every
//! valid file (deleted, duplicated, swapped or replaced tokens), written
//! beside a copy of the corpus's `lib/` so that their imports resolve.
//! Both judge every input; the test prints the agreement and every
//! disagreement, and requires ≥ 99.5 % agreement on the verdict and
//! ≥ 98 % on the first error's file and line, over inputs both reject.
//!
//! Needs `ORCH_PYTHON` (the tools venv, with py-nickel; scripts/test.sh
//! sets it). Without it the test fails under `ORCH_REQUIRE_TOOLS` or CI.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use orch_runtime::validate::ValidateOptions;
use orch_runtime::{Runtime, RuntimeOptions};
use orch_tests::{cache_dir, external_tool, workspace};

const MUTANTS_PER_FILE: usize = 5;
const SEED: u64 = 0x005E_ED0F_41C6_1E18;

/// What either side makes of one file: `None` accepted, else the first
/// error's file and line.
type Verdict = Option<(PathBuf, u32)>;

#[test]
#[cfg_attr(not(has_python), ignore = "needs Python: $ORCH_PYTHON is not set (scripts/test.sh sets it)")]
fn verdicts_agree_with_nickel_1_18() {
    let python = external_tool("ORCH_PYTHON");
    let root = workspace().join("tests/nickel");
    let scratch = tempfile::tempdir().unwrap();
    let cases = cases(&root, scratch.path());

    let theirs = oracle(&python, &root, scratch.path(), &cases);
    let rt = Runtime::new(RuntimeOptions { cache_dir: Some(cache_dir()), ..RuntimeOptions::default() }).unwrap();
    let options = ValidateOptions::default();
    let mut verdict_agree = 0;
    let mut both_reject = 0;
    let mut line_agree = 0;
    let mut disagreements = Vec::new();
    for case in &cases {
        let report = rt.validate(case, &options).unwrap();
        let ours: Verdict = report.errors.first().map(|d| (d.span.file.clone(), d.span.line));
        let official = &theirs[case];
        let show = |v: &Verdict| v.as_ref().map_or("accepted".to_string(), |(f, l)| format!("{}:{l}", f.display()));
        if ours.is_some() == official.is_some() {
            verdict_agree += 1;
        }
        if ours.is_some() && official.is_some() {
            both_reject += 1;
            if ours == *official {
                line_agree += 1;
            }
        }
        if ours != *official {
            let message = report.errors.first().map_or(String::new(), |d| format!(" [{}: {}]", d.code, d.message));
            disagreements.push(format!("{}: ours {}{message}, nickel {}", case.display(), show(&ours), show(official)));
        }
    }
    let pct = |n: usize, of: usize| 100.0 * n as f64 / of.max(1) as f64;
    let verdicts = pct(verdict_agree, cases.len());
    let lines = pct(line_agree, both_reject);
    eprintln!(
        "nickel differential: {} inputs; verdicts agree on {verdict_agree} ({verdicts:.2} %); \
         first error agrees on {line_agree} of {both_reject} both reject ({lines:.2} %)",
        cases.len()
    );
    for d in &disagreements {
        eprintln!("  {d}");
    }
    assert!(cases.len() > 500, "too few inputs: {}", cases.len());
    assert!(verdicts >= 99.5, "verdict agreement {verdicts:.2} % < 99.5 %");
    assert!(lines >= 98.0, "first-error agreement {lines:.2} % < 98 %");
}

/// The corpus's cases where they are, and the mutants in `scratch`, which
/// holds a copy of `lib/` and the manifest so their imports resolve alike.
fn cases(root: &Path, scratch: &Path) -> Vec<PathBuf> {
    std::fs::create_dir_all(scratch.join("lib")).unwrap();
    std::fs::create_dir_all(scratch.join("mutants")).unwrap();
    for entry in std::fs::read_dir(root.join("lib")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, scratch.join("lib").join(path.file_name().unwrap())).unwrap();
    }
    std::fs::copy(root.join("Nickel-pkg.ncl"), scratch.join("Nickel-pkg.ncl")).unwrap();
    let mut cases = Vec::new();
    let mut rng = XorShift(SEED);
    for sub in ["valid", "syntax", "eval", "strict"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(sub))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "ncl"))
            .collect();
        files.sort();
        for file in files {
            if sub == "valid" {
                let text = std::fs::read_to_string(&file).unwrap();
                let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
                for k in 0..MUTANTS_PER_FILE {
                    let Some(mutant) = mutate(&text, &mut rng) else { continue };
                    let path = scratch.join("mutants").join(format!("{stem}.m{k}.ncl"));
                    std::fs::write(&path, mutant).unwrap();
                    cases.push(path);
                }
            }
            cases.push(file);
        }
    }
    cases
}

/// The official verdicts, one process for all files.
fn oracle(python: &Path, root: &Path, scratch: &Path, cases: &[PathBuf]) -> HashMap<PathBuf, Verdict> {
    let list = scratch.join("cases.txt");
    let text: Vec<String> = cases.iter().map(|c| c.display().to_string()).collect();
    std::fs::write(&list, text.join("\n")).unwrap();
    let out = Command::new(python)
        .arg(root.join("nickel_reference.py"))
        .arg(format!("@{}", list.display()))
        .current_dir(scratch)
        .env_remove("NICKEL_IMPORT_PATH")
        .output()
        .expect("run tests/nickel/nickel_reference.py");
    assert!(out.status.success(), "nickel_reference.py failed: {}", String::from_utf8_lossy(&out.stderr));
    let mut verdicts = HashMap::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let path = PathBuf::from(v["path"].as_str().unwrap());
        let verdict = (!v["ok"].as_bool().unwrap()).then(|| {
            let file = v["first_error_file"].as_str().map_or(path.clone(), |f| scratch.join(f));
            (file, v["first_error_line"].as_u64().unwrap_or(0) as u32)
        });
        verdicts.insert(path, verdict);
    }
    assert_eq!(verdicts.len(), cases.len(), "the oracle judged {} of {} files", verdicts.len(), cases.len());
    verdicts
}

/// Replacement tokens: the punctuation and keywords a slip of the hand
/// most often leaves behind.
const POOL: &[&str] = &[
    "=", ",", ";", "{", "}", "[", "]", "(", ")", "|", "&", "in", "let", "fun", "=>", "\"x\"", "1", "null", "'A",
    "Number", "String", ".", ":", "..", "++", "if", "then", "else", "match",
];

fn mutate(text: &str, rng: &mut XorShift) -> Option<String> {
    let toks = tokens(text);
    if toks.len() < 2 {
        return None;
    }
    let i = rng.below(toks.len());
    let (s, e) = toks[i];
    Some(match rng.below(4) {
        0 => format!("{}{}", &text[..s], &text[e..]),
        1 => format!("{}{}{}", &text[..e], &text[s..e], &text[e..]),
        2 => {
            let j = if i + 1 < toks.len() { i + 1 } else { i - 1 };
            let (a, b) = if i < j { (toks[i], toks[j]) } else { (toks[j], toks[i]) };
            format!("{}{}{}{}{}", &text[..a.0], &text[b.0..b.1], &text[a.1..b.0], &text[a.0..a.1], &text[b.1..])
        }
        _ => format!("{}{}{}", &text[..s], POOL[rng.below(POOL.len())], &text[e..]),
    })
}

/// Byte ranges of crude tokens outside comments: words, numbers, strings,
/// and punctuation one character at a time.
fn tokens(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c == b'#' {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        } else if c.is_ascii_whitespace() {
            i += 1;
            continue;
        } else if c.is_ascii_alphanumeric() || c == b'_' {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'-' | b'\'')) {
                i += 1;
            }
        } else if c == b'"' {
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i = (i + 1).min(bytes.len());
        } else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
        out.push((start, i));
    }
    out
}

struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}
