//! KCL's builtin functions that workflows use. A builtin KCL has but
//! this evaluator does not model returns `Opaque`.

use std::rc::Rc;

use super::super::ast::Span;
use super::error::{self, Result};
use super::value::{Dict, Number, Value, equal, to_str, unit_factor};
use super::{Ctx, Evaluator};

/// Builtins that are modelled.
const MODELLED: &[&str] = &[
    "len",
    "isunique",
    "all_true",
    "any_true",
    "sorted",
    "max",
    "min",
    "sum",
    "abs",
    "int",
    "float",
    "str",
    "bool",
    "list",
    "dict",
    "typeof",
    "multiplyof",
    "print",
    "range",
    "round",
    "pow",
    "hex",
    "oct",
    "bin",
    "ord",
    "zip",
];

/// Builtins KCL has that are not modelled: their results are opaque.
const OPAQUE: &[&str] = &["option", "isnullish"];

pub fn lookup(name: &str) -> Option<&'static str> {
    MODELLED.iter().chain(OPAQUE.iter()).find(|b| **b == name).copied()
}

fn arity(cx: &Ctx, name: &str, args: &[Value], min: usize, max: usize, span: Span) -> Result<()> {
    if args.len() < min || args.len() > max {
        let expected = if min == max { format!("{min}") } else { format!("{min} to {max}") };
        return Err(cx.error(
            span,
            error::ARGUMENT_COUNT,
            format!(
                "{name}() takes {expected} positional argument{} but {} were given",
                if max == 1 { "" } else { "s" },
                args.len()
            ),
        ));
    }
    Ok(())
}

