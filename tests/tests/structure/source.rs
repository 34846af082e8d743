//! One file's part in the module tree: the modules it declares, the items
//! it defines, the paths it imports (`use`) and the paths it writes in
//! code, per module scope (the file, and each inline `mod x { … }`).
//! Items under `#[cfg(test)]` are skipped whole.

use std::collections::BTreeSet;

use super::lex::{Tok, Token, tokens};

#[derive(Debug, Default)]
pub struct Source {
    /// The file's own scope first, then its inline modules.
    pub scopes: Vec<Scope>,
}

#[derive(Debug, Default)]
pub struct Scope {
    /// The inline modules this scope is nested in, outermost first
    /// (empty for the file's own scope).
    pub inline: Vec<String>,
    pub mods: Vec<ModDecl>,
    /// Names of the items defined here (not imported).
    pub defines: Vec<String>,
    pub uses: Vec<Use>,
    pub paths: Vec<Path>,
    /// Every name written in code (outside `use` and attributes): whether
    /// a name a `use` binds is used here, or only handed on.
    pub idents: BTreeSet<String>,
}

#[derive(Debug)]
pub struct ModDecl {
    pub name: String,
    /// A `#[path = "…"]` on the declaration.
    pub path: Option<String>,
}

/// One leaf of a `use` tree: `use a::{b, c as d, e::*}` has three.
#[derive(Debug, Clone)]
pub struct Use {
    pub segments: Vec<String>,
    /// The name it binds (`None` for a glob or `as _`).
    pub binds: Option<String>,
    pub glob: bool,
    /// `pub use` (of any visibility): it may only hand the name on.
    pub public: bool,
    pub line: u32,
}

/// A path of two segments or more written in code: `error::BUDGET`.
#[derive(Debug)]
pub struct Path {
    pub segments: Vec<String>,
    pub line: u32,
}

/// What the attributes before an item say.
#[derive(Default)]
struct Attrs {
    test_only: bool,
    path: Option<String>,
}

pub fn parse(src: &str) -> Source {
    let toks = tokens(src);
    let mut source = Source { scopes: vec![Scope::default()] };
    // The open inline modules: their scope, and the brace depth inside them.
    let mut open: Vec<(usize, usize)> = vec![(0, 0)];
    let mut depth = 0;
    let mut attrs = Attrs::default();
    let mut public = false;
    let mut i = 0;
    while i < toks.len() {
        let after_pub = std::mem::take(&mut public);
        let (scope, scope_depth) = *open.last().expect("the file's scope stays open");
        let at_item_level = depth == scope_depth;
        match &toks[i].tok {
            Tok::Punct('#') => {
                i = attribute(&toks, i, &mut attrs);
                if attrs.test_only && inner_attribute(&toks, i) {
                    // `#![cfg(test)]`: the whole file is test code.
                    return Source { scopes: vec![Scope::default()] };
                }
                continue;
            }
            _ if attrs.test_only => {
                i = skip_item(&toks, i);
                attrs = Attrs::default();
                continue;
            }
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => {
                depth = depth.saturating_sub(1);
                if open.len() > 1 && depth < scope_depth {
                    open.pop();
                }
            }
            Tok::Ident(w) if w == "pub" => {
                public = true;
                // `pub(crate)`, `pub(in crate::a)`: no import.
                i = if is(&toks, i + 1, &Tok::Punct('(')) { skip_group(&toks, i + 1) } else { i + 1 };
                continue;
            }
            Tok::Ident(w) if w == "mod" => {
                if let Some(Tok::Ident(name)) = toks.get(i + 1).map(|t| &t.tok) {
                    let name = name.clone();
                    if is(&toks, i + 2, &Tok::Punct('{')) {
                        let mut inline = source.scopes[scope].inline.clone();
                        inline.push(name.clone());
                        source.scopes[scope].defines.push(name);
                        source.scopes.push(Scope { inline, ..Scope::default() });
                        depth += 1;
                        open.push((source.scopes.len() - 1, depth));
                        i += 3;
                    } else {
                        source.scopes[scope].defines.push(name.clone());
                        source.scopes[scope].mods.push(ModDecl { name, path: attrs.path.take() });
                        i += 2;
                    }
                    attrs = Attrs::default();
                    continue;
                }
            }
            Tok::Ident(w) if w == "use" && !is(&toks, i + 1, &Tok::Punct('<')) => {
                let mut leaves = Vec::new();
                i = use_tree(&toks, i + 1, Vec::new(), &mut leaves);
                leaves.iter_mut().for_each(|u| u.public = after_pub);
                source.scopes[scope].uses.extend(leaves);
                attrs = Attrs::default();
                continue;
            }
            Tok::Ident(w)
                if at_item_level
                    && matches!(
                        w.as_str(),
                        "fn" | "struct" | "enum" | "trait" | "type" | "const" | "static" | "union"
                    ) =>
            {
                if let Some(Tok::Ident(name)) = toks.get(i + 1).map(|t| &t.tok) {
                    source.scopes[scope].defines.push(name.clone());
                }
            }
            Tok::Ident(first) if is(&toks, i + 1, &Tok::PathSep) && (i == 0 || !is(&toks, i - 1, &Tok::PathSep)) => {
                let mut segments = vec![first.clone()];
                let mut j = i + 1;
                while is(&toks, j, &Tok::PathSep) {
                    match toks.get(j + 1).map(|t| &t.tok) {
                        Some(Tok::Ident(s)) => segments.push(s.clone()),
                        _ => break,
                    }
                    j += 2;
                }
                source.scopes[scope].idents.insert(first.clone());
                if segments.len() > 1 {
                    source.scopes[scope].paths.push(Path { segments, line: toks[i].line });
                }
                i = j;
                continue;
            }
            Tok::Ident(w) => {
                source.scopes[scope].idents.insert(w.clone());
            }
            _ => {}
        }
        if matches!(toks[i].tok, Tok::Punct(';' | '{' | '}')) {
            attrs = Attrs::default();
        }
        i += 1;
    }
    source
}

