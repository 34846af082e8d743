//! Operators on values, with KCL's rules for mixing types.

use std::rc::Rc;

use super::super::ast::{BinOp, UnaryOp};
use super::value::{Dict, Number, Value, equal};

/// Why an operator failed; the caller adds the position.
#[derive(Debug)]
pub enum OpError {
    /// `unsupported operand type(s) for +: 'str(a)' and 'int(1)'`
    Operands(String),
    DivisionByZero(&'static str),
    /// A result too large to build (a string or list repeated too often).
    TooLarge,
}

/// Strings (bytes) and lists (items) built by `*` and `+` stay below
/// this size.
const MAX_BUILT: usize = 1 << 24;
const MAX_LIST: usize = 1 << 20;

pub fn unary<'a>(op: UnaryOp, v: &Value<'a>) -> Result<Value<'a>, OpError> {
    if matches!(v, Value::Opaque) {
        return Ok(Value::Opaque);
    }
    let bad = |sym: &str| OpError::Operands(format!("bad operand type for unary {sym}: '{}'", v.type_str()));
    match op {
        UnaryOp::Not => Ok(Value::Bool(!v.truthy())),
        UnaryOp::Plus => match v {
            Value::Int(_) | Value::Float(_) => Ok(v.clone()),
            Value::Bool(b) => Ok(Value::Int(i64::from(*b))),
            _ => Err(bad("+")),
        },
        UnaryOp::Minus => match v {
            Value::Int(i) => Ok(Value::Int(i.wrapping_neg())),
            Value::Float(f) => Ok(Value::Float(-f)),
            Value::Bool(b) => Ok(Value::Int(-i64::from(*b))),
            _ => Err(bad("-")),
        },
        UnaryOp::Invert => match v {
            Value::Int(i) => Ok(Value::Int(!i)),
            Value::Bool(b) => Ok(Value::Int(!i64::from(*b))),
            _ => Err(bad("~")),
        },
    }
}

/// A binary operator other than `and`, `or` and `as`.
pub fn binary<'a>(op: BinOp, a: &Value<'a>, b: &Value<'a>) -> Result<Value<'a>, OpError> {
    if matches!(a, Value::Opaque) || matches!(b, Value::Opaque) {
        return Ok(Value::Opaque);
    }
    let unsupported = || {
        OpError::Operands(format!(
            "unsupported operand type(s) for {}: '{}' and '{}'",
            op.symbol(),
            a.type_str(),
            b.type_str()
        ))
    };
    if op.is_comparison() {
        return compare(op, a, b).map(Value::Bool).ok_or_else(unsupported);
    }
    match (op, a, b) {
        (BinOp::Add, Value::Str(x), Value::Str(y)) => Ok(Value::Str(format!("{x}{y}").into())),
        (BinOp::Add, Value::List(x), Value::List(y)) => {
            if x.len() + y.len() > MAX_LIST {
                return Err(OpError::TooLarge);
            }
            Ok(Value::list(x.iter().chain(y.iter()).cloned().collect()))
        }
        (BinOp::Mul, Value::Str(s), n) | (BinOp::Mul, n, Value::Str(s)) if matches!(n, Value::Int(_)) => {
            let count = repeat_count(n, s.len())?;
            Ok(Value::Str(s.repeat(count).into()))
        }
        (BinOp::Mul, Value::List(l), n) | (BinOp::Mul, n, Value::List(l)) if matches!(n, Value::Int(_)) => {
            let count = repeat_count(n, l.len().saturating_mul(MAX_BUILT / MAX_LIST))?;
            let mut out = Vec::with_capacity(l.len() * count);
            for _ in 0..count {
                out.extend(l.iter().cloned());
            }
            Ok(Value::list(out))
        }
        (BinOp::BitOr, Value::Dict(x), Value::Dict(y)) => Ok(Value::Dict(Rc::new(union_dicts(x, y)))),
        // Lists union item by item: `[1, 2] | [3]` is `[3, 2]`.
        (BinOp::BitOr, Value::List(x), Value::List(y)) => Ok(Value::list(
            (0..x.len().max(y.len())).map(|i| y.get(i).or(x.get(i)).cloned().unwrap_or(Value::None)).collect(),
        )),
        (BinOp::BitOr, Value::None | Value::Undefined, other)
        | (BinOp::BitOr, other, Value::None | Value::Undefined) => Ok(other.clone()),
        _ => match (a.number(), b.number()) {
            (Some(x), Some(y)) if !matches!(a, Value::Unit(..)) && !matches!(b, Value::Unit(..)) => {
                arithmetic(op, x, y).ok_or_else(unsupported)?
            }
            _ => Err(unsupported()),
        },
    }
}

/// `a | b` on configs: `b` wins key by key, nested configs merge.
fn union_dicts<'a>(x: &Dict<'a>, y: &Dict<'a>) -> Dict<'a> {
    let mut out = x.clone();
    for (k, v) in &y.entries {
        let merged = match (out.get(k), v) {
            (Some(Value::Dict(old)), Value::Dict(new)) => Value::Dict(Rc::new(union_dicts(old, new))),
            _ => v.clone(),
        };
        out.insert(k.clone(), merged);
    }
    out
}

fn repeat_count(n: &Value, len: usize) -> Result<usize, OpError> {
    let Value::Int(n) = n else { return Ok(0) };
    let count = usize::try_from(*n).unwrap_or(0);
    if len.saturating_mul(count) > MAX_BUILT {
        return Err(OpError::TooLarge);
    }
    Ok(count)
}

