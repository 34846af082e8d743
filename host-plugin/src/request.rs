//! What every command resolves before calling the component: the runtime
//! for the call's limits, the data directory, "now", and the read options.
//! Paths and environment are the Nushell session's, not the plugin
//! process's: the process is started once and outlives any `cd`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use nu_plugin::{EngineInterface, EvaluatedCall};
use nu_protocol::LabeledError;
use orch_runtime::model::ReadOptions;
use orch_runtime::{Runtime, data_dir};

use crate::{OrchestratorPlugin, error, flags};

pub struct Request {
    pub runtime: Arc<Runtime>,
    pub data_dir: PathBuf,
    pub now: Timestamp,
    pub read: ReadOptions,
}

impl Request {
    pub fn new(
        plugin: &OrchestratorPlugin,
        engine: &EngineInterface,
        call: &EvaluatedCall,
    ) -> Result<Self, LabeledError> {
        let limits = flags::limits(call)?;
        let read = flags::read_options(call)?;
        let now = now(engine, call)?;
        // Resolved before the runtime is fetched, so a typo fails fast.
        let data_dir = data_dir(engine, call)?;
        let runtime = plugin.runtimes.get(limits).map_err(|e| error::labeled(e, call))?;
        Ok(Request { runtime, data_dir, now, read })
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

/// The current time, or `$env.ORCH_NOW` (RFC 3339) for reproducible output.
fn now(engine: &EngineInterface, call: &EvaluatedCall) -> Result<Timestamp, LabeledError> {
    match env_string(engine, "ORCH_NOW")? {
        None => Ok(Timestamp::now()),
        Some(text) => text.parse().map_err(|e| {
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
