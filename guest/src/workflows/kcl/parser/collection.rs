//! List and config literals, comprehensions, and the `if` items/entries
//! allowed inside them. Items may be separated by commas, newlines, or
//! (as in KCL) just whitespace: `[1 2 3]` is a valid list.

use super::super::ast::{CompClause, Entry, EntryOp, Expr};
use super::super::diagnostic as codes;
use super::super::token::{Delim, Token, TokenKind};
use super::Parser;

impl<'a> Parser<'a> {
    /// `[ items | item comp_clause+ ]`
    pub(super) fn parse_list_expr(&mut self) -> Expr {
        let open = self.token;
        self.bump();
        self.parse_list_after_open(open)
    }

    /// After an opening bracket: `None` when the collection is empty (its
    /// close consumed), else whether its items start on a new line.
    fn open_collection(&mut self, close: Delim) -> Option<bool> {
        if self.at(TokenKind::Close(close)) {
            self.bump();
            return None;
        }
        if !self.at(TokenKind::Newline) {
            return Some(false);
        }
        self.skip_newlines();
        self.clean_indentation();
        if self.at(TokenKind::Close(close)) {
            self.bump();
            return None;
        }
        Some(true)
    }

    /// Consumes the closing bracket after the items, or reports it missing.
    fn close_collection(&mut self, close: Delim, text: &str) {
        self.skip_newlines();
        self.clean_indentation();
        if self.at(TokenKind::Close(close)) {
            self.bump();
        } else {
            self.expected(&[text]);
        }
    }

    /// The rest of a list once `[` (the `open` token) is consumed.
    pub(super) fn parse_list_after_open(&mut self, open: Token) -> Expr {
        let Some(has_newline) = self.open_collection(Delim::Bracket) else {
            return Expr::List { items: Vec::new(), span: self.span_from(open) };
        };
        let first = self.token;
        let mut items = self.parse_list_items(has_newline);
        let clauses = self.parse_comp_clauses();
        self.close_collection(Delim::Bracket, "]");
        let span = self.span_from(open);
        if clauses.is_empty() {
            return Expr::List { items, span };
        }
        match self.comprehension_element(first, &mut items, "list", "expression") {
            Some(elt) => Expr::ListComp { elt: Box::new(elt), clauses, span },
            None => Expr::List { items, span },
        }
    }

    /// The one element of a comprehension that begins at `first`: none or
    /// several are reported as kcl reports them (`kind`: "list", "config";
    /// `element`: what it holds). `None` when there is none.
    fn comprehension_element<T>(&mut self, first: Token, items: &mut Vec<T>, kind: &str, element: &str) -> Option<T> {
        match items.len() {
            0 => {
                let message = format!("missing {kind} comprehension {element}");
                self.error_at(first, codes::INVALID_COMPREHENSION, message);
                None
            }
            n => {
                if n > 1 {
                    let message = format!("a {kind} comprehension takes one {element}, got {n}");
                    self.error_at(first, codes::INVALID_COMPREHENSION, message);
                }
                Some(items.swap_remove(0))
            }
        }
    }

    /// Unlike configs, lists never end at a line break: the newline
    /// after an item is skipped whether or not the list started with one.
    fn list_item_ends(&self) -> bool {
        match self.token.kind {
            TokenKind::Close(Delim::Bracket) | TokenKind::Eof => true,
            _ => self.is_kw("for"),
        }
    }

    fn parse_list_items(&mut self, _has_newline: bool) -> Vec<Expr> {
        if self.list_item_ends() {
            return Vec::new();
        }
        let mut items = vec![self.parse_list_item()];
        if self.at(TokenKind::Comma) {
            self.bump();
        }
        self.skip_newlines();
        loop {
            let marker = self.mark();
            self.clean_indentation();
            if self.list_item_ends() {
                break;
            }
            let item = self.parse_list_item();
            if item.is_missing() {
                self.expected(&[","]);
                self.bump();
            } else {
                items.push(item);
            }
            if self.at(TokenKind::Comma) {
                self.bump();
            }
            self.skip_newlines();
            self.drop_if_stuck(marker);
        }
        items
    }

    /// `*expr`, `if ...` item, or an expression.
    fn parse_list_item(&mut self) -> Expr {
        let start = self.token;
        if self.at(TokenKind::Star) {
            self.bump();
            let value = self.parse_expr();
            return Expr::Starred(Box::new(value), self.span_from(start));
        }
        if self.is_kw("if") {
            return self.parse_if_item();
        }
        self.parse_expr()
    }

