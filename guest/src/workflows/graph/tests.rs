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
fn duplicates_unknown_and_self_dependencies_point_at_their_values() {
    let ops = list(vec![step("build", &[], 10), step("build", &["biuld"], 20), step("test", &["test"], 30)], 1);
    let findings = check(&ops);
    assert_eq!(codes(&findings), [(DUPLICATE_ID, 21), (UNKNOWN_DEPENDENCY, 22), (SELF_DEPENDENCY, 32)]);
    assert_eq!(findings[1].hint.as_deref(), Some("did you mean 'build'?"));
}

#[test]
fn a_cycle_is_reported_once_with_its_path() {
    let ops = list(vec![step("a", &["c"], 10), step("b", &["a"], 20), step("c", &["b"], 30)], 1);
    let findings = check(&ops);
    assert_eq!(codes(&findings), [(DEPENDENCY_CYCLE, 21)]);
    assert_eq!(findings[0].message, "dependency cycle: a -> c -> b -> a");
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
