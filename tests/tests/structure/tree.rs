//! A crate's module tree, from its root file down its `mod` declarations,
//! and the import edges between its files: file A takes a name from file
//! B when A imports or writes a path (`crate::…`, `super::…`, `self::…`,
//! a child module's name, or a name `use` bound to a module) that leads
//! to a name B defines. A name that a `use` only hands on (`pub use
//! error::Error` in lib.rs) is followed to the file defining it: a crate
//! root that re-exports its parts is no hub that ties them all together.
//! A file called `tests.rs` is test code, and left out.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::source::{Scope, Source, Use, parse};

/// Reads a file of the tree, `None` where there is none.
pub type Reader<'r> = dyn Fn(&Path) -> Option<String> + 'r;

/// File -> file -> the names taken, each with the first line taking it.
pub type Edges = BTreeMap<PathBuf, BTreeMap<PathBuf, BTreeMap<String, u32>>>;

/// Where a module is: its file and its scope in that file.
struct Module {
    file: PathBuf,
    scope: usize,
}

/// Where a name leads.
enum Home {
    /// Defined in this module.
    Module(Vec<String>),
    /// Another crate's (`use orch_model as model`): no edge of this crate.
    External,
    /// Not found (made by a macro, say): taken as the module's own.
    Unknown,
}

/// How deep re-exports and aliases are followed before giving up.
const MAX_HOPS: u32 = 16;

pub struct Tree {
    sources: HashMap<PathBuf, Source>,
    modules: BTreeMap<Vec<String>, Module>,
}

impl Tree {
    /// The module tree under `root` (a `lib.rs`, `main.rs` or a binary's file).
    pub fn load(root: &Path, read: &Reader) -> Tree {
        let mut tree = Tree { sources: HashMap::new(), modules: BTreeMap::new() };
        let mut pending = vec![(Vec::new(), root.to_path_buf(), true)];
        while let Some((path, file, mod_rs)) = pending.pop() {
            if file.file_name().is_some_and(|n| n == "tests.rs") || tree.modules.contains_key(&path) {
                continue;
            }
            if !tree.sources.contains_key(&file) {
                let Some(text) = read(&file) else { continue };
                tree.sources.insert(file.clone(), parse(&text));
            }
            let children = file.parent().map(Path::to_path_buf).unwrap_or_default();
            let own_dir = if mod_rs { children } else { children.join(file.file_stem().unwrap_or_default()) };
            for (k, scope) in tree.sources[&file].scopes.iter().enumerate() {
                let mut module = path.clone();
                module.extend(scope.inline.iter().cloned());
                let dir = scope.inline.iter().fold(own_dir.clone(), |d, m| d.join(m));
                for decl in &scope.mods {
                    let mut child = module.clone();
                    child.push(decl.name.clone());
                    match &decl.path {
                        Some(p) if scope.inline.is_empty() => {
                            pending.push((child, file.parent().unwrap_or(Path::new("")).join(p), true))
                        }
                        Some(p) => pending.push((child, dir.join(p), true)),
                        None => {
                            let flat = dir.join(format!("{}.rs", decl.name));
                            if read(&flat).is_some() {
                                pending.push((child, flat, false));
                            } else {
                                pending.push((child, dir.join(&decl.name).join("mod.rs"), true));
                            }
                        }
                    }
                }
                tree.modules.entry(module).or_insert(Module { file: file.clone(), scope: k });
            }
        }
        tree
    }

