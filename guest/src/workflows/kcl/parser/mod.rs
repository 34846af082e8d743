//! A hand-written recursive-descent parser for KCL.
//!
//! It follows the structure of KCL's own parser closely, because the goal
//! is to accept exactly what `kcl` accepts and to report the first error
//! on the same line: statements need no terminator (`a = 1 b = 2` is two
//! statements), newlines are significant inside `(...)` but tolerated in
//! lists and configs, and so on. Recovery is KCL's too: report, skip a
//! token, continue; every error is collected.
//!
//! Robustness: recursion depth is capped ([`MAX_DEPTH`]); past it the
//! parser reports once and jumps to the end of input. Every loop either
//! consumes a token or stops at `Eof`, so the parser always terminates.

mod collection;
mod expr;
mod interpolation;
mod schema;
mod stmt;
mod types;

use super::ast::{Expr, Module, Name, Span};
use super::diagnostic::{self as codes, RawDiag};
use super::lexer;
use super::token::{Token, TokenKind, symbol};

/// Deepest nesting of expressions/blocks accepted. Each level costs a few
/// stack frames; 256 levels fit comfortably in a 1 MiB wasm stack.
pub const MAX_DEPTH: u32 = 256;

/// After this many diagnostics in one file the rest is noise.
const MAX_ERRORS: usize = 500;

pub struct Parser<'a> {
    src: &'a str,
    toks: Vec<Token>,
    idx: usize,
    token: Token,
    prev: Token,
    diags: &'a mut Vec<RawDiag>,
    depth: u32,
    gave_up: bool,
}

/// Lexes and parses one text. Never panics, never recurses without
/// bound, linear in the input size.
pub fn parse_text(text: &str) -> (Module, Vec<RawDiag>) {
    let mut diags = Vec::new();
    let toks = lexer::strip_comments(lexer::tokenize(text, 0, &mut diags));
    let module = parse_module(text, toks, &mut diags);
    (module, diags)
}

/// Parses a whole file.
fn parse_module(src: &str, toks: Vec<Token>, diags: &mut Vec<RawDiag>) -> Module {
    let mut p = Parser::new(src, toks, diags, 0);
    let mut body = Vec::new();
    p.module_doc();
    loop {
        if p.at(TokenKind::Eof) {
            break;
        }
        match p.parse_stmt() {
            Some(stmt) => body.push(stmt),
            None => p.bump(),
        }
    }
    Module { body }
}

impl<'a> Parser<'a> {
    fn new(src: &'a str, toks: Vec<Token>, diags: &'a mut Vec<RawDiag>, depth: u32) -> Self {
        let first = toks.first().copied().unwrap_or(Token::new(TokenKind::Eof, 0, 0));
        Parser { src, toks, idx: 0, token: first, prev: first, diags, depth, gave_up: false }
    }

    // ---- token access -------------------------------------------------

    fn bump(&mut self) {
        self.prev = self.token;
        if self.idx + 1 < self.toks.len() {
            self.idx += 1;
            self.token = self.toks[self.idx];
        }
    }

    fn peek(&self, n: usize) -> Option<Token> {
        self.toks.get(self.idx + n).copied()
    }

    fn peek_kind(&self, n: usize) -> Option<TokenKind> {
        self.peek(n).map(|t| t.kind)
    }

    fn at(&self, kind: TokenKind) -> bool {
        self.token.kind == kind
    }

    fn at_eof(&self) -> bool {
        self.token.kind == TokenKind::Eof
    }

