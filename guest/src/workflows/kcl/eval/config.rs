//! Config expressions `{k: v, k = v, k += v, **d, if c: ...}` and KCL's
//! unification of values (`:`).

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::super::ast::{Entry, EntryOp, Expr, Span};
use super::error::{self, Result};
use super::value::{Dict, Value, equal, literal_key, to_str};
use super::{Ctx, Evaluator};

/// A config as written: its values, and for each key where it was
/// written and with which operator (a schema needs both).
#[derive(Default)]
pub struct Config<'a> {
    pub dict: Dict<'a>,
    pub keys: HashMap<Rc<str>, (Span, EntryOp)>,
    /// Keys written as paths (`retry.attempts = 2`): their values patch
    /// what is there rather than unify with it.
    pub patched: HashSet<Rc<str>>,
}

/// Why two values do not unify.
pub struct Conflict {
    pub path: String,
    pub left: String,
    pub right: String,
}

impl Conflict {
    pub fn message(&self) -> String {
        format!(
            "conflicting values on the attribute '{}' between {} and {}; try operator '=' to override the attribute",
            self.path, self.left, self.right
        )
    }
}

impl<'a> Evaluator<'a> {
    pub(super) fn config(&self, cx: &Ctx<'a>, entries: &'a [Entry]) -> Result<Config<'a>> {
        let mut out = Config::default();
        self.config_entries(cx, entries, &mut out)?;
        Ok(out)
    }

    fn config_entries(&self, cx: &Ctx<'a>, entries: &'a [Entry], out: &mut Config<'a>) -> Result<()> {
        for entry in entries {
            match &entry.key {
                None => match &entry.value {
                    Expr::ConfigIf { branches, .. } => {
                        if let Some(body) = self.taken_branch(cx, branches)? {
                            self.config_entries(cx, body, out)?;
                        }
                    }
                    // `**d` unifies, as `:` entries do.
                    spread => match self.expr(cx, spread)? {
                        Value::Dict(d) => {
                            for (k, v) in &d.entries {
                                self.put(cx, out, k.clone(), v.clone(), EntryOp::Union, entry.span)?;
                            }
                        }
                        Value::None | Value::Undefined | Value::Opaque => {}
                        other => {
                            return Err(cx.error(
                                entry.span,
                                error::OPERAND_TYPES,
                                format!("only dict and schema can be used ** unpack, got '{}'", other.type_str()),
                            ));
                        }
                    },
                },
                Some(key) => {
                    let name: Rc<str> = match literal_key(key) {
                        Some(k) => k.into(),
                        None => match self.expr(cx, key)? {
                            Value::Str(s) => s,
                            Value::Opaque => continue,
                            other => to_str(&other).into(),
                        },
                    };
                    let value = self.expr(cx, &entry.value)?;
                    let key_span = key.span();
                    // `a.b.c = v` writes into nested configs.
                    let dotted = matches!(key, Expr::Name(n) if n.parts.len() > 1);
                    if dotted {
                        let parts: Vec<&str> = name.split('.').collect();
                        let mut nested = value;
                        for part in parts[1..].iter().rev() {
                            let mut d = Dict::default();
                            d.insert((*part).into(), nested);
                            nested = Value::dict(d);
                        }
                        let head: Rc<str> = parts[0].into();
                        let merged = match out.dict.get(&head) {
                            Some(old) => patch(old, &nested),
                            None => nested,
                        };
                        out.dict.insert(head.clone(), merged);
                        out.keys.insert(head.clone(), (key_span, EntryOp::Union));
                        out.patched.insert(head);
                    } else {
                        self.put(cx, out, name, value, entry.op, key_span)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn put(
        &self,
        cx: &Ctx<'a>,
        out: &mut Config<'a>,
        key: Rc<str>,
        value: Value<'a>,
        op: EntryOp,
        span: Span,
    ) -> Result<()> {
        if op == EntryOp::Insert && !matches!(value, Value::List(_) | Value::None | Value::Undefined | Value::Opaque) {
            return Err(cx.error(
                span,
                error::OPERAND_TYPES,
                format!("only list type can in inserted, got '{}'", value.type_str()),
            ));
        }
        let merged = match (op, out.dict.get(&key)) {
            (EntryOp::Override, _) | (_, None) => match (op, value) {
                (EntryOp::Insert, Value::List(l)) => Value::List(l),
                (_, v) => v,
            },
            (EntryOp::Union, Some(old)) => {
                unify(old, &value, &key).map_err(|c| cx.error(span, error::CONFLICTING_VALUES, c.message()))?
            }
            (EntryOp::Insert, Some(old)) => match (old, &value) {
                (Value::List(x), Value::List(y)) => Value::list(x.iter().chain(y.iter()).cloned().collect()),
                _ => value,
            },
        };
        out.dict.insert(key.clone(), merged);
        out.keys.insert(key, (span, op));
        Ok(())
    }
}

/// `a.b = v` applied to `a`: `b`'s keys win, nested configs merge. The
/// result is a plain config again, so a schema type re-checks it.
pub fn patch<'a>(a: &Value<'a>, b: &Value<'a>) -> Value<'a> {
    match (a, b) {
        (Value::Dict(x), Value::Dict(y)) => {
            let mut out = Dict { entries: x.entries.clone(), schema: None };
            for (k, v) in &y.entries {
                let merged = match out.get(k) {
                    Some(old) => patch(old, v),
                    None => v.clone(),
                };
                out.insert(k.clone(), merged);
            }
            Value::dict(out)
        }
        _ => b.clone(),
    }
}

/// `a : b`: configs merge key by key; anything else must be equal.
pub fn unify<'a>(a: &Value<'a>, b: &Value<'a>, path: &str) -> std::result::Result<Value<'a>, Conflict> {
    match (a, b) {
        (Value::Dict(x), Value::Dict(y)) => {
            let mut out = (**x).clone();
            for (k, v) in &y.entries {
                let merged = match x.get(k) {
                    Some(old) => unify(old, v, &format!("{path}.{k}"))?,
                    None => v.clone(),
                };
                out.insert(k.clone(), merged);
            }
            if out.schema.is_none() {
                out.schema = y.schema.clone();
            }
            Ok(Value::dict(out))
        }
        (Value::None | Value::Undefined, v) | (v, Value::None | Value::Undefined) => Ok(v.clone()),
        (Value::Opaque, _) | (_, Value::Opaque) => Ok(Value::Opaque),
        _ if equal(a, b) => Ok(b.clone()),
        _ => Err(Conflict { path: path.to_string(), left: to_str(a), right: to_str(b) }),
    }
}
