//! KCL values, and how KCL names, compares and prints them and the types
//! written for them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::super::ast::{BasicType, Expr, LiteralType, Param, Span, Stmt, Type};

/// A value during evaluation. `'a` is the lifetime of the syntax trees:
/// functions and schemas point into them.
#[derive(Clone, Debug)]
pub enum Value<'a> {
    Undefined,
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// A number-unit literal (`2Gi`): its value in base units, and the
    /// literal's number and suffix.
    Unit(i64, i64, &'static str),
    Str(Rc<str>),
    List(Rc<Vec<Value<'a>>>),
    Dict(Rc<Dict<'a>>),
    Func(Rc<Func<'a>>),
    /// A schema or rule used as a value (`Job`, `pkg.Job`).
    Schema(Rc<SchemaRef>),
    Module(Rc<Module<'a>>),
    /// Something this evaluator does not model (an external package, an
    /// unsupported builtin). Every operation on it yields `Opaque` and no
    /// finding, so what cannot be judged is never rejected.
    Opaque,
}

/// A dict or schema instance; insertion-ordered, as KCL's are.
#[derive(Clone, Debug, Default)]
pub struct Dict<'a> {
    pub entries: Vec<(Rc<str>, Value<'a>)>,
    /// The schema this is an instance of.
    pub schema: Option<Rc<str>>,
}

impl<'a> Dict<'a> {
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.entries.iter().find(|(k, _)| &**k == key).map(|(_, v)| v)
    }

    pub fn insert(&mut self, key: Rc<str>, value: Value<'a>) {
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.entries.push((key, value)),
        }
    }
}

/// Something callable.
#[derive(Debug)]
pub enum Func<'a> {
    Lambda {
        params: &'a [Param],
        ret: Option<&'a Type>,
        body: &'a [Stmt],
        span: Span,
        file: usize,
        closure: Rc<Scope<'a>>,
    },
    Builtin(&'static str),
    /// A method of a value: `"a".upper`, `regex.match`.
    Method(Value<'a>, &'static str),
}

/// A schema or rule, named by the file that defines it.
#[derive(Debug)]
pub struct SchemaRef {
    pub file: usize,
    pub name: Rc<str>,
}

/// An imported module: a KCL file's globals, or a builtin module.
#[derive(Debug)]
pub enum Module<'a> {
    File(Rc<Scope<'a>>),
    Builtin(&'static str),
}

/// A scope: a table of names, and the scope it is nested in.
#[derive(Debug, Default)]
pub struct Scope<'a> {
    pub vars: RefCell<HashMap<Rc<str>, Value<'a>>>,
    pub parent: Option<Rc<Scope<'a>>>,
}

impl<'a> Scope<'a> {
    pub fn child(parent: &Rc<Scope<'a>>) -> Rc<Scope<'a>> {
        Rc::new(Scope { vars: RefCell::default(), parent: Some(parent.clone()) })
    }

    pub fn lookup(&self, name: &str) -> Option<Value<'a>> {
        if let Some(v) = self.vars.borrow().get(name) {
            return Some(v.clone());
        }
        self.parent.as_ref().and_then(|p| p.lookup(name))
    }

    pub fn set(&self, name: &str, value: Value<'a>) {
        self.vars.borrow_mut().insert(name.into(), value);
    }

    /// Assigns to the innermost scope that has the name, else this one.
    pub fn assign(&self, name: &str, value: Value<'a>) {
        if self.vars.borrow().contains_key(name) {
            self.set(name, value);
            return;
        }
        let mut at = self.parent.clone();
        while let Some(scope) = at {
            if scope.vars.borrow().contains_key(name) && scope.parent.is_some() {
                scope.set(name, value);
                return;
            }
            at = scope.parent.clone();
        }
        self.set(name, value);
    }
}

impl<'a> Value<'a> {
    pub fn str(s: &str) -> Self {
        Value::Str(s.into())
    }

    pub fn list(items: Vec<Value<'a>>) -> Self {
        Value::List(Rc::new(items))
    }

    pub fn dict(dict: Dict<'a>) -> Self {
        Value::Dict(Rc::new(dict))
    }

    pub fn is_none(&self) -> bool {
        matches!(self, Value::None | Value::Undefined)
    }

    /// KCL's truthiness: empty collections, zero, "", None are false.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Undefined | Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) | Value::Unit(i, _, _) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Dict(d) => !d.entries.is_empty(),
            Value::Func(_) | Value::Schema(_) | Value::Module(_) | Value::Opaque => true,
        }
    }

    /// The type name KCL's `typeof` returns.
    pub fn type_name(&self) -> String {
        match self {
            Value::Undefined => "UndefinedType".into(),
            Value::None => "NoneType".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Float(_) => "float".into(),
            Value::Unit(..) => "number_multiplier".into(),
            Value::Str(_) => "str".into(),
            Value::List(_) => "list".into(),
            Value::Dict(d) => match &d.schema {
                Some(name) => name.to_string(),
                None => "dict".into(),
            },
            Value::Func(f) => signature(f),
            Value::Schema(_) => "schema".into(),
            Value::Module(_) => "module".into(),
            Value::Opaque => "any".into(),
        }
    }

    /// How KCL's type errors show a value: `str(a)`, `int(1)`,
    /// `[int(1) | str(a)]`, `{str(x):int(1)}`, a schema's name.
    pub fn type_str(&self) -> String {
        match self {
            Value::Undefined | Value::None => "NoneType".into(),
            Value::Bool(b) => format!("bool({})", if *b { "True" } else { "False" }),
            Value::Int(i) => format!("int({i})"),
            Value::Float(f) => format!("float({})", fmt_float(*f)),
            Value::Unit(_, n, s) => format!("number_multiplier({n}{s})"),
            Value::Str(s) => format!("str({s})"),
            Value::List(items) => {
                let mut kinds: Vec<String> = Vec::new();
                for item in items.iter() {
                    let k = item.type_str();
                    if !kinds.contains(&k) {
                        kinds.push(k);
                    }
                }
                format!("[{}]", kinds.join(" | "))
            }
            Value::Dict(d) if d.schema.is_some() => self.type_name(),
            Value::Dict(d) => {
                let mut keys: Vec<String> = Vec::new();
                let mut values: Vec<String> = Vec::new();
                for (k, v) in &d.entries {
                    let k = format!("str({k})");
                    if !keys.contains(&k) {
                        keys.push(k);
                    }
                    let v = v.type_str();
                    if !values.contains(&v) {
                        values.push(v);
                    }
                }
                format!("{{{}:{}}}", keys.join(" | "), values.join(" | "))
            }
            other => other.type_name(),
        }
    }

    /// The numeric value, for arithmetic and comparisons.
    pub fn number(&self) -> Option<Number> {
        match self {
            Value::Bool(b) => Some(Number::Int(i64::from(*b))),
            Value::Int(i) => Some(Number::Int(*i)),
            Value::Float(f) => Some(Number::Float(*f)),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    Int(i64),
    Float(f64),
}

impl Number {
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }
}

/// The multiplier of a unit suffix, when it is a whole number.
pub fn unit_factor(suffix: &str) -> Option<i64> {
    Some(match suffix {
        "k" | "K" => 1_000,
        "M" => 1_000_000,
        "G" => 1_000_000_000,
        "T" => 1_000_000_000_000,
        "P" => 1_000_000_000_000_000,
        "Ki" => 1 << 10,
        "Mi" => 1 << 20,
        "Gi" => 1 << 30,
        "Ti" => 1 << 40,
        "Pi" => 1 << 50,
        _ => return None,
    })
}

/// KCL's `==`: numbers compare by value, collections deeply.
pub fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Undefined | Value::None, Value::Undefined | Value::None) => true,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::List(x), Value::List(y)) => x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| equal(p, q)),
        (Value::Dict(x), Value::Dict(y)) => {
            x.entries.len() == y.entries.len() && x.entries.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        (Value::Unit(x, _, _), Value::Unit(y, _, _)) => x == y,
        _ => match (a.number(), b.number()) {
            (Some(Number::Int(x)), Some(Number::Int(y))) => x == y,
            (Some(x), Some(y)) => x.as_f64() == y.as_f64(),
            _ => false,
        },
    }
}

