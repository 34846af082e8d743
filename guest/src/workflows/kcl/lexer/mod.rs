//! The lexer: raw lexemes → tokens, with KCL's indentation rules.
//!
//! Like KCL, the lexer emits `Newline`, `Indent` and `Dedent` tokens even
//! inside brackets; the parser decides where they are tolerated. That is
//! why `[1,\n    2]` is fine but `f(1,\n    2)` is not. Errors never stop
//! lexing: every problem is recorded and a best-effort token emitted.

mod literal;
mod raw;

use super::diagnostic::{self as codes, RawDiag};
use super::token::{Delim, Token, TokenKind};
use raw::{NumBase, Raw};

pub use literal::{INT_SUFFIXES, NumberLiteral, decode_string, int_value, number_literal};

/// An indentation level: KCL counts tabs and spaces separately and
/// refuses comparisons where they disagree.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Level {
    tabs: usize,
    spaces: usize,
}

impl Level {
    fn cmp(&self, other: &Level) -> Result<std::cmp::Ordering, ()> {
        use std::cmp::Ordering::*;
        match self.tabs.cmp(&other.tabs) {
            Less if self.spaces <= other.spaces => Ok(Less),
            Greater if self.spaces >= other.spaces => Ok(Greater),
            Equal => Ok(self.spaces.cmp(&other.spaces)),
            _ => Err(()),
        }
    }
}

struct Lexer<'a> {
    src: &'a str,
    /// Added to every offset: interpolations are lexed from a slice.
    base: usize,
    pos: usize,
    out: Vec<Token>,
    diags: &'a mut Vec<RawDiag>,
    at_line_start: bool,
    tabs: usize,
    spaces: usize,
    levels: Vec<Level>,
    delims: Vec<Delim>,
}

/// Tokenizes `src`. Offsets in tokens and diagnostics are `base + offset`.
/// Comment tokens are kept; [`strip_comments`] removes them for the
/// statement parser.
pub fn tokenize(src: &str, base: usize, diags: &mut Vec<RawDiag>) -> Vec<Token> {
    let mut lexer = Lexer {
        src,
        base,
        pos: 0,
        out: Vec::with_capacity(src.len() / 4 + 8),
        diags,
        at_line_start: false,
        tabs: 0,
        spaces: 0,
        levels: vec![Level::default()],
        delims: Vec::new(),
    };
    lexer.run();
    lexer.out
}

/// Drops comments and makes sure a `Newline` precedes `Eof`, as KCL's
/// parser does before it starts.
pub fn strip_comments(tokens: Vec<Token>) -> Vec<Token> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut prev = None;
    for tok in tokens {
        if tok.kind == TokenKind::Eof {
            if prev != Some(TokenKind::Newline) {
                out.push(Token { kind: TokenKind::Newline, ..tok });
            }
            out.push(tok);
            break;
        }
        prev = Some(tok.kind);
        if tok.kind != TokenKind::Comment {
            out.push(tok);
        }
    }
    out
}

impl<'a> Lexer<'a> {
    /// A finding at `start..end` of the text being lexed.
    fn diag(&self, start: usize, end: usize, code: &'static str, message: impl Into<String>) -> RawDiag {
        RawDiag::new((self.base + start) as u32, (self.base + end) as u32, code, message)
    }

    fn error(&mut self, start: usize, end: usize, code: &'static str, message: impl Into<String>) {
        self.diags.push(self.diag(start, end, code, message));
    }

    fn error_hint(
        &mut self,
        start: usize,
        end: usize,
        code: &'static str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.diags.push(self.diag(start, end, code, message).with_hint(hint));
    }

    fn push(&mut self, kind: TokenKind, start: usize, end: usize) {
        self.out.push(Token::new(kind, self.base + start, self.base + end));
    }

    fn run(&mut self) {
        while self.pos < self.src.len() {
            if self.blanks() {
                continue;
            }
            let lexeme = raw::next_lexeme(&self.src[self.pos..]);
            let start = self.pos;
            let end = start + lexeme.len;
            let pending = self.indentation(lexeme.raw, start);
            self.pos = end;
            if let Some(kind) = self.token_kind(lexeme.raw, start, end) {
                // KCL attaches indentation to the next *emitted* token; a
                // skipped lexeme (whitespace, `\`) silently drops it.
                for tok in pending {
                    self.out.push(tok);
                }
                if kind == TokenKind::Gt && self.out.last().is_some_and(|t| t.kind == TokenKind::Minus) {
                    // `->` is formed by looking back, so `- >` is an arrow too.
                    self.out.pop();
                    let at = (self.base + start).saturating_sub(1);
                    self.out.push(Token::new(TokenKind::Arrow, at, self.base + end));
                } else {
                    self.push(kind, start, end);
                }
            }
        }
        self.finish();
    }

