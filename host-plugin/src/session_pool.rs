//! The warm sessions the plugin keeps between calls, one per data
//! directory, limits and cache setting: the component's parse cache lives in
//! a session's instance, so repeated queries over unchanged files stat them
//! instead of re-reading and re-parsing them (see `orch_runtime::Session`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use orch_runtime::{Limits, Runtime, Session};

/// Each session holds what its instance parsed; a few data directories
/// cover a shell session, and the least recently used goes first.
const CAPACITY: usize = 8;

#[derive(PartialEq)]
struct Key {
    dir: PathBuf,
    limits: Limits,
    cache: bool,
}

#[derive(Default)]
pub struct SessionPool {
    /// Most recently used first.
    sessions: Mutex<Vec<(Key, Arc<Mutex<Session>>)>>,
}

impl SessionPool {
    /// The session on `dir` for `runtime`'s limits, started on first use.
    pub fn get(&self, runtime: &Arc<Runtime>, dir: &Path, cache: bool) -> Arc<Mutex<Session>> {
        let key = Key { dir: dir.to_path_buf(), limits: runtime.limits(), cache };
        // A panic elsewhere while holding the lock leaves the list intact.
        let mut sessions = self.sessions.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(index) = sessions.iter().position(|(k, _)| *k == key) {
            let entry = sessions.remove(index);
            let session = entry.1.clone();
            sessions.insert(0, entry);
            return session;
        }
        let session = Arc::new(Mutex::new(Session::new(runtime.clone(), dir).with_cache(cache)));
        sessions.insert(0, (key, session.clone()));
        sessions.truncate(CAPACITY);
        session
    }

    /// Most recently used first.
    #[cfg(test)]
    pub fn all(&self) -> Vec<Arc<Mutex<Session>>> {
        self.sessions.lock().unwrap().iter().map(|(_, session)| session.clone()).collect()
    }
}

#[cfg(test)]
mod tests {

    use nu_plugin_test_support::PluginTest;
    use nu_protocol::{Span, Value};

    use crate::test_support::{Fixture, plugin, plugin_test_with};

    fn task(id: &str, status: &str) -> String {
        format!(r#"{{"id": "{id}", "status": "{status}", "priority": 1}}"#)
    }

    fn statuses(test: &mut PluginTest, source: &str) -> Value {
        test.eval(source).unwrap().into_value(Span::test_data()).unwrap()
    }

    fn list(items: &[&str]) -> Value {
        Value::test_list(items.iter().map(|s| Value::test_string(*s)).collect())
    }

    #[test]
    fn repeated_queries_reuse_parsed_files_and_still_see_changes() {
        let fixture =
            Fixture::with_files(&[("tasks/a.json", &task("a", "pending")), ("tasks/b.json", &task("b", "running"))]);
        fixture.settle(&["tasks/a.json", "tasks/b.json"]);
        let plugin = plugin();
        let mut test = plugin_test_with(plugin.clone(), &fixture);
        assert_eq!(statuses(&mut test, "(orch tasks).status"), list(&["pending", "running"]));
        assert_eq!(statuses(&mut test, "(orch tasks).status"), list(&["pending", "running"]));
        let sessions = plugin.sessions.all();
        let stats = sessions[0].lock().unwrap().cache_stats().unwrap();
        assert_eq!((stats.hits, stats.misses), (2, 2));
        assert_eq!(statuses(&mut test, "(orch status).tasks_pending"), Value::test_int(1));
        assert_eq!(plugin.sessions.all().len(), 1, "one session serves both commands");

        // A same-size rewrite is seen (its fresh mtime is not trusted yet).
        std::fs::write(fixture.data_dir().join("tasks/a.json"), task("a", "running")).unwrap();
        assert_eq!(statuses(&mut test, "(orch tasks).status"), list(&["running", "running"]));

        // --no-cache reads afresh, in a session of its own that keeps nothing.
        assert_eq!(statuses(&mut test, "(orch tasks --no-cache).status"), list(&["running", "running"]));
        let sessions = plugin.sessions.all();
        assert_eq!(sessions.len(), 2);
        assert_eq!(sessions[0].lock().unwrap().cache_stats().unwrap().entries, 0);
    }
}
