//! The house's structure: no import circle crosses a folder, in any crate.
//!
//! Reads the Rust sources of every workspace crate from its roots
//! (`src/lib.rs`, `src/main.rs`, `src/bin/`) down its `mod` declarations,
//! draws an edge from each file to each file it takes a name from
//! ([`tree`]), and finds the files that import each other in a circle
//! ([`cycles`]). A circle among the files of one folder is a folder's own
//! business and is only listed; one that spans folders fails, with the
//! edges and the names that tie it. Test code (`#[cfg(test)]` items,
//! `tests.rs`) is left out: it may import anything.

#[path = "structure/cycles.rs"]
mod cycles;
#[path = "structure/lex.rs"]
mod lex;
#[path = "structure/source.rs"]
mod source;
#[path = "structure/tree.rs"]
mod tree;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use tree::{Edges, Reader, Tree};

/// Files that import each other in a circle, and what ties them.
struct Circle {
    files: Vec<PathBuf>,
    edges: Vec<Tie>,
}

/// One file taking names from another: each name with the line taking it.
struct Tie {
    from: PathBuf,
    to: PathBuf,
    names: Vec<(String, u32)>,
}

impl Circle {
    fn folders(&self) -> BTreeSet<&Path> {
        self.files.iter().filter_map(|f| f.parent()).collect()
    }

    fn crosses_folders(&self) -> bool {
        self.folders().len() > 1
    }

    fn describe(&self) -> String {
        let mut out = format!("{} files in {} folder(s):\n", self.files.len(), self.folders().len());
        for Tie { from, to, names } in &self.edges {
            let names: Vec<String> = names.iter().map(|(n, line)| format!("{n} (line {line})")).collect();
            let _ = writeln!(out, "  {} -> {}: {}", from.display(), to.display(), names.join(", "));
        }
        out
    }
}

