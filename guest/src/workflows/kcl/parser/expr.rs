//! Expressions: operators, primaries (selectors, calls, subscripts),
//! operands, quantifiers, lambdas, and arguments.

use super::super::ast::{BinOp, Expr, Keyword, Name, Suffix, UnaryOp};
use super::super::diagnostic as codes;
use super::super::token::{Delim, Token, TokenKind};
use super::Parser;

/// Binding strength of binary operators, weakest first (KCL's order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Prec {
    Lowest,
    As,
    Or,
    And,
    Equals,
    InOrNotIn,
    IsOrIsNot,
    LessGreater,
    BitOr,
    BitXor,
    BitAnd,
    Shift,
    Sum,
    Product,
    Power,
    Prefix,
}

const ALL_BINARY_OPS: &[&str] = &[
    "+", "-", "*", "/", "%", "**", "//", "<<", ">>", "^", "&", "|", "and", "or", "as", "==", "!=", "<", "<=", ">",
    ">=", "is", "in", "not in", "not", "is not",
];

impl<'a> Parser<'a> {
    fn prec_of(&self, tok: Token) -> Prec {
        use TokenKind as K;
        match tok.kind {
            K::Tilde | K::Bang => Prec::Prefix,
            K::Plus | K::Minus => Prec::Sum,
            K::Star | K::Slash | K::Percent | K::SlashSlash => Prec::Product,
            K::StarStar => Prec::Power,
            K::Caret => Prec::BitXor,
            K::Amp => Prec::BitAnd,
            K::Pipe => Prec::BitOr,
            K::Shl | K::Shr => Prec::Shift,
            K::EqEq | K::NotEq => Prec::Equals,
            K::Lt | K::LtEq | K::Gt | K::GtEq => Prec::LessGreater,
            K::Ident => match self.text(tok) {
                "as" => Prec::As,
                "or" => Prec::Or,
                "and" => Prec::And,
                "in" => Prec::InOrNotIn,
                "is" => Prec::IsOrIsNot,
                _ => Prec::Lowest,
            },
            _ => Prec::Lowest,
        }
    }

    /// `test: simple_expr [if simple_expr else test]`
    pub(super) fn parse_expr(&mut self) -> Expr {
        if self.at(TokenKind::Indent) {
            let tok = self.token;
            self.error_hint(
                tok,
                codes::UNEXPECTED_TOKEN,
                "unexpected indentation",
                "continue the expression on the same line or inside [...] / {...}",
            );
            self.bump();
        }
        if !self.enter() {
            return self.missing();
        }
        let start = self.token;
        let body = self.parse_simple_expr();
        let expr = if self.is_kw("if") {
            self.bump();
            let cond = self.parse_simple_expr();
            let orelse = if self.is_kw("else") {
                self.bump();
                self.parse_expr()
            } else {
                self.expected(&["else"]);
                self.missing()
            };
            Expr::IfElse {
                body: Box::new(body),
                cond: Box::new(cond),
                orelse: Box::new(orelse),
                span: self.span_from(start),
            }
        } else {
            body
        };
        self.leave();
        expr
    }

    pub(super) fn parse_simple_expr(&mut self) -> Expr {
        self.parse_binary(Prec::Lowest)
    }

    /// Precedence climbing. Chains of one level are collected into one
    /// flat node; only stronger operators recurse (bounded by the number
    /// of levels), so `1+1+...+1` does not recurse.
    fn parse_binary(&mut self, min: Prec) -> Expr {
        let start = self.token;
        let first = self.parse_unary_expr();
        let mut operands = vec![first];
        let mut ops = Vec::new();
        loop {
            let mut prec = self.prec_of(self.token);
            let mut two_words = false;
            if let Some(next) = self.peek(1) {
                if self.is_kw("not") && self.tok_is_kw(next, "in") {
                    prec = Prec::InOrNotIn;
                    two_words = true;
                }
                if self.is_kw("is") && self.tok_is_kw(next, "not") {
                    prec = Prec::IsOrIsNot;
                    two_words = true;
                }
            }
            if prec <= min {
                break;
            }
            if matches!(self.token.kind, TokenKind::Tilde | TokenKind::Bang) {
                // A prefix operator where a binary one is needed.
                self.expected(ALL_BINARY_OPS);
                break;
            }
            let op = self.binary_op(two_words);
            self.bump();
            if two_words {
                self.bump();
            }
            let right = self.parse_binary(prec);
            operands.push(right);
            ops.push(op);
        }
        if operands.len() == 1 {
            operands.pop().unwrap()
        } else {
            Expr::Binary { operands, ops, span: self.span_from(start) }
        }
    }

