//! Robustness without nightly: thousands of random and mutated inputs
//! through `check_source` (no panics, bounded time), adversarial nesting
//! and size, and the speed budget for a 1,000-line workflow.

mod kcl_support;

use kcl_support::corpus::mutation::{Draw, XorShiftStar};
use kcl_support::{POOL, corpus_texts, mutated, on_component_stack};
use orch_guest::workflows::kcl::text_source::TextSource;
use orch_guest::workflows::kcl::{check_source, validate};
use std::time::{Duration, Instant};

/// Debug builds are ~10-30x slower than release; budgets scale.
fn budget(release: Duration) -> Duration {
    if cfg!(debug_assertions) { release * 40 } else { release }
}

#[test]
fn random_and_mutated_inputs_never_panic() {
    let seeds = corpus_texts(&["valid", "invalid"]);
    let mut rng = XorShiftStar(0x5EED_1234_ABCD_0001);
    let start = Instant::now();
    let mut count = 0;
    // Mutations stacked up to 6 deep.
    for round in 0..2500 {
        let text = mutated(&seeds, round % 6 + 1, &mut rng);
        let _ = check_source("m.k", &text);
        count += 1;
    }
    // Token soup from the mutation pool.
    for _ in 0..1500 {
        let n = rng.below(60);
        let text: String = (0..n).map(|_| POOL[rng.below(POOL.len())]).collect::<Vec<_>>().join(if rng.below(2) == 0 {
            " "
        } else {
            ""
        });
        let _ = check_source("soup.k", &text);
        count += 1;
    }
    // Random bytes (as lossy UTF-8), weighted toward syntax characters.
    const ALPHABET: &[u8] = b"()[]{}:=,.\"'\\#\n \t$@?*+-<>|&!~;abcxyz019_ifelsrmh";
    for _ in 0..1000 {
        let n = rng.below(200);
        let bytes: Vec<u8> =
            (0..n)
                .map(|_| {
                    if rng.below(10) == 0 { (rng.next_u64() & 0xFF) as u8 } else { ALPHABET[rng.below(ALPHABET.len())] }
                })
                .collect();
        let _ = check_source("bytes.k", &String::from_utf8_lossy(&bytes));
        count += 1;
    }
    assert!(count >= 5000);
    assert!(start.elapsed() < budget(Duration::from_secs(2)), "fuzz smoke took {:?}", start.elapsed());
}

fn assert_too_deep(text: &str) {
    let start = Instant::now();
    let diags = check_source("deep.k", text);
    assert!(diags.iter().any(|d| d.code == "E2006"), "no nesting diagnostic; got {:?}", diags.first());
    assert!(start.elapsed() < budget(Duration::from_millis(500)), "took {:?}", start.elapsed());
}

#[test]
fn deep_nesting_is_a_diagnostic_not_a_crash() {
    on_component_stack(deep_nesting_cases);
}

fn deep_nesting_cases() {
    let n = 100_000;
    assert_too_deep(&format!("a = {}", "[".repeat(n)));
    assert_too_deep(&format!("a = {}1{}", "(".repeat(n), ")".repeat(n)));
    assert_too_deep(&format!("a = {}1{}", "[".repeat(n), "]".repeat(n)));
    assert_too_deep(&format!("a = {}", "{a = ".repeat(n)));
    assert_too_deep(&format!("a = {}", "lambda {".repeat(n)));
    assert_too_deep(&format!("a = {}b", "1 if x else ".repeat(n)));
    assert_too_deep(&format!("a = {}", "f(".repeat(n)));
    assert_too_deep(&format!("a = \"${{{}1{}}}\"", "[".repeat(n), "]".repeat(n)));
    // Deeply indented blocks.
    let mut blocks = String::new();
    for depth in 0..2000 {
        blocks.push_str(&" ".repeat(depth));
        blocks.push_str("if a:\n");
    }
    assert_too_deep(&blocks);
    // Shallow enough is fine.
    assert!(check_source("ok.k", &format!("a = {}1{}", "[".repeat(100), "]".repeat(100))).is_empty());
}

#[test]
fn long_flat_chains_do_not_recurse() {
    let n = 200_000;
    let sum = format!("a = 1{}", " + 1".repeat(n));
    assert!(check_source("sum.k", &sum).is_empty());
    let calls = format!("a = f{}", "()".repeat(n));
    assert!(check_source("calls.k", &calls).is_empty());
    let attrs = format!("a = b{}", ".c".repeat(n));
    assert!(check_source("attrs.k", &attrs).is_empty());
    let list = format!("a = [{}]", "1, ".repeat(n));
    assert!(check_source("list.k", &list).is_empty());
}

