//! Statements: assignments, imports, assert, type aliases, if/elif/else,
//! and the dispatch to schema and rule definitions.

use super::super::ast::{Attr, Expr, Import, Name, Stmt, Type};
use super::super::diagnostic as codes;
use super::super::token::{Delim, TokenKind};
use super::Parser;

impl<'a> Parser<'a> {
    /// One statement, or None after reporting the current token as
    /// unexpected (the caller skips it).
    pub(super) fn parse_stmt(&mut self) -> Option<Stmt> {
        self.skip_newlines();
        if self.at_eof() {
            return None;
        }
        if !self.enter() {
            return None;
        }
        let stmt = self.parse_compound_stmt().or_else(|| self.parse_simple_stmt());
        self.leave();
        if stmt.is_none() {
            self.unexpected();
        }
        stmt
    }

    /// Only from [`Self::parse_stmt`], which skips blank lines and stops at
    /// the end of input first (as [`Self::parse_simple_stmt`], after this).
    fn parse_compound_stmt(&mut self) -> Option<Stmt> {
        if self.is_kw("if") {
            return Some(self.parse_if_stmt());
        }
        let decorators = if self.at(TokenKind::At) { self.parse_decorators() } else { Vec::new() };
        if self.is_kw("schema") || self.is_kw("mixin") || self.is_kw("protocol") {
            return Some(self.parse_schema_stmt(decorators));
        }
        if self.is_kw("rule") {
            return Some(self.parse_rule_stmt(decorators));
        }
        None
    }

    fn parse_simple_stmt(&mut self) -> Option<Stmt> {
        if self.is_kw("import") {
            return Some(self.parse_import_stmt());
        }
        if self.is_kw("type") {
            return Some(self.parse_type_alias_stmt());
        }
        if self.is_kw("assert") {
            return Some(self.parse_assert_stmt());
        }
        match self.token.kind {
            TokenKind::Tilde | TokenKind::Bang => {
                let start = self.token;
                let expr = self.parse_expr();
                self.skip_newlines();
                Some(Stmt::Expr { exprs: vec![expr], span: self.span_from(start) })
            }
            TokenKind::Ident | TokenKind::Int | TokenKind::Float | TokenKind::Str { .. } | TokenKind::Open(_) => {
                self.parse_expr_or_assign_stmt(false)
            }
            _ => None,
        }
    }

    /// Assignment targets are names, attribute paths or subscripts.
    fn check_target(&mut self, target: &Expr) {
        use super::super::ast::Suffix;
        // A name, optionally followed by attribute or index accesses.
        let ok = match target {
            Expr::Name(_) => true,
            Expr::Suffixed { base, suffixes, .. } => {
                matches!(**base, Expr::Name(_))
                    && suffixes.iter().all(|s| matches!(s, Suffix::Attr(_) | Suffix::Index(_)))
            }
            _ => false,
        };
        if !ok && !target.is_missing() {
            let span = target.span();
            self.push_diag(
                super::super::diagnostic::RawDiag::new(
                    span.start,
                    span.end,
                    codes::EXPECTED_IDENTIFIER,
                    "invalid assignment target",
                )
                .with_hint("only names, attributes and subscripts can be assigned"),
            );
        }
    }

    /// `expr`, `target = value`, `target: T = value`, `target += value`,
    /// `target: Schema {...}`; inside schemas also attribute declarations.
    pub(super) fn parse_expr_or_assign_stmt(&mut self, in_schema: bool) -> Option<Stmt> {
        let start = self.token;
        let mut targets = vec![self.parse_expr()];
        let mut value: Option<Expr> = None;
        let mut ty: Option<Type> = None;

        if self.eat(TokenKind::Colon) {
            let t = self.parse_type_annotation();
            let schema_follows =
                matches!(self.token.kind, TokenKind::Open(Delim::Brace) | TokenKind::Open(Delim::Paren));
            if let (true, Type::Named(name)) = (schema_follows, &t) {
                let name = name.clone();
                let schema = if self.at(TokenKind::Open(Delim::Paren)) {
                    // `x: Schema(args) {...}`
                    let (args, kwargs) = self.parse_call();
                    let config = if self.at(TokenKind::Open(Delim::Brace)) {
                        self.parse_config_expr()
                    } else {
                        self.expected(&["{"]);
                        self.missing()
                    };
                    Expr::Schema { name, args, kwargs, config: Box::new(config), span: self.span_from(start) }
                } else {
                    self.parse_schema_expr(name, start)
                };
                let target = targets.pop().unwrap();
                if !matches!(target, Expr::Name(_)) {
                    self.error_at(start, codes::EXPECTED_IDENTIFIER, "expected identifier");
                }
                self.skip_newlines();
                return Some(Stmt::Unification { target, value: schema, span: self.span_from(start) });
            }
            ty = Some(t);
        } else if matches!(self.token.kind, TokenKind::PlusEq | TokenKind::OtherAugAssign) {
            self.bump();
            let value = self.parse_expr();
            let target = targets.pop().unwrap();
            self.check_target(&target);
            self.skip_newlines();
            return Some(Stmt::AugAssign { target, value, span: self.span_from(start) });
        }

        while self.eat(TokenKind::Assign) {
            let expr = self.parse_expr();
            if let Some(previous) = value.take() {
                targets.push(previous);
            }
            value = Some(expr);
        }

        if matches!(self.token.kind, TokenKind::PlusEq | TokenKind::OtherAugAssign)
            && targets.len() == 1
            && in_schema
            && let Some(t) = ty.take()
        {
            self.bump();
            let v = self.parse_expr();
            if let Expr::Name(name) = &targets[0] {
                let name = name.clone();
                self.skip_newlines();
                return Some(attr_stmt(name, t, Some(v)));
            }
            ty = Some(t);
        }

        if let Some(value) = value {
            for t in &targets {
                self.check_target(t);
            }
            self.skip_newlines();
            return Some(Stmt::Assign { targets, ty, value, span: self.span_from(start) });
        }
        if let (1, Some(t), true, Expr::Name(name)) = (targets.len(), &ty, in_schema, &targets[0]) {
            let (name, t) = (name.clone(), t.clone());
            self.skip_newlines();
            return Some(attr_stmt(name, t, None));
        }
        if ty.is_none() {
            let span = self.span_from(start);
            self.skip_newlines();
            return Some(Stmt::Expr { exprs: targets, span });
        }
        // `name: T` outside a schema needs a value.
        self.skip_newlines();
        self.expected(&["="]);
        if !in_schema {
            for t in &targets {
                self.check_target(t);
            }
            let span = self.span_from(start);
            return Some(Stmt::Assign { targets, ty, value: Expr::Missing(span), span });
        }
        None
    }