/// A float as KCL prints it: `1.0`, `2.5`, `1e+20`.
pub fn fmt_float(f: f64) -> String {
    if f.is_finite() && f == f.trunc() && f.abs() < 1e16 { format!("{f:.1}") } else { format!("{f}") }
}

/// `str(value)` and `${value}`: strings bare at the top, quoted inside
/// containers, as KCL prints them.
pub fn to_str(value: &Value) -> String {
    match value {
        Value::Str(s) => s.to_string(),
        other => repr(other, false),
    }
}

fn repr(value: &Value, nested: bool) -> String {
    match value {
        Value::Undefined => "Undefined".into(),
        Value::None => "None".into(),
        Value::Bool(b) => (if *b { "True" } else { "False" }).into(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => fmt_float(*f),
        Value::Unit(_, n, s) => format!("{n}{s}"),
        Value::Str(s) if nested => format!("'{s}'"),
        Value::Str(s) => s.to_string(),
        Value::List(items) => {
            // KCL prints a list's strings bare, a dict's quoted.
            let inner: Vec<String> = items.iter().map(|v| repr(v, false)).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Dict(d) => {
            let inner: Vec<String> = d.entries.iter().map(|(k, v)| format!("'{k}': {}", repr(v, true))).collect();
            format!("{{{}}}", inner.join(", "))
        }
        Value::Func(_) => "<function>".into(),
        Value::Schema(s) => format!("<schema {}>", s.name),
        Value::Module(_) => "<module>".into(),
        Value::Opaque => "<any>".into(),
    }
}

/// The expression a config key is written as, as a key string.
pub fn literal_key(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Name(n) => Some(n.dotted()),
        Expr::Str { value, parts, .. } if parts.is_empty() => Some(value.clone()),
        _ => None,
    }
}

/// The `i`-th argument when it is a string.
pub(super) fn str_arg<'v>(args: &'v [Value], i: usize) -> Option<&'v str> {
    match args.get(i) {
        Some(Value::Str(s)) => Some(s),
        _ => None,
    }
}

