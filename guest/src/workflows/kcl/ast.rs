//! The syntax tree the parser builds and the strict checks walk.
//!
//! It keeps what validation needs (names, attributes, literal values,
//! spans) and flattens left-recursive chains: a binary chain is one node
//! with a list of operands and `a.b(c)[d]` is one node with a list of
//! suffixes. Deep trees would otherwise make even `Drop` recurse 100,000
//! levels on adversarial input; recursion in this tree is bounded by the
//! parser's nesting limit.

/// Byte offsets into the file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: u32, end: u32) -> Self {
        Span { start, end: end.max(start) }
    }

    pub fn to(self, other: Span) -> Span {
        Span::new(self.start, other.end.max(self.end))
    }
}

/// A possibly dotted name: `a`, `pkg.Schema`.
#[derive(Clone, Debug, PartialEq)]
pub struct Name {
    pub parts: Vec<String>,
    pub span: Span,
}

impl Name {
    pub fn first(&self) -> &str {
        self.parts.first().map(String::as_str).unwrap_or("")
    }

    pub fn dotted(&self) -> String {
        self.parts.join(".")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Plus,
    Minus,
    Invert,
    Not,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `x as T`: the right operand is a type, not a value.
    As,
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    Shl,
    Shr,
    BitAnd,
    BitOr,
    BitXor,
    And,
    Or,
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    Is,
    IsNot,
    In,
    NotIn,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        use BinOp::*;
        match self {
            As => "as",
            Add => "+",
            Sub => "-",
            Mul => "*",
            Div => "/",
            FloorDiv => "//",
            Mod => "%",
            Pow => "**",
            Shl => "<<",
            Shr => ">>",
            BitAnd => "&",
            BitOr => "|",
            BitXor => "^",
            And => "and",
            Or => "or",
            Eq => "==",
            NotEq => "!=",
            Lt => "<",
            LtEq => "<=",
            Gt => ">",
            GtEq => ">=",
            Is => "is",
            IsNot => "is not",
            In => "in",
            NotIn => "not in",
        }
    }

    pub fn is_comparison(self) -> bool {
        use BinOp::*;
        matches!(self, Eq | NotEq | Lt | LtEq | Gt | GtEq | Is | IsNot | In | NotIn)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryOp {
    /// `k: v`
    Union,
    /// `k = v`
    Override,
    /// `k += v`
    Insert,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Name(Name),
    /// `value` is the numeric value without unit suffix, when known.
    Number {
        value: Option<f64>,
        span: Span,
    },
    /// `value` is the literal's value, escapes decoded; `parts` are the
    /// `${...}` expressions, and `template` says how to join them.
    Str {
        value: String,
        parts: Vec<Expr>,
        template: Option<Box<Template>>,
        span: Span,
    },
    /// True, False, None, Undefined.
    Constant(Span),
    List {
        items: Vec<Expr>,
        span: Span,
    },
    ListComp {
        elt: Box<Expr>,
        clauses: Vec<CompClause>,
        span: Span,
    },
    Config {
        entries: Vec<Entry>,
        span: Span,
    },
    DictComp {
        entry: Box<Entry>,
        clauses: Vec<CompClause>,
        span: Span,
    },
    /// `Name {..}` or `Name(args) {..}`; `config` is an `Expr::Config`.
    Schema {
        name: Name,
        args: Vec<Expr>,
        kwargs: Vec<Keyword>,
        config: Box<Expr>,
        span: Span,
    },
    Lambda {
        params: Vec<Param>,
        ret: Option<Type>,
        body: Vec<Stmt>,
        span: Span,
    },
    /// `all/any/map/filter x in xs { test if cond }`.
    Quant {
        vars: Vec<Name>,
        target: Box<Expr>,
        test: Box<Expr>,
        cond: Option<Box<Expr>>,
        span: Span,
    },
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
        span: Span,
    },
    /// `operands[0] ops[0] operands[1] ...`, precedence not represented.
    Binary {
        operands: Vec<Expr>,
        ops: Vec<BinOp>,
        span: Span,
    },
    IfElse {
        body: Box<Expr>,
        cond: Box<Expr>,
        orelse: Box<Expr>,
        span: Span,
    },
    Paren(Box<Expr>, Span),
    /// An operand followed by `.x`, `?.x`, `(...)`, `[...]`.
    Suffixed {
        base: Box<Expr>,
        suffixes: Vec<Suffix>,
        span: Span,
    },
    Starred(Box<Expr>, Span),
    /// `if c: x elif d: y else: z` inside a list.
    ListIf {
        branches: Vec<(Option<Expr>, Vec<Expr>)>,
        span: Span,
    },
    /// `if c: k = v ...` inside a config.
    ConfigIf {
        branches: Vec<(Option<Expr>, Vec<Entry>)>,
        span: Span,
    },
    /// Where an expression was required but absent (after an error).
    Missing(Span),
}

impl Expr {
    pub fn span(&self) -> Span {
        match self {
            Expr::Name(n) => n.span,
            Expr::Number { span, .. }
            | Expr::Str { span, .. }
            | Expr::List { span, .. }
            | Expr::ListComp { span, .. }
            | Expr::Config { span, .. }
            | Expr::DictComp { span, .. }
            | Expr::Schema { span, .. }
            | Expr::Lambda { span, .. }
            | Expr::Quant { span, .. }
            | Expr::Unary { span, .. }
            | Expr::Binary { span, .. }
            | Expr::IfElse { span, .. }
            | Expr::Suffixed { span, .. }
            | Expr::ListIf { span, .. }
            | Expr::ConfigIf { span, .. } => *span,
            Expr::Constant(span) | Expr::Paren(_, span) | Expr::Starred(_, span) | Expr::Missing(span) => *span,
        }
    }