    /// `assert test [if cond] [, msg]`
    pub(super) fn parse_assert_stmt(&mut self) -> Stmt {
        let start = self.token;
        self.bump_kw("assert");
        let test = self.parse_simple_expr();
        let cond = self.if_condition();
        let msg = self.eat(TokenKind::Comma).then(|| self.parse_expr());
        let span = self.span_from(start);
        self.skip_newlines();
        Stmt::Assert { test, cond, msg, span }
    }

    /// `import [.|..]a.b [as c]`
    fn parse_import_stmt(&mut self) -> Stmt {
        let start = self.token;
        self.bump_kw("import");
        let mut path = String::new();
        while self.at(TokenKind::Ellipsis) {
            path.push_str("...");
            self.bump();
        }
        while self.at(TokenKind::Dot) {
            path.push('.');
            self.bump();
        }
        let name = self.parse_identifier();
        path.push_str(&name.dotted());
        let asname = if self.is_kw("as") {
            self.bump();
            let alias = self.parse_identifier();
            if alias.parts.len() != 1 {
                let tok = self.token;
                self.error_at(tok, codes::EXPECTED_IDENTIFIER, "invalid import alias: expected a single name");
                None
            } else {
                Some(alias.parts[0].clone())
            }
        } else {
            None
        };
        let span = self.span_from(start);
        self.skip_newlines();
        Stmt::Import(Import { path, asname, span })
    }

    /// `type Name = T`
    fn parse_type_alias_stmt(&mut self) -> Stmt {
        let start = self.token;
        self.bump_kw("type");
        let name_tok = self.token;
        let expr = self.parse_expr();
        let name = match expr {
            Expr::Name(n) => n,
            other => {
                self.error_at(name_tok, codes::EXPECTED_IDENTIFIER, "expected identifier");
                Name { parts: vec![String::new()], span: other.span() }
            }
        };
        self.bump_token(TokenKind::Assign);
        let ty = self.parse_type_annotation();
        self.skip_newlines();
        Stmt::TypeAlias { name, ty, span: self.span_from(start) }
    }

    /// The body after `if cond:` / `elif cond:` / `else:`: a statement on
    /// the same line, or an indented block.
    fn parse_branch_body(&mut self) -> Vec<Stmt> {
        if !self.at(TokenKind::Newline) {
            match self.parse_expr_or_assign_stmt(false) {
                Some(stmt) => vec![stmt],
                None => {
                    self.bump();
                    Vec::new()
                }
            }
        } else {
            self.skip_newlines();
            self.parse_block()
        }
    }

    /// `INDENT stmt+ DEDENT`
    pub(super) fn parse_block(&mut self) -> Vec<Stmt> {
        let mut body = Vec::new();
        self.validate_dedent();
        self.bump_token(TokenKind::Indent);
        loop {
            if self.at_eof() {
                break;
            }
            self.validate_dedent();
            if self.at_valid_dedent() {
                self.bump();
                break;
            }
            match self.parse_stmt() {
                Some(stmt) => body.push(stmt),
                None => self.bump(),
            }
        }
        self.skip_newlines();
        body
    }

    /// `if c: ... (elif c: ...)* [else: ...]`; `else if` is rejected with
    /// a hint, as KCL does.
    pub(super) fn parse_if_stmt(&mut self) -> Stmt {
        let start = self.token;
        let cond = self.parse_branch_condition();
        let mut branches = vec![(Some(cond), self.parse_branch_body())];
        self.skip_newlines();
        while self.is_kw("elif") {
            let cond = self.parse_branch_condition();
            branches.push((Some(cond), self.parse_branch_body()));
        }
        self.skip_newlines();
        if self.is_kw("else") {
            self.bump();
            if self.is_kw("if") {
                let tok = self.token;
                self.error_hint(tok, codes::ELSE_IF, "'else if' is not valid KCL", "use 'elif'");
            } else if !self.at(TokenKind::Colon) {
                self.expected(&[":"]);
            }
            self.bump();
            let body = self.parse_branch_body();
            branches.push((None, body));
        }
        let span = self.span_from(start);
        self.skip_newlines();
        Stmt::If { branches, span }
    }
}

fn attr_stmt(name: Name, ty: Type, value: Option<Expr>) -> Stmt {
    Stmt::Attr(Box::new(Attr {
        name: name.dotted(),
        span: name.span,
        optional: false,
        ty,
        value,
        decorators: Vec::new(),
    }))
}