    /// `if c: items (elif c: items)* [else: items]` in a list.
    fn parse_if_item(&mut self) -> Expr {
        let start = self.token;
        let mut branches = Vec::new();
        // KCL keeps the "block form" flag once set for later branches.
        let mut block = false;
        self.bump_kw("if");
        let cond = self.parse_expr();
        self.bump_token(TokenKind::Colon);
        block |= self.at(TokenKind::Newline);
        let items = self.parse_if_item_body(block);
        branches.push((Some(cond), items));
        self.skip_newlines();
        while self.is_kw("elif") {
            self.bump();
            let cond = self.parse_expr();
            self.bump_token(TokenKind::Colon);
            block |= self.at(TokenKind::Newline);
            let items = self.parse_if_item_body(block);
            branches.push((Some(cond), items));
        }
        self.skip_newlines();
        if self.is_kw("else") {
            self.bump();
            self.bump_token(TokenKind::Colon);
            block |= self.at(TokenKind::Newline);
            let items = self.parse_if_item_body(block);
            branches.push((None, items));
        }
        Expr::ListIf { branches, span: self.span_from(start) }
    }

    fn parse_if_item_body(&mut self, block: bool) -> Vec<Expr> {
        if !block {
            return vec![self.parse_list_item()];
        }
        self.skip_newlines();
        self.bump_token(TokenKind::Indent);
        let mut body = Vec::new();
        loop {
            self.validate_dedent();
            if self.at_valid_dedent() || self.at_eof() {
                break;
            }
            let marker = self.mark();
            body.push(self.parse_list_item());
            if self.at(TokenKind::Comma) {
                self.bump();
            }
            self.skip_newlines();
            if marker == self.mark() {
                self.bump();
            }
        }
        self.validate_dedent();
        self.bump_token(TokenKind::Dedent { valid: true });
        body
    }

    /// `{ entries | entry comp_clause+ }`
    pub(super) fn parse_config_expr(&mut self) -> Expr {
        let open = self.token;
        self.bump();
        let Some(has_newline) = self.open_collection(Delim::Brace) else {
            return Expr::Config { entries: Vec::new(), span: self.span_from(open) };
        };
        let first = self.token;
        let mut entries = self.parse_config_entries(has_newline);
        let clauses = self.parse_comp_clauses();
        self.close_collection(Delim::Brace, "}");
        let span = self.span_from(open);
        if clauses.is_empty() {
            return Expr::Config { entries, span };
        }
        match self.comprehension_element(first, &mut entries, "config", "entry") {
            Some(entry) => Expr::DictComp { entry: Box::new(entry), clauses, span },
            None => Expr::Config { entries, span },
        }
    }

    fn entry_ends(&self, has_newline: bool) -> bool {
        match self.token.kind {
            TokenKind::Close(Delim::Brace) | TokenKind::Eof => true,
            TokenKind::Newline => !has_newline,
            _ => self.is_kw("for"),
        }
    }

    fn parse_config_entries(&mut self, has_newline: bool) -> Vec<Entry> {
        if self.entry_ends(has_newline) {
            return Vec::new();
        }
        let mut entries = vec![self.parse_config_entry()];
        if self.at(TokenKind::Comma) {
            self.bump();
        }
        if has_newline {
            self.skip_newlines();
        }
        loop {
            let marker = self.mark();
            self.clean_indentation();
            if self.entry_ends(has_newline) {
                break;
            }
            entries.push(self.parse_config_entry());
            if self.at(TokenKind::Comma) {
                self.bump();
            }
            if has_newline {
                self.skip_newlines();
            }
            self.drop_if_stuck(marker);
        }
        entries
    }

    /// `key (:|=|+=) value`, `**spread`, or an `if` entry.
    fn parse_config_entry(&mut self) -> Entry {
        let start = self.token;
        if self.at(TokenKind::StarStar) {
            self.bump();
            let value = self.parse_expr();
            return Entry { key: None, op: EntryOp::Union, value, span: self.span_from(start) };
        }
        if self.is_kw("if") {
            let value = self.parse_if_entry();
            return Entry { key: None, op: EntryOp::Union, value, span: self.span_from(start) };
        }
        let key = self.parse_expr();
        if let Some(entry) = self.shorthand_entry(&key, start) {
            return entry;
        }
        let op = self.entry_op();
        self.bump();
        let value = self.parse_expr();
        Entry { key: Some(key), op, value, span: self.span_from(start) }
    }

    /// `{name}` is shorthand for `{name = name}` when a single plain name
    /// is followed by no entry operator.
    fn shorthand_entry(&self, key: &Expr, start: Token) -> Option<Entry> {
        let is_plain_name = matches!(key, Expr::Name(n) if n.parts.len() == 1);
        let has_op = matches!(self.token.kind, TokenKind::Colon | TokenKind::Assign | TokenKind::PlusEq);
        if !is_plain_name || has_op {
            return None;
        }
        Some(Entry { key: Some(key.clone()), op: EntryOp::Override, value: key.clone(), span: self.span_from(start) })
    }

