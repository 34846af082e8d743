//! Tokens produced by the lexer. A token is a kind plus a byte span into
//! the source; text is sliced from the source on demand, so tokens stay
//! `Copy` and 12 bytes wide even for 10 MB inputs.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delim {
    Paren,
    Bracket,
    Brace,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Ident,
    Int,
    Float,
    Str {
        triple: bool,
        raw: bool,
    },
    /// `# ...`; kept in the stream only inside `${...}` interpolations,
    /// where it carries a format spec.
    Comment,
    Newline,
    Indent,
    /// `valid` is false when the line dedents to a column between two
    /// open indentation levels; KCL reports that when the parser meets it.
    Dedent {
        valid: bool,
    },
    Eof,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    StarStar,
    SlashSlash,
    Caret,
    Amp,
    Pipe,
    Shl,
    Shr,
    Tilde,
    /// `!`: lexed so that the parser can recover, but always an error.
    Bang,
    /// `+=`: the only augmented assignment allowed in config entries.
    PlusEq,
    /// `-=`, `*=`, `|=`, ... every other augmented assignment.
    OtherAugAssign,
    EqEq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    At,
    Dot,
    Ellipsis,
    Comma,
    Colon,
    Dollar,
    Question,
    Assign,
    Arrow,
    Open(Delim),
    Close(Delim),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: u32,
    pub end: u32,
}

impl Token {
    pub fn new(kind: TokenKind, start: usize, end: usize) -> Self {
        Token { kind, start: start as u32, end: end as u32 }
    }

    pub fn is_str(&self) -> bool {
        matches!(self.kind, TokenKind::Str { .. })
    }

    /// How KCL names a token in "expected one of [...] got X" messages.
    pub fn describe(&self, src: &str) -> String {
        use TokenKind::*;
        match self.kind {
            Ident => "identifier".to_string(),
            Int | Float | Str { .. } => {
                let text = &src[self.start as usize..self.end as usize];
                let shown: String = text.chars().take(40).collect();
                shown
            }
            Comment => "comment".to_string(),
            Newline => "newline".to_string(),
            Indent => "indent".to_string(),
            Dedent { .. } => "dedent".to_string(),
            Eof => "eof".to_string(),
            _ => symbol(self.kind).to_string(),
        }
    }
}

/// The source spelling of punctuation and operator tokens.
pub fn symbol(kind: TokenKind) -> &'static str {
    use TokenKind::*;
    match kind {
        Plus => "+",
        Minus => "-",
        Star => "*",
        Slash => "/",
        Percent => "%",
        StarStar => "**",
        SlashSlash => "//",
        Caret => "^",
        Amp => "&",
        Pipe => "|",
        Shl => "<<",
        Shr => ">>",
        Tilde => "~",
        Bang => "!",
        PlusEq => "+=",
        OtherAugAssign => "augmented assignment",
        EqEq => "==",
        NotEq => "!=",
        Lt => "<",
        LtEq => "<=",
        Gt => ">",
        GtEq => ">=",
        At => "@",
        Dot => ".",
        Ellipsis => "...",
        Comma => ",",
        Colon => ":",
        Dollar => "$",
        Question => "?",
        Assign => "=",
        Arrow => "->",
        Open(Delim::Paren) => "(",
        Open(Delim::Bracket) => "[",
        Open(Delim::Brace) => "{",
        Close(Delim::Paren) => ")",
        Close(Delim::Bracket) => "]",
        Close(Delim::Brace) => "}",
        Ident => "identifier",
        Int => "int",
        Float => "float",
        Str { .. } => "string",
        Comment => "comment",
        Newline => "newline",
        Indent => "indent",
        Dedent { .. } => "dedent",
        Eof => "eof",
    }
}

/// Words the grammar gives meaning to. KCL lexes them as identifiers and
/// the parser checks the text, so most are still legal attribute names.
pub const KEYWORDS: &[&str] = &[
    "True",
    "False",
    "None",
    "Undefined",
    "import",
    "as",
    "rule",
    "schema",
    "mixin",
    "protocol",
    "check",
    "for",
    "assert",
    "if",
    "elif",
    "else",
    "or",
    "and",
    "not",
    "in",
    "is",
    "lambda",
    "all",
    "any",
    "filter",
    "map",
    "type",
];
