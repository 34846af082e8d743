//! Schema definitions across the workflow, and checks of schema
//! instances (`Name {...}`): keys must be attributes of the schema
//! (unless it has an index signature) and required attributes (no `?`,
//! no default, never assigned in the schema) must be set.

use super::super::ast::{Entry, Expr, Name, SchemaDef, Stmt};
use super::super::diagnostic::{self as codes, RawDiag};
use super::super::imports::{Target, Workflow};
use super::walk::{each_expr_in_stmts, entry_key};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// How deep inheritance chains are followed (cycles are cut here too).
const MAX_INHERITANCE: usize = 32;

pub struct SchemaTable<'a> {
    wf: &'a Workflow,
    per_file: Vec<HashMap<&'a str, &'a SchemaDef>>,
}

/// The attributes of a schema, inherited ones included.
#[derive(Debug, Default)]
pub struct Attributes {
    /// name → required
    pub attrs: BTreeMap<String, bool>,
    /// Index signature somewhere, or a parent/mixin that could not be
    /// resolved: any key may be valid.
    pub open: bool,
    /// A parent, mixin or protocol could not be resolved, or the schema
    /// is a mixin/protocol: names in its body may come from elsewhere.
    pub uncertain: bool,
}

impl<'a> SchemaTable<'a> {
    pub fn build(wf: &'a Workflow) -> Self {
        let per_file = wf
            .files
            .iter()
            .map(|f| {
                let mut map = HashMap::new();
                collect_defs(&f.module.body, &mut map);
                map
            })
            .collect();
        SchemaTable { wf, per_file }
    }

    /// Resolves `Name` or `alias.Name` as seen from `file`.
    pub fn lookup(&self, file: usize, name: &Name) -> Option<(usize, &'a SchemaDef)> {
        match name.parts.as_slice() {
            [single] => self.per_file[file].get(single.as_str()).map(|d| (file, *d)),
            [alias, schema] => {
                let resolved = self.wf.imports[file].iter().find(|r| r.import.bound_name() == alias)?;
                let Target::Files(ids) = &resolved.target else { return None };
                ids.iter().find_map(|&id| self.per_file[id].get(schema.as_str()).map(|d| (id, *d)))
            }
            _ => None,
        }
    }

    /// The attributes of `def` (defined in `file`), parents and mixins
    /// included.
    pub fn attributes(&self, file: usize, def: &SchemaDef) -> Attributes {
        let mut out = Attributes::default();
        let mut provided = BTreeSet::new();
        self.collect(file, def, &mut out, &mut provided, 0);
        for name in provided {
            out.attrs.insert(name, false);
        }
        out
    }

    fn collect(
        &self,
        file: usize,
        def: &SchemaDef,
        out: &mut Attributes,
        provided: &mut BTreeSet<String>,
        depth: usize,
    ) {
        if depth > MAX_INHERITANCE {
            out.open = true;
            return;
        }
        if def.index_signature.is_some() || def.is_mixin || def.is_protocol {
            out.open = true;
        }
        if def.is_mixin || def.is_protocol {
            out.uncertain = true;
        }
        let bases = def.parent.iter().chain(def.mixins.iter()).chain(def.for_host.iter());
        for base in bases {
            match self.lookup(file, base) {
                Some((f, d)) => self.collect(f, d, out, provided, depth + 1),
                None => {
                    out.open = true;
                    out.uncertain = true;
                }
            }
        }
        body_attributes(&def.body, out, provided, true);
    }
}

fn collect_defs<'a>(body: &'a [Stmt], map: &mut HashMap<&'a str, &'a SchemaDef>) {
    for stmt in body {
        match stmt {
            Stmt::Schema(def) => {
                map.insert(def.name.as_str(), def);
            }
            Stmt::If { branches, .. } => {
                for (_, b) in branches {
                    collect_defs(b, map);
                }
            }
            _ => {}
        }
    }
}