    /// The operator of a config entry (not consumed); reports others.
    fn entry_op(&mut self) -> EntryOp {
        match self.token.kind {
            TokenKind::Colon => EntryOp::Union,
            TokenKind::Assign => EntryOp::Override,
            TokenKind::PlusEq => EntryOp::Insert,
            _ => {
                self.expected(&[":", "=", "+="]);
                EntryOp::Override
            }
        }
    }

    /// `for a[, b] in iter [if cond]*`, repeated.
    fn parse_comp_clauses(&mut self) -> Vec<CompClause> {
        let mut clauses = Vec::new();
        while self.is_kw("for") {
            self.bump();
            let mut targets = vec![self.parse_identifier()];
            while self.at(TokenKind::Comma) {
                self.bump();
                targets.push(self.parse_identifier());
            }
            if !self.is_kw("in") {
                self.expected(&["in"]);
            }
            self.bump();
            let iter = self.parse_simple_expr();
            self.skip_newlines();
            let mut ifs = Vec::new();
            while self.is_kw("if") {
                self.bump();
                ifs.push(self.parse_expr());
            }
            clauses.push(CompClause { targets, iter, ifs });
        }
        clauses
    }

    /// `if c: entries (elif c: entries)* [else: entries]` in a config.
    fn parse_if_entry(&mut self) -> Expr {
        let start = self.token;
        let mut branches = Vec::new();
        self.bump_kw("if");
        let cond = self.parse_expr();
        self.bump_token(TokenKind::Colon);
        let block = self.at(TokenKind::Newline);
        let entries = self.parse_if_entry_body(block);
        branches.push((Some(cond), entries));
        self.skip_newlines();
        let mut block = false;
        while self.is_kw("elif") {
            self.bump();
            let cond = self.parse_expr();
            self.bump_token(TokenKind::Colon);
            block |= self.at(TokenKind::Newline);
            let entries = self.parse_if_entry_body(block);
            branches.push((Some(cond), entries));
        }
        self.skip_newlines();
        if self.is_kw("else") {
            self.bump();
            self.bump_token(TokenKind::Colon);
            let block = self.at(TokenKind::Newline);
            let entries = self.parse_if_entry_body(block);
            branches.push((None, entries));
        }
        if self.at(TokenKind::Comma) {
            self.bump();
        }
        self.skip_newlines();
        Expr::ConfigIf { branches, span: self.span_from(start) }
    }

    fn parse_if_entry_body(&mut self, block: bool) -> Vec<Entry> {
        if block {
            self.skip_newlines();
            self.bump_token(TokenKind::Indent);
        }
        let mut entries = Vec::new();
        if !block {
            self.parse_if_entry_item(&mut entries, false);
        } else {
            while self.parse_if_entry_item(&mut entries, true) {
                if self.at(TokenKind::Comma) {
                    self.bump();
                }
                self.skip_newlines();
            }
            self.skip_newlines();
        }
        entries
    }

    /// One entry of an `if` entry body; false at the end of the body.
    fn parse_if_entry_item(&mut self, entries: &mut Vec<Entry>, block: bool) -> bool {
        let marker = self.mark();
        if self.at_eof() {
            return false;
        }
        if block {
            if self.at_valid_dedent() {
                self.bump();
                return false;
            }
        } else if self.at(TokenKind::Newline) {
            return false;
        }
        if self.is_kw("elif") || self.is_kw("else") {
            return false;
        }
        let start = self.token;
        if self.is_kw("if") {
            let value = self.parse_if_entry();
            entries.push(Entry { key: None, op: EntryOp::Override, value, span: self.span_from(start) });
            return true;
        }
        self.validate_dedent();
        if self.at_valid_dedent() || self.at(TokenKind::Newline) {
            return false;
        }
        if self.at(TokenKind::StarStar) {
            self.bump();
            let value = self.parse_primary_expr();
            entries.push(Entry { key: None, op: EntryOp::Override, value, span: self.span_from(start) });
            return true;
        }
        self.validate_dedent();
        if self.at_valid_dedent() || self.at(TokenKind::Newline) {
            return false;
        }
        // No `{name}` shorthand inside `if` entries.
        let key = self.parse_expr();
        let op = self.entry_op();
        if matches!(self.token.kind, TokenKind::Colon | TokenKind::Assign | TokenKind::PlusEq) {
            self.bump();
        }
        let value = self.parse_expr();
        entries.push(Entry { key: Some(key), op, value, span: self.span_from(start) });
        self.drop_if_stuck(marker);
        true
    }
}
