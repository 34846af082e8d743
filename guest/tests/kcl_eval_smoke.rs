//! Robustness of the evaluator behind `--strict`: mutated inputs never
//! panic and finish, runaway recursion and runaway work end in a
//! diagnostic, and deep values fit the component's stack.

mod kcl_support;

use kcl_support::corpus::mutation::XorShiftStar;
use kcl_support::{corpus_texts, mutated, on_component_stack};
use orch_guest::model::ValidationReport;
use orch_guest::workflows::kcl::text_source::TextSource;
use orch_guest::workflows::kcl::validate;

fn strict(text: &str) -> ValidationReport {
    validate(&TextSource::new("main.k", text), "main.k", true).unwrap()
}

fn first_code(r: &ValidationReport) -> Option<String> {
    r.errors.first().map(|d| d.code.clone())
}

#[test]
fn mutated_workflows_evaluate_without_panicking() {
    on_component_stack(|| {
        let seeds = corpus_texts(&["valid", "semantic"]);
        let mut rng = XorShiftStar(0x5EED_E7A1_0000_0001);
        let mut evaluated = 0;
        for round in 0..1500 {
            let text = mutated(&seeds, round % 2 + 1, &mut rng);
            let report = strict(&text);
            if report.errors.iter().any(|d| d.code.starts_with("E5")) {
                evaluated += 1;
            }
        }
        // The evaluator really ran on many of them.
        assert!(evaluated > 50, "only {evaluated} inputs reached evaluation findings");
    });
}

#[test]
fn runaway_recursion_is_a_diagnostic() {
    on_component_stack(|| {
        let cases = [
            "f = lambda n { f(n + 1) }\nx = f(0)\n",
            "f = lambda n: int -> int { g(n) }\ng = lambda n: int -> int { f(n) }\nx = f(1)\n",
            "schema Node:\n    next: Node = Node {}\nn = Node {}\n",
        ];
        for src in cases {
            let r = strict(src);
            assert_eq!(first_code(&r).as_deref(), Some("E5015"), "{src}\n{:?}", r.errors.first());
        }
    });
}

#[test]
fn runaway_work_is_a_diagnostic() {
    let src = "xs = [i for i in range(4000)]\nys = [a * b for a in xs for b in xs]\n";
    let r = strict(src);
    assert_eq!(first_code(&r).as_deref(), Some("E5016"), "{:?}", r.errors.first());
    let big = "s = \"ab\" * 100000000\n";
    assert_eq!(first_code(&strict(big)).as_deref(), Some("E5016"));
}

#[test]
fn deep_values_fit_the_component_stack() {
    on_component_stack(|| {
        let depth = 200;
        let list = format!("a = {}1{}\nassert a\n", "[".repeat(depth), "]".repeat(depth));
        let config = format!("a = {}1{}\nassert a\n", "{k = ".repeat(depth), "}".repeat(depth));
        let ifs = format!("a = {}0\n", "1 if True else ".repeat(depth));
        for src in [list, config, ifs] {
            let r = strict(&src);
            assert!(r.valid, "{:?}", r.errors.first());
        }
    });
}
