//! One workflow: its steps' ids, their dependency edges, cycles.

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

impl<S: Copy> Step<'_, S> {
    /// Where the step is: its id, else the whole item.
    fn span(&self) -> S {
        self.id.map_or(self.item.span, |(_, s)| s)
    }
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

/// Whether a list is a workflow: some item has both an id and a
/// dependencies field.
pub fn is_workflow<S: Copy>(items: &[Value<S>]) -> bool {
    items.iter().filter_map(step_of).any(|s| s.id.is_some() && s.has_deps_field)
}

/// The findings of one list, if it is a workflow. Other lists have none.
pub fn check_list<S: Copy>(items: &[Value<S>]) -> Vec<Finding<S>> {
    if !is_workflow(items) {
        return Vec::new();
    }
    check_items(items.iter())
}

/// The findings of the items of one workflow, which may come from several
/// lists.
pub fn check_items<'a, S: Copy + 'a>(items: impl Iterator<Item = &'a Value<S>>) -> Vec<Finding<S>> {
    let mut out = Vec::new();
    let steps: Vec<Step<S>> = items.filter_map(step_of).collect();
    // Ids: the first occurrence wins; later ones are duplicates.
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, step) in steps.iter().enumerate() {
        if let Some((id, span)) = step.id {
            if let Some(&first) = index.get(id) {
                out.push(
                    Finding::new(
                        span,
                        DUPLICATE_ID,
                        format!("duplicate step id '{id}'"),
                        "step ids must be unique within a workflow",
                    )
                    .with_related(vec![(steps[first].span(), format!("`{id}` is first defined here"))]),
                );
            } else {
                index.insert(id, i);
            }
        }
    }
    // Each edge with the dependency entry that makes it.
    let mut edges: Vec<Vec<(usize, S)>> = vec![Vec::new(); steps.len()];
    for (i, step) in steps.iter().enumerate() {
        for &(dep, span) in &step.deps {
            match index.get(dep) {
                Some(&j) if j == i || step.id.is_some_and(|(id, _)| id == dep) => {
                    out.push(Finding {
                        hint: None,
                        ..Finding::new(step.span(), SELF_DEPENDENCY, format!("step '{dep}' depends on itself"), "")
                            .with_related(vec![(span, format!("`{dep}` depends on itself here"))])
                    });
                }
                Some(&j) => edges[i].push((j, span)),
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
            out.extend(limits::check_step(fields, step.id));
        }
    }
    out
}

/// Iterative DFS (no recursion: step lists can be long); each cycle is
/// reported once, named from its step that comes first in the list and
/// placed at that step, with each edge's dependency entry as related.
fn report_cycles<S: Copy>(steps: &[Step<S>], edges: &[Vec<(usize, S)>], out: &mut Vec<Finding<S>>) {
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
                let to = edges[node][*next].0;
                *next += 1;
                match state[to] {
                    State::New => {
                        state[to] = State::OnStack;
                        stack.push((to, 0));
                    }
                    State::OnStack => {
                        let from = stack.iter().position(|&(n, _)| n == to).unwrap_or(0);
                        // Each step of the cycle with the edge it leaves by: the
                        // edge a stack entry last took leads to the entry above
                        // it (for the top, back to `to`).
                        let cycle: Vec<(usize, S)> =
                            stack[from..].iter().map(|&(n, k)| (n, edges[n][k - 1].1)).collect();
                        out.push(cycle_finding(steps, &cycle));
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

/// The finding of one cycle, given as (step, span of its edge to the next).
fn cycle_finding<S: Copy>(steps: &[Step<S>], cycle: &[(usize, S)]) -> Finding<S> {
    let start = (0..cycle.len()).min_by_key(|&k| cycle[k].0).unwrap_or(0);
    let ordered: Vec<(usize, S)> = cycle[start..].iter().chain(&cycle[..start]).copied().collect();
    let name = |k: usize| id_of(&steps[ordered[k % ordered.len()].0]);
    let mut path: Vec<&str> = (0..ordered.len()).map(name).collect();
    path.push(name(0));
    // Every step on a cycle has an id: only ids make edges.
    let related = ordered
        .iter()
        .enumerate()
        .map(|(k, &(_, span))| (span, format!("`{}` depends on `{}` here", name(k), name(k + 1))))
        .collect();
    Finding::new(
        steps[ordered[0].0].span(),
        DEPENDENCY_CYCLE,
        format!("dependency cycle: {}", path.join(" -> ")),
        "a workflow must be acyclic; remove one of these dependencies",
    )
    .with_related(related)
}

fn id_of<'a, S: Copy>(step: &Step<'a, S>) -> &'a str {
    step.id.map_or("?", |(id, _)| id)
}
