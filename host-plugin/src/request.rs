//! What every command resolves before calling the component: the runtime
//! under the call's limits, the data directory, "now", the read options, and
//! the warm session on that directory.
//! Paths and environment are the Nushell session's, not the plugin
//! process's: the process is started once and outlives any `cd`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use jiff::Timestamp;
use nu_plugin::{EngineInterface, EvaluatedCall};
use nu_protocol::LabeledError;
use orch_runtime::model::ReadOptions;
use orch_runtime::{Runtime, Session, data_dir};

use crate::{OrchestratorPlugin, error, flags};

pub struct Request {
    pub runtime: Arc<Runtime>,
    pub data_dir: PathBuf,
    pub now: Timestamp,
    /// `$env.ORCH_NOW`, when it pins "now".
    pub pinned_now: Option<Timestamp>,
    pub read: ReadOptions,
    /// False under `--no-cache`.
    pub cache: bool,
    session: Arc<Mutex<Session>>,
}

impl Request {
    pub fn new(
        plugin: &OrchestratorPlugin,
        engine: &EngineInterface,
        call: &EvaluatedCall,
    ) -> Result<Self, LabeledError> {
        let limits = flags::limits(call)?;
        let read = flags::read_options(call)?;
        let cache = flags::cache(call)?;
        let pinned_now = pinned_now(engine, call)?;
        // Resolved before the runtime is fetched, so a typo fails fast.
        let data_dir = data_dir(engine, call)?;
        let runtime = plugin.runtime(limits).map_err(|e| error::labeled(e, call))?;
        let session = plugin.sessions.get(&runtime, &data_dir, cache);
        let now = pinned_now.unwrap_or_else(Timestamp::now);
        Ok(Request { runtime, data_dir, now, pinned_now, read, cache, session })
    }

    /// The warm session on this data directory, shared with the other
    /// calls on it (which wait for each other).
    pub fn session(&self) -> MutexGuard<'_, Session> {
        // A panic while holding the lock leaves the session usable: a
        // trap inside it has already dropped its instance.
        self.session.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn data_dir(engine: &EngineInterface, call: &EvaluatedCall) -> Result<PathBuf, LabeledError> {
    let flag: Option<String> = call.get_flag("data-dir")?;
    let cwd = PathBuf::from(engine.get_current_dir()?);
    // Read up front: `resolve` takes an infallible lookup.
    let env: Vec<(&str, Option<OsString>)> = ["ORCHESTRATOR_DATA_DIR", "PROVISIONING"]
        .into_iter()
        .map(|name| Ok((name, env_string(engine, name)?.map(OsString::from))))
        .collect::<Result<_, LabeledError>>()?;
    let lookup = |name: &str| env.iter().find(|(n, _)| *n == name).and_then(|(_, v)| v.clone());
    data_dir::resolve(flag.as_deref().map(Path::new), lookup, &cwd).map_err(|e| error::labeled(e.into(), call))
}

/// `$env.ORCH_NOW` (RFC 3339), which pins "now" for reproducible output.
fn pinned_now(engine: &EngineInterface, call: &EvaluatedCall) -> Result<Option<Timestamp>, LabeledError> {
    match env_string(engine, "ORCH_NOW")? {
        None => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|e| {
            LabeledError::new(format!("$env.ORCH_NOW is not an RFC 3339 instant: {e}"))
                .with_code("orch::argument")
                .with_label("while reading $env.ORCH_NOW for this command", call.head)
                .with_help("set it like 2025-10-08T12:00:30Z, or hide it: hide-env ORCH_NOW")
        }),
    }
}

/// An environment variable of the session, as text; unset or empty is `None`.
fn env_string(engine: &EngineInterface, name: &str) -> Result<Option<String>, LabeledError> {
    let value = engine.get_env_var(name)?;
    Ok(value.map(|v| v.coerce_into_string()).transpose()?.filter(|s| !s.is_empty()))
}