    /// Skips a run of spaces and tabs, counting them as indentation at the
    /// start of a line: what one lexeme per blank would do, for the
    /// commonest lexemes by far (an indented line starts with eight).
    fn blanks(&mut self) -> bool {
        let run = self.src.as_bytes()[self.pos..].iter().take_while(|&&b| b == b' ' || b == b'\t');
        let (mut tabs, mut spaces) = (0, 0);
        for &b in run {
            if b == b'\t' { tabs += 1 } else { spaces += 1 }
        }
        if tabs + spaces == 0 {
            return false;
        }
        if self.at_line_start {
            self.tabs += tabs;
            self.spaces += spaces;
        }
        self.pos += tabs + spaces;
        true
    }

    /// Indentation bookkeeping for the first lexemes of a line. Returns
    /// the Indent/Dedent tokens that precede the first real token.
    fn indentation(&mut self, raw: Raw, start: usize) -> Vec<Token> {
        if !self.at_line_start {
            return Vec::new();
        }
        match raw {
            Raw::Comment | Raw::Newline => {
                self.tabs = 0;
                self.spaces = 0;
                Vec::new()
            }
            Raw::Tab => {
                self.tabs += 1;
                Vec::new()
            }
            Raw::Space => {
                self.spaces += 1;
                Vec::new()
            }
            _ => {
                self.at_line_start = false;
                self.indent_for(start)
            }
        }
    }

    fn indent_for(&mut self, start: usize) -> Vec<Token> {
        use std::cmp::Ordering::*;
        let level = Level { tabs: self.tabs, spaces: self.spaces };
        self.tabs = 0;
        self.spaces = 0;
        let at = self.base + start;
        let current = *self.levels.last().unwrap();
        match level.cmp(&current) {
            Err(()) => {
                self.error(start, start, codes::INDENTATION, "inconsistent use of tabs and spaces in indentation");
                Vec::new()
            }
            Ok(Equal) => Vec::new(),
            Ok(Greater) => {
                self.levels.push(level);
                vec![Token::new(TokenKind::Indent, at, at)]
            }
            Ok(Less) => {
                let mut dedents = Vec::new();
                let mut popped = Vec::new();
                loop {
                    let current = *self.levels.last().unwrap_or(&Level::default());
                    match level.cmp(&current) {
                        Ok(Less) => {
                            if let Some(l) = self.levels.pop() {
                                popped.push(l);
                            }
                            if self.levels.is_empty() {
                                self.levels.push(Level::default());
                            }
                            dedents.push(Token::new(TokenKind::Dedent { valid: true }, at, at));
                        }
                        Ok(Equal) => break,
                        Ok(Greater) => {
                            // Between two levels: undo the last pop and mark
                            // the dedent invalid; the parser reports it. KCL
                            // measures the misalignment in spaces only, so a
                            // tab-only misalignment passes as a valid dedent.
                            if let Some(l) = popped.pop() {
                                self.levels.push(l);
                            }
                            dedents.pop();
                            let valid = level.spaces == current.spaces;
                            dedents.push(Token::new(TokenKind::Dedent { valid }, at, at));
                            break;
                        }
                        Err(()) => {
                            self.error(
                                start,
                                start,
                                codes::INDENTATION,
                                "inconsistent use of tabs and spaces in indentation",
                            );
                            break;
                        }
                    }
                }
                dedents
            }
        }
    }

    fn token_kind(&mut self, raw: Raw, start: usize, end: usize) -> Option<TokenKind> {
        use TokenKind as K;
        Some(match raw {
            Raw::Comment => K::Comment,
            Raw::Newline => {
                self.at_line_start = true;
                K::Newline
            }
            Raw::Tab | Raw::Space | Raw::Whitespace | Raw::LineContinue => return None,
            Raw::Ident => K::Ident,
            Raw::Str { terminated, triple } => self.string(start, end, terminated, triple),
            Raw::Int { base, empty, suffix_start } => {
                self.int(start, end, base, empty, start + suffix_start);
                K::Int
            }
            Raw::Float { base, empty_exponent, suffix_start } => {
                if empty_exponent {
                    self.error(start, end, codes::INVALID_NUMBER, "expected at least one digit in exponent");
                } else if base != NumBase::Decimal {
                    self.error(start, end, codes::INVALID_NUMBER, "float literals must be decimal");
                } else if self.src[start..start + suffix_start].parse::<f64>().is_err() {
                    // KCL parses the digits with Rust's float syntax, which
                    // has no `_` separators.
                    self.error(start, end, codes::INVALID_NUMBER, "invalid float literal");
                }
                K::Float
            }
            Raw::InvalidLineContinue => {
                self.error(
                    start,
                    end,
                    codes::LINE_CONTINUATION,
                    "unexpected character after line continuation character",
                );
                return None;
            }
            Raw::Semi => {
                self.error_hint(
                    start,
                    end,
                    codes::SEMICOLON,
                    "the semicolon ';' here is unnecessary",
                    "remove it; KCL ends statements at line breaks",
                );
                return None;
            }
            Raw::Unknown => {
                self.error(start, end, codes::UNKNOWN_CHARACTER, "unknown start of token");
                return None;
            }
            Raw::Punct(K::Bang) => {
                self.error_hint(start, end, codes::BANG, "invalid token '!'", "use 'not' for negation");
                K::Bang
            }
            Raw::Punct(K::Open(d)) => {
                self.delims.push(d);
                K::Open(d)
            }
            Raw::Punct(K::Close(d)) => match self.delims.pop() {
                Some(open) if open == d => K::Close(d),
                Some(open) => {
                    self.error(start, end, codes::MISMATCHED_DELIMITER, "mismatched closing delimiter");
                    // KCL treats it as closing what was open.
                    K::Close(open)
                }
                None => {
                    self.error(start, end, codes::MISMATCHED_DELIMITER, "unmatched closing delimiter");
                    K::Close(d)
                }
            },
            Raw::Punct(k) => k,
        })
    }

