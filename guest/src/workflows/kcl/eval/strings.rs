//! String methods and format specs.

use super::super::ast::Span;
use super::Ctx;
use super::error::{self, Result};
use super::value::{Value, str_arg, to_str};

const METHODS: &[&str] = &[
    "upper",
    "lower",
    "strip",
    "lstrip",
    "rstrip",
    "startswith",
    "endswith",
    "split",
    "join",
    "replace",
    "format",
    "find",
    "rfind",
    "index",
    "rindex",
    "count",
    "isdigit",
    "isalpha",
    "isalnum",
    "islower",
    "isupper",
    "isspace",
    "title",
    "capitalize",
    "removeprefix",
    "removesuffix",
    "splitlines",
    "swapcase",
    "zfill",
];

pub fn method(name: &str) -> Option<&'static str> {
    METHODS.iter().find(|m| **m == name).copied()
}

pub(super) fn call<'a>(cx: &Ctx<'a>, s: &str, name: &str, args: Vec<Value<'a>>, span: Span) -> Result<Value<'a>> {
    if args.iter().any(|v| matches!(v, Value::Opaque)) {
        return Ok(Value::Opaque);
    }
    let text = |t: String| Value::Str(t.into());
    let chars = |a: Option<&str>| -> Vec<char> { a.map(|c| c.chars().collect()).unwrap_or_default() };
    let strip_set = |a: Option<&str>, c: char| match a {
        Some(_) => chars(a).contains(&c),
        None => c.is_whitespace(),
    };
    Ok(match name {
        "upper" => text(s.to_uppercase()),
        "lower" => text(s.to_lowercase()),
        "strip" => text(s.trim_matches(|c| strip_set(str_arg(&args, 0), c)).to_string()),
        "lstrip" => text(s.trim_start_matches(|c| strip_set(str_arg(&args, 0), c)).to_string()),
        "rstrip" => text(s.trim_end_matches(|c| strip_set(str_arg(&args, 0), c)).to_string()),
        "startswith" => match str_arg(&args, 0) {
            Some(p) => Value::Bool(s.starts_with(p)),
            None => Value::Opaque,
        },
        "endswith" => match str_arg(&args, 0) {
            Some(p) => Value::Bool(s.ends_with(p)),
            None => Value::Opaque,
        },
        "split" => {
            let parts: Vec<Value> = match str_arg(&args, 0) {
                Some(sep) if !sep.is_empty() => s.split(sep).map(Value::str).collect(),
                Some(_) => return Err(cx.error(span, error::INVALID_VALUE, "empty separator")),
                None => s.split_whitespace().map(Value::str).collect(),
            };
            Value::list(parts)
        }
        "splitlines" => Value::list(s.lines().map(Value::str).collect()),
        "join" => match args.first() {
            Some(Value::List(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items.iter() {
                    match item {
                        Value::Str(x) => out.push(x.to_string()),
                        Value::Opaque => return Ok(Value::Opaque),
                        other => {
                            return Err(cx.error(
                                span,
                                error::OPERAND_TYPES,
                                format!("sequence item: expected str instance, {} found", other.type_name()),
                            ));
                        }
                    }
                }
                text(out.join(s))
            }
            _ => Value::Opaque,
        },
        "replace" => match (str_arg(&args, 0), str_arg(&args, 1)) {
            (Some(a), Some(b)) => text(s.replace(a, b)),
            _ => Value::Opaque,
        },
        "format" => text(format_positional(s, &args)),
        // `index` and `rindex` are `find` and `rfind` that fail to find.
        "find" | "index" | "rfind" | "rindex" => match str_arg(&args, 0) {
            Some(p) => {
                let found = if name.starts_with('r') { s.rfind(p) } else { s.find(p) };
                match found {
                    Some(i) => Value::Int(s[..i].chars().count() as i64),
                    None if name.ends_with("index") => {
                        return Err(cx.error(span, error::INVALID_VALUE, "substring not found"));
                    }
                    None => Value::Int(-1),
                }
            }
            None => Value::Opaque,
        },
        "count" => match str_arg(&args, 0) {
            Some(p) if !p.is_empty() => Value::Int(s.matches(p).count() as i64),
            Some(_) => Value::Int(s.chars().count() as i64 + 1),
            None => Value::Opaque,
        },
        "isdigit" => Value::Bool(!s.is_empty() && s.chars().all(|c| c.is_ascii_digit())),
        "isalpha" => Value::Bool(!s.is_empty() && s.chars().all(char::is_alphabetic)),
        "isalnum" => Value::Bool(!s.is_empty() && s.chars().all(char::is_alphanumeric)),
        "isspace" => Value::Bool(!s.is_empty() && s.chars().all(char::is_whitespace)),
        "islower" => Value::Bool(s.chars().any(char::is_lowercase) && !s.chars().any(char::is_uppercase)),
        "isupper" => Value::Bool(s.chars().any(char::is_uppercase) && !s.chars().any(char::is_lowercase)),
        "title" => text(title(s)),
        "capitalize" => {
            let mut c = s.chars();
            text(match c.next() {
                Some(first) => first.to_uppercase().chain(c.flat_map(char::to_lowercase)).collect(),
                None => String::new(),
            })
        }
        "swapcase" => {
            text(
                s.chars()
                    .map(|c| {
                        if c.is_uppercase() { c.to_lowercase().collect::<String>() } else { c.to_uppercase().collect() }
                    })
                    .collect(),
            )
        }
        "removeprefix" => match str_arg(&args, 0) {
            Some(p) => text(s.strip_prefix(p).unwrap_or(s).to_string()),
            None => Value::Opaque,
        },
        "removesuffix" => match str_arg(&args, 0) {
            Some(p) => text(s.strip_suffix(p).unwrap_or(s).to_string()),
            None => Value::Opaque,
        },
        "zfill" => match args.first() {
            Some(Value::Int(w)) => {
                text(format!("{:0>width$}", s, width = usize::try_from(*w).unwrap_or(0).min(1 << 20)))
            }
            _ => Value::Opaque,
        },
        _ => Value::Opaque,
    })
}

fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_alpha = false;
    for c in s.chars() {
        if c.is_alphabetic() {
            if prev_alpha {
                out.extend(c.to_lowercase());
            } else {
                out.extend(c.to_uppercase());
            }
            prev_alpha = true;
        } else {
            out.push(c);
            prev_alpha = false;
        }
    }
    out
}

