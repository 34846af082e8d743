//! The character-level scanner: splits source text into raw lexemes
//! (including whitespace and comments) without judging them. Mirrors the
//! first stage of KCL's own lexer so that what counts as one lexeme, and
//! where unterminated strings stop, matches the reference exactly.

use super::super::token::TokenKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumBase {
    Binary,
    Octal,
    Hex,
    Decimal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Raw {
    Comment,
    /// `\r`, vertical tab, form feed and a few Unicode separators.
    Whitespace,
    Tab,
    Space,
    Newline,
    Ident,
    /// A string literal; `len` of the whole lexeme is in `Lexeme`.
    Str {
        terminated: bool,
        triple: bool,
    },
    /// `suffix_start` is the byte offset (from the lexeme start) where a
    /// unit suffix such as `Ki` begins; equal to the length if none.
    Int {
        base: NumBase,
        empty: bool,
        suffix_start: usize,
    },
    Float {
        base: NumBase,
        empty_exponent: bool,
        suffix_start: usize,
    },
    /// `\` followed by a newline (or end of input): joins lines.
    LineContinue,
    /// `\` followed by anything else.
    InvalidLineContinue,
    Semi,
    Punct(TokenKind),
    Unknown,
}

#[derive(Clone, Copy, Debug)]
pub struct Lexeme {
    pub raw: Raw,
    pub len: usize,
}

/// Identifier start: `_` or a letter (Unicode letters included).
pub fn is_id_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphabetic())
}

pub fn is_id_continue(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphanumeric())
}

fn is_whitespace(c: char) -> bool {
    matches!(c, '\u{000B}' | '\u{000C}' | '\r' | '\u{0085}' | '\u{200E}' | '\u{200F}' | '\u{2028}' | '\u{2029}')
}

struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn peek_nth(&self, n: usize) -> Option<char> {
        self.text[self.pos..].chars().nth(n)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn eat_while(&mut self, f: impl Fn(char) -> bool) {
        while let Some(c) = self.peek() {
            if !f(c) {
                break;
            }
            self.pos += c.len_utf8();
        }
    }

    fn eat_if(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }
}

/// Operators, once their first character `c` is consumed. Every binary
/// operator but `+` has one augmented-assignment token (`+=` has its own).
impl Cursor<'_> {
    /// `op=` as an augmented assignment, else `op`.
    fn augmented(&mut self, op: TokenKind) -> TokenKind {
        if self.eat_if('=') { TokenKind::OtherAugAssign } else { op }
    }

    /// `cc` (`**`, `//`) or `c`, either of them maybe augmented.
    fn single_or_double(&mut self, c: char, single: TokenKind, double: TokenKind) -> TokenKind {
        let op = if self.eat_if(c) { double } else { single };
        self.augmented(op)
    }

    /// `c=` (`<=`, `>=`), `cc` maybe augmented (`<<`, `>>=`), or `c`.
    fn compare_or_shift(&mut self, c: char, cmp: TokenKind, cmp_eq: TokenKind, shift: TokenKind) -> TokenKind {
        if self.eat_if('=') {
            cmp_eq
        } else if self.eat_if(c) {
            self.augmented(shift)
        } else {
            cmp
        }
    }
}

