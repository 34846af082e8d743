//! The workflow-graph checks on KCL source: each list literal becomes a
//! neutral value for [`crate::workflows::graph`]. Without evaluation only
//! literals are known; everything else is opaque and checked by nothing.

use super::super::ast::{Expr, Module, Span};
use super::super::diagnostic::RawDiag;
use super::walk::{config_entries, each_expr_in_stmts, entry_key, number_value, string_value};
use crate::workflows::graph::{self, Field, Node, Value};

pub fn check(module: &Module) -> Vec<RawDiag> {
    let mut lists: Vec<&[Expr]> = Vec::new();
    each_expr_in_stmts(&module.body, &mut |e| {
        if let Expr::List { items, .. } = e {
            lists.push(items);
        }
    });
    let mut out = Vec::new();
    for items in lists {
        let items: Vec<Value<Span>> = items.iter().map(item).collect();
        out.extend(
            graph::check_list(&items)
                .into_iter()
                .map(|f| RawDiag { hint: f.hint, ..RawDiag::new(f.span.start, f.span.end, f.code, f.message) }),
        );
    }
    out
}

/// A list item as a value: a config or schema literal is a record of its
/// plain-keyed entries, with the literals among their values.
fn item(expr: &Expr) -> Value<Span> {
    let Some(entries) = config_entries(expr) else { return literal(expr) };
    let fields =
        entries.iter().filter_map(|entry| Some(Field { key: entry_key(entry)?, value: item(&entry.value) })).collect();
    Value::new(Node::Record(fields), expr.span())
}

fn literal(expr: &Expr) -> Value<Span> {
    let node = if let Some(s) = string_value(expr) {
        Node::Str(s.to_string())
    } else if let Some(n) = number_value(expr) {
        Node::Number(n)
    } else if let Expr::List { items, .. } = expr {
        Node::List(items.iter().map(literal).collect())
    } else {
        Node::Opaque
    };
    Value::new(node, expr.span())
}
