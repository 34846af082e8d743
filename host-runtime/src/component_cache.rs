//! Loading the component: from the on-disk cache of its precompiled form
//! when possible (about 0.25 ms), else by compiling it (75-140 ms) and
//! caching the result. A read-only or missing cache dir only costs speed.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use wasmtime::Engine;
use wasmtime::component::Component;

/// Loads `wasm`, whose content hash is `hash`, into `engine`.
pub fn load(engine: &Engine, wasm: &[u8], hash: &str, cache_dir: Option<&Path>) -> wasmtime::Result<Component> {
    let Some(dir) = cache_dir else {
        return Component::new(engine, wasm);
    };
    load_made(engine, hash, dir, || Ok(wasm.to_vec()))
}

/// Loads the component `make` builds, cached under `key` (which must change
/// whenever what `make` returns would): `make` runs only when the cache
/// holds no artifact for it.
pub fn load_made(
    engine: &Engine,
    key: &str,
    dir: &Path,
    make: impl FnOnce() -> wasmtime::Result<Vec<u8>>,
) -> wasmtime::Result<Component> {
    let path = artifact_path(engine, key, dir);
    // One maker at a time in this process: runtimes started together (the
    // tests', a host's) wait for the first to cache the artifact rather than
    // each compiling it, which for the Nickel component takes seconds.
    let _making = MAKING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if path.is_file() {
        // SAFETY: the artifact was written by `Engine::precompile_component`
        // under a name keyed by this engine's compatibility hash and the
        // component's (its content hash, or what it was made from); wasmtime
        // still checks its header, and a
        // rejected artifact is recompiled below.
        if let Ok(component) = unsafe { Component::deserialize_file(engine, &path) } {
            return Ok(component);
        }
    }
    let bytes = engine.precompile_component(&make()?)?;
    store(&path, &bytes);
    prune(dir, &path);
    // SAFETY: these bytes were produced just now by this engine.
    unsafe { Component::deserialize(engine, &bytes) }
}

static MAKING: Mutex<()> = Mutex::new(());

/// The artifact's name changes whenever the component or anything about the
/// engine that affects compiled code changes.
fn artifact_path(engine: &Engine, hash: &str, dir: &Path) -> PathBuf {
    let mut hasher = DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut hasher);
    dir.join(format!("orchestrator-{hash}-{:016x}.cwasm", hasher.finish()))
}

/// Writes through a temporary file and a rename, so a concurrent reader
/// never sees half an artifact. Failure is ignored: the cache is optional.
fn store(path: &Path, bytes: &[u8]) {
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, path).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// Artifacts of other builds (an upgrade, another engine) are kept up to
/// this many, newest first: two versions of orch in use side by side do not
/// evict each other, and the directory does not grow with every upgrade.
const KEEP_OTHERS: usize = 3;

/// Removes all but the [`KEEP_OTHERS`] newest artifacts besides `current`.
/// Only files named as artifacts are touched; failures are ignored.
fn prune(dir: &Path, current: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut others: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path() != current)
        .filter(|e| e.file_name().to_str().is_some_and(|n| n.starts_with("orchestrator-") && n.ends_with(".cwasm")))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    others.sort_by_key(|(modified, _)| std::cmp::Reverse(*modified));
    for (_, path) in others.into_iter().skip(KEEP_OTHERS) {
        let _ = std::fs::remove_file(path);
    }
}

/// `$ORCH_CACHE_DIR`, else the platform's user cache dir.
pub fn default_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("ORCH_CACHE_DIR") {
        return (!dir.is_empty()).then(|| PathBuf::from(dir));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("orch"))
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::*;

    #[test]
    fn only_the_newest_other_artifacts_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let now = SystemTime::now();
        for (i, name) in [
            "orchestrator-a-1.cwasm",
            "orchestrator-b-1.cwasm",
            "orchestrator-c-1.cwasm",
            "orchestrator-d-1.cwasm",
            "notes.txt",
        ]
        .iter()
        .enumerate()
        {
            let path = dir.path().join(name);
            std::fs::write(&path, "x").unwrap();
            let age = Duration::from_secs(60 * (i as u64 + 1));
            std::fs::File::options().write(true).open(&path).unwrap().set_modified(now - age).unwrap();
        }
        let current = dir.path().join("orchestrator-new-1.cwasm");
        std::fs::write(&current, "x").unwrap();
        prune(dir.path(), &current);
        let mut left: Vec<String> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        left.sort();
        assert_eq!(
            left,
            [
                "notes.txt",
                "orchestrator-a-1.cwasm",
                "orchestrator-b-1.cwasm",
                "orchestrator-c-1.cwasm",
                "orchestrator-new-1.cwasm"
            ]
        );
    }
}