/// Scans one lexeme at the start of `text` (which must not be empty).
pub fn next_lexeme(text: &str) -> Lexeme {
    use super::super::token::{Delim, TokenKind as K};
    let mut cur = Cursor { text, pos: 0 };
    let c = cur.bump().expect("next_lexeme on empty input");
    let raw = match c {
        '#' => {
            cur.eat_while(|c| c != '\n');
            Raw::Comment
        }
        c if is_whitespace(c) => Raw::Whitespace,
        'r' | 'R' if matches!(cur.peek(), Some('\'' | '"')) => {
            let quote = cur.bump().unwrap();
            quoted_string(&mut cur, quote)
        }
        '\'' | '"' => quoted_string(&mut cur, c),
        '$' if cur.peek().is_some_and(is_id_start) => {
            cur.eat_while(is_id_continue);
            Raw::Ident
        }
        c if is_id_start(c) => {
            cur.eat_while(is_id_continue);
            Raw::Ident
        }
        c @ '0'..='9' => number(&mut cur, c),
        '\t' => Raw::Tab,
        ' ' => Raw::Space,
        '\n' => Raw::Newline,
        ';' => Raw::Semi,
        ',' => Raw::Punct(K::Comma),
        '.' => {
            if cur.peek() == Some('.') && cur.peek_nth(1) == Some('.') {
                cur.bump();
                cur.bump();
                Raw::Punct(K::Ellipsis)
            } else {
                Raw::Punct(K::Dot)
            }
        }
        '(' => Raw::Punct(K::Open(Delim::Paren)),
        ')' => Raw::Punct(K::Close(Delim::Paren)),
        '{' => Raw::Punct(K::Open(Delim::Brace)),
        '}' => Raw::Punct(K::Close(Delim::Brace)),
        '[' => Raw::Punct(K::Open(Delim::Bracket)),
        ']' => Raw::Punct(K::Close(Delim::Bracket)),
        '@' => Raw::Punct(K::At),
        '~' => Raw::Punct(K::Tilde),
        '?' => Raw::Punct(K::Question),
        ':' => Raw::Punct(K::Colon),
        '$' => Raw::Punct(K::Dollar),
        '=' => Raw::Punct(if cur.eat_if('=') { K::EqEq } else { K::Assign }),
        '!' => Raw::Punct(if cur.eat_if('=') { K::NotEq } else { K::Bang }),
        '<' => Raw::Punct(cur.compare_or_shift('<', K::Lt, K::LtEq, K::Shl)),
        '>' => Raw::Punct(cur.compare_or_shift('>', K::Gt, K::GtEq, K::Shr)),
        '+' => Raw::Punct(if cur.eat_if('=') { K::PlusEq } else { K::Plus }),
        '-' => Raw::Punct(cur.augmented(K::Minus)),
        '&' => Raw::Punct(cur.augmented(K::Amp)),
        '|' => Raw::Punct(cur.augmented(K::Pipe)),
        '^' => Raw::Punct(cur.augmented(K::Caret)),
        '%' => Raw::Punct(cur.augmented(K::Percent)),
        '*' => Raw::Punct(cur.single_or_double('*', K::Star, K::StarStar)),
        '/' => Raw::Punct(cur.single_or_double('/', K::Slash, K::SlashSlash)),
        '\\' => match cur.peek() {
            Some('\n') => {
                cur.bump();
                Raw::LineContinue
            }
            None => Raw::LineContinue,
            _ => Raw::InvalidLineContinue,
        },
        _ => Raw::Unknown,
    };
    Lexeme { raw, len: cur.pos }
}

/// A quoted string; the opening quote is already consumed. Single-quoted
/// strings stop (unterminated) before a line break.
fn quoted_string(cur: &mut Cursor, quote: char) -> Raw {
    let triple = cur.peek() == Some(quote) && cur.peek_nth(1) == Some(quote);
    if triple {
        cur.bump();
        cur.bump();
    }
    // Scan bytes: quotes, backslashes and newlines are ASCII, and a byte
    // scan keeps huge strings linear without per-char decoding.
    let bytes = cur.text.as_bytes();
    let q = quote as u8;
    let mut i = cur.pos;
    while i < bytes.len() {
        let b = bytes[i];
        i += 1;
        if b == b'\\' && i < bytes.len() && (bytes[i] == b'\\' || bytes[i] == q) {
            // An escaped quote or backslash; KCL does not look for a line
            // break after it, so `"a\"` + newline keeps scanning.
            i += 1;
            continue;
        }
        if b == q {
            if !triple {
                cur.pos = i;
                return Raw::Str { terminated: true, triple: false };
            }
            if bytes.get(i) == Some(&q) && bytes.get(i + 1) == Some(&q) {
                cur.pos = i + 2;
                return Raw::Str { terminated: true, triple: true };
            }
            continue;
        }
        if !triple && (i >= bytes.len() || bytes[i] == b'\r' || bytes[i] == b'\n') {
            break;
        }
    }
    // Stop on a char boundary (the loop only stops after ASCII or at the end).
    cur.pos = i.min(bytes.len());
    while !cur.text.is_char_boundary(cur.pos) {
        cur.pos += 1;
    }
    Raw::Str { terminated: false, triple: false }
}

