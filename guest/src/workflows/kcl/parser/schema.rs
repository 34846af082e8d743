//! Schema, mixin, protocol and rule definitions: headers, bodies,
//! attributes, index signatures, `check:` blocks, decorators, parameters.

use super::super::ast::{
    Attr, BasicType, CheckExpr, Expr, IndexSignature, Name, Param, RuleDef, SchemaDef, Stmt, Type,
};
use super::super::diagnostic as codes;
use super::super::token::{Delim, Token, TokenKind};
use super::Parser;

impl<'a> Parser<'a> {
    /// `(@decorator NEWLINE)+`
    pub(super) fn parse_decorators(&mut self) -> Vec<Expr> {
        let mut decorators = Vec::new();
        while self.at(TokenKind::At) {
            self.bump();
            let expr = self.parse_expr();
            let ok = match &expr {
                Expr::Name(_) => true,
                Expr::Suffixed { suffixes, .. } => {
                    matches!(suffixes.last(), Some(super::super::ast::Suffix::Call { .. }))
                }
                _ => false,
            };
            if !ok {
                self.expected(&["identifier"]);
            }
            decorators.push(expr);
            self.skip_newlines();
        }
        self.skip_newlines();
        decorators
    }

    /// `name [: T] [= default]` separated by commas, between `open` and
    /// one of `close`.
    pub(super) fn parse_parameters(
        &mut self,
        open: Option<TokenKind>,
        close: &[TokenKind],
        bump_close: bool,
    ) -> Vec<Param> {
        if let Some(open) = open {
            if !self.at(open) {
                return Vec::new();
            }
            self.bump();
        }
        let mut params = Vec::new();
        loop {
            let marker = self.mark();
            if close.contains(&self.token.kind) {
                if bump_close {
                    self.bump();
                }
                break;
            }
            if matches!(self.token.kind, TokenKind::Newline | TokenKind::Eof) {
                let names: Vec<&str> = close.iter().map(|k| super::super::token::symbol(*k)).collect();
                self.expected(&names);
                break;
            }
            let name = self.parse_identifier();
            let ty = self.eat(TokenKind::Colon).then(|| self.parse_type_annotation());
            let default = self.eat(TokenKind::Assign).then(|| self.parse_expr());
            params.push(Param { name: name.dotted(), span: name.span, ty, default });
            self.eat(TokenKind::Comma);
            self.drop_if_stuck(marker);
        }
        self.skip_newlines();
        params
    }

    /// `[decorators] schema|mixin|protocol Name[params](Parent) [for Host]:`
    /// followed by an indented body (an empty body is allowed).
    pub(super) fn parse_schema_stmt(&mut self, decorators: Vec<Expr>) -> Stmt {
        let start = self.token;
        let mut is_mixin = self.is_kw("mixin");
        let mut is_protocol = self.is_kw("protocol");
        self.bump();
        let name = self.parse_identifier();
        let name_text = name.dotted();
        is_mixin |= name_text.ends_with("Mixin");
        is_protocol |= name_text.ends_with("Protocol");
        let params = if self.at(TokenKind::Open(Delim::Bracket)) {
            self.parse_parameters(Some(TokenKind::Open(Delim::Bracket)), &[TokenKind::Close(Delim::Bracket)], true)
        } else {
            Vec::new()
        };
        let parent = self.eat(TokenKind::Open(Delim::Paren)).then(|| {
            let parent = self.parse_identifier();
            self.bump_token(TokenKind::Close(Delim::Paren));
            parent
        });
        let for_host = self.parse_for_host();
        self.bump_token(TokenKind::Colon);
        self.skip_newlines();
        let mut def = SchemaDef {
            name: name_text,
            span: name.span,
            is_mixin,
            is_protocol,
            params,
            parent,
            for_host,
            mixins: Vec::new(),
            decorators,
            body: Vec::new(),
            index_signature: None,
            checks: Vec::new(),
        };
        if self.at(TokenKind::Indent) {
            self.parse_schema_body(&mut def);
        }
        def.span = self.span_from(start);
        def.span.start = name.span.start;
        Stmt::Schema(Box::new(def))
    }

