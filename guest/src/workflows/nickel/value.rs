//! The exported [`NickelValue`] → our neutral [`Value`] tree, with source spans.
//!
//! Only called after `serialize::validate` accepted the value, so every node is one that
//! `nickel export` would write. The walk is iterative: values as deep as nickel itself can
//! evaluate and serialize must not overflow the stack here.

use std::vec::IntoIter;

use malachite::base::{num::conversion::traits::RoundingFrom, rounding_modes::RoundingMode};
use nickel_lang_core::{
    eval::value::{Container, EnumVariantData, NickelValue, ValueContentRef},
    files::Files,
    position::PosTable,
    term::Number,
};

use super::{
    span::{span_of_pos, span_of_raw},
    types::{Span, Value, ValueKind},
};

pub fn to_value(root: &NickelValue, files: &Files, pos_table: &PosTable) -> Value {
    let conv = Converter { files, pos_table };
    let mut stack: Vec<Frame<'_>> = Vec::new();
    let mut pending = Some(root);
    loop {
        // Descend into `pending` until reaching a leaf or a container to fill.
        let mut finished = match pending.take().map(|v| conv.open(v)) {
            Some(Opened::Leaf(value)) => value,
            Some(Opened::Container(frame)) => {
                stack.push(frame);
                match stack.last_mut().and_then(Frame::next_child) {
                    Some(child) => {
                        pending = Some(child);
                        continue;
                    }
                    None => match stack.pop() {
                        Some(frame) => frame.close(),
                        None => unreachable_leaf(),
                    },
                }
            }
            None => unreachable_leaf(),
        };
        // Hand the finished value to its parent; close every container that is now complete.
        loop {
            let Some(top) = stack.last_mut() else {
                return finished;
            };
            top.accept(finished);
            if let Some(child) = top.next_child() {
                pending = Some(child);
                break;
            }
            finished = match stack.pop() {
                Some(frame) => frame.close(),
                None => unreachable_leaf(),
            };
        }
    }
}

/// The loop above never reaches this (it always has a pending value or a frame); returning a
/// null instead of panicking keeps the engine panic-free even if that reasoning is wrong.
fn unreachable_leaf() -> Value {
    Value { kind: ValueKind::Null, span: None }
}

struct Converter<'a> {
    files: &'a Files,
    pos_table: &'a PosTable,
}

enum Opened<'v> {
    Leaf(Value),
    Container(Frame<'v>),
}

enum Frame<'v> {
    List {
        span: Option<Span>,
        done: Vec<Value>,
        todo: IntoIter<&'v NickelValue>,
    },
    Record {
        span: Option<Span>,
        done: Vec<(String, Value, Option<Span>)>,
        todo: IntoIter<(String, Option<Span>, &'v NickelValue)>,
        /// Name and name span of the field whose value is being converted.
        current: Option<(String, Option<Span>)>,
    },
}

impl<'v> Frame<'v> {
    fn next_child(&mut self) -> Option<&'v NickelValue> {
        match self {
            Frame::List { todo, .. } => todo.next(),
            Frame::Record { todo, current, .. } => {
                let (name, name_span, value) = todo.next()?;
                *current = Some((name, name_span));
                Some(value)
            }
        }
    }

    fn accept(&mut self, value: Value) {
        match self {
            Frame::List { done, .. } => done.push(value),
            Frame::Record { done, current, .. } => {
                if let Some((name, name_span)) = current.take() {
                    done.push((name, value, name_span));
                }
            }
        }
    }

    fn close(self) -> Value {
        match self {
            Frame::List { span, done, .. } => Value { kind: ValueKind::List(done), span },
            Frame::Record { span, done, .. } => Value { kind: ValueKind::Record(done), span },
        }
    }
}

impl Converter<'_> {
    fn open<'v>(&self, value: &'v NickelValue) -> Opened<'v> {
        let span = span_of_pos(self.files, self.pos_table, value.pos_idx());
        let leaf = |kind| Opened::Leaf(Value { kind, span: span.clone() });
        match value.content_ref() {
            ValueContentRef::Null => leaf(ValueKind::Null),
            ValueContentRef::Bool(b) => leaf(ValueKind::Bool(b)),
            ValueContentRef::Number(n) => leaf(ValueKind::Number(to_f64(n))),
            ValueContentRef::String(s) => leaf(ValueKind::String(s.to_string())),
            ValueContentRef::EnumVariant(EnumVariantData { tag, arg: None }) => {
                leaf(ValueKind::String(tag.label().to_owned()))
            }
            ValueContentRef::Array(Container::Empty) => leaf(ValueKind::List(Vec::new())),
            ValueContentRef::Record(Container::Empty) => leaf(ValueKind::Record(Vec::new())),
            ValueContentRef::Array(Container::Alloc(data)) => {
                let items: Vec<&'v NickelValue> = data.array.iter().collect();
                Opened::Container(Frame::List { span, done: Vec::with_capacity(items.len()), todo: items.into_iter() })
            }
            ValueContentRef::Record(Container::Alloc(record)) => {
                // The same selection and order as nickel's serializer: defined, exported fields,
                // sorted by name.
                let mut fields: Vec<(String, Option<Span>, &'v NickelValue)> = record
                    .fields
                    .iter()
                    .filter(|(_, field)| !field.metadata.not_exported())
                    .filter_map(|(id, field)| {
                        let value = field.value.as_ref()?;
                        let name_span = id.pos.into_opt().and_then(|raw| span_of_raw(self.files, raw));
                        Some((id.label().to_owned(), name_span, value))
                    })
                    .collect();
                fields.sort_by(|a, b| a.0.cmp(&b.0));
                Opened::Container(Frame::Record {
                    span,
                    done: Vec::with_capacity(fields.len()),
                    todo: fields.into_iter(),
                    current: None,
                })
            }
            // Not serializable, so export would have rejected it before we get here.
            _ => leaf(ValueKind::Null),
        }
    }
}

/// The nearest `f64`, which is what nickel's JSON output denotes (it writes integers that fit
/// `i64`/`u64` exactly, but those round to the same `f64`).
fn to_f64(n: &Number) -> f64 {
    f64::rounding_from(n, RoundingMode::Nearest).0
}