/// `"{} and {}".format(a, b)`, `"{0}"`; other replacement fields are
/// kept as written.
fn format_positional(s: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut next = 0usize;
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        if let Some(stripped) = after.strip_prefix('{') {
            out.push('{');
            rest = stripped;
            continue;
        }
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let field = &after[..close];
        let (index, spec) = match field.split_once(':') {
            Some((i, spec)) => (i, Some(spec)),
            None => (field, None),
        };
        let arg = if index.is_empty() {
            next += 1;
            args.get(next - 1)
        } else {
            index.parse::<usize>().ok().and_then(|i| args.get(i))
        };
        match (arg, spec) {
            (Some(v), Some(spec)) => out.push_str(&format_spec(v, spec)),
            (Some(v), None) => out.push_str(&to_str(v)),
            (None, _) => {
                out.push('{');
                out.push_str(field);
                out.push('}');
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest.replace("}}", "}").as_str());
    out
}

/// A Python-style format spec: `[[fill]align][width][.precision][type]`.
pub fn format_spec(v: &Value, spec: &str) -> String {
    let mut chars: Vec<char> = spec.chars().collect();
    let mut fill = ' ';
    let mut align = None;
    if chars.len() >= 2 && matches!(chars[1], '<' | '>' | '^') {
        fill = chars[0];
        align = Some(chars[1]);
        chars.drain(..2);
    } else if !chars.is_empty() && matches!(chars[0], '<' | '>' | '^') {
        align = Some(chars[0]);
        chars.remove(0);
    }
    let rest: String = chars.into_iter().collect();
    let (width, precision) = match rest.split_once('.') {
        Some((w, p)) => (w, Some(p.trim_end_matches(|c: char| c.is_alphabetic()))),
        None => (rest.trim_end_matches(|c: char| c.is_alphabetic()), None),
    };
    let body = match (precision.and_then(|p| p.parse::<usize>().ok()), v.number()) {
        (Some(p), Some(n)) => format!("{:.*}", p, n.as_f64()),
        _ => to_str(v),
    };
    let width = width.parse::<usize>().unwrap_or(0).min(1 << 16);
    let len = body.chars().count();
    if len >= width {
        return body;
    }
    let pad = width - len;
    let padding = |n: usize| fill.to_string().repeat(n);
    let default_right = v.number().is_some();
    match align.unwrap_or(if default_right { '>' } else { '<' }) {
        '>' => format!("{}{body}", padding(pad)),
        '^' => format!("{}{body}{}", padding(pad / 2), padding(pad - pad / 2)),
        _ => format!("{body}{}", padding(pad)),
    }
}
