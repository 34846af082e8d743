//! Workflow-graph checks. A list whose items are config or schema
//! literals with an `id` and a `depends_on` (or `dependencies`) field is
//! treated as a workflow: ids must be unique, dependencies must name
//! existing ids other than the item itself, the graph must be acyclic,
//! and `timeout`, `retries`, `retry_count`, `max_retries` must be
//! positive.

use super::super::ast::{Expr, Module, Span};
use super::super::diagnostic::{self as codes, RawDiag};
use super::walk::{config_entries, each_expr_in_stmts, entry_key, number_value, string_value};
use std::collections::HashMap;

const DEPENDENCY_KEYS: &[&str] = &["depends_on", "dependencies"];
const LIMIT_KEYS: &[&str] = &["timeout", "retries", "retry_count", "max_retries"];

/// One item of a workflow list.
struct Step<'a> {
    id: Option<(String, Span)>,
    deps: Vec<(String, Span)>,
    has_deps_field: bool,
    fields: Vec<(String, &'a Expr)>,
}

pub fn check(module: &Module) -> Vec<RawDiag> {
    let mut out = Vec::new();
    let mut lists: Vec<&Expr> = Vec::new();
    each_expr_in_stmts(&module.body, &mut |e| {
        if matches!(e, Expr::List { .. }) {
            lists.push(e);
        }
    });
    for list in lists {
        if let Expr::List { items, .. } = list {
            check_list(items, &mut out);
        }
    }
    out
}

fn step_of(item: &Expr) -> Option<Step<'_>> {
    let entries = config_entries(item)?;
    let mut step = Step { id: None, deps: Vec::new(), has_deps_field: false, fields: Vec::new() };
    for entry in entries {
        let Some(key) = entry_key(entry) else { continue };
        if key == "id" {
            if let Some(v) = string_value(&entry.value) {
                step.id = Some((v.to_string(), entry.value.span()));
            }
        } else if DEPENDENCY_KEYS.contains(&key.as_str()) {
            step.has_deps_field = true;
            match &entry.value {
                Expr::List { items, .. } => {
                    for dep in items {
                        if let Some(v) = string_value(dep) {
                            step.deps.push((v.to_string(), dep.span()));
                        }
                    }
                }
                other => {
                    if let Some(v) = string_value(other) {
                        step.deps.push((v.to_string(), other.span()));
                    }
                }
            }
        }
        step.fields.push((key, &entry.value));
    }
    Some(step)
}

fn check_list(items: &[Expr], out: &mut Vec<RawDiag>) {
    let steps: Vec<Step> = items.iter().filter_map(step_of).collect();
    if !steps.iter().any(|s| s.id.is_some() && s.has_deps_field) {
        return;
    }
    // Ids: first occurrence wins; later ones are duplicates.
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, step) in steps.iter().enumerate() {
        if let Some((id, span)) = &step.id {
            if index.contains_key(id.as_str()) {
                out.push(
                    RawDiag::new(span.start, span.end, codes::DUPLICATE_ID, format!("duplicate step id '{id}'"))
                        .with_hint("step ids must be unique within a workflow"),
                );
            } else {
                index.insert(id, i);
            }
        }
    }
    // Edges, and unknown or self dependencies.
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); steps.len()];
    for (i, step) in steps.iter().enumerate() {
        for (dep, span) in &step.deps {
            match index.get(dep.as_str()) {
                Some(&j) if j == i || step.id.as_ref().is_some_and(|(id, _)| id == dep) => {
                    out.push(RawDiag::new(
                        span.start,
                        span.end,
                        codes::SELF_DEPENDENCY,
                        format!("step '{dep}' depends on itself"),
                    ));
                }
                Some(&j) => edges[i].push(j),
                None => {
                    let hint = match super::closest(dep, index.keys().copied()) {
                        Some(near) => format!("did you mean '{near}'?"),
                        None => "dependencies must name the id of another step in the same list".to_string(),
                    };
                    out.push(
                        RawDiag::new(
                            span.start,
                            span.end,
                            codes::UNKNOWN_DEPENDENCY,
                            format!("dependency on unknown step '{dep}'"),
                        )
                        .with_hint(hint),
                    );
                }
            }
        }
    }
    report_cycles(&steps, &edges, out);
    for step in &steps {
        check_limits(step, out);
    }
}

/// Iterative DFS (no recursion: step lists can be long); each cycle is
/// reported once, at the step where it is closed.
fn report_cycles(steps: &[Step], edges: &[Vec<usize>], out: &mut Vec<RawDiag>) {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnStack,
        Done,
    }
    let mut state = vec![State::New; steps.len()];
    for root in 0..steps.len() {
        if state[root] != State::New {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = State::OnStack;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if *next < edges[node].len() {
                let to = edges[node][*next];
                *next += 1;
                match state[to] {
                    State::New => {
                        state[to] = State::OnStack;
                        stack.push((to, 0));
                    }
                    State::OnStack => {
                        let from = stack.iter().position(|&(n, _)| n == to).unwrap_or(0);
                        let mut path: Vec<&str> = stack[from..].iter().map(|&(n, _)| id_of(&steps[n])).collect();
                        path.push(id_of(&steps[to]));
                        let span = steps[node].id.as_ref().map(|(_, s)| *s).unwrap_or_default();
                        out.push(
                            RawDiag::new(
                                span.start,
                                span.end,
                                codes::DEPENDENCY_CYCLE,
                                format!("dependency cycle: {}", path.join(" -> ")),
                            )
                            .with_hint("a workflow must be acyclic; remove one of these dependencies"),
                        );
                    }
                    State::Done => {}
                }
            } else {
                state[node] = State::Done;
                stack.pop();
            }
        }
    }
}

fn id_of<'a>(step: &'a Step) -> &'a str {
    step.id.as_ref().map(|(id, _)| id.as_str()).unwrap_or("?")
}

fn check_limits(step: &Step, out: &mut Vec<RawDiag>) {
    for (key, value) in &step.fields {
        if !LIMIT_KEYS.contains(&key.as_str()) {
            continue;
        }
        let number = number_value(value).or_else(|| string_value(value).and_then(leading_number));
        if let Some(n) = number.filter(|n| *n <= 0.0) {
            let span = value.span();
            out.push(
                RawDiag::new(
                    span.start,
                    span.end,
                    codes::NON_POSITIVE_LIMIT,
                    format!("'{key}' must be positive, got {}", fmt(n)),
                )
                .with_hint(format!("set '{key}' to a value greater than zero, or remove it")),
            );
        }
    }
}

/// The number at the start of a duration-like string: "30s" → 30.
fn leading_number(s: &str) -> Option<f64> {
    let s = s.trim();
    let end = s
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || ((c == '-' || c == '+') && i == 0)))
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    s[..end].parse().ok()
}

fn fmt(n: f64) -> String {
    if n.fract() == 0.0 { format!("{}", n as i64) } else { format!("{n}") }
}
