//! One file per subcommand; this module holds what they share.

pub mod completions;
pub mod component;
pub mod man;
pub mod show;
pub mod stats;
pub mod status;
pub mod tasks;
pub mod validate;
pub mod watch;
pub mod workflows;

use std::path::PathBuf;

use jiff::Timestamp;
use orch_runtime::model::{ReadOptions, TaskQuery};
use orch_runtime::{Limits, Runtime, RuntimeOptions, data_dir};

use crate::args::{Format, GlobalArgs, TaskFilterArgs};

#[derive(Debug)]
pub enum CliError {
    Runtime(orch_runtime::Error),
    Output(std::io::Error),
    /// A file the command was asked to write.
    Write(PathBuf, std::io::Error),
    /// Binary output, with stdout a terminal.
    BinaryToTerminal,
    /// A usage problem found after argument parsing.
    Usage(String),
    /// The command ran and said no (an invalid workflow); its output
    /// already explains why.
    Invalid,
}

impl CliError {
    /// 2 for what the user typed, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Runtime(e) if e.is_usage() => 2,
            CliError::Usage(_) | CliError::BinaryToTerminal => 2,
            _ => 1,
        }
    }
}

impl From<orch_runtime::Error> for CliError {
    fn from(e: orch_runtime::Error) -> Self {
        CliError::Runtime(e)
    }
}

impl From<data_dir::DataDirError> for CliError {
    fn from(e: data_dir::DataDirError) -> Self {
        CliError::Runtime(e.into())
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Output(e)
    }
}

/// What every command needs: where the data is, a runtime bounded by the
/// user's limits, and the instant the whole command treats as "now".
pub struct Context {
    pub runtime: Runtime,
    pub data_dir: PathBuf,
    pub now: Timestamp,
    pub read: ReadOptions,
    pub format: Format,
}

impl Context {
    pub fn new(global: &GlobalArgs) -> Result<Context, CliError> {
        let cwd = std::env::current_dir()?;
        // Resolved before the runtime starts, so a typo fails fast.
        let data_dir = data_dir::resolve(global.data_dir.as_deref(), |name| std::env::var_os(name), &cwd)?;
        let runtime = runtime(global)?;
        Ok(Context {
            runtime,
            data_dir,
            now: global.now.unwrap_or_else(Timestamp::now),
            read: ReadOptions { skip_invalid: global.skip_invalid },
            format: global.format,
        })
    }
}

/// A runtime bounded by the user's limits.
pub fn runtime(global: &GlobalArgs) -> Result<Runtime, CliError> {
    let limits = Limits {
        memory_bytes: usize::try_from(global.memory_limit).unwrap_or(usize::MAX),
        deadline: global.deadline,
        max_file_size: global.max_file_size,
    };
    Ok(Runtime::new(RuntimeOptions { limits, ..RuntimeOptions::default() })?)
}

/// The query the shared filter flags describe, unpaged.
pub fn task_query(f: &TaskFilterArgs) -> TaskQuery {
    TaskQuery {
        statuses: f.status.clone(),
        min_priority: f.min_priority,
        max_priority: f.max_priority,
        from: f.from.clone(),
        to: f.to.clone(),
        workflow: f.workflow.clone(),
        states: Vec::new(),
        offset: 0,
        limit: None,
    }
}
