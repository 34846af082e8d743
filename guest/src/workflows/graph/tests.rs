use super::*;

/// Spans are plain numbers here: the place of each value in the test.
fn s(v: &str, at: u32) -> Value<u32> {
    Value::new(Node::Str(v.into()), at)
}

fn n(v: f64, at: u32) -> Value<u32> {
    Value::new(Node::Number(v), at)
}

fn list(items: Vec<Value<u32>>, at: u32) -> Value<u32> {
    Value::new(Node::List(items), at)
}

fn record(fields: Vec<(&str, Value<u32>)>, at: u32) -> Value<u32> {
    Value::new(Node::Record(fields.into_iter().map(|(k, v)| Field { key: k.into(), value: v }).collect()), at)
}

fn step(id: &str, deps: &[&str], at: u32) -> Value<u32> {
    let deps = deps.iter().enumerate().map(|(i, d)| s(d, at + 2 + i as u32)).collect();
    record(vec![("id", s(id, at + 1)), ("dependencies", list(deps, at + 2))], at)
}

fn codes(findings: &[Finding<u32>]) -> Vec<(&str, u32)> {
    findings.iter().map(|f| (f.code, f.span)).collect()
}

#[test]
fn a_sound_workflow_has_no_findings() {
    let ops = list(vec![step("a", &[], 10), step("b", &["a"], 20), step("c", &["a", "b"], 30)], 1);
    assert!(check(&record(vec![("operations", ops), ("parallel_limit", n(4.0, 5))], 0)).is_empty());
}

#[test]
fn duplicates_unknown_and_self_dependencies_point_at_their_places() {
    let ops = list(vec![step("build", &[], 10), step("build", &["biuld"], 20), step("test", &["test"], 30)], 1);
    let findings = check(&ops);
    // A self-dependency is placed at its step, like a cycle of one.
    assert_eq!(codes(&findings), [(DUPLICATE_ID, 21), (UNKNOWN_DEPENDENCY, 22), (SELF_DEPENDENCY, 31)]);
    assert_eq!(findings[1].hint.as_deref(), Some("did you mean 'build'?"));
    assert_eq!(findings[0].related, [(11, "`build` is first defined here".to_string())]);
    assert!(findings[1].related.is_empty());
    assert_eq!(findings[2].message, "step 'test' depends on itself");
    assert_eq!(findings[2].related, [(32, "`test` depends on itself here".to_string())]);
}

#[test]
fn a_cycle_is_reported_once_at_the_step_it_names_first() {
    let ops = list(vec![step("a", &["c"], 10), step("b", &["a"], 20), step("c", &["b"], 30)], 1);
    let findings = check(&ops);
    assert_eq!(codes(&findings), [(DEPENDENCY_CYCLE, 11)]);
    assert_eq!(findings[0].message, "dependency cycle: a -> c -> b -> a");
    let related: Vec<(u32, &str)> = findings[0].related.iter().map(|(s, m)| (*s, m.as_str())).collect();
    assert_eq!(
        related,
        [(12, "`a` depends on `c` here"), (32, "`c` depends on `b` here"), (22, "`b` depends on `a` here")]
    );
}

#[test]
fn a_cycle_closed_late_is_named_from_its_first_step() {
    // The search enters at `a` and closes the cycle c -> d -> b -> c at `b`.
    let ops =
        list(vec![step("a", &["c"], 10), step("b", &["c"], 20), step("c", &["d"], 30), step("d", &["x", "b"], 40)], 1);
    let findings = check(&ops);
    let cycle = findings.iter().find(|f| f.code == DEPENDENCY_CYCLE).unwrap();
    assert_eq!((cycle.span, cycle.message.as_str()), (21, "dependency cycle: b -> c -> d -> b"));
    let spans: Vec<u32> = cycle.related.iter().map(|(s, _)| *s).collect();
    assert_eq!(spans, [22, 32, 43]);
    assert_eq!(findings.len(), 2); // and the unknown `x`
}

