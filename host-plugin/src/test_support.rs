//! Shared by the in-process tests: the plugin under nu-plugin-test-support,
//! in a session whose current directory holds a data directory at the
//! default place (`./provisioning/platform/orchestrator/data`), with a
//! fixed "now".

use std::path::{Path, PathBuf};
use std::sync::Arc;

use nu_plugin_test_support::PluginTest;
use nu_protocol::{LabeledError, PipelineData, ShellError, Value};

use orch_runtime::model::CacheStats;

use crate::OrchestratorPlugin;

/// The instant the examples' ages are computed from.
pub const NOW: &str = "2025-10-08T12:00:30Z";

/// A session directory holding a data directory.
pub struct Fixture {
    session: tempfile::TempDir,
}

impl Fixture {
    /// A copy of the repository's `examples/data`.
    pub fn example_data() -> Self {
        let fixture = Fixture::with_files(&[]);
        orch_tests::copy_dir(&orch_tests::example_data(), &fixture.data_dir());
        fixture
    }

    /// A data directory with these files (path relative to it, contents).
    pub fn with_files(files: &[(&str, &str)]) -> Self {
        let fixture = Fixture { session: tempfile::tempdir().unwrap() };
        std::fs::create_dir_all(fixture.data_dir()).unwrap();
        for (path, text) in files {
            let path = fixture.data_dir().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        fixture
    }

    pub fn session_dir(&self) -> &Path {
        self.session.path()
    }

    pub fn data_dir(&self) -> PathBuf {
        self.session.path().join("provisioning/platform/orchestrator/data")
    }

    /// Sets these files' modification time an hour back: old enough for the
    /// parse cache to trust them.
    pub fn settle(&self, rels: &[&str]) {
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        for rel in rels {
            let file = std::fs::File::options().write(true).open(self.data_dir().join(rel));
            file.unwrap().set_modified(hour_ago).unwrap();
        }
    }
}

/// The plugin, with the compiled-component cache of every test run (the
/// one `orch-tests` uses), so only the first test compiles.
pub fn plugin() -> Arc<OrchestratorPlugin> {
    Arc::new(OrchestratorPlugin::with_cache_dir(Some(orch_tests::cache_dir())))
}

/// The plugin in a session over a copy of `examples/data`. The fixture is
/// leaked: it must outlive the test, and there are few of them.
pub fn plugin_test() -> PluginTest {
    plugin_test_in(Box::leak(Box::new(Fixture::example_data())))
}

pub fn plugin_test_in(fixture: &Fixture) -> PluginTest {
    plugin_test_with(plugin(), fixture)
}

pub fn plugin_test_with(plugin: Arc<OrchestratorPlugin>, fixture: &Fixture) -> PluginTest {
    let mut test = PluginTest::new("orchestrator", plugin).unwrap();
    let engine = test.engine_state_mut();
    // The test engine has no current directory unless PWD is set.
    engine.add_env_var("PWD".into(), Value::test_string(fixture.session_dir().to_str().unwrap()));
    engine.add_env_var("ORCH_NOW".into(), Value::test_string(NOW));
    test
}

/// Runs `source` in `test`'s session, expecting a value.
pub fn value_of(test: &mut PluginTest, source: &str) -> Value {
    test.eval(source).unwrap().into_value(nu_protocol::Span::test_data()).unwrap()
}

/// Runs `source` in a session over `examples/data`, expecting a value.
pub fn eval(source: &str) -> Value {
    value_of(&mut plugin_test(), source)
}

/// Runs `source` in a session over `fixture`, expecting a value.
pub fn eval_in(fixture: &Fixture, source: &str) -> Value {
    value_of(&mut plugin_test_in(fixture), source)
}

/// The parse-cache figures of `plugin`'s session, which must be the only one.
pub fn one_session_cache(plugin: &OrchestratorPlugin) -> CacheStats {
    let sessions = plugin.sessions.all();
    assert_eq!(sessions.len(), 1, "one session serves every call");
    sessions[0].lock().unwrap().cache_stats().unwrap()
}

/// A record's column names, in order.
pub fn columns(record: &Value) -> Vec<&str> {
    record.as_record().unwrap().columns().map(String::as_str).collect()
}

/// Runs `source` in a session over `examples/data`, expecting an error.
pub fn eval_error(source: &str) -> LabeledError {
    error_of(plugin_test().eval(source))
}

/// Runs `source` in a session over `examples/data`, expecting an error:
/// the error, and the text of `source` its first label points at.
pub fn eval_error_labelled(source: &str) -> (LabeledError, String) {
    let mut test = plugin_test();
    let err = error_of(test.eval(source));
    let labelled = String::from_utf8_lossy(test.engine_state().get_span_contents(err.labels[0].span)).into_owned();
    (err, labelled)
}

/// The plugin's error, as the engine received it.
pub fn error_of(result: Result<PipelineData, ShellError>) -> LabeledError {
    let err = match result.and_then(|data| data.into_value(nu_protocol::Span::test_data())) {
        Ok(value) => panic!("expected an error, got {value:?}"),
        Err(err) => err,
    };
    match err {
        ShellError::LabeledError(err) => *err,
        other => panic!("expected a LabeledError, got {other:?}"),
    }
}