    fn parse_for_host(&mut self) -> Option<Name> {
        if !self.is_kw("for") {
            return None;
        }
        self.bump();
        let tok = self.token;
        match self.parse_expr() {
            Expr::Name(n) => Some(n),
            _ => {
                self.error_at(tok, codes::EXPECTED_IDENTIFIER, "expected identifier");
                None
            }
        }
    }

    /// A doc string at the start of a body: triple-quoted only (a short
    /// string there is an ordinary expression statement).
    fn body_doc(&mut self) {
        if matches!(self.token.kind, TokenKind::Str { triple: true, .. }) && self.peek_kind(1) != Some(TokenKind::Colon)
        {
            self.parse_str_expr();
            self.skip_newlines();
        }
    }

    fn parse_schema_body(&mut self, def: &mut SchemaDef) {
        self.validate_dedent();
        self.bump_token(TokenKind::Indent);
        self.body_doc();
        if self.is_kw("mixin") {
            def.mixins = self.parse_mixins();
            self.skip_newlines();
        }
        loop {
            let marker = self.mark();
            self.validate_dedent();
            if self.at_valid_dedent() || self.at_eof() || self.is_kw("check") {
                break;
            }
            if self.is_kw("assert") {
                let stmt = self.parse_assert_stmt();
                def.body.push(stmt);
                continue;
            }
            if self.is_kw("if") {
                let stmt = self.parse_if_stmt();
                def.body.push(stmt);
                continue;
            }
            let next = self.peek_kind(1);
            if (self.token.is_str() && next == Some(TokenKind::Colon))
                || self.at(TokenKind::At)
                || next == Some(TokenKind::Question)
            {
                let attr = self.parse_schema_attribute();
                def.body.push(Stmt::Attr(Box::new(attr)));
                continue;
            }
            if self.at(TokenKind::Open(Delim::Bracket)) {
                self.parse_index_signature_or_list(def);
                self.skip_newlines();
                continue;
            }
            match self.parse_expr_or_assign_stmt(true) {
                Some(Stmt::Assign { targets, ty: Some(ty), value, span }) if targets.len() == 1 => {
                    // `name: T = value` in a schema declares an attribute.
                    if let Expr::Name(name) = &targets[0] {
                        def.body.push(Stmt::Attr(Box::new(Attr {
                            name: name.dotted(),
                            span: name.span,
                            optional: false,
                            ty,
                            value: Some(value),
                            decorators: Vec::new(),
                        })));
                    } else {
                        def.body.push(Stmt::Assign { targets, ty: Some(ty), value, span });
                    }
                }
                Some(stmt) => def.body.push(stmt),
                None => self.bump(),
            }
            self.drop_if_stuck(marker);
        }
        def.checks = self.parse_check_block();
        self.validate_dedent();
        if !self.at_valid_dedent() && self.is_kw_after_check_block() {
            let tok = self.token;
            self.error_hint(
                tok,
                codes::UNEXPECTED_TOKEN,
                "expected the end of the schema after its check block",
                "'check:' must be the last block of a schema; move these statements above it",
            );
            self.bump();
        } else {
            self.bump_token(TokenKind::Dedent { valid: true });
        }
        self.skip_newlines();
    }

    /// True when a statement follows a finished `check:` block (KCL's
    /// "expected dedent" case), so the hint can say why.
    fn is_kw_after_check_block(&self) -> bool {
        !self.at_eof() && !matches!(self.token.kind, TokenKind::Dedent { .. })
    }