/// Attributes declared or assigned in a schema body. Declarations in
/// `if` branches are never required; assignments anywhere provide a value.
fn body_attributes(body: &[Stmt], out: &mut Attributes, provided: &mut BTreeSet<String>, unconditional: bool) {
    for stmt in body {
        match stmt {
            Stmt::Attr(attr) => {
                let required = unconditional && !attr.optional && attr.value.is_none();
                out.attrs.insert(attr.name.clone(), required);
                if attr.value.is_some() {
                    provided.insert(attr.name.clone());
                }
            }
            Stmt::Assign { targets, .. } => {
                for t in targets {
                    if let Expr::Name(n) = t {
                        out.attrs.entry(n.first().to_string()).or_insert(false);
                        provided.insert(n.first().to_string());
                    }
                }
            }
            Stmt::AugAssign { target: Expr::Name(n), .. } | Stmt::Unification { target: Expr::Name(n), .. } => {
                out.attrs.entry(n.first().to_string()).or_insert(false);
                provided.insert(n.first().to_string());
            }
            Stmt::If { branches, .. } => {
                for (_, b) in branches {
                    body_attributes(b, out, provided, false);
                }
            }
            _ => {}
        }
    }
}

/// Unknown and missing attributes in the schema instances of `file`.
pub fn check_instances(wf: &Workflow, file: usize, table: &SchemaTable) -> Vec<RawDiag> {
    let mut out = Vec::new();
    let mut instances: Vec<&Expr> = Vec::new();
    each_expr_in_stmts(&wf.files[file].module.body, &mut |e| {
        if matches!(e, Expr::Schema { .. }) {
            instances.push(e);
        }
    });
    // A workflow instantiates a few schemas many times over: their
    // attributes are gathered once each.
    let mut known: HashMap<*const SchemaDef, Attributes> = HashMap::new();
    for instance in instances {
        let Expr::Schema { name, config, .. } = instance else { continue };
        let Some((def_file, def)) = table.lookup(file, name) else { continue };
        let attrs = known.entry(std::ptr::from_ref(def)).or_insert_with(|| table.attributes(def_file, def));
        let Expr::Config { entries, .. } = config.as_ref() else { continue };
        let mut keys = Vec::new();
        let mut complete = true;
        gather_keys(entries, &mut keys, &mut complete);
        if !attrs.open {
            for (key, span) in &keys {
                if !attrs.attrs.contains_key(key) {
                    let hint = match crate::suggest::closest(key, attrs.attrs.keys().map(String::as_str)) {
                        Some(near) => format!("did you mean '{near}'?"),
                        None => format!("attributes of '{}': {}", def.name, list(attrs.attrs.keys())),
                    };
                    out.push(
                        RawDiag::new(
                            span.start,
                            span.end,
                            codes::UNKNOWN_ATTRIBUTE,
                            format!("schema '{}' has no attribute '{key}'", def.name),
                        )
                        .with_hint(hint),
                    );
                }
            }
        }
        if complete {
            let set: BTreeSet<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
            let missing: Vec<&String> =
                attrs.attrs.iter().filter(|(k, req)| **req && !set.contains(k.as_str())).map(|(k, _)| k).collect();
            for attr in missing {
                out.push(
                    RawDiag::new(
                        name.span.start,
                        name.span.end,
                        codes::MISSING_ATTRIBUTE,
                        format!("instance of schema '{}' does not set required attribute '{attr}'", def.name),
                    )
                    .with_hint(format!(
                        "set `{attr} = ...`, give it a default in the schema, or declare it optional with `{attr}?:`"
                    )),
                );
            }
        }
    }
    out
}

/// Keys set by a config (including inside `if` entries). `complete` is
/// cleared when a `**spread` may set more.
fn gather_keys(entries: &[Entry], keys: &mut Vec<(String, super::super::ast::Span)>, complete: &mut bool) {
    for entry in entries {
        match (&entry.key, &entry.value) {
            (None, Expr::ConfigIf { branches, .. }) => {
                for (_, b) in branches {
                    gather_keys(b, keys, complete);
                }
            }
            (None, _) => *complete = false,
            (Some(key_expr), _) => match entry_key(entry) {
                Some(k) => keys.push((k, key_expr.span())),
                None => *complete = false,
            },
        }
    }
}

fn list<'a>(names: impl Iterator<Item = &'a String>) -> String {
    let names: Vec<&str> = names.map(String::as_str).collect();
    if names.is_empty() {
        "none".to_string()
    } else if names.len() > 12 {
        format!("{}, ...", names[..12].join(", "))
    } else {
        names.join(", ")
    }
}