fn is(toks: &[Token], i: usize, tok: &Tok) -> bool {
    toks.get(i).is_some_and(|t| &t.tok == tok)
}

fn inner_attribute(toks: &[Token], end: usize) -> bool {
    // The attribute just read ended at `end`; an inner one began `#!`.
    let mut k = end;
    let mut depth = 0;
    while k > 0 {
        k -= 1;
        match toks[k].tok {
            Tok::Punct(']') => depth += 1,
            Tok::Punct('[') => {
                depth -= 1;
                if depth == 0 {
                    return k > 0 && is(toks, k - 1, &Tok::Punct('!'));
                }
            }
            _ => {}
        }
    }
    false
}

/// Reads `#[…]` or `#![…]` at `i` into `attrs`; returns the index past it.
fn attribute(toks: &[Token], mut i: usize, attrs: &mut Attrs) -> usize {
    i += 1;
    if is(toks, i, &Tok::Punct('!')) {
        i += 1;
    }
    if !is(toks, i, &Tok::Punct('[')) {
        return i;
    }
    let end = skip_group(toks, i);
    let inside: Vec<&Tok> = toks[i + 1..end.saturating_sub(1)].iter().map(|t| &t.tok).collect();
    let word = |k: usize, w: &str| matches!(inside.get(k), Some(Tok::Ident(x)) if x == w);
    let names = |w: &str| inside.iter().any(|t| matches!(t, Tok::Ident(x) if x == w));
    if word(0, "cfg") && names("test") && !names("not") && !names("any") {
        attrs.test_only = true;
    }
    if word(0, "path")
        && let Some(Tok::Str(p)) = inside.get(2)
    {
        attrs.path = Some(p.clone());
    }
    end
}

/// Past the bracketed group opening at `i`.
fn skip_group(toks: &[Token], mut i: usize) -> usize {
    let mut depth = 0;
    while i < toks.len() {
        match toks[i].tok {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    i
}

/// Past the item (or field, arm, statement) starting at `i`: to its `;`
/// or `,`, or past its body; never past the end of what encloses it.
fn skip_item(toks: &[Token], mut i: usize) -> usize {
    // Generics' commas (`fn f<A, B>`) do not end the item; `->` and `=>`
    // are no closing bracket.
    let mut angles = 0usize;
    while i < toks.len() {
        match toks[i].tok {
            Tok::Punct(',') if angles > 0 => i += 1,
            Tok::Punct(';' | ',') => return i + 1,
            Tok::Punct('{') => return skip_group(toks, i),
            Tok::Punct('(' | '[') => i = skip_group(toks, i),
            Tok::Punct(')' | ']' | '}') => return i,
            Tok::Punct('<') if i > 0 && matches!(toks[i - 1].tok, Tok::Ident(_) | Tok::PathSep) => {
                angles += 1;
                i += 1;
            }
            Tok::Punct('>') if angles > 0 && !matches!(toks[i - 1].tok, Tok::Punct('-' | '=')) => {
                angles -= 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
    i
}

/// Reads the `use` tree from `i` with the segments above it in `prefix`;
/// returns the index past it (past the `;` at the top).
fn use_tree(toks: &[Token], mut i: usize, mut prefix: Vec<String>, out: &mut Vec<Use>) -> usize {
    let line = toks.get(i).map_or(0, |t| t.line);
    let mut binds: Option<String> = None;
    while i < toks.len() {
        match &toks[i].tok {
            Tok::PathSep => i += 1,
            Tok::Ident(w) if w == "as" => {
                if let Some(Tok::Ident(alias)) = toks.get(i + 1).map(|t| &t.tok) {
                    binds = Some(alias.clone()).filter(|a| a != "_");
                    i += 2;
                    out.push(Use { segments: prefix, binds, glob: false, public: false, line });
                    return end_of_leaf(toks, i);
                }
                i += 1;
            }
            Tok::Ident(w) => {
                prefix.push(w.clone());
                binds = Some(w.clone());
                i += 1;
            }
            Tok::Punct('*') => {
                out.push(Use { segments: prefix, binds: None, glob: true, public: false, line });
                return end_of_leaf(toks, i + 1);
            }
            Tok::Punct('{') => {
                i += 1;
                while i < toks.len() && !is(toks, i, &Tok::Punct('}')) {
                    i = use_tree(toks, i, prefix.clone(), out);
                }
                return end_of_leaf(toks, i + 1);
            }
            _ => break,
        }
    }
    if let Some(last) = &binds {
        // `a::{self}` binds `a`.
        let binds = if last == "self" { prefix.iter().rev().nth(1).cloned() } else { binds.clone() };
        out.push(Use { segments: prefix, binds, glob: false, public: false, line });
    }
    end_of_leaf(toks, i)
}

/// Past the `,` or `;` that ends a leaf; a `}` is left to the group.
fn end_of_leaf(toks: &[Token], i: usize) -> usize {
    match toks.get(i).map(|t| &t.tok) {
        Some(Tok::Punct(',' | ';')) => i + 1,
        _ => i,
    }
}