pub(super) fn call<'a>(
    _ev: &Evaluator<'a>,
    cx: &Ctx<'a>,
    name: &str,
    args: Vec<Value<'a>>,
    kwargs: Vec<(&str, Value<'a>)>,
    span: Span,
) -> Result<Value<'a>> {
    if args.iter().chain(kwargs.iter().map(|(_, v)| v)).any(|v| matches!(v, Value::Opaque)) || OPAQUE.contains(&name) {
        return Ok(Value::Opaque);
    }
    if let Some((module, function)) = name.split_once('.') {
        return super::modules::call(cx, module, function, args, span);
    }
    let bad = |m: String| cx.error(span, error::INVALID_VALUE, m);
    let kw = |k: &str| kwargs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone());
    Ok(match name {
        "print" => Value::None,
        "len" => {
            arity(cx, name, &args, 1, 1, span)?;
            match &args[0] {
                Value::Str(s) => Value::Int(s.chars().count() as i64),
                Value::List(l) => Value::Int(l.len() as i64),
                Value::Dict(d) => Value::Int(d.entries.len() as i64),
                other => return Err(bad(format!("object of type '{}' has no len()", other.type_name()))),
            }
        }
        "isunique" => {
            arity(cx, name, &args, 1, 1, span)?;
            match &args[0] {
                Value::List(l) => Value::Bool(l.iter().enumerate().all(|(i, x)| l[..i].iter().all(|y| !equal(x, y)))),
                _ => Value::Bool(true),
            }
        }
        "all_true" | "any_true" => {
            arity(cx, name, &args, 1, 1, span)?;
            let items = items_of(&args[0]);
            Value::Bool(if name == "all_true" {
                items.iter().all(Value::truthy)
            } else {
                items.iter().any(Value::truthy)
            })
        }
        "sorted" => {
            arity(cx, name, &args, 1, 2, span)?;
            let mut items = items_of(&args[0]);
            if !items.iter().all(|v| matches!(v, Value::Str(_))) && !items.iter().all(|v| v.number().is_some()) {
                return Ok(Value::Opaque);
            }
            items.sort_by(order);
            if kw("reverse").is_some_and(|v| v.truthy()) {
                items.reverse();
            }
            Value::list(items)
        }
        "max" | "min" => {
            let items = if args.len() == 1 { items_of(&args[0]) } else { args.clone() };
            let mut best: Option<Value> = None;
            for v in items {
                best = Some(match best {
                    None => v,
                    Some(b) => {
                        let o = order(&v, &b);
                        if (name == "max" && o.is_gt()) || (name == "min" && o.is_lt()) { v } else { b }
                    }
                });
            }
            match best {
                Some(v) => v,
                None => return Err(bad(format!("{name}() arg is an empty sequence"))),
            }
        }
        "sum" => {
            let mut acc = args.get(1).cloned().unwrap_or(Value::Int(0));
            for v in items_of(args.first().unwrap_or(&Value::None)) {
                acc = super::ops::binary(super::super::ast::BinOp::Add, &acc, &v)
                    .map_err(|e| _ev.op_error(cx, span, e))?;
            }
            acc
        }
        "abs" => match args.first().and_then(Value::number) {
            Some(Number::Int(i)) => Value::Int(i.wrapping_abs()),
            Some(Number::Float(f)) => Value::Float(f.abs()),
            None => return Ok(Value::Opaque),
        },
        "int" => {
            arity(cx, name, &args, 0, 2, span)?;
            match args.first() {
                None => Value::Int(0),
                Some(Value::Int(i) | Value::Unit(i, _, _)) => Value::Int(*i),
                Some(Value::Float(f)) => Value::Int(f.trunc() as i64),
                Some(Value::Bool(b)) => Value::Int(i64::from(*b)),
                Some(Value::Str(s)) => {
                    let base = match args.get(1) {
                        Some(Value::Int(b)) => *b as u32,
                        _ => 10,
                    };
                    match i64::from_str_radix(s.trim(), base.clamp(2, 36)) {
                        Ok(i) => Value::Int(i),
                        Err(_) => match parse_unit(s.trim()) {
                            Some(i) => Value::Int(i),
                            None => return Err(bad(format!("invalid literal for int() with base {base}: '{s}'"))),
                        },
                    }
                }
                Some(other) => {
                    return Err(bad(format!(
                        "int() argument must be a string, a bytes-like object or a number, not '{}'",
                        other.type_name()
                    )));
                }
            }
        }
        "float" => match args.first() {
            None => Value::Float(0.0),
            Some(Value::Int(i) | Value::Unit(i, _, _)) => Value::Float(*i as f64),
            Some(Value::Float(f)) => Value::Float(*f),
            Some(Value::Bool(b)) => Value::Float(f64::from(u8::from(*b))),
            Some(Value::Str(s)) => match s.trim().parse::<f64>() {
                Ok(f) => Value::Float(f),
                Err(_) => return Err(bad(format!("could not convert string to float: '{s}'"))),
            },
            Some(_) => return Ok(Value::Opaque),
        },
        "str" => Value::Str(args.first().map(to_str).unwrap_or_default().into()),
        "bool" => Value::Bool(args.first().is_some_and(Value::truthy)),
        "list" => match args.first() {
            None => Value::list(Vec::new()),
            Some(v) => Value::list(items_of(v)),
        },
        "dict" => match args.first() {
            None => {
                let mut d = Dict::default();
                for (k, v) in kwargs {
                    d.insert(k.into(), v);
                }
                Value::dict(d)
            }
            Some(Value::Dict(d)) => Value::dict(Dict { entries: d.entries.clone(), schema: None }),
            Some(_) => return Ok(Value::Opaque),
        },
        "typeof" => Value::Str(args.first().map(Value::type_name).unwrap_or_default().into()),
        "multiplyof" => {
            arity(cx, name, &args, 2, 2, span)?;
            match (&args[0], &args[1]) {
                (Value::Int(a), Value::Int(b)) if *b != 0 => Value::Bool(a % b == 0),
                (Value::Int(_), Value::Int(_)) => {
                    return Err(cx.error(
                        span,
                        error::DIVISION_BY_ZERO,
                        "attempt to calculate the remainder with a divisor of zero",
                    ));
                }
                _ => return Ok(Value::Opaque),
            }
        }
        "range" => {
            let ints: Vec<i64> =
                args.iter().filter_map(|v| if let Value::Int(i) = v { Some(*i) } else { None }).collect();
            if ints.len() != args.len() {
                return Ok(Value::Opaque);
            }
            let (start, stop, step) = match ints.as_slice() {
                [stop] => (0, *stop, 1),
                [start, stop] => (*start, *stop, 1),
                [start, stop, step] => (*start, *stop, *step),
                _ => return Ok(Value::Opaque),
            };
            if step == 0 {
                return Err(bad("range() arg 3 must not be zero".into()));
            }
            let count = ((stop - start) / step).max(0);
            if count > 1 << 24 {
                return Err(cx.error(span, error::BUDGET, "the value built here is too large"));
            }
            Value::list(
                (0..count)
                    .map(|i| Value::Int(start + i * step))
                    .filter(|v| matches!(v, Value::Int(x) if (step > 0 && *x < stop) || (step < 0 && *x > stop)))
                    .collect(),
            )
        }
        "round" => match (args.first().and_then(Value::number), args.get(1)) {
            (Some(n), None) => Value::Int(n.as_f64().round_ties_even() as i64),
            (Some(n), Some(Value::Int(d))) => {
                let f = 10f64.powi(*d as i32);
                Value::Float((n.as_f64() * f).round_ties_even() / f)
            }
            _ => return Ok(Value::Opaque),
        },
        "pow" => match (args.first(), args.get(1)) {
            (Some(a), Some(b)) => {
                super::ops::binary(super::super::ast::BinOp::Pow, a, b).map_err(|e| _ev.op_error(cx, span, e))?
            }
            _ => return Ok(Value::Opaque),
        },
        "hex" | "oct" | "bin" => match args.first() {
            Some(Value::Int(i)) => Value::Str(
                match name {
                    "hex" => format!("{}0x{:x}", if *i < 0 { "-" } else { "" }, i.unsigned_abs()),
                    "oct" => format!("{}0o{:o}", if *i < 0 { "-" } else { "" }, i.unsigned_abs()),
                    _ => format!("{}0b{:b}", if *i < 0 { "-" } else { "" }, i.unsigned_abs()),
                }
                .into(),
            ),
            _ => return Ok(Value::Opaque),
        },
        "ord" => match args.first() {
            Some(Value::Str(s)) if s.chars().count() == 1 => {
                Value::Int(s.chars().next().map(|c| c as i64).unwrap_or(0))
            }
            _ => return Ok(Value::Opaque),
        },
        "zip" => {
            let lists: Vec<Vec<Value>> = args.iter().map(items_of).collect();
            let n = lists.iter().map(Vec::len).min().unwrap_or(0);
            Value::list((0..n).map(|i| Value::list(lists.iter().map(|l| l[i].clone()).collect())).collect())
        }
        _ => Value::Opaque,
    })
}

/// The items of a list, the keys of a dict, the characters of a string.
pub fn items_of<'a>(v: &Value<'a>) -> Vec<Value<'a>> {
    match v {
        Value::List(l) => l.to_vec(),
        Value::Dict(d) => d.entries.iter().map(|(k, _)| Value::Str(Rc::clone(k))).collect(),
        Value::Str(s) => s.chars().map(|c| Value::Str(c.to_string().into())).collect(),
        _ => Vec::new(),
    }
}

fn order(a: &Value, b: &Value) -> std::cmp::Ordering {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => x.cmp(y),
        _ => match (a.number(), b.number()) {
            (Some(x), Some(y)) => x.as_f64().partial_cmp(&y.as_f64()).unwrap_or(std::cmp::Ordering::Equal),
            _ => std::cmp::Ordering::Equal,
        },
    }
}

/// `"2Gi"` as a number of base units.
fn parse_unit(s: &str) -> Option<i64> {
    let split = s.find(|c: char| !c.is_ascii_digit())?;
    let (digits, suffix) = s.split_at(split);
    digits.parse::<i64>().ok()?.checked_mul(unit_factor(suffix)?)
}
