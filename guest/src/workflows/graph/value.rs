//! The neutral value tree the checks read.

/// A value with the span of the source that produced it.
#[derive(Debug, Clone, PartialEq)]
pub struct Value<S> {
    pub node: Node<S>,
    pub span: S,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node<S> {
    Record(Vec<Field<S>>),
    List(Vec<Value<S>>),
    Str(String),
    Number(f64),
    Bool(bool),
    Null,
    /// Something the adapter could not (or need not) turn into a value,
    /// such as an expression KCL would only know after evaluating it.
    Opaque,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field<S> {
    pub key: String,
    pub value: Value<S>,
}

impl<S> Value<S> {
    pub fn new(node: Node<S>, span: S) -> Self {
        Value { node, span }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.node {
            Node::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn fields(&self) -> Option<&[Field<S>]> {
        match &self.node {
            Node::Record(fields) => Some(fields),
            _ => None,
        }
    }

    /// A number, or the number a duration-like string starts with
    /// (`"30s"` is 30).
    pub fn as_number(&self) -> Option<f64> {
        match &self.node {
            Node::Number(n) => Some(*n),
            Node::Str(s) => leading_number(s),
            _ => None,
        }
    }
}

fn leading_number(s: &str) -> Option<f64> {
    let s = s.trim();
    let end = s
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || ((c == '-' || c == '+') && i == 0)))
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    s[..end].parse().ok()
}
