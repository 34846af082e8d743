//! Loading the component: from the on-disk cache of its precompiled form
//! when possible (about 0.25 ms), else by compiling it (75-140 ms) and
//! caching the result. A read-only or missing cache dir only costs speed.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use wasmtime::Engine;
use wasmtime::component::Component;

/// Loads `wasm`, whose content hash is `hash`, into `engine`.
pub fn load(engine: &Engine, wasm: &[u8], hash: &str, cache_dir: Option<&Path>) -> wasmtime::Result<Component> {
    let Some(dir) = cache_dir else {
        return Component::new(engine, wasm);
    };
    let path = artifact_path(engine, hash, dir);
    if path.is_file() {
        // SAFETY: the artifact was written by `Engine::precompile_component`
        // under a name keyed by this engine's compatibility hash and the
        // component's content hash; wasmtime still checks its header, and a
        // rejected artifact is recompiled below.
        if let Ok(component) = unsafe { Component::deserialize_file(engine, &path) } {
            return Ok(component);
        }
    }
    let bytes = engine.precompile_component(wasm)?;
    store(&path, &bytes);
    // SAFETY: these bytes were produced just now by this engine.
    unsafe { Component::deserialize(engine, &bytes) }
}

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
