//! Small helpers for reading literal values out of the tree.

use super::super::ast::{Entry, Expr, UnaryOp};

/// The text of a plain string literal (no interpolation).
pub fn string_value(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Str { value, parts, .. } if parts.is_empty() => Some(value),
        _ => None,
    }
}

/// The value of a numeric literal, with a leading `-`/`+` applied.
pub fn number_value(expr: &Expr) -> Option<f64> {
    match expr {
        Expr::Number { value, .. } => *value,
        Expr::Unary { op: UnaryOp::Minus, operand, .. } => number_value(operand).map(|v| -v),
        Expr::Unary { op: UnaryOp::Plus, operand, .. } => number_value(operand),
        Expr::Paren(inner, _) => number_value(inner),
        _ => None,
    }
}

/// The key of a config entry when it is a plain name or string.
pub fn entry_key(entry: &Entry) -> Option<String> {
    match entry.key.as_ref()? {
        Expr::Name(n) => Some(n.parts.first()?.clone()),
        other => string_value(other).map(str::to_string),
    }
}

/// The entries of a config or schema instance, if `expr` is one.
pub fn config_entries(expr: &Expr) -> Option<&[Entry]> {
    match expr {
        Expr::Config { entries, .. } => Some(entries),
        Expr::Schema { config, .. } => match config.as_ref() {
            Expr::Config { entries, .. } => Some(entries),
            _ => None,
        },
        _ => None,
    }
}

/// Calls `f` on `expr` and every expression nested in it (not into
/// statements of lambdas: `stmts` handles those). Iterative where lists
/// can be long; recursion depth is bounded by the parser's nesting limit.
pub fn each_expr<'a>(
    expr: &'a Expr,
    f: &mut dyn FnMut(&'a Expr),
    stmts: &mut dyn FnMut(&'a [super::super::ast::Stmt]),
) {
    f(expr);
    match expr {
        Expr::Name(_) | Expr::Number { .. } | Expr::Constant(_) | Expr::Missing(_) => {}
        Expr::Str { parts, .. } => parts.iter().for_each(|p| each_expr(p, f, stmts)),
        Expr::List { items, .. } => items.iter().for_each(|p| each_expr(p, f, stmts)),
        Expr::ListComp { elt, clauses, .. } => {
            each_expr(elt, f, stmts);
            for c in clauses {
                each_expr(&c.iter, f, stmts);
                c.ifs.iter().for_each(|p| each_expr(p, f, stmts));
            }
        }
        Expr::Config { entries, .. } => entries.iter().for_each(|e| entry(e, f, stmts)),
        Expr::DictComp { entry: e, clauses, .. } => {
            entry(e, f, stmts);
            for c in clauses {
                each_expr(&c.iter, f, stmts);
                c.ifs.iter().for_each(|p| each_expr(p, f, stmts));
            }
        }
        Expr::Schema { args, kwargs, config, .. } => {
            args.iter().for_each(|p| each_expr(p, f, stmts));
            kwargs.iter().for_each(|k| each_expr(&k.value, f, stmts));
            each_expr(config, f, stmts);
        }
        Expr::Lambda { params, body, .. } => {
            params.iter().filter_map(|p| p.default.as_ref()).for_each(|p| each_expr(p, f, stmts));
            stmts(body);
        }
        Expr::Quant { target, test, cond, .. } => {
            each_expr(target, f, stmts);
            each_expr(test, f, stmts);
            if let Some(c) = cond {
                each_expr(c, f, stmts);
            }
        }
        Expr::Unary { operand, .. } => each_expr(operand, f, stmts),
        Expr::Binary { operands, .. } => operands.iter().for_each(|p| each_expr(p, f, stmts)),
        Expr::IfElse { body, cond, orelse, .. } => {
            each_expr(body, f, stmts);
            each_expr(cond, f, stmts);
            each_expr(orelse, f, stmts);
        }
        Expr::Paren(inner, _) | Expr::Starred(inner, _) => each_expr(inner, f, stmts),
        Expr::Suffixed { base, suffixes, .. } => {
            each_expr(base, f, stmts);
            for s in suffixes {
                match s {
                    super::super::ast::Suffix::Attr(_) | super::super::ast::Suffix::Optional => {}
                    super::super::ast::Suffix::Call { args, kwargs } => {
                        args.iter().for_each(|p| each_expr(p, f, stmts));
                        kwargs.iter().for_each(|k| each_expr(&k.value, f, stmts));
                    }
                    super::super::ast::Suffix::Index(parts) | super::super::ast::Suffix::Slice(parts) => {
                        parts.iter().for_each(|p| each_expr(p, f, stmts))
                    }
                }
            }
        }
        Expr::ListIf { branches, .. } => {
            for (cond, items) in branches {
                if let Some(c) = cond {
                    each_expr(c, f, stmts);
                }
                items.iter().for_each(|p| each_expr(p, f, stmts));
            }
        }
        Expr::ConfigIf { branches, .. } => {
            for (cond, entries) in branches {
                if let Some(c) = cond {
                    each_expr(c, f, stmts);
                }
                entries.iter().for_each(|e| entry(e, f, stmts));
            }
        }
    }
}

fn entry<'a>(e: &'a Entry, f: &mut dyn FnMut(&'a Expr), stmts: &mut dyn FnMut(&'a [super::super::ast::Stmt])) {
    if let Some(k) = &e.key {
        each_expr(k, f, stmts);
    }
    each_expr(&e.value, f, stmts);
}

/// Calls `f` on every expression in `stmts`, including nested blocks,
/// schema bodies and lambda bodies.
pub fn each_expr_in_stmts<'a>(stmts: &'a [super::super::ast::Stmt], f: &mut dyn FnMut(&'a Expr)) {
    use super::super::ast::Stmt;
    for stmt in stmts {
        let mut exprs: Vec<&'a Expr> = Vec::new();
        match stmt {
            Stmt::Expr { exprs: es, .. } => exprs.extend(es.iter()),
            Stmt::Assign { targets, value, .. } => {
                exprs.extend(targets.iter());
                exprs.push(value);
            }
            Stmt::AugAssign { target, value, .. } | Stmt::Unification { target, value, .. } => {
                exprs.push(target);
                exprs.push(value);
            }
            Stmt::Import(_) | Stmt::TypeAlias { .. } => {}
            Stmt::Assert { test, cond, msg, .. } => {
                exprs.push(test);
                exprs.extend(cond.iter());
                exprs.extend(msg.iter());
            }
            Stmt::If { branches, .. } => {
                for (cond, body) in branches {
                    exprs.extend(cond.iter());
                    each_expr_in_stmts(body, f);
                }
            }
            Stmt::Schema(def) => {
                each_expr_in_stmts(&def.body, f);
                exprs.extend(def.index_signature.iter().filter_map(|s| s.value.as_ref()));
                for c in &def.checks {
                    exprs.push(&c.test);
                    exprs.extend(c.cond.iter());
                    exprs.extend(c.msg.iter());
                }
                for p in &def.params {
                    exprs.extend(p.default.iter());
                }
            }
            Stmt::Rule(def) => {
                for c in &def.checks {
                    exprs.push(&c.test);
                    exprs.extend(c.cond.iter());
                    exprs.extend(c.msg.iter());
                }
            }
            Stmt::Attr(attr) => exprs.extend(attr.value.iter()),
        }
        for e in exprs {
            let mut nested: Vec<&'a [Stmt]> = Vec::new();
            each_expr(e, f, &mut |body| nested.push(body));
            for body in nested {
                each_expr_in_stmts(body, f);
            }
        }
    }
}