    /// Every edge between the files of this tree, added to `edges`.
    pub fn edges(&self, edges: &mut Edges) {
        for (path, module) in &self.modules {
            let scope = self.scope(path);
            let mut add = |to: &[String], name: &str, line: u32| {
                let to = &self.modules[to].file;
                if *to != module.file {
                    let names = edges.entry(module.file.clone()).or_default().entry(to.clone()).or_default();
                    names.entry(name.to_string()).or_insert(line);
                }
            };
            for u in &scope.uses {
                let Some((target, item)) = self.resolve(path, &u.segments, 0) else { continue };
                if u.glob {
                    // What the glob brings in and this scope names.
                    for name in self.provides(&target).filter(|n| scope.idents.contains(*n)) {
                        if let Home::Module(home) = self.home(&target, name, 0) {
                            add(&home, name, u.line);
                        }
                    }
                    continue;
                }
                // A module bound to a name leads nowhere yet (the paths
                // written through it do); a name only handed on is taken
                // from its own file by whoever takes it.
                let Some(item) = item else { continue };
                if u.public && !u.binds.as_ref().is_some_and(|b| scope.idents.contains(b)) {
                    continue;
                }
                match self.home(&target, &item, 0) {
                    Home::Module(home) => add(&home, &item, u.line),
                    Home::External => {}
                    Home::Unknown => add(&target, &item, u.line),
                }
            }
            for p in &scope.paths {
                let Some((target, Some(item))) = self.resolve(path, &p.segments, 0) else { continue };
                match self.home(&target, &item, 0) {
                    Home::Module(home) => add(&home, &item, p.line),
                    Home::External => {}
                    Home::Unknown => add(&target, &item, p.line),
                }
            }
        }
    }

    fn scope(&self, module: &[String]) -> &Scope {
        let m = &self.modules[module];
        &self.sources[&m.file].scopes[m.scope]
    }

    /// The module a path leads to from `from`, and the first segment past
    /// it (the item), or `None` where the path is not this crate's.
    fn resolve(&self, from: &[String], segments: &[String], hops: u32) -> Option<(Vec<String>, Option<String>)> {
        let (first, rest) = segments.split_first()?;
        let mut at: Vec<String> = match first.as_str() {
            "crate" | "$crate" => Vec::new(),
            "self" => from.to_vec(),
            "super" => from.split_last()?.1.to_vec(),
            name => self.module_named(from, name, hops)?,
        };
        let mut rest = rest.iter();
        for segment in rest.by_ref() {
            match segment.as_str() {
                "self" => continue,
                "super" => {
                    at.pop()?;
                }
                name => match self.module_named(&at, name, hops) {
                    Some(module) => at = module,
                    None => return Some((at, Some(name.to_string()))),
                },
            }
        }
        Some((at, None))
    }

    /// The module `name` stands for in module `at`: a child module, or
    /// one a `use` there binds to `name`.
    fn module_named(&self, at: &[String], name: &str, hops: u32) -> Option<Vec<String>> {
        let mut child = at.to_vec();
        child.push(name.to_string());
        if self.modules.contains_key(&child) {
            return Some(child);
        }
        if hops >= MAX_HOPS || !self.modules.contains_key(at) {
            return None;
        }
        self.binding(at, name).find_map(|u| match self.resolve(at, &u.segments, hops + 1)? {
            (module, None) => Some(module),
            _ => None,
        })
    }

    /// The names module `at` defines or binds (what a glob of it brings).
    fn provides<'t>(&'t self, at: &[String]) -> impl Iterator<Item = &'t String> + 't {
        let scope = self.scope(at);
        scope.defines.iter().chain(scope.uses.iter().filter_map(|u| u.binds.as_ref()))
    }

    /// The `use` leaves of module `at` that bind `name`.
    fn binding<'t>(&'t self, at: &[String], name: &'t str) -> impl Iterator<Item = &'t Use> + 't {
        self.scope(at).uses.iter().filter(move |u| !u.glob && u.binds.as_deref() == Some(name))
    }

    /// Where `name`, as module `at` has it, is defined.
    fn home(&self, at: &[String], name: &str, hops: u32) -> Home {
        if hops >= MAX_HOPS {
            return Home::Unknown;
        }
        let scope = self.scope(at);
        if scope.defines.iter().any(|d| d == name) {
            return Home::Module(at.to_vec());
        }
        if let Some(u) = self.binding(at, name).next() {
            return match self.resolve(at, &u.segments, hops + 1) {
                None => Home::External,
                Some((module, None)) => Home::Module(module),
                Some((module, Some(item))) => match self.home(&module, &item, hops + 1) {
                    Home::Unknown => Home::Module(module),
                    found => found,
                },
            };
        }
        for u in scope.uses.iter().filter(|u| u.glob) {
            if let Some((module, None)) = self.resolve(at, &u.segments, hops + 1)
                && let found @ (Home::Module(_) | Home::External) = self.home(&module, name, hops + 1)
            {
                return found;
            }
        }
        Home::Unknown
    }
}