    pub fn is_missing(&self) -> bool {
        matches!(self, Expr::Missing(_))
    }
}

/// The literal pieces around an interpolated string's parts:
/// `literals[0] parts[0] literals[1] ... literals[n]`, and each part's
/// format spec (`${x: #>10}`).
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    pub literals: Vec<String>,
    pub specs: Vec<Option<String>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Suffix {
    Attr(String),
    Call {
        args: Vec<Expr>,
        kwargs: Vec<Keyword>,
    },
    /// `[index]`.
    Index(Vec<Expr>),
    /// `[lower:upper:step]`.
    Slice(Vec<Expr>),
    /// `?`: the following access is optional (`a?.b`, `a?[0]`).
    Optional,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Keyword {
    pub name: String,
    pub value: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// None for `**spread` and `if` entries.
    pub key: Option<Expr>,
    pub op: EntryOp,
    pub value: Expr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CompClause {
    pub targets: Vec<Name>,
    pub iter: Expr,
    pub ifs: Vec<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: String,
    pub span: Span,
    pub ty: Option<Type>,
    pub default: Option<Expr>,
}

/// The built-in scalar types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BasicType {
    Bool,
    Int,
    Float,
    Str,
}

/// A literal type: `"a"`, `1`, `2.5`, `True`.
#[derive(Clone, Debug, PartialEq)]
pub enum LiteralType {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    Any,
    Basic(BasicType),
    Named(Name),
    Literal(LiteralType),
    List(Option<Box<Type>>),
    Dict(Option<Box<Type>>, Option<Box<Type>>),
    Union(Vec<Type>),
    Function(Vec<Type>, Option<Box<Type>>),
    Missing,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Attr {
    pub name: String,
    pub span: Span,
    pub optional: bool,
    pub ty: Type,
    pub value: Option<Expr>,
    pub decorators: Vec<Expr>,
}

/// `[key: K]: V [= default]`, or `[...K]: V` (any other key).
#[derive(Clone, Debug, PartialEq)]
pub struct IndexSignature {
    /// The name the key is bound to in the schema body and checks.
    pub key_name: Option<String>,
    pub key_ty: Type,
    pub value_ty: Type,
    pub value: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CheckExpr {
    pub test: Expr,
    pub cond: Option<Expr>,
    pub msg: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SchemaDef {
    pub name: String,
    pub span: Span,
    pub is_mixin: bool,
    pub is_protocol: bool,
    pub params: Vec<Param>,
    pub parent: Option<Name>,
    pub for_host: Option<Name>,
    pub mixins: Vec<Name>,
    pub decorators: Vec<Expr>,
    pub body: Vec<Stmt>,
    pub index_signature: Option<IndexSignature>,
    pub checks: Vec<CheckExpr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RuleDef {
    pub name: String,
    pub span: Span,
    pub params: Vec<Param>,
    pub parents: Vec<Name>,
    pub for_host: Option<Name>,
    pub decorators: Vec<Expr>,
    pub checks: Vec<CheckExpr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    /// As written: `a.b`, `.x`, `..y.z`.
    pub path: String,
    pub asname: Option<String>,
    pub span: Span,
}

impl Import {
    /// The name the import binds in the module.
    pub fn bound_name(&self) -> &str {
        match &self.asname {
            Some(a) => a,
            None => self.path.rsplit('.').next().unwrap_or(&self.path),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Stmt {
    Expr {
        exprs: Vec<Expr>,
        span: Span,
    },
    /// `a = b = value`, `a: T = value`. Targets are expressions
    /// (`a`, `a.b`, `a[0]`).
    Assign {
        targets: Vec<Expr>,
        ty: Option<Type>,
        value: Expr,
        span: Span,
    },
    AugAssign {
        target: Expr,
        value: Expr,
        span: Span,
    },
    /// `a: Schema {...}`
    Unification {
        target: Expr,
        value: Expr,
        span: Span,
    },
    Import(Import),
    TypeAlias {
        name: Name,
        ty: Type,
        span: Span,
    },
    Assert {
        test: Expr,
        cond: Option<Expr>,
        msg: Option<Expr>,
        span: Span,
    },
    /// `if`/`elif`/`else` branches; the `else` has no condition.
    If {
        branches: Vec<(Option<Expr>, Vec<Stmt>)>,
        span: Span,
    },
    Schema(Box<SchemaDef>),
    Rule(Box<RuleDef>),
    /// A schema attribute declaration `name[?]: T [= value]`.
    Attr(Box<Attr>),
}

impl Stmt {
    pub fn span(&self) -> Span {
        match self {
            Stmt::Expr { span, .. }
            | Stmt::Assign { span, .. }
            | Stmt::AugAssign { span, .. }
            | Stmt::Unification { span, .. }
            | Stmt::TypeAlias { span, .. }
            | Stmt::Assert { span, .. }
            | Stmt::If { span, .. } => *span,
            Stmt::Import(i) => i.span,
            Stmt::Schema(d) => d.span,
            Stmt::Rule(d) => d.span,
            Stmt::Attr(a) => a.span,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Module {
    pub body: Vec<Stmt>,
}
