//! List and config literals, comprehensions, and the `if` items/entries
//! allowed inside them. Items may be separated by commas, newlines, or
//! (as in KCL) just whitespace: `[1 2 3]` is a valid list.

use super::super::ast::{CompClause, Entry, EntryOp, Expr};
use super::super::diagnostic as codes;
use super::super::token::{Delim, Token, TokenKind};
use super::Parser;

/// A list's or a config's contents: its items, or the one element of a
/// comprehension and its clauses.
enum Contents<T> {
    Items(Vec<T>),
    Comprehension(T, Vec<CompClause>),
}

/// What a list and a config hold, as kcl's messages name them.
struct Holds {
    /// "list", "config".
    kind: &'static str,
    /// "expression", "entry".
    element: &'static str,
}

/// Which branches of an `if` item or entry make their body a block (the
/// body starts on a new line after the `:`). kcl differs between the two:
/// in a list a block branch makes every later one a block; in a config
/// only the `elif` branches carry it on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BlockRule {
    List,
    Config,
}

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
        if self.eat(TokenKind::Close(close)) {
            return None;
        }
        if !self.at(TokenKind::Newline) {
            return Some(false);
        }
        self.skip_newlines();
        self.clean_indentation();
        if self.eat(TokenKind::Close(close)) {
            return None;
        }
        Some(true)
    }

    /// The contents of a list or config once its opener is consumed, up to
    /// and with the `close` bracket (reported when missing).
    fn parse_contents<T>(
        &mut self,
        close: Delim,
        holds: Holds,
        items: impl FnOnce(&mut Self, bool) -> Vec<T>,
    ) -> Contents<T> {
        let Some(has_newline) = self.open_collection(close) else {
            return Contents::Items(Vec::new());
        };
        let first = self.token;
        let mut items = items(self, has_newline);
        let clauses = self.parse_comp_clauses();
        self.skip_newlines();
        self.clean_indentation();
        self.expect(TokenKind::Close(close));
        if clauses.is_empty() {
            return Contents::Items(items);
        }
        match self.comprehension_element(first, &mut items, holds) {
            Some(element) => Contents::Comprehension(element, clauses),
            None => Contents::Items(items),
        }
    }

    /// The rest of a list once `[` (the `open` token) is consumed.
    pub(super) fn parse_list_after_open(&mut self, open: Token) -> Expr {
        let holds = Holds { kind: "list", element: "expression" };
        let contents = self.parse_contents(Delim::Bracket, holds, |p, _| p.parse_list_items());
        let span = self.span_from(open);
        match contents {
            Contents::Items(items) => Expr::List { items, span },
            Contents::Comprehension(elt, clauses) => Expr::ListComp { elt: Box::new(elt), clauses, span },
        }
    }

    /// The one element of a comprehension that begins at `first`: none or
    /// several are reported as kcl reports them. `None` when there is none.
    fn comprehension_element<T>(&mut self, first: Token, items: &mut Vec<T>, holds: Holds) -> Option<T> {
        let Holds { kind, element } = holds;
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

    /// The items of a list or the entries of a config, up to `ends`: the
    /// first from `first`, each later one from `next` (`None` for one it
    /// reported and skipped). Separators are commas, nothing, and (where
    /// `newlines`) line breaks.
    fn parse_items<T>(
        &mut self,
        newlines: bool,
        ends: impl Fn(&Self) -> bool,
        first: impl FnOnce(&mut Self) -> T,
        mut next: impl FnMut(&mut Self) -> Option<T>,
    ) -> Vec<T> {
        if ends(self) {
            return Vec::new();
        }
        let mut items = vec![first(self)];
        self.skip_separator(newlines);
        loop {
            let marker = self.mark();
            self.clean_indentation();
            if ends(self) {
                break;
            }
            items.extend(next(self));
            self.skip_separator(newlines);
            self.drop_if_stuck(marker);
        }
        items
    }

    /// Unlike configs, lists never end at a line break: the newline
    /// after an item is skipped whether or not the list started with one.
    fn list_item_ends(&self) -> bool {
        match self.token.kind {
            TokenKind::Close(Delim::Bracket) | TokenKind::Eof => true,
            _ => self.is_kw("for"),
        }
    }

    fn parse_list_items(&mut self) -> Vec<Expr> {
        self.parse_items(true, Self::list_item_ends, Self::parse_list_item, |p| {
            let item = p.parse_list_item();
            if item.is_missing() {
                p.expected(&[","]);
                p.bump();
                return None;
            }
            Some(item)
        })
    }

    /// `*expr`, `if ...` item, or an expression.
    fn parse_list_item(&mut self) -> Expr {
        let start = self.token;
        if self.eat(TokenKind::Star) {
            let value = self.parse_expr();
            return Expr::Starred(Box::new(value), self.span_from(start));
        }
        if self.is_kw("if") {
            return self.parse_if_item();
        }
        self.parse_expr()
    }

    /// `if c: body (elif c: body)* [else: body]` in a list or a config;
    /// `body` parses a branch's body, told whether it is a block.
    fn parse_if_branches<T>(
        &mut self,
        rule: BlockRule,
        mut body: impl FnMut(&mut Self, bool) -> Vec<T>,
    ) -> Vec<(Option<Expr>, Vec<T>)> {
        let mut carried = false;
        let mut is_block = |p: &Self, elif: bool| {
            let newline = p.at(TokenKind::Newline);
            if rule == BlockRule::List || elif {
                carried |= newline;
                carried
            } else {
                newline
            }
        };
        let mut branches = Vec::new();
        let cond = self.parse_branch_condition();
        let block = is_block(self, false);
        branches.push((Some(cond), body(self, block)));
        self.skip_newlines();
        while self.is_kw("elif") {
            let cond = self.parse_branch_condition();
            let block = is_block(self, true);
            branches.push((Some(cond), body(self, block)));
        }
        self.skip_newlines();
        if self.is_kw("else") {
            self.bump();
            self.bump_token(TokenKind::Colon);
            let block = is_block(self, false);
            branches.push((None, body(self, block)));
        }
        branches
    }

    /// `if c: items (elif c: items)* [else: items]` in a list.
    fn parse_if_item(&mut self) -> Expr {
        let start = self.token;
        let branches = self.parse_if_branches(BlockRule::List, Self::parse_if_item_body);
        Expr::ListIf { branches, span: self.span_from(start) }
    }

    fn parse_if_item_body(&mut self, block: bool) -> Vec<Expr> {
        if !block {
            return vec![self.parse_list_item()];
        }
        self.skip_newlines();
        self.bump_token(TokenKind::Indent);
        let body = self.parse_run(|p| p.at_valid_dedent() || p.at_eof(), Self::parse_list_item);
        self.validate_dedent();
        self.bump_token(TokenKind::Dedent { valid: true });
        body
    }

    /// `{ entries | entry comp_clause+ }`
    pub(super) fn parse_config_expr(&mut self) -> Expr {
        let open = self.token;
        self.bump();
        let holds = Holds { kind: "config", element: "entry" };
        let contents = self.parse_contents(Delim::Brace, holds, Self::parse_config_entries);
        let span = self.span_from(open);
        match contents {
            Contents::Items(entries) => Expr::Config { entries, span },
            Contents::Comprehension(entry, clauses) => Expr::DictComp { entry: Box::new(entry), clauses, span },
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
        let ends = |p: &Self| p.entry_ends(has_newline);
        self.parse_items(has_newline, ends, Self::parse_config_entry, |p| Some(p.parse_config_entry()))
    }

    /// `key (:|=|+=) value`, `**spread`, or an `if` entry.
    fn parse_config_entry(&mut self) -> Entry {
        let start = self.token;
        if self.eat(TokenKind::StarStar) {
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
            while self.eat(TokenKind::Comma) {
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
        let branches = self.parse_if_branches(BlockRule::Config, Self::parse_if_entry_body);
        self.skip_separator(true);
        Expr::ConfigIf { branches, span: self.span_from(start) }
    }

    fn parse_if_entry_body(&mut self, block: bool) -> Vec<Entry> {
        let mut entries = Vec::new();
        if !block {
            self.parse_if_entry_item(&mut entries, false);
            return entries;
        }
        self.skip_newlines();
        self.bump_token(TokenKind::Indent);
        while self.parse_if_entry_item(&mut entries, true) {
            self.skip_separator(true);
        }
        self.skip_newlines();
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
        let unkeyed = if self.is_kw("if") {
            Some(self.parse_if_entry())
        } else if self.at_if_entry_body_end() {
            return false;
        } else if self.eat(TokenKind::StarStar) {
            Some(self.parse_primary_expr())
        } else {
            None
        };
        if let Some(value) = unkeyed {
            entries.push(Entry { key: None, op: EntryOp::Override, value, span: self.span_from(start) });
            return true;
        }
        if self.at_if_entry_body_end() {
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

    /// Whether an `if` entry's body ends here, past an invalid dedent
    /// (reported).
    fn at_if_entry_body_end(&mut self) -> bool {
        self.validate_dedent();
        self.at_valid_dedent() || self.at(TokenKind::Newline)
    }
}
