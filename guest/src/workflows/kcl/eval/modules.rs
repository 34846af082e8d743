//! The standard-library modules workflows import: `regex`, `math` and
//! `units`. Their other members, and the other modules, are opaque.

use std::rc::Rc;

use super::super::ast::Span;
use super::Ctx;
use super::error::{self, Result};
use super::value::{Func, Value, str_arg, unit_factor};

const MODULES: &[(&str, &[&str])] = &[
    ("regex", &["match", "search", "findall", "replace", "split", "compile"]),
    (
        "math",
        &[
            "ceil",
            "floor",
            "sqrt",
            "pow",
            "log",
            "log2",
            "log10",
            "exp",
            "isnan",
            "isinf",
            "isfinite",
            "factorial",
            "gcd",
            "fabs",
            "modf",
        ],
    ),
    ("json", &["decode"]),
    (
        "units",
        &["to_n", "to_u", "to_m", "to_K", "to_M", "to_G", "to_T", "to_P", "to_Ki", "to_Mi", "to_Gi", "to_Ti", "to_Pi"],
    ),
];

pub fn builtin_module(path: &str) -> Option<&'static str> {
    MODULES.iter().find(|(m, _)| *m == path).map(|(m, _)| *m)
}

/// `module.name`: a modelled function, else opaque.
pub fn member<'a>(module: &str, name: &str) -> Value<'a> {
    let known = MODULES
        .iter()
        .find(|(m, _)| *m == module)
        .and_then(|(m, fs)| fs.iter().find(|f| **f == name).map(|f| (*m, *f)));
    match known {
        Some((m, f)) => Value::Func(Rc::new(Func::Builtin(qualified(m, f)))),
        None => Value::Opaque,
    }
}

/// `"regex.match"` as a `'static` name (the table holds every one).
fn qualified(module: &str, function: &str) -> &'static str {
    const NAMES: &[&str] = &[
        "regex.match",
        "regex.search",
        "regex.findall",
        "regex.replace",
        "regex.split",
        "regex.compile",
        "math.ceil",
        "math.floor",
        "math.sqrt",
        "math.pow",
        "math.log",
        "math.log2",
        "math.log10",
        "math.exp",
        "math.isnan",
        "math.isinf",
        "math.isfinite",
        "math.factorial",
        "math.gcd",
        "math.fabs",
        "math.modf",
        "units.to_n",
        "units.to_u",
        "units.to_m",
        "units.to_K",
        "units.to_M",
        "units.to_G",
        "units.to_T",
        "units.to_P",
        "json.decode",
        "units.to_Ki",
        "units.to_Mi",
        "units.to_Gi",
        "units.to_Ti",
        "units.to_Pi",
    ];
    NAMES.iter().find(|n| n.split_once('.') == Some((module, function))).copied().unwrap_or("opaque.opaque")
}

pub(super) fn call<'a>(
    cx: &Ctx<'a>,
    module: &str,
    function: &str,
    args: Vec<Value<'a>>,
    span: Span,
) -> Result<Value<'a>> {
    let s = |i: usize| str_arg(&args, i);
    let f = |i: usize| args.get(i).and_then(Value::number).map(|n| n.as_f64());
    Ok(match (module, function) {
        ("regex", _) => {
            let (Some(text), Some(pattern)) = (s(0), s(1)) else { return Ok(Value::Opaque) };
            let re = match regex_lite::Regex::new(pattern) {
                Ok(re) => re,
                Err(e) => {
                    return Err(cx.error(
                        span,
                        error::INVALID_VALUE,
                        format!("invalid regular expression '{pattern}': {e}"),
                    ));
                }
            };
            match function {
                // KCL's `match` anchors at the start, like Python's.
                "match" => Value::Bool(re.find(text).is_some_and(|m| m.start() == 0) || anchored(pattern, text)),
                "search" => Value::Bool(re.is_match(text)),
                "findall" => Value::list(re.find_iter(text).map(|m| Value::str(m.as_str())).collect()),
                "split" => Value::list(re.split(text).map(Value::str).collect()),
                "replace" => match s(2) {
                    Some(with) => Value::Str(re.replace_all(text, with).into_owned().into()),
                    None => Value::Opaque,
                },
                _ => Value::Bool(true),
            }
        }
        ("json", "decode") => match s(0) {
            Some(text) => match serde_json::from_str::<serde_json::Value>(text) {
                Ok(json) => from_json(json),
                Err(e) => return Err(cx.error(span, error::INVALID_VALUE, format!("json.decode: {e}"))),
            },
            None => Value::Opaque,
        },
        ("math", "ceil") => f(0).map(|x| Value::Int(x.ceil() as i64)).unwrap_or(Value::Opaque),
        ("math", "floor") => f(0).map(|x| Value::Int(x.floor() as i64)).unwrap_or(Value::Opaque),
        ("math", "sqrt") => f(0).map(|x| Value::Float(x.sqrt())).unwrap_or(Value::Opaque),
        ("math", "fabs") => f(0).map(|x| Value::Float(x.abs())).unwrap_or(Value::Opaque),
        ("math", "exp") => f(0).map(|x| Value::Float(x.exp())).unwrap_or(Value::Opaque),
        ("math", "log") => match (f(0), f(1)) {
            (Some(x), Some(b)) => Value::Float(x.log(b)),
            (Some(x), None) => Value::Float(x.ln()),
            _ => Value::Opaque,
        },
        ("math", "log2") => f(0).map(|x| Value::Float(x.log2())).unwrap_or(Value::Opaque),
        ("math", "log10") => f(0).map(|x| Value::Float(x.log10())).unwrap_or(Value::Opaque),
        ("math", "pow") => match (f(0), f(1)) {
            (Some(x), Some(y)) => Value::Float(x.powf(y)),
            _ => Value::Opaque,
        },
        ("math", "isnan") => f(0).map(|x| Value::Bool(x.is_nan())).unwrap_or(Value::Opaque),
        ("math", "isinf") => f(0).map(|x| Value::Bool(x.is_infinite())).unwrap_or(Value::Opaque),
        ("math", "isfinite") => f(0).map(|x| Value::Bool(x.is_finite())).unwrap_or(Value::Opaque),
        ("math", "gcd") => match (args.first(), args.get(1)) {
            (Some(Value::Int(a)), Some(Value::Int(b))) => Value::Int(gcd(*a, *b)),
            _ => Value::Opaque,
        },
        ("units", to) => {
            let suffix = to.trim_start_matches("to_");
            match (args.first(), unit_factor(suffix)) {
                (Some(Value::Int(n) | Value::Unit(n, _, _)), Some(factor)) => {
                    Value::Str(format!("{}{suffix}", n / factor).into())
                }
                _ => Value::Opaque,
            }
        }
        _ => Value::Opaque,
    })
}

/// A pattern that must match at the start, tried with an explicit `^`.
fn anchored(pattern: &str, text: &str) -> bool {
    regex_lite::Regex::new(&format!("^(?:{pattern})")).is_ok_and(|re| re.is_match(text))
}

fn gcd(a: i64, b: i64) -> i64 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a as i64
}

fn from_json<'a>(json: serde_json::Value) -> Value<'a> {
    use serde_json::Value as J;
    match json {
        J::Null => Value::None,
        J::Bool(b) => Value::Bool(b),
        J::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        J::String(s) => Value::Str(s.into()),
        J::Array(items) => Value::list(items.into_iter().map(from_json).collect()),
        J::Object(map) => {
            let mut d = super::value::Dict::default();
            for (k, v) in map {
                d.insert(k.into(), from_json(v));
            }
            Value::dict(d)
        }
    }
}