fn eat_decimal_digits(cur: &mut Cursor) -> bool {
    let mut has = false;
    while let Some(c) = cur.peek() {
        match c {
            '_' => {}
            '0'..='9' => has = true,
            _ => break,
        }
        cur.bump();
    }
    has
}

fn eat_hex_digits(cur: &mut Cursor) -> bool {
    let mut has = false;
    while let Some(c) = cur.peek() {
        match c {
            '_' => {}
            c if c.is_ascii_hexdigit() => has = true,
            _ => break,
        }
        cur.bump();
    }
    has
}

fn eat_exponent(cur: &mut Cursor) -> bool {
    if matches!(cur.peek(), Some('-' | '+')) {
        cur.bump();
    }
    eat_decimal_digits(cur)
}

/// A unit suffix such as `Ki` directly after a number.
fn eat_suffix(cur: &mut Cursor) {
    if cur.peek().is_some_and(is_id_start) {
        cur.bump();
        cur.eat_while(is_id_continue);
    }
}

/// A number literal; the first digit is consumed. Follows KCL: `0`
/// followed by a digit is an octal prefix (C style), `0b`/`0o`/`0x` are
/// lowercase only (`0X1` lexes as `0` with the invalid suffix `X1`).
fn number(cur: &mut Cursor, first: char) -> Raw {
    let mut base = NumBase::Decimal;
    if first == '0' {
        let has_digits = match cur.peek() {
            Some('b') => {
                base = NumBase::Binary;
                cur.bump();
                eat_decimal_digits(cur)
            }
            Some('o' | '0'..='9') => {
                base = NumBase::Octal;
                cur.bump();
                eat_decimal_digits(cur)
            }
            Some('x') => {
                base = NumBase::Hex;
                cur.bump();
                eat_hex_digits(cur)
            }
            Some('_' | '.' | 'e' | 'E') => {
                eat_decimal_digits(cur);
                true
            }
            _ => {
                let suffix_start = cur.pos;
                eat_suffix(cur);
                return Raw::Int { base, empty: false, suffix_start };
            }
        };
        if !has_digits {
            let suffix_start = cur.pos;
            eat_suffix(cur);
            return Raw::Int { base, empty: true, suffix_start };
        }
    } else {
        eat_decimal_digits(cur);
    }
    let raw = match cur.peek() {
        // `1.` is a float, but `1..` and `1.foo` are not.
        Some('.') if cur.peek_nth(1) != Some('.') && !cur.peek_nth(1).is_some_and(is_id_start) => {
            cur.bump();
            let mut empty_exponent = false;
            if cur.peek().is_some_and(|c| c.is_ascii_digit()) {
                eat_decimal_digits(cur);
                if matches!(cur.peek(), Some('e' | 'E')) {
                    cur.bump();
                    empty_exponent = !eat_exponent(cur);
                }
            }
            Raw::Float { base, empty_exponent, suffix_start: cur.pos }
        }
        Some('e' | 'E') => {
            cur.bump();
            let empty_exponent = !eat_exponent(cur);
            Raw::Float { base, empty_exponent, suffix_start: cur.pos }
        }
        _ => Raw::Int { base, empty: false, suffix_start: cur.pos },
    };
    eat_suffix(cur);
    raw
}