/// How KCL writes a type in its messages.
pub fn type_display(ty: &Type) -> String {
    match ty {
        Type::Any | Type::Missing => "any".into(),
        Type::Basic(b) => match b {
            BasicType::Bool => "bool",
            BasicType::Int => "int",
            BasicType::Float => "float",
            BasicType::Str => "str",
        }
        .into(),
        Type::Named(n) => n.dotted(),
        Type::Literal(l) => match l {
            LiteralType::Str(s) => format!("str({s})"),
            LiteralType::Int(i) => format!("int({i})"),
            LiteralType::Float(f) => format!("float({})", fmt_float(*f)),
            LiteralType::Bool(b) => format!("bool({})", if *b { "True" } else { "False" }),
        },
        Type::List(inner) => format!("[{}]", inner.as_deref().map(type_display).unwrap_or_else(|| "any".into())),
        Type::Dict(k, v) => format!(
            "{{{}:{}}}",
            k.as_deref().map(type_display).unwrap_or_else(|| "any".into()),
            v.as_deref().map(type_display).unwrap_or_else(|| "any".into())
        ),
        Type::Union(items) => items.iter().map(type_display).collect::<Vec<_>>().join(" | "),
        Type::Function(params, ret) => format!(
            "({}) -> {}",
            params.iter().map(type_display).collect::<Vec<_>>().join(", "),
            ret.as_deref().map(type_display).unwrap_or_else(|| "any".into())
        ),
    }
}

/// A lambda's type as kcl writes it: `(int, str) -> bool`.
fn signature(f: &Func) -> String {
    let Func::Lambda { params, ret, .. } = f else { return "function".into() };
    let shown = |t: Option<&Type>| t.map(type_display).unwrap_or_else(|| "any".into());
    let params: Vec<String> = params.iter().map(|p| shown(p.ty.as_ref())).collect();
    format!("({}) -> {}", params.join(", "), shown(*ret))
}
