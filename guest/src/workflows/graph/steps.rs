//! One list as a workflow: its steps' ids, their dependency edges, cycles.

use std::collections::HashMap;

use super::value::{Node, Value};
use super::{DEPENDENCY_CYCLE, DUPLICATE_ID, Finding, SELF_DEPENDENCY, UNKNOWN_DEPENDENCY, limits};
use crate::suggest::closest;

const DEPENDENCY_KEYS: &[&str] = &["depends_on", "dependencies"];

/// One item of a workflow list.
struct Step<'a, S> {
    id: Option<(&'a str, S)>,
    deps: Vec<(&'a str, S)>,
    has_deps_field: bool,
    item: &'a Value<S>,
}

fn step_of<S: Copy>(item: &Value<S>) -> Option<Step<'_, S>> {
    let fields = item.fields()?;
    let mut step = Step { id: None, deps: Vec::new(), has_deps_field: false, item };
    for field in fields {
        if field.key == "id" {
            if let Some(id) = field.value.as_str() {
                step.id = Some((id, field.value.span));
            }
        } else if DEPENDENCY_KEYS.contains(&field.key.as_str()) {
            step.has_deps_field = true;
            match &field.value.node {
                Node::List(items) => {
                    step.deps.extend(items.iter().filter_map(|dep| Some((dep.as_str()?, dep.span))));
                }
                _ => step.deps.extend(field.value.as_str().map(|dep| (dep, field.value.span))),
            }
        }
    }
    Some(step)
}

/// The findings of one list, if it is a workflow: some item has both an
/// id and a dependencies field. Other lists have none.
pub fn check_list<S: Copy>(items: &[Value<S>]) -> Vec<Finding<S>> {
    let mut out = Vec::new();
    let steps: Vec<Step<S>> = items.iter().filter_map(step_of).collect();
    if !steps.iter().any(|s| s.id.is_some() && s.has_deps_field) {
        return out;
    }
    // Ids: the first occurrence wins; later ones are duplicates.
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, step) in steps.iter().enumerate() {
        if let Some((id, span)) = step.id {
            if index.contains_key(id) {
                out.push(Finding::new(
                    span,
                    DUPLICATE_ID,
                    format!("duplicate step id '{id}'"),
                    "step ids must be unique within a workflow",
                ));
            } else {
                index.insert(id, i);
            }
        }
    }
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); steps.len()];
    for (i, step) in steps.iter().enumerate() {
        for &(dep, span) in &step.deps {
            match index.get(dep) {
                Some(&j) if j == i || step.id.is_some_and(|(id, _)| id == dep) => {
                    out.push(Finding {
                        hint: None,
                        ..Finding::new(span, SELF_DEPENDENCY, format!("step '{dep}' depends on itself"), "")
                    });
                }
                Some(&j) => edges[i].push(j),
                None => {
                    let hint = match closest(dep, index.keys().copied()) {
                        Some(near) => format!("did you mean '{near}'?"),
                        None => "dependencies must name the id of another step in the same list".to_string(),
                    };
                    out.push(Finding::new(
                        span,
                        UNKNOWN_DEPENDENCY,
                        format!("dependency on unknown step '{dep}'"),
                        hint,
                    ));
                }
            }
        }
    }
    report_cycles(&steps, &edges, &mut out);
    for step in &steps {
        if let Some(fields) = step.item.fields() {
            out.extend(limits::check_step(fields));
        }
    }
    out
}

/// Iterative DFS (no recursion: step lists can be long); each cycle is
/// reported once, at the step where it is closed.
fn report_cycles<S: Copy>(steps: &[Step<S>], edges: &[Vec<usize>], out: &mut Vec<Finding<S>>) {
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
                        // Every step on a cycle has an id: only ids make edges.
                        let span = steps[node].id.map_or(steps[node].item.span, |(_, s)| s);
                        out.push(Finding::new(
                            span,
                            DEPENDENCY_CYCLE,
                            format!("dependency cycle: {}", path.join(" -> ")),
                            "a workflow must be acyclic; remove one of these dependencies",
                        ));
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

fn id_of<'a, S: Copy>(step: &Step<'a, S>) -> &'a str {
    step.id.map_or("?", |(id, _)| id)
}