    /// `mixin [A, B]` possibly spread over indented lines.
    fn parse_mixins(&mut self) -> Vec<Name> {
        self.bump_kw("mixin");
        self.bump_token(TokenKind::Open(Delim::Bracket));
        let has_newline = self.newline_and_indent();
        let ends = |p: &Self| p.at(TokenKind::Close(Delim::Bracket)) || p.at_valid_dedent() || p.at_eof();
        let mixins = self.parse_run(ends, Self::parse_identifier);
        if has_newline {
            self.validate_dedent();
            self.expect(TokenKind::Dedent { valid: true });
        }
        self.bump_token(TokenKind::Close(Delim::Bracket));
        mixins
    }

    /// `[@decorators] name [?]: T [= value]`
    fn parse_schema_attribute(&mut self) -> Attr {
        let decorators = if self.at(TokenKind::At) {
            let d = self.parse_decorators();
            self.skip_newlines();
            d
        } else {
            Vec::new()
        };
        let name = if self.token.is_str() {
            match self.parse_str_expr() {
                Expr::Str { value, parts, span, .. } if parts.is_empty() => Name { parts: vec![value], span },
                _ => self.parse_identifier(),
            }
        } else {
            self.parse_identifier()
        };
        let optional = self.eat(TokenKind::Question);
        self.bump_token(TokenKind::Colon);
        let ty = self.parse_type_annotation();
        let has_op = matches!(self.token.kind, TokenKind::Assign | TokenKind::PlusEq | TokenKind::OtherAugAssign);
        if has_op {
            self.bump();
        }
        let value = if has_op { Some(self.parse_expr()) } else { None };
        self.skip_newlines();
        Attr { name: name.dotted(), span: name.span, optional, ty, value, decorators }
    }

    /// In a schema body `[` starts either an index signature
    /// `[key: str]: T` or a list expression statement.
    fn parse_index_signature_or_list(&mut self, def: &mut SchemaDef) {
        let open = self.token;
        self.bump();
        let next = self.peek_kind(1);
        let next2 = self.peek_kind(2);
        let is_list = match self.token.kind {
            TokenKind::Newline | TokenKind::Close(Delim::Bracket) => Some(true),
            TokenKind::Ident if next != Some(TokenKind::Colon) && next2 != Some(TokenKind::Colon) => Some(true),
            TokenKind::Ellipsis if next == Some(TokenKind::Ident) => Some(false),
            TokenKind::Ident => Some(false),
            _ => None,
        };
        match is_list {
            Some(true) => {
                let list = self.parse_list_after_open(open);
                def.body.push(Stmt::Expr { exprs: vec![list], span: self.span_from(open) });
            }
            Some(false) => {
                if def.index_signature.is_some() {
                    self.error_at(
                        open,
                        codes::DUPLICATE_INDEX_SIGNATURE,
                        "duplicate schema index signature; only one is allowed",
                    );
                }
                def.index_signature = Some(self.parse_index_signature(open));
            }
            None => {
                let got = self.token.describe(self.src);
                let tok = self.token;
                self.error_at(
                    tok,
                    codes::UNEXPECTED_TOKEN,
                    format!("expected an index signature or a list expression here, got {got}"),
                );
            }
        }
    }

    /// After `[`: `[name:] [...] T] : T [= default]`
    fn parse_index_signature(&mut self, open: Token) -> IndexSignature {
        let mut key_name = None;
        let key_ty = if self.eat(TokenKind::Ellipsis) {
            self.parse_type_annotation()
        } else {
            let first = self.parse_identifier();
            if self.at(TokenKind::Close(Delim::Bracket)) {
                // `[str]: T`: the identifier is the key type.
                type_of_name(first)
            } else {
                key_name = Some(first.dotted());
                self.bump_token(TokenKind::Colon);
                self.eat(TokenKind::Ellipsis);
                self.parse_type_annotation()
            }
        };
        self.bump_token(TokenKind::Close(Delim::Bracket));
        self.bump_token(TokenKind::Colon);
        let value_ty = self.parse_type_annotation();
        let value = self.eat(TokenKind::Assign).then(|| self.parse_expr());
        let span = self.span_from(open);
        self.skip_newlines();
        IndexSignature { key_name, key_ty, value_ty, value, span }
    }

