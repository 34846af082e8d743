//! A module's output, as `kcl run` plans it after the last statement:
//! the values of bare expression statements ("scalars") and the public
//! globals are merged into one value, and a conflict is an error.
//!
//! kcl-lib 0.13.2 (`plan_globals_to_string`): the scalars are merged in
//! order, then each public global as `{name: value}`; a merge first asks
//! whether the new value "subsumes" the old one (equal scalars, lists of
//! one length, any two dicts, `None` with anything), then merges dicts
//! key by key. The error is reported at the last statement evaluated.

use std::collections::HashMap;
use std::rc::Rc;

use super::super::ast::{EntryOp, Expr, Span, Suffix};
use super::error::{self, EvalError, Result};
use super::value::{Dict, Scope, Value, equal, literal_key};

/// The scalars of one module, in kcl's order.
#[derive(Default)]
pub(super) struct Scalars<'a> {
    items: Vec<(Value<'a>, Option<Ops>)>,
    /// Where the last schema expression's value is. kcl keeps only the
    /// last one, and starts this at 0: the first schema expression drops
    /// whatever scalar came first (`3` then `A {}` is accepted).
    schema_at: usize,
}

/// The operators of a config literal's top-level keys (`:`, `=`, `+=`).
type Ops = HashMap<Rc<str>, EntryOp>;

impl<'a> Scalars<'a> {
    /// Adds the value of one expression of an expression statement.
    pub(super) fn add(&mut self, expr: &Expr, value: Value<'a>) {
        // Calls emit nothing: a function may return nothing.
        if let Expr::Suffixed { suffixes, .. } = expr
            && matches!(suffixes.last(), Some(Suffix::Call { .. }))
        {
            return;
        }
        let item = (value, literal_ops(expr));
        if matches!(expr, Expr::Schema { .. }) {
            if self.schema_at < self.items.len() {
                self.items.remove(self.schema_at);
            }
            self.items.push(item);
            self.schema_at = self.items.len() - 1;
        } else {
            self.items.push(item);
        }
    }

    /// Merges the scalars and the public globals of `scope`; `last` is
    /// the last statement evaluated, where kcl reports a conflict.
    /// `imports` are the names imports bind, which are not output.
    pub(super) fn plan(self, scope: &Scope<'a>, imports: &[&str], last: (usize, Span)) -> Result<()> {
        let conflict = |(old, new): (String, String)| {
            EvalError::new(
                last.0,
                last.1,
                error::CONFLICTING_VALUES,
                format!("conflicting values between {new} and {old}"),
            )
        };
        let mut out: Option<Value<'a>> = None;
        for (value, ops) in self.items {
            out = Some(merge(out, value, ops.as_ref()).map_err(conflict)?);
        }
        let mut globals: Vec<(Rc<str>, Value<'a>)> = scope
            .vars
            .borrow()
            .iter()
            .filter(|(k, v)| {
                !k.starts_with('_') && !imports.contains(&&***k) && !matches!(v, Value::Schema(_) | Value::Module(_))
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if out.is_none() {
            return Ok(());
        }
        globals.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, value) in globals {
            let mut d = Dict::default();
            d.insert(name.clone(), value);
            let ops = HashMap::from([(name, EntryOp::Union)]);
            out = Some(merge(out, Value::dict(d), Some(&ops)).map_err(conflict)?);
        }
        Ok(())
    }
}

/// The operators of `expr`'s top-level keys if it is a config literal.
fn literal_ops(expr: &Expr) -> Option<Ops> {
    let Expr::Config { entries, .. } = expr else { return None };
    let mut ops = Ops::new();
    for entry in entries {
        ops.insert(literal_key(entry.key.as_ref()?)?.into(), entry.op);
    }
    Some(ops)
}

/// `new` merged onto `old`, or the two values' kcl renderings.
fn merge<'a>(
    old: Option<Value<'a>>,
    new: Value<'a>,
    ops: Option<&Ops>,
) -> std::result::Result<Value<'a>, (String, String)> {
    let Some(old) = old else { return Ok(new) };
    if !subsumes(&new, &old) {
        return Err((json(&old), json(&new)));
    }
    union(&old, &new, ops)
}

/// kcl's `value_subsume(new, old, false)`.
fn subsumes(new: &Value, old: &Value) -> bool {
    match (new, old) {
        (Value::None | Value::Undefined | Value::Opaque, _) | (_, Value::None | Value::Undefined | Value::Opaque) => {
            true
        }
        (Value::List(x), Value::List(y)) => x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| subsumes(p, q)),
        (Value::Dict(_), Value::Dict(_)) => true,
        // `1` and `1.0` are equal; a unit literal (`2Ki`) equals only
        // another one.
        (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_))
        | (Value::Unit(..), Value::Unit(..))
        | (Value::Bool(_), Value::Bool(_))
        | (Value::Str(_), Value::Str(_)) => equal(new, old),
        // Functions, schema types: not modelled; never a conflict.
        (Value::Func(_) | Value::Schema(_) | Value::Module(_), _)
        | (_, Value::Func(_) | Value::Schema(_) | Value::Module(_)) => true,
        _ => false,
    }
}

/// Dicts merge key by key; for a key whose operator is unknown (a value
/// not written as a literal here) the new value wins, so an `=` this
/// evaluator does not track is never a conflict.
fn union<'a>(old: &Value<'a>, new: &Value<'a>, ops: Option<&Ops>) -> std::result::Result<Value<'a>, (String, String)> {
    let (Value::Dict(x), Value::Dict(y)) = (old, new) else { return Ok(new.clone()) };
    let mut out = (**x).clone();
    for (k, v) in &y.entries {
        let merged = match (out.get(k), ops.and_then(|o| o.get(k))) {
            (Some(before), Some(EntryOp::Union)) => {
                if !subsumes(v, before) {
                    return Err((json(before), json(v)));
                }
                union(before, v, None)?
            }
            _ => v.clone(),
        };
        out.insert(k.clone(), merged);
    }
    if out.schema.is_none() {
        out.schema = y.schema.clone();
    }
    Ok(Value::dict(out))
}

/// A value as kcl's conflict message shows it.
fn json(v: &Value) -> String {
    match v {
        Value::Dict(_) => "{...}".into(),
        Value::List(_) => "[...]".into(),
        Value::Str(s) => format!("{s:?}"),
        Value::None | Value::Undefined => "null".into(),
        Value::Unit(n, ..) => super::value::fmt_float(*n as f64),
        other => super::value::to_str(other),
    }
}
