//! Type annotations at run time: does a value fit, and what does it
//! become (an int where a float is declared becomes a float, a dict
//! where a schema is declared becomes an instance of it).

use std::rc::Rc;

use super::super::ast::{BasicType, LiteralType, Span, Type};
use super::config::Config;
use super::error::Result;
use super::value::{Dict, Value, equal};
use super::{Ctx, Evaluator, Site};

/// Aliases that refer to aliases stop resolving past this depth.
const MAX_ALIAS_DEPTH: u32 = 16;

/// What stays the same while a value and its parts are conformed: the
/// context, the file the type is written in, and the place to report.
#[derive(Clone, Copy)]
struct Conforming<'c, 'a> {
    cx: &'c Ctx<'a>,
    file: usize,
    span: Span,
}

impl<'a> Evaluator<'a> {
    /// `Some(converted)` when `v` fits `ty` (written in `file`), `None`
    /// when it does not. Converting a dict into a schema instance runs
    /// the schema, so that can fail with the schema's own error.
    pub(super) fn conform(
        &self,
        cx: &Ctx<'a>,
        file: usize,
        v: Value<'a>,
        ty: &'a Type,
        span: Span,
    ) -> Result<Option<Value<'a>>> {
        self.conform_at(Conforming { cx, file, span }, v, ty, 0)
    }

    /// [`Self::conform`] below `depth` aliases.
    fn conform_at(&self, at: Conforming<'_, 'a>, v: Value<'a>, ty: &'a Type, depth: u32) -> Result<Option<Value<'a>>> {
        let Conforming { cx, file, span } = at;
        if matches!(v, Value::Opaque | Value::None | Value::Undefined) {
            return Ok(Some(v));
        }
        Ok(match ty {
            Type::Any | Type::Missing => Some(v),
            Type::Basic(b) => match (b, &v) {
                (BasicType::Bool, Value::Bool(_))
                | (BasicType::Int, Value::Int(_))
                | (BasicType::Float, Value::Float(_))
                | (BasicType::Str, Value::Str(_)) => Some(v),
                (BasicType::Float, Value::Int(i)) => Some(Value::Float(*i as f64)),
                // A unit literal (`16Gi`) has type `number_multiplier`,
                // which kcl does not take for `int` or `float`.
                _ => None,
            },
            Type::Literal(l) => {
                let want = match l {
                    LiteralType::Str(s) => Value::str(s),
                    LiteralType::Int(i) => Value::Int(*i),
                    LiteralType::Float(f) => Value::Float(*f),
                    LiteralType::Bool(b) => Value::Bool(*b),
                };
                let same_kind =
                    matches!((&want, &v), (Value::Str(_), Value::Str(_)) | (Value::Bool(_), Value::Bool(_)))
                        || (matches!(want, Value::Int(_) | Value::Float(_))
                            && matches!(v, Value::Int(_) | Value::Float(_)));
                (same_kind && equal(&want, &v)).then_some(v)
            }
            Type::List(inner) => match &v {
                Value::List(items) => match inner {
                    None => Some(v),
                    Some(t) => {
                        let mut out = Vec::with_capacity(items.len());
                        for item in items.iter() {
                            match self.conform_at(at, item.clone(), t, depth)? {
                                Some(x) => out.push(x),
                                None => return Ok(None),
                            }
                        }
                        Some(Value::list(out))
                    }
                },
                _ => None,
            },
            Type::Dict(k, val) => match &v {
                Value::Dict(d) if d.schema.is_none() || (k.is_none() && val.is_none()) => {
                    let mut out = Dict { entries: Vec::with_capacity(d.entries.len()), schema: d.schema.clone() };
                    for (key, item) in &d.entries {
                        if let Some(kt) = k
                            && self.conform_at(at, Value::Str(key.clone()), kt, depth)?.is_none()
                        {
                            return Ok(None);
                        }
                        let item = match val {
                            Some(vt) => match self.conform_at(at, item.clone(), vt, depth)? {
                                Some(x) => x,
                                None => return Ok(None),
                            },
                            None => item.clone(),
                        };
                        out.entries.push((key.clone(), item));
                    }
                    Some(Value::dict(out))
                }
                _ => None,
            },
            Type::Union(items) => {
                // A value that fits a member as it is wins over one that
                // needs converting (an instance over a dict).
                for t in items {
                    if self.fits_without_conversion(file, &v, t) {
                        return Ok(Some(v));
                    }
                }
                for t in items {
                    if let Some(x) = self.conform_at(at, v.clone(), t, depth)? {
                        return Ok(Some(x));
                    }
                }
                None
            }
            Type::Function(want, want_ret) => match &v {
                Value::Func(f) => super::functype::fits(f, want, want_ret.as_deref()).then_some(v),
                Value::Schema(_) => Some(v),
                _ => None,
            },
            Type::Named(name) => {
                let dotted = name.dotted();
                if dotted == "number_multiplier" {
                    return Ok(matches!(v, Value::Unit(..)).then_some(v));
                }
                if name.parts.len() == 1
                    && let Some(alias) = self.alias(file, &dotted)
                {
                    if depth >= MAX_ALIAS_DEPTH {
                        return Ok(Some(v));
                    }
                    return self.conform_at(at, v, alias, depth + 1);
                }
                let Some((schema_file, schema_name)) = self.resolve_schema(file, name) else {
                    return Ok(Some(v));
                };
                match &v {
                    Value::Dict(d) => match &d.schema {
                        Some(s) if self.is_subschema(s, &schema_name) => Some(v),
                        Some(_) => None,
                        None => {
                            let def = match self.schema_def(schema_file, &schema_name) {
                                Some(def) => def,
                                None => return Ok(Some(v)),
                            };
                            if def.is_protocol || def.is_mixin {
                                return Ok(Some(v));
                            }
                            let conf = Config { dict: (**d).clone(), ..Default::default() };
                            Some(self.instantiate(
                                cx,
                                schema_file,
                                def,
                                Vec::new(),
                                Vec::new(),
                                &[],
                                conf,
                                Site::implicit(span),
                            )?)
                        }
                    },
                    _ => None,
                }
            }
        })
    }

    fn fits_without_conversion(&self, file: usize, v: &Value<'a>, ty: &Type) -> bool {
        match (ty, v) {
            (Type::Named(name), Value::Dict(d)) => match (&d.schema, self.resolve_schema(file, name)) {
                (Some(s), Some((_, want))) => self.is_subschema(s, &want),
                _ => false,
            },
            (Type::Basic(BasicType::Str), Value::Str(_))
            | (Type::Basic(BasicType::Int), Value::Int(_))
            | (Type::Basic(BasicType::Bool), Value::Bool(_))
            | (Type::Basic(BasicType::Float), Value::Float(_)) => true,
            (Type::Literal(LiteralType::Str(s)), Value::Str(x)) => **x == **s,
            _ => false,
        }
    }

    /// The schema a type name refers to: in `file`, or through a module.
    pub(super) fn resolve_schema(&self, file: usize, name: &super::super::ast::Name) -> Option<(usize, Rc<str>)> {
        if name.parts.len() == 1 {
            let n = name.first();
            if self.schema_def(file, n).is_some() {
                return Some((file, n.into()));
            }
        }
        let module = self.modules.borrow().get(&file).cloned()?;
        let cx = Ctx { file, scope: module };
        match self.dotted(&cx, name).ok()? {
            Value::Schema(s) => Some((s.file, s.name.clone())),
            _ => None,
        }
    }

    /// Whether the schema named `child` (any file) is `want` or derives
    /// from it.
    fn is_subschema(&self, child: &str, want: &str) -> bool {
        if child == want {
            return true;
        }
        // Instances carry their schema's name only; walk the parents of
        // every schema of that name.
        for (file, defs) in self.defs.iter().enumerate() {
            if let Some(def) = defs.schemas.get(child) {
                let mut at = def.parent.as_ref().and_then(|p| self.resolve_schema(file, p));
                let mut guard = 0;
                while let Some((f, name)) = at {
                    if &*name == want {
                        return true;
                    }
                    guard += 1;
                    if guard > 64 {
                        break;
                    }
                    at = self
                        .schema_def(f, &name)
                        .and_then(|d| d.parent.as_ref())
                        .and_then(|p| self.resolve_schema(f, p));
                }
            }
        }
        false
    }
}
