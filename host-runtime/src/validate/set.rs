//! The files a validation covers, and what each is checked as.
//!
//! A file named on its own is a workflow. A directory stands for every
//! `*.k` and `*.ncl` file below it (hidden entries skipped), sorted, and
//! those files are a set of workflows and the libraries they use: a file
//! that another file of the set imports (directly or through others) is a
//! library, and `Nickel-pkg.ncl` is the package manifest. What a file
//! imports is the guest's to tell, since it takes parsing: the WIT
//! `imports` of the KCL `workflows` and of the `nickel` interface.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use super::{Language, NICKEL_MANIFEST, Role, ValidateOptions, Validator, kcl, nickel};
use crate::error::Error;
use crate::model::{FileError, QueryError};

impl Validator<'_> {
    /// See [`crate::Runtime::workflow_set`] and the module docs.
    pub fn workflow_set(&self, paths: &[PathBuf], options: &ValidateOptions) -> Result<Vec<(PathBuf, Role)>, Error> {
        let mut files: Vec<(PathBuf, bool)> = Vec::new();
        let mut index: std::collections::HashMap<PathBuf, usize> = Default::default();
        let mut add = |files: &mut Vec<(PathBuf, bool)>, path: PathBuf, named: bool| {
            let key = lexical(&path);
            match index.get(&key) {
                Some(&i) => files[i].1 |= named,
                None => {
                    index.insert(key, files.len());
                    files.push((path, named));
                }
            }
        };
        for path in paths {
            if path.is_dir() {
                let mut found = Vec::new();
                collect(path, &mut found)?;
                if found.is_empty() {
                    return Err(Error::NoWorkflows(path.clone()));
                }
                found.sort();
                for file in found {
                    add(&mut files, file, false);
                }
            } else if Language::of(path).is_none() {
                return Err(Error::NotAWorkflow(path.clone()));
            } else {
                add(&mut files, path.clone(), true);
            }
        }
        if files.iter().all(|(_, named)| *named) {
            return Ok(files.into_iter().map(|(file, _)| (file, Role::Workflow)).collect());
        }
        let mut imported: HashSet<PathBuf> = HashSet::new();
        for (file, _) in &files {
            let own = lexical(file);
            for target in self.imports(file, options)? {
                let target = lexical(&target);
                if target != own {
                    imported.insert(target);
                }
            }
        }
        Ok(files
            .into_iter()
            .map(|(file, named)| {
                let role = if named {
                    Role::Workflow
                } else if is_manifest(&file) {
                    Role::Manifest
                } else if imported.contains(&lexical(&file)) {
                    Role::Library
                } else {
                    Role::Workflow
                };
                (file, role)
            })
            .collect())
    }

    /// The files `file` imports, on the host. A file the guest cannot read
    /// imports nothing here: checking it says why.
    fn imports(&self, file: &Path, options: &ValidateOptions) -> Result<Vec<PathBuf>, Error> {
        let found = match Language::of(file) {
            Some(Language::Kcl) => kcl::imports(self.limited, file),
            Some(Language::Nickel) => nickel::imports(self, file, options),
            None => Ok(Vec::new()),
        };
        match found {
            Err(Error::Guest(_)) => Ok(Vec::new()),
            other => other,
        }
    }
}

fn is_manifest(file: &Path) -> bool {
    file.file_name().is_some_and(|name| name == NICKEL_MANIFEST)
}

/// Every workflow file below `dir`, hidden entries skipped.
fn collect(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), Error> {
    let io = |e: std::io::Error| Error::Guest(QueryError::File(FileError::from_io(&dir.to_string_lossy(), &e)));
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if entry.file_type().map_err(io)?.is_dir() {
            collect(&path, found)?;
        } else if Language::of(&path).is_some() {
            found.push(path);
        }
    }
    Ok(())
}

/// `path` with `.` and `..` taken out as written, so that two spellings
/// of a file compare equal.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_a_path_compare_equal() {
        assert_eq!(lexical(Path::new("/w/./a/../b.ncl")), PathBuf::from("/w/b.ncl"));
        assert_eq!(lexical(Path::new("../x/./y.k")), PathBuf::from("../x/y.k"));
    }

    #[test]
    fn a_directory_lists_its_workflow_files_sorted_and_not_hidden() {
        let root = tempfile::tempdir().unwrap();
        for name in ["b.ncl", "a.k", "sub/c.ncl", ".hidden/d.k", "notes.txt", ".e.ncl"] {
            let path = root.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        let mut found = Vec::new();
        collect(root.path(), &mut found).unwrap();
        found.sort();
        let names: Vec<_> = found.iter().map(|p| p.strip_prefix(root.path()).unwrap().to_owned()).collect();
        assert_eq!(names, [PathBuf::from("a.k"), PathBuf::from("b.ncl"), PathBuf::from("sub/c.ncl")]);
    }
}