#[test]
fn huge_single_line_input_is_linear() {
    let ten_mb = 10 * 1024 * 1024;
    let start = Instant::now();
    let string = format!("a = \"{}\"", "x".repeat(ten_mb));
    assert!(check_source("string.k", &string).is_empty());
    let garbage = "@".repeat(ten_mb);
    let diags = check_source("garbage.k", &garbage);
    assert!(!diags.is_empty() && diags.len() <= 1000, "{} diagnostics", diags.len());
    assert!(diags[0].span.source_line.len() <= 400);
    let unterminated = format!("a = \"{}", "y".repeat(ten_mb));
    assert_eq!(check_source("open.k", &unterminated)[0].code, "E1002");
    let long_expr = format!("a = {}1", "1 + ".repeat(ten_mb / 4));
    assert!(check_source("expr.k", &long_expr).is_empty());
    assert!(start.elapsed() < budget(Duration::from_secs(3)), "huge inputs took {:?}", start.elapsed());
}

/// A realistic 1,000-line workflow: schemas, steps, lambdas, configs.
pub fn thousand_line_workflow() -> String {
    let mut text = String::from(
        "import math\n\nschema Step:\n    id: str\n    run: str\n    depends_on: [str] = []\n    timeout: int = 60\n    retries: int = 1\n    env: {str:str} = {}\n\n    check:\n        timeout > 0\n\n",
    );
    let mut i = 0;
    while text.lines().count() < 1000 {
        text.push_str(&format!(
            "step_{i} = Step {{\n    id = \"step-{i}\"\n    run = \"make target-{i} --jobs ${{{}}}\"\n    depends_on = [{}]\n    timeout = {}\n    env = {{\n        STAGE = \"s{i}\"\n        if {i} % 2 == 0: EVEN = \"yes\"\n    }}\n}}\n",
            i % 7 + 1,
            if i == 0 { String::new() } else { format!("\"step-{}\"", i - 1) },
            60 + i,
        ));
        i += 1;
    }
    text.push_str("all_steps = [s for s in [step_0, step_1]]\ncount = len(all_steps)\n");
    text
}

#[test]
fn thousand_line_workflow_is_fast() {
    let text = thousand_line_workflow();
    assert!(text.lines().count() >= 1000);
    assert!(check_source("wf.k", &text).is_empty(), "{:?}", check_source("wf.k", &text).first());
    // Warm up, then take the best of several runs.
    let mut best = Duration::MAX;
    for _ in 0..20 {
        let start = Instant::now();
        let diags = check_source("wf.k", &text);
        best = best.min(start.elapsed());
        assert!(diags.is_empty());
    }
    println!("1,000-line workflow: check_source best of 20 = {best:?}");
    assert!(best < budget(Duration::from_millis(5)), "took {best:?}");

    // The whole of `validate`, strict checks included.
    let sources = TextSource::new("wf.k", text);
    let mut best = Duration::MAX;
    for _ in 0..20 {
        let start = Instant::now();
        let report = validate(&sources, "wf.k", true).unwrap();
        best = best.min(start.elapsed());
        assert!(report.valid, "{:?}", report.errors.first());
    }
    println!("1,000-line workflow: validate(strict) best of 20 = {best:?}");
    assert!(best < budget(Duration::from_millis(5)), "took {best:?}");
}

/// The component runs with a ~1 MiB stack; the nesting limit must fit in
/// it, for every kind of nesting.
#[test]
fn nesting_limit_fits_a_small_stack() {
    let worst = [
        format!("a = {}1{}", "[".repeat(300), "]".repeat(300)),
        format!("a = {}", "{a = ".repeat(300)),
        format!("a = {}", "f(".repeat(300)),
        format!("a = {}", "lambda {".repeat(300)),
        format!("a = {}", "[if a: ".repeat(300)),
        format!("a = {}b", "1 if x else ".repeat(300)),
        format!("a = {}", "all x in {a = ".repeat(300)),
    ];
    on_component_stack(move || {
        for text in &worst {
            let diags = check_source("deep.k", text);
            assert!(diags.iter().any(|d| d.code == "E2006"), "{:?}", diags.first());
        }
    });
}