    /// The operator at the current token (`not in` and `is not` when
    /// `two_words`).
    fn binary_op(&self, two_words: bool) -> BinOp {
        use TokenKind as K;
        match self.token.kind {
            K::Plus => BinOp::Add,
            K::Minus => BinOp::Sub,
            K::Star => BinOp::Mul,
            K::Slash => BinOp::Div,
            K::SlashSlash => BinOp::FloorDiv,
            K::Percent => BinOp::Mod,
            K::StarStar => BinOp::Pow,
            K::Shl => BinOp::Shl,
            K::Shr => BinOp::Shr,
            K::Amp => BinOp::BitAnd,
            K::Pipe => BinOp::BitOr,
            K::Caret => BinOp::BitXor,
            K::EqEq => BinOp::Eq,
            K::NotEq => BinOp::NotEq,
            K::Lt => BinOp::Lt,
            K::LtEq => BinOp::LtEq,
            K::Gt => BinOp::Gt,
            K::GtEq => BinOp::GtEq,
            _ => match (self.text(self.token), two_words) {
                ("and", _) => BinOp::And,
                ("or", _) => BinOp::Or,
                ("is", true) => BinOp::IsNot,
                ("is", false) => BinOp::Is,
                ("in", _) => BinOp::In,
                ("not", _) => BinOp::NotIn,
                _ => BinOp::As,
            },
        }
    }

    /// `(+|-|~|not) primary`: the operand of a prefix operator is a
    /// primary expression, so `- -a` and `not -a` are errors in KCL.
    fn parse_unary_expr(&mut self) -> Expr {
        let start = self.token;
        let op = match self.token.kind {
            TokenKind::Plus => UnaryOp::Plus,
            TokenKind::Minus => UnaryOp::Minus,
            TokenKind::Tilde => UnaryOp::Invert,
            TokenKind::Bang => UnaryOp::Not,
            TokenKind::Ident if self.is_kw("not") => UnaryOp::Not,
            _ => return self.parse_primary_expr(),
        };
        self.bump();
        let operand = self.parse_primary_expr();
        Expr::Unary { op, operand: Box::new(operand), span: self.span_from(start) }
    }

    /// `operand (.name | ?.name | (args) | [index] | ?[index])*`
    pub(super) fn parse_primary_expr(&mut self) -> Expr {
        let start = self.token;
        let base = self.parse_operand_expr();
        let mut suffixes = Vec::new();
        loop {
            match self.token.kind {
                TokenKind::Dot => suffixes.push(self.parse_selector()),
                TokenKind::Question => match self.peek_kind(1) {
                    Some(TokenKind::Dot) => {
                        suffixes.push(Suffix::Optional);
                        suffixes.push(self.parse_selector());
                    }
                    Some(TokenKind::Open(Delim::Bracket)) => {
                        suffixes.push(Suffix::Optional);
                        suffixes.push(self.parse_subscript());
                    }
                    _ => break,
                },
                TokenKind::Open(Delim::Paren) => {
                    let (args, kwargs) = self.parse_call();
                    suffixes.push(Suffix::Call { args, kwargs });
                }
                TokenKind::Open(Delim::Bracket) => suffixes.push(self.parse_subscript()),
                _ => break,
            }
        }
        if suffixes.is_empty() {
            base
        } else {
            Expr::Suffixed { base: Box::new(base), suffixes, span: self.span_from(start) }
        }
    }

    /// `[?].name`; KCL does not complain about a missing name here.
    fn parse_selector(&mut self) -> Suffix {
        self.eat(TokenKind::Question);
        self.bump();
        if self.at(TokenKind::Ident) {
            Suffix::Attr(self.parse_identifier().dotted())
        } else {
            self.expected(&["identifier"]);
            Suffix::Attr(String::new())
        }
    }

    /// `( [arguments] [,] )`
    pub(super) fn parse_call(&mut self) -> (Vec<Expr>, Vec<Keyword>) {
        self.expect(TokenKind::Open(Delim::Paren));
        // A line break right after `(` puts the call in multi-line mode
        // (like a config); otherwise a line break ends the arguments.
        let multiline = self.at(TokenKind::Newline);
        if multiline {
            self.skip_newlines();
            self.clean_indentation();
        }
        let (args, kwargs) = if self.at(TokenKind::Close(Delim::Paren)) {
            (Vec::new(), Vec::new())
        } else {
            self.parse_arguments(multiline)
        };
        if multiline {
            self.skip_newlines();
            self.clean_indentation();
        }
        self.eat(TokenKind::Comma);
        self.expect(TokenKind::Close(Delim::Paren));
        (args, kwargs)
    }