    /// `check: INDENT check_expr+ DEDENT`
    fn parse_check_block(&mut self) -> Vec<CheckExpr> {
        let mut checks = Vec::new();
        if !self.is_kw("check") {
            return checks;
        }
        self.bump();
        self.bump_token(TokenKind::Colon);
        self.skip_newlines();
        self.bump_token(TokenKind::Indent);
        self.parse_check_exprs(&mut checks);
        checks
    }

    /// Check expressions up to the closing dedent (consumed).
    fn parse_check_exprs(&mut self, checks: &mut Vec<CheckExpr>) {
        while !self.at_valid_dedent() {
            let marker = self.mark();
            if self.at_eof() {
                self.expected(&["newline"]);
                break;
            }
            checks.push(self.parse_check_expr());
            self.skip_newlines();
            self.drop_if_stuck(marker);
        }
        self.validate_dedent();
        self.bump_token(TokenKind::Dedent { valid: true });
    }

    /// `test [if cond] [, message]`
    fn parse_check_expr(&mut self) -> CheckExpr {
        let test = self.parse_simple_expr();
        let cond = self.if_condition();
        let msg = self.eat(TokenKind::Comma).then(|| self.parse_primary_expr());
        CheckExpr { test, cond, msg }
    }

    /// `[decorators] rule Name[params](Parents) [for Host]: INDENT checks DEDENT`
    pub(super) fn parse_rule_stmt(&mut self, decorators: Vec<Expr>) -> Stmt {
        let start = self.token;
        self.bump_kw("rule");
        let name = self.parse_identifier();
        let params = if self.at(TokenKind::Open(Delim::Bracket)) {
            self.parse_parameters(Some(TokenKind::Open(Delim::Bracket)), &[TokenKind::Close(Delim::Bracket)], true)
        } else {
            Vec::new()
        };
        let mut parents = Vec::new();
        if self.eat(TokenKind::Open(Delim::Paren)) {
            loop {
                if self.eat(TokenKind::Close(Delim::Paren)) {
                    break;
                }
                if matches!(self.token.kind, TokenKind::Newline | TokenKind::Eof) {
                    self.expected(&[")", ","]);
                    break;
                }
                let tok = self.token;
                match self.parse_expr() {
                    Expr::Name(n) => parents.push(n),
                    _ => self.error_at(tok, codes::EXPECTED_IDENTIFIER, "expected identifier"),
                }
                if !matches!(
                    self.token.kind,
                    TokenKind::Comma | TokenKind::Close(Delim::Paren) | TokenKind::Newline | TokenKind::Eof
                ) {
                    self.expected(&[",", ")"]);
                    self.bump();
                }
                self.eat(TokenKind::Comma);
            }
        }
        let for_host = self.parse_for_host();
        self.bump_token(TokenKind::Colon);
        self.skip_newlines();
        self.bump_token(TokenKind::Indent);
        if matches!(self.token.kind, TokenKind::Str { triple: true, .. }) {
            self.parse_str_expr();
            self.skip_newlines();
        }
        let mut checks = Vec::new();
        self.validate_dedent();
        self.parse_check_exprs(&mut checks);
        let mut span = self.span_from(start);
        span.start = name.span.start;
        Stmt::Rule(Box::new(RuleDef { name: name.dotted(), span, params, parents, for_host, decorators, checks }))
    }
}

/// A type written as a bare identifier (`str` in `[str]: T`).
fn type_of_name(name: Name) -> Type {
    match name.dotted().as_str() {
        "str" => Type::Basic(BasicType::Str),
        "int" => Type::Basic(BasicType::Int),
        "float" => Type::Basic(BasicType::Float),
        "bool" => Type::Basic(BasicType::Bool),
        "any" => Type::Any,
        _ => Type::Named(name),
    }
}