    fn string(&mut self, start: usize, end: usize, terminated: bool, triple: bool) -> TokenKind {
        let text = &self.src[start..end];
        let is_raw = text.starts_with(['r', 'R']);
        let quote_at = start + usize::from(is_raw);
        let quote = self.src[quote_at..].chars().next().unwrap_or('"');
        if !terminated {
            self.error_hint(
                quote_at,
                end,
                codes::UNTERMINATED_STRING,
                "unterminated string",
                format!("close the string with {quote}"),
            );
            return TokenKind::Str { triple, raw: is_raw };
        }
        let open = if triple { 3 } else { 1 } + usize::from(is_raw);
        let close = if triple { 3 } else { 1 };
        let content_start = start + open;
        let content_end = end - close;
        let ok = content_start <= content_end
            && literal::string_content_ok(&self.src[content_start..content_end], quote, triple, is_raw);
        if !ok {
            self.error(
                content_start.min(end),
                end,
                codes::INVALID_STRING,
                "invalid string syntax (bad escape sequence)",
            );
        }
        TokenKind::Str { triple, raw: is_raw }
    }

    fn int(&mut self, start: usize, end: usize, base: NumBase, empty: bool, suffix_start: usize) {
        if empty {
            self.error(start, end, codes::INVALID_NUMBER, "no valid digits found for number");
            return;
        }
        if let Some(bad) = literal::first_bad_digit(&self.src[start..suffix_start], base) {
            let radix = match base {
                NumBase::Binary => 2,
                NumBase::Octal => 8,
                _ => 16,
            };
            self.error(start + bad, end, codes::INVALID_NUMBER, format!("invalid digit for a base {radix} literal"));
            return;
        }
        if literal::int_value(&self.src[start..suffix_start]).is_none() {
            self.error_hint(
                start,
                end,
                codes::INVALID_NUMBER,
                "invalid integer literal",
                "integers must fit in 64 bits and use single '_' separators between digits",
            );
            return;
        }
        if suffix_start < end && !INT_SUFFIXES.contains(&&self.src[suffix_start..end]) {
            let message = format!("invalid number suffix '{}'", &self.src[suffix_start..end]);
            let hint = "valid unit suffixes: n u m k K M G T P Ki Mi Gi Ti Pi; hex/octal/binary prefixes are lowercase (0x, 0o, 0b)";
            self.error_hint(start, end, codes::INVALID_NUMBER, message, hint);
        }
    }

    fn finish(&mut self) {
        let at = self.base + self.src.len();
        if !self.at_line_start {
            self.at_line_start = true;
            self.out.push(Token::new(TokenKind::Newline, at, at));
        }
        while self.levels.len() > 1 {
            self.levels.pop();
            self.out.push(Token::new(TokenKind::Dedent { valid: true }, at, at));
        }
        self.out.push(Token::new(TokenKind::Eof, at, at));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<TokenKind> {
        let mut diags = Vec::new();
        strip_comments(tokenize(src, 0, &mut diags)).into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn indentation_tokens() {
        use TokenKind::*;
        assert_eq!(
            kinds("if a:\n    b = 1\nc"),
            vec![
                Ident,
                Ident,
                Colon,
                Newline,
                Indent,
                Ident,
                Assign,
                Int,
                Newline,
                Dedent { valid: true },
                Ident,
                Newline,
                Eof
            ]
        );
    }

    #[test]
    fn arrow_by_look_behind() {
        use TokenKind::*;
        assert_eq!(kinds("a->b"), vec![Ident, Arrow, Ident, Newline, Eof]);
    }

    #[test]
    fn uppercase_hex_prefix_is_an_error() {
        let mut diags = Vec::new();
        tokenize("a = 0X1F", 0, &mut diags);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, codes::INVALID_NUMBER);
    }
}
