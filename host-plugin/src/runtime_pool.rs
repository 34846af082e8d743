//! The runtimes the plugin process keeps between calls.
//!
//! A `Runtime` holds the wasmtime engine and the pre-instantiated component;
//! building one costs a cache load (or a compile), so it is built once and
//! reused by every call. Its limits are fixed when it is built, so a call
//! with other `--memory-limit`/`--deadline`/`--max-file-size` values gets
//! (and keeps) a runtime of its own.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use orch_runtime::{Limits, Runtime, RuntimeOptions};

/// Limits rarely change within a session; a few runtimes cover the
/// sessions that do try several, without one engine per call forever.
const CAPACITY: usize = 4;

pub struct RuntimePool {
    cache_dir: Option<PathBuf>,
    /// Most recently used first.
    runtimes: Mutex<Vec<(Limits, Arc<Runtime>)>>,
}

impl RuntimePool {
    pub fn new(cache_dir: Option<PathBuf>) -> Self {
        RuntimePool { cache_dir, runtimes: Mutex::new(Vec::new()) }
    }

    /// The runtime for `limits`, built on first use.
    pub fn get(&self, limits: Limits) -> Result<Arc<Runtime>, orch_runtime::Error> {
        // A panic elsewhere while holding the lock leaves the list intact.
        let mut runtimes = self.runtimes.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(index) = runtimes.iter().position(|(l, _)| *l == limits) {
            let entry = runtimes.remove(index);
            let runtime = entry.1.clone();
            runtimes.insert(0, entry);
            return Ok(runtime);
        }
        // Built under the lock: concurrent first calls wait for one build
        // instead of each compiling the component.
        let runtime = Arc::new(Runtime::new(RuntimeOptions { limits, cache_dir: self.cache_dir.clone() })?);
        runtimes.insert(0, (limits, runtime.clone()));
        runtimes.truncate(CAPACITY);
        Ok(runtime)
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.runtimes.lock().unwrap().len()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn one_runtime_per_limits_reused_and_bounded() {
        let pool = RuntimePool::new(Some(crate::test_support::cache_dir()));
        let a = pool.get(Limits::default()).unwrap();
        let again = pool.get(Limits::default()).unwrap();
        assert!(Arc::ptr_eq(&a, &again));
        for secs in 1..=CAPACITY as u64 {
            pool.get(Limits { deadline: Duration::from_secs(secs), ..Limits::default() }).unwrap();
        }
        assert_eq!(pool.len(), CAPACITY);
        // The default runtime was the least recently used, so it went.
        assert!(!Arc::ptr_eq(&a, &pool.get(Limits::default()).unwrap()));
    }
}