/// The circles among the files reached from `roots`.
fn circles(roots: &[PathBuf], read: &Reader) -> Vec<Circle> {
    let mut edges = Edges::new();
    for root in roots {
        Tree::load(root, read).edges(&mut edges);
    }
    let files: Vec<&PathBuf> = edges
        .iter()
        .flat_map(|(from, tos)| std::iter::once(from).chain(tos.keys()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let index = |f: &PathBuf| files.binary_search(&f).expect("every file of an edge is listed");
    let mut next = vec![Vec::new(); files.len()];
    for (from, tos) in &edges {
        next[index(from)].extend(tos.keys().map(index));
    }
    cycles::circles(&next)
        .into_iter()
        .map(|members| {
            let inside: BTreeSet<usize> = members.iter().copied().collect();
            let mut tie = Vec::new();
            for &m in &members {
                for (to, names) in &edges[files[m]] {
                    if inside.contains(&index(to)) {
                        tie.push(Tie {
                            from: files[m].clone(),
                            to: to.clone(),
                            names: names.iter().map(|(n, l)| (n.clone(), *l)).collect(),
                        });
                    }
                }
            }
            Circle { files: members.iter().map(|&m| files[m].clone()).collect(), edges: tie }
        })
        .collect()
}

/// The crate roots of the workspace's members, relative to `repo`.
fn workspace_roots(repo: &Path) -> Vec<PathBuf> {
    let manifest = fs::read_to_string(repo.join("Cargo.toml")).expect("the workspace's Cargo.toml");
    let members = manifest.lines().find(|l| l.trim_start().starts_with("members")).expect("a members list");
    let mut roots = Vec::new();
    for member in members.split('"').skip(1).step_by(2) {
        let src = Path::new(member).join("src");
        for file in ["lib.rs", "main.rs"] {
            if repo.join(&src).join(file).is_file() {
                roots.push(src.join(file));
            }
        }
        let Ok(bins) = fs::read_dir(repo.join(&src).join("bin")) else { continue };
        let mut bins: Vec<PathBuf> = bins.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        bins.sort();
        for bin in bins {
            let name = bin.file_name().expect("a directory entry has a name");
            let root =
                if bin.is_dir() { src.join("bin").join(name).join("main.rs") } else { src.join("bin").join(name) };
            if root.extension().is_some_and(|e| e == "rs") {
                roots.push(root);
            }
        }
    }
    roots
}

#[test]
fn no_import_circle_crosses_a_folder() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is in the repository");
    let roots = workspace_roots(repo);
    assert!(roots.len() >= 6, "found only these crate roots: {roots:?}");
    let read = |p: &Path| fs::read_to_string(repo.join(p)).ok();
    let (across, within): (Vec<Circle>, Vec<Circle>) =
        circles(&roots, &read).into_iter().partition(Circle::crosses_folders);
    for circle in &within {
        println!("a circle inside one folder (allowed): {}", circle.describe());
    }
    if !across.is_empty() {
        let mut message = format!(
            "{} import circle(s) cross a folder. Each file below imports the next around the circle; break it by \
             moving what they share to where both may import it (the folder's mod.rs, or a file of its own), or \
             by turning one import around:\n",
            across.len()
        );
        for circle in &across {
            message.push_str(&circle.describe());
        }
        panic!("{message}");
    }
}

/// A tree of files in memory, for the detector's own tests.
fn in_memory(files: &[(&str, &str)]) -> impl Fn(&Path) -> Option<String> {
    let files: Vec<(PathBuf, String)> = files.iter().map(|(p, s)| (PathBuf::from(p), s.to_string())).collect();
    move |p: &Path| files.iter().find(|(f, _)| f == p).map(|(_, s)| s.clone())
}

fn found(files: &[(&str, &str)]) -> Vec<Circle> {
    circles(&[PathBuf::from("src/lib.rs")], &in_memory(files))
}

/// The one circle among `circles`.
fn the_one(circles: Vec<Circle>) -> Circle {
    let described: Vec<String> = circles.iter().map(Circle::describe).collect();
    let [circle] = <[Circle; 1]>::try_from(circles).unwrap_or_else(|_| panic!("not one circle: {described:?}"));
    circle
}

fn edge_names(circle: &Circle) -> Vec<String> {
    circle
        .edges
        .iter()
        .map(|Tie { from, to, names }| {
            let names: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
            format!("{} -> {}: {}", from.display(), to.display(), names.join(", "))
        })
        .collect()
}

/// `store/` and `shapes/`; `circle.rs` takes from the store what `back` says.
fn two_folders(back: &str) -> Vec<Circle> {
    found(&[
        ("src/lib.rs", "mod shapes;\nmod store;\n"),
        ("src/store/mod.rs", "use crate::shapes::Shape;\npub struct Store(Vec<Shape>);\n"),
        ("src/shapes/mod.rs", "mod circle;\npub use circle::Shape;\n"),
        ("src/shapes/circle.rs", &format!("{back}\npub struct Shape;\n")),
    ])
}

#[test]
fn a_circle_across_folders_is_found_with_its_names() {
    let circle = the_one(two_folders("use crate::store::Store;"));
    assert!(circle.crosses_folders());
    assert_eq!(
        edge_names(&circle),
        ["src/shapes/circle.rs -> src/store/mod.rs: Store", "src/store/mod.rs -> src/shapes/circle.rs: Shape"]
    );
}

#[test]
fn a_path_written_in_code_ties_as_an_import_does() {
    let circle = the_one(two_folders("fn make() { let _ = super::super::store::Store(Vec::new()); }"));
    assert!(circle.crosses_folders());
}

#[test]
fn a_tree_without_a_circle_passes() {
    assert!(two_folders("use std::rc::Rc;").is_empty());
    // Comments, strings and test code take nothing.
    let quiet = "// use crate::store::Store;\n/* crate::store::Store */\nconst S: &str = \"crate::store::Store\";\n\
                 #[cfg(test)]\nmod tests {\n    use crate::store::Store;\n}\n#[cfg(test)]\nmod more_tests;\n";
    assert!(two_folders(quiet).is_empty());
}

#[test]
fn a_circle_inside_one_folder_is_found_and_allowed() {
    let circle = the_one(found(&[
        ("src/lib.rs", "mod shapes;\n"),
        ("src/shapes/mod.rs", "mod circle;\nmod square;\n"),
        ("src/shapes/circle.rs", "use super::square::Square;\npub struct Circle;\n"),
        ("src/shapes/square.rs", "pub struct Square;\nfn f() { super::circle::Circle }\n"),
    ]));
    assert!(!circle.crosses_folders());
}

#[test]
fn a_name_handed_on_by_the_crate_root_leads_to_its_file() {
    // lib.rs re-exports both; each takes the other's name through it. The
    // edges go to the defining files, so the circle is theirs, not lib.rs's.
    let circle = the_one(found(&[
        ("src/lib.rs", "mod shapes;\nmod store;\npub use shapes::Shape;\npub use store::Store;\n"),
        ("src/store/mod.rs", "use crate::Shape;\npub struct Store;\n"),
        ("src/shapes/mod.rs", "use crate::Store;\npub struct Shape;\n"),
    ]));
    assert_eq!(circle.files, [PathBuf::from("src/shapes/mod.rs"), PathBuf::from("src/store/mod.rs")]);
    // One side only: no circle, though lib.rs hands on both names.
    let circles = found(&[
        ("src/lib.rs", "mod shapes;\nmod store;\npub use shapes::Shape;\npub use store::Store;\n"),
        ("src/store/mod.rs", "use crate::Shape;\npub struct Store;\n"),
        ("src/shapes/mod.rs", "pub struct Shape;\n"),
    ]);
    assert!(circles.is_empty());
}

#[test]
fn path_attributes_and_aliased_modules_are_followed() {
    let circle = the_one(found(&[
        ("src/lib.rs", "mod store;\n#[path = \"other/shapes.rs\"]\nmod shapes;\n"),
        ("src/store/mod.rs", "use crate::shapes;\nfn f() { shapes::draw() }\npub fn open() {}\n"),
        ("src/other/shapes.rs", "use crate::store as kept;\npub fn draw() { kept::open() }\n"),
    ]));
    assert_eq!(
        edge_names(&circle),
        ["src/other/shapes.rs -> src/store/mod.rs: open", "src/store/mod.rs -> src/other/shapes.rs: draw"]
    );
}