    fn parse_arguments(&mut self, multiline: bool) -> (Vec<Expr>, Vec<Keyword>) {
        let mut args = Vec::new();
        let mut kwargs = Vec::new();
        loop {
            // Arguments may be separated by commas or just whitespace.
            if matches!(self.token.kind, TokenKind::Close(Delim::Paren) | TokenKind::Newline | TokenKind::Eof)
                || self.is_kw("for")
            {
                break;
            }
            let marker = self.mark();
            let start = self.token;
            let expr = self.parse_expr();
            if self.eat(TokenKind::Assign) {
                let name = match &expr {
                    Expr::Name(n) => n.dotted(),
                    _ => {
                        self.expected(&["identifier"]);
                        String::new()
                    }
                };
                let value = self.parse_expr();
                kwargs.push(Keyword { name, value });
            } else {
                if !kwargs.is_empty() {
                    self.error_at(start, codes::ARGUMENT_ORDER, "positional argument follows keyword argument");
                }
                args.push(expr);
            }
            self.eat(TokenKind::Comma);
            if multiline {
                self.skip_newlines();
                self.clean_indentation();
            }
            self.drop_if_stuck(marker);
        }
        (args, kwargs)
    }

    /// `[?][ index ]` or `[?][ lower : upper : step ]`
    fn parse_subscript(&mut self) -> Suffix {
        self.eat(TokenKind::Question);
        self.expect(TokenKind::Open(Delim::Bracket));
        let mut parts: Vec<Expr> = Vec::new();
        let mut is_slice = false;
        let mut slots = [false; 3];
        let mut slot = 0usize;
        let mut consecutive: i32 = 0;
        for round in 0..=4 {
            match self.token.kind {
                TokenKind::Colon => {
                    self.bump();
                    is_slice = true;
                    // KCL does not limit the number of colons here.
                    slot += 1;
                    consecutive -= 1;
                }
                TokenKind::Close(Delim::Bracket) => break,
                _ => {
                    if !is_slice && round == 1 {
                        let tok = self.token;
                        self.error_at(tok, codes::INVALID_SUBSCRIPT, "a subscript takes only one expression");
                    }
                    let e = self.parse_expr();
                    parts.push(e);
                    if slot < 3 {
                        slots[slot] = true;
                    }
                    consecutive += 1;
                    if consecutive > 1 {
                        let tok = self.token;
                        self.error_at(tok, codes::INVALID_SUBSCRIPT, "consecutive expressions in a subscript");
                    }
                }
            }
        }
        self.expect(TokenKind::Close(Delim::Bracket));
        if !is_slice {
            if !slots[0] {
                let got = self.token.describe(self.src);
                let tok = self.token;
                self.error_at(tok, codes::INVALID_SUBSCRIPT, format!("expected expression got {got}"));
            }
            if slots[1] || slots[2] {
                let tok = self.token;
                self.error_at(tok, codes::INVALID_SUBSCRIPT, "a subscript takes only one expression");
            }
        }
        if is_slice { Suffix::Slice(parts) } else { Suffix::Index(parts) }
    }

    /// Names, literals, brackets, lambdas, quantifiers, schema instances.
    fn parse_operand_expr(&mut self) -> Expr {
        let start = self.token;
        match self.token.kind {
            TokenKind::Ident => match self.text(self.token) {
                "None" | "Undefined" | "True" | "False" => {
                    self.bump();
                    Expr::Constant(self.span_from(start))
                }
                "lambda" => self.parse_lambda_expr(),
                "any" | "all" | "map" | "filter" => self.parse_quant_expr(),
                _ => {
                    let name = self.parse_identifier();
                    match self.token.kind {
                        TokenKind::Open(Delim::Brace) => self.parse_schema_expr(name, start),
                        TokenKind::Open(Delim::Paren) => {
                            let (args, kwargs) = self.parse_call();
                            if self.at(TokenKind::Open(Delim::Brace)) {
                                let config = self.parse_config_expr();
                                Expr::Schema {
                                    name,
                                    args,
                                    kwargs,
                                    config: Box::new(config),
                                    span: self.span_from(start),
                                }
                            } else {
                                let span = self.span_from(start);
                                Expr::Suffixed {
                                    base: Box::new(Expr::Name(name)),
                                    suffixes: vec![Suffix::Call { args, kwargs }],
                                    span,
                                }
                            }
                        }
                        _ => Expr::Name(name),
                    }
                }
            },
            TokenKind::Int | TokenKind::Float => {
                let value = number_value(self.text(self.token));
                self.bump();
                Expr::Number { value, span: self.span_from(start) }
            }
            TokenKind::Str { .. } => self.parse_str_expr(),
            TokenKind::Open(Delim::Paren) => {
                self.bump();
                let inner = self.parse_expr();
                self.expect(TokenKind::Close(Delim::Paren));
                Expr::Paren(Box::new(inner), self.span_from(start))
            }
            TokenKind::Open(Delim::Bracket) => self.parse_list_expr(),
            TokenKind::Open(Delim::Brace) => self.parse_config_expr(),
            _ => {
                self.expected(&["identifier", "literal", "(", "[", "{"]);
                self.missing()
            }
        }
    }