    fn text(&self, tok: Token) -> &'a str {
        &self.src[tok.start as usize..tok.end as usize]
    }

    fn tok_is_kw(&self, tok: Token, kw: &str) -> bool {
        tok.kind == TokenKind::Ident && self.text(tok) == kw
    }

    fn is_kw(&self, kw: &str) -> bool {
        self.tok_is_kw(self.token, kw)
    }

    fn at_valid_dedent(&self) -> bool {
        self.token.kind == (TokenKind::Dedent { valid: true })
    }

    fn span_from(&self, start: Token) -> Span {
        Span::new(start.start, self.prev.end.max(start.start))
    }

    fn here(&self) -> Span {
        Span::new(self.token.start, self.token.start)
    }

    fn missing(&self) -> Expr {
        Expr::Missing(self.here())
    }

    // ---- errors -------------------------------------------------------

    fn push_diag(&mut self, diag: RawDiag) {
        if self.diags.len() >= MAX_ERRORS {
            if !self.gave_up {
                self.gave_up = true;
                self.diags.push(RawDiag::new(
                    diag.start,
                    diag.end,
                    codes::TOO_MANY_ERRORS,
                    "too many errors; stopping here",
                ));
            }
            self.jump_to_eof();
            return;
        }
        self.diags.push(diag);
    }

    fn error_at(&mut self, tok: Token, code: &'static str, message: impl Into<String>) {
        self.push_diag(RawDiag::new(tok.start, tok.end, code, message));
    }

    fn error_hint(&mut self, tok: Token, code: &'static str, message: impl Into<String>, hint: impl Into<String>) {
        self.push_diag(RawDiag::new(tok.start, tok.end, code, message).with_hint(hint));
    }

    /// "expected one of [...] got X" at the current token.
    fn expected(&mut self, what: &[&str]) {
        let got = self.token.describe(self.src);
        let list = what.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(", ");
        let after_paren = self.prev.kind == TokenKind::Open(super::token::Delim::Paren);
        let hint = if after_paren && self.token.kind == TokenKind::Newline {
            Some("KCL does not allow a line break right after '(' in an expression; keep the expression on one line, or use a trailing '\\'".to_string())
        } else {
            expectation_hint(self.token.kind, what)
        };
        let diag = RawDiag::new(
            self.token.start,
            self.token.end,
            codes::UNEXPECTED_TOKEN,
            format!("expected one of [{list}] got {got}"),
        );
        self.push_diag(match hint {
            Some(h) => diag.with_hint(h),
            None => diag,
        });
    }

    fn unexpected(&mut self) {
        let got = self.token.describe(self.src);
        let hint = match self.token.kind {
            TokenKind::Indent => Some("unexpected indentation: align this line with the enclosing block"),
            TokenKind::Dedent { .. } => Some("the indentation here closes a block that is still expected to continue"),
            _ => None,
        };
        let diag = RawDiag::new(
            self.token.start,
            self.token.end,
            codes::UNEXPECTED_TOKEN,
            format!("unexpected token '{got}'"),
        );
        self.push_diag(match hint {
            Some(h) => diag.with_hint(h),
            None => diag,
        });
    }

    /// Consumes the current token when it is `kind`; whether it was.
    fn eat(&mut self, kind: TokenKind) -> bool {
        let found = self.at(kind);
        if found {
            self.bump();
        }
        found
    }

    /// Consumes `kind`, or reports it missing and consumes nothing.
    fn expect(&mut self, kind: TokenKind) {
        if !self.eat(kind) {
            self.expected(&[symbol(kind)]);
        }
    }

    /// A separator after an item: an optional comma, then (where
    /// `newlines`) any line breaks.
    fn skip_separator(&mut self, newlines: bool) {
        self.eat(TokenKind::Comma);
        if newlines {
            self.skip_newlines();
        }
    }

    /// `kw cond :` at the head of an `if`/`elif` branch (the keyword is
    /// the current token): the condition.
    fn parse_branch_condition(&mut self) -> Expr {
        self.bump();
        let cond = self.parse_expr();
        self.bump_token(TokenKind::Colon);
        cond
    }

    fn bump_token(&mut self, kind: TokenKind) {
        if self.token.kind != kind {
            self.expected(&[symbol(kind)]);
        }
        self.bump();
    }

    fn bump_kw(&mut self, kw: &str) {
        if !self.is_kw(kw) {
            self.expected(&[kw]);
        }
        self.bump();
    }

    fn skip_newlines(&mut self) {
        while self.at(TokenKind::Newline) {
            self.bump();
        }
    }

    /// A line break after an opening bracket, and the indent the lexer
    /// puts after it (reported when missing). Whether there was one.
    fn newline_and_indent(&mut self) -> bool {
        if !self.at(TokenKind::Newline) {
            return false;
        }
        self.skip_newlines();
        self.expect(TokenKind::Indent);
        true
    }

    /// `[if cond]` after the test of a check or an assert.
    fn if_condition(&mut self) -> Option<Expr> {
        if !self.is_kw("if") {
            return None;
        }
        self.bump();
        Some(self.parse_simple_expr())
    }

    fn clean_indentation(&mut self) {
        while self.at(TokenKind::Indent) {
            self.bump();
        }
        self.clean_dedents();
    }

    fn clean_dedents(&mut self) {
        while matches!(self.token.kind, TokenKind::Dedent { .. }) {
            self.bump();
        }
    }

    /// A dedent to a column between two open levels is an error.
    fn validate_dedent(&mut self) {
        if self.token.kind == (TokenKind::Dedent { valid: false }) {
            self.error_hint(
                self.token,
                codes::INDENTATION,
                "invalid indentation: this line does not match any enclosing block",
                "align indents by adding or removing spaces",
            );
            self.bump();
        }
    }

    fn mark(&self) -> usize {
        self.idx
    }

    /// Items of an indented run (a block's, or a bracket's spread over
    /// lines) up to `ends`, each followed by a separator. An item that
    /// consumed nothing is skipped silently (KCL loops there; we must
    /// progress).
    fn parse_run<T>(&mut self, ends: impl Fn(&Self) -> bool, mut item: impl FnMut(&mut Self) -> T) -> Vec<T> {
        let mut items = Vec::new();
        loop {
            self.validate_dedent();
            if ends(self) {
                break;
            }
            let marker = self.mark();
            items.push(item(self));
            self.skip_separator(true);
            if marker == self.mark() {
                self.bump();
            }
        }
        items
    }

    /// Recovery: when an iteration consumed nothing, report and skip one
    /// token so that the loop makes progress.
    fn drop_if_stuck(&mut self, marker: usize) {
        if marker == self.idx && !self.at_eof() {
            let got = self.token.describe(self.src);
            self.error_at(self.token, codes::UNEXPECTED_TOKEN, format!("expected expression got {got}"));
            self.bump();
        }
    }

    // ---- nesting limit -------------------------------------------------

    /// Enters one nesting level; false when the limit is exceeded, in
    /// which case the rest of the input has been abandoned.
    fn enter(&mut self) -> bool {
        if self.gave_up {
            return false;
        }
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.gave_up = true;
            self.diags.push(
                RawDiag::new(
                    self.token.start,
                    self.token.end,
                    codes::TOO_DEEP,
                    format!("nesting is too deep (more than {MAX_DEPTH} levels)"),
                )
                .with_hint("split the expression or block into named parts"),
            );
            self.jump_to_eof();
            return false;
        }
        true
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn jump_to_eof(&mut self) {
        self.idx = self.toks.len().saturating_sub(1);
        self.prev = self.token;
        self.token = self.toks[self.idx];
    }

    // ---- names ---------------------------------------------------------

    /// `NAME (. NAME)*`; reports a missing name but never consumes a
    /// non-identifier.
    fn parse_identifier(&mut self) -> Name {
        let start = self.token;
        let mut parts = Vec::new();
        if self.at(TokenKind::Ident) {
            parts.push(ident_text(self.text(self.token)));
            self.bump();
        } else {
            self.expected(&["identifier"]);
            return Name { parts: vec![String::new()], span: self.here() };
        }
        while self.at(TokenKind::Dot) {
            self.bump();
            if self.at(TokenKind::Ident) {
                parts.push(ident_text(self.text(self.token)));
                self.bump();
            } else {
                self.expected(&["identifier"]);
                parts.push(String::new());
            }
        }
        Name { parts, span: self.span_from(start) }
    }

    /// A module doc string: a triple-quoted string first in the file
    /// (a short string there is an ordinary expression statement).
    fn module_doc(&mut self) {
        if matches!(self.token.kind, TokenKind::Str { triple: true, .. }) {
            self.parse_str_expr();
            self.skip_newlines();
        }
    }
}

/// `$if` is the identifier `if` escaped from keyword meaning.
fn ident_text(text: &str) -> String {
    text.strip_prefix('$').unwrap_or(text).to_string()
}

/// Hints for the common "expected X got Y" situations.
fn expectation_hint(got: TokenKind, what: &[&str]) -> Option<String> {
    if got == TokenKind::Newline && what.contains(&")") {
        return Some(
            "inside (...) an expression cannot continue on the next line; use [...] or {...}, or a trailing '\\'"
                .into(),
        );
    }
    if got == TokenKind::Indent && what.contains(&"=") {
        return Some("unexpected indentation".into());
    }
    None
}