fn arithmetic<'a>(op: BinOp, x: Number, y: Number) -> Option<Result<Value<'a>, OpError>> {
    use Number::Int;
    let out = match (op, x, y) {
        // At run time `/` by zero is not an error in KCL: it is inf.
        (BinOp::Div, _, _) => Value::Float(x.as_f64() / y.as_f64()),
        (BinOp::FloorDiv, _, _) if y.as_f64() == 0.0 => {
            return Some(Err(OpError::DivisionByZero("attempt to divide by zero")));
        }
        (BinOp::Mod, _, _) if y.as_f64() == 0.0 => {
            return Some(Err(OpError::DivisionByZero("attempt to calculate the remainder with a divisor of zero")));
        }
        (BinOp::FloorDiv, Int(a), Int(b)) => {
            Value::Int(a.wrapping_div_euclid(b) - i64::from(a.rem_euclid(b) != 0 && b < 0))
        }
        (BinOp::Mod, Int(a), Int(b)) => Value::Int({
            let r = a.wrapping_rem(b);
            if r != 0 && ((r < 0) != (b < 0)) { r + b } else { r }
        }),
        (BinOp::FloorDiv, a, b) => Value::Float((a.as_f64() / b.as_f64()).floor()),
        (BinOp::Mod, a, b) => Value::Float(a.as_f64() - b.as_f64() * (a.as_f64() / b.as_f64()).floor()),
        (BinOp::Add, Int(a), Int(b)) => Value::Int(a.wrapping_add(b)),
        (BinOp::Sub, Int(a), Int(b)) => Value::Int(a.wrapping_sub(b)),
        (BinOp::Mul, Int(a), Int(b)) => Value::Int(a.wrapping_mul(b)),
        (BinOp::Add, a, b) => Value::Float(a.as_f64() + b.as_f64()),
        (BinOp::Sub, a, b) => Value::Float(a.as_f64() - b.as_f64()),
        (BinOp::Mul, a, b) => Value::Float(a.as_f64() * b.as_f64()),
        (BinOp::Pow, Int(a), Int(b)) if b >= 0 => Value::Int(a.wrapping_pow(u32::try_from(b).unwrap_or(u32::MAX))),
        (BinOp::Pow, a, b) => Value::Float(a.as_f64().powf(b.as_f64())),
        (BinOp::Shl, Int(a), Int(b)) if (0..64).contains(&b) => Value::Int(a.wrapping_shl(b as u32)),
        (BinOp::Shr, Int(a), Int(b)) if (0..64).contains(&b) => Value::Int(a.wrapping_shr(b as u32)),
        (BinOp::BitAnd, Int(a), Int(b)) => Value::Int(a & b),
        (BinOp::BitOr, Int(a), Int(b)) => Value::Int(a | b),
        (BinOp::BitXor, Int(a), Int(b)) => Value::Int(a ^ b),
        _ => return None,
    };
    Some(Ok(out))
}

/// Comparison operators; None when the operands cannot be compared.
fn compare(op: BinOp, a: &Value, b: &Value) -> Option<bool> {
    use std::cmp::Ordering;
    let ordering = || -> Option<Ordering> {
        match (a, b) {
            (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
            (Value::Unit(x, _, _), Value::Unit(y, _, _)) => Some(x.cmp(y)),
            (Value::List(x), Value::List(y)) => {
                for (p, q) in x.iter().zip(y.iter()) {
                    if !equal(p, q) {
                        return compare_order(p, q);
                    }
                }
                Some(x.len().cmp(&y.len()))
            }
            _ => compare_order(a, b),
        }
    };
    Some(match op {
        BinOp::Eq => equal(a, b),
        BinOp::NotEq => !equal(a, b),
        BinOp::Is => identical(a, b),
        BinOp::IsNot => !identical(a, b),
        BinOp::In => contains(b, a)?,
        BinOp::NotIn => !contains(b, a)?,
        BinOp::Lt => ordering()? == Ordering::Less,
        BinOp::LtEq => ordering()? != Ordering::Greater,
        BinOp::Gt => ordering()? == Ordering::Greater,
        BinOp::GtEq => ordering()? != Ordering::Less,
        _ => return None,
    })
}

fn compare_order(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a.number()?, b.number()?) {
        (Number::Int(x), Number::Int(y)) => Some(x.cmp(&y)),
        (x, y) => x.as_f64().partial_cmp(&y.as_f64()),
    }
}

fn identical(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::None, Value::None) | (Value::Undefined, Value::Undefined) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::None | Value::Undefined | Value::Bool(_), _) | (_, Value::None | Value::Undefined | Value::Bool(_)) => {
            false
        }
        _ => equal(a, b),
    }
}

/// `item in container`.
fn contains(container: &Value, item: &Value) -> Option<bool> {
    match container {
        Value::List(l) => Some(l.iter().any(|v| equal(v, item))),
        Value::Dict(d) => match item {
            Value::Str(k) => Some(d.get(k).is_some()),
            _ => Some(false),
        },
        Value::Str(s) => match item {
            Value::Str(sub) => Some(s.contains(&**sub)),
            _ => None,
        },
        Value::None | Value::Undefined => Some(false),
        _ => None,
    }
}