    /// `Name {config}`
    pub(super) fn parse_schema_expr(&mut self, name: Name, start: Token) -> Expr {
        let config = self.parse_config_expr();
        Expr::Schema {
            name,
            args: Vec::new(),
            kwargs: Vec::new(),
            config: Box::new(config),
            span: self.span_from(start),
        }
    }

    /// `all|any|map|filter [k,] v in target { test [if cond] }`
    fn parse_quant_expr(&mut self) -> Expr {
        let start = self.token;
        self.bump();
        let mut vars = vec![self.parse_identifier()];
        if self.eat(TokenKind::Comma) {
            vars.push(self.parse_identifier());
        }
        if self.is_kw("in") {
            self.bump();
        } else {
            self.expected(&["in"]);
        }
        let target = self.parse_quant_target();
        self.expect(TokenKind::Open(Delim::Brace));
        let has_newline = self.newline_and_indent();
        let test = self.parse_simple_expr();
        let cond = if self.is_kw("if") {
            self.bump();
            Some(Box::new(self.parse_expr()))
        } else {
            None
        };
        if has_newline {
            if self.at(TokenKind::Newline) {
                self.skip_newlines();
            } else {
                self.expected(&["newline"]);
            }
            self.validate_dedent();
            self.expect(TokenKind::Dedent { valid: true });
        }
        self.expect(TokenKind::Close(Delim::Brace));
        Expr::Quant { vars, target: Box::new(target), test: Box::new(test), cond, span: self.span_from(start) }
    }

    fn parse_quant_target(&mut self) -> Expr {
        match self.token.kind {
            TokenKind::Ident => match self.text(self.token) {
                "None" | "Undefined" | "lambda" | "any" | "all" | "map" | "filter" => {
                    self.expected(&["None", "Undefined", "lambda", "any", "all", "map", "filter"]);
                    self.missing()
                }
                _ => Expr::Name(self.parse_identifier()),
            },
            TokenKind::Str { .. } => self.parse_str_expr(),
            TokenKind::Int | TokenKind::Float => {
                self.expected(&["string"]);
                self.missing()
            }
            TokenKind::Open(Delim::Bracket) => self.parse_list_expr(),
            TokenKind::Open(Delim::Brace) => self.parse_config_expr(),
            TokenKind::Open(Delim::Paren) => {
                self.expected(&["[", "{"]);
                self.missing()
            }
            _ => {
                self.expected(&["identifier", "literal"]);
                self.missing()
            }
        }
    }

    /// `lambda [params] [-> T] { stmts }`
    fn parse_lambda_expr(&mut self) -> Expr {
        let start = self.token;
        self.bump();
        let mut params = Vec::new();
        if !matches!(self.token.kind, TokenKind::Arrow | TokenKind::Open(_)) {
            params = self.parse_parameters(None, &[TokenKind::Arrow, TokenKind::Open(Delim::Brace)], false);
        }
        let ret = self.eat(TokenKind::Arrow).then(|| self.parse_type_annotation());
        self.bump_token(TokenKind::Open(Delim::Brace));
        let has_newline = if self.at(TokenKind::Newline) {
            self.skip_newlines();
            self.clean_indentation();
            true
        } else {
            false
        };
        let mut body = Vec::new();
        loop {
            let marker = self.mark();
            self.clean_indentation();
            if self.at(TokenKind::Close(Delim::Brace)) || self.at_eof() {
                break;
            }
            match self.parse_stmt() {
                Some(stmt) => {
                    body.push(stmt);
                    self.skip_newlines();
                }
                None => self.bump(),
            }
            self.drop_if_stuck(marker);
        }
        if has_newline {
            self.clean_dedents();
        }
        self.bump_token(TokenKind::Close(Delim::Brace));
        Expr::Lambda { params, ret, body, span: self.span_from(start) }
    }
}

/// The numeric value of a literal, ignoring a unit suffix.
fn number_value(text: &str) -> Option<f64> {
    let digits: String = text
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | '_' | 'e' | 'E' | '+' | '-'))
        .filter(|c| *c != '_')
        .collect();
    if text.starts_with("0x") || text.starts_with("0b") || text.starts_with("0o") {
        return super::super::lexer::int_value(
            text.trim_end_matches(|c: char| c.is_ascii_alphabetic() && !c.is_ascii_hexdigit()),
        )
        .map(|v| v as f64);
    }
    digits.parse::<f64>().ok()
}