#[test]
fn sibling_step_lists_of_one_record_are_one_workflow() {
    let steps = list(vec![step("deploy", &["backup"], 10), step("verify", &["deploy"], 20)], 1);
    let cleanup = list(vec![step("backup", &["verify"], 50)], 2);
    let findings = check(&record(vec![("cleanup", cleanup.clone()), ("steps", steps.clone())], 0));
    assert_eq!(codes(&findings), [(DEPENDENCY_CYCLE, 51)]);
    assert_eq!(findings[0].message, "dependency cycle: backup -> verify -> deploy -> backup");
    assert_eq!(findings[0].related.len(), 3);
    // On its own, a list only has unknown dependencies.
    let Node::List(items) = &steps.node else { unreachable!() };
    assert_eq!(codes(&check_list(items)), [(UNKNOWN_DEPENDENCY, 12)]);
    // In two records, they are two workflows.
    let apart = record(vec![("a", record(vec![("steps", steps)], 3)), ("b", record(vec![("cleanup", cleanup)], 4))], 0);
    assert_eq!(codes(&check(&apart)), [(UNKNOWN_DEPENDENCY, 12), (UNKNOWN_DEPENDENCY, 52)]);
}

#[test]
fn limits_must_be_positive_wherever_they_nest() {
    let retry = record(vec![("attempts", n(0.0, 41))], 40);
    let bad = record(
        vec![("id", s("a", 31)), ("depends_on", list(vec![], 32)), ("timeout", s("-5s", 33)), ("retry", retry)],
        30,
    );
    let ops = list(vec![bad], 20);
    let workflow = record(vec![("batch", record(vec![("parallel_limit", n(0.0, 11)), ("operations", ops)], 10))], 0);
    let findings = check(&workflow);
    assert_eq!(codes(&findings), [(NON_POSITIVE_LIMIT, 11), (NON_POSITIVE_LIMIT, 33), (NON_POSITIVE_LIMIT, 41)]);
    assert_eq!(findings[1].message, "'timeout' must be positive, got -5");
    assert_eq!(findings[2].message, "'retry.attempts' must be positive, got 0");
    assert_eq!(findings[2].related, [(31, "on step `a`".to_string())]);
    assert!(findings[0].related.is_empty());
}

#[test]
fn retry_counts_must_be_positive_integers() {
    let retry_cases: Vec<(&str, Value<u32>, Option<&str>)> = vec![
        ("max_attempts", n(0.0, 9), Some("'retry.max_attempts' must be positive, got 0")),
        ("max_attempts", n(-2.0, 9), Some("'retry.max_attempts' must be positive, got -2")),
        ("attempts", n(2.5, 9), Some("'retry.attempts' must be a whole number, got 2.5")),
        ("attempts", s("3", 9), Some("'retry.attempts' must be a whole number, got the string \"3\"")),
        ("retries", Value::new(Node::Bool(true), 9), Some("'retry.retries' must be a whole number, got `true`")),
        ("max_attempts", n(3.0, 9), None),
        ("attempts", Value::new(Node::Null, 9), None),
        ("attempts", Value::new(Node::Opaque, 9), None),
        ("delay", n(0.0, 9), None),
    ];
    for (key, value, expected) in retry_cases {
        let retry = record(vec![(key, value)], 8);
        let op = record(vec![("id", s("a", 2)), ("dependencies", list(vec![], 3)), ("retry", retry)], 1);
        let findings = check(&list(vec![op], 0));
        let got: Vec<(&str, u32)> = findings.iter().map(|f| (f.message.as_str(), f.span)).collect();
        assert_eq!(got, expected.map(|m| (m, 9)).into_iter().collect::<Vec<_>>(), "{key}");
    }
    let step_cases: Vec<(&str, Value<u32>, Option<&str>)> = vec![
        ("max_retries", n(0.0, 9), Some("'max_retries' must be positive, got 0")),
        ("retries", n(1.5, 9), Some("'retries' must be a whole number, got 1.5")),
        ("retries", s("2", 9), Some("'retries' must be a whole number, got the string \"2\"")),
        ("retry_count", n(2.0, 9), None),
        ("timeout", s("30s", 9), None),
    ];
    for (key, value, expected) in step_cases {
        let op = record(vec![("id", s("a", 2)), ("dependencies", list(vec![], 3)), (key, value)], 1);
        let findings = check(&list(vec![op], 0));
        let got: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(got, expected.into_iter().collect::<Vec<_>>(), "{key}");
    }
}

#[test]
fn lists_that_are_not_workflows_are_left_alone() {
    let plain = list(vec![record(vec![("id", s("a", 2)), ("timeout", n(0.0, 3))], 1)], 0);
    assert!(check(&plain).is_empty());
}

#[test]
fn deep_nesting_does_not_recurse() {
    let mut value = list(vec![], 0);
    for _ in 0..200_000 {
        value = list(vec![value], 0);
    }
    assert!(check(&value).is_empty());
    // Dropping a deep tree recurses; leak it rather than overflow the test's stack.
    std::mem::forget(value);
}
