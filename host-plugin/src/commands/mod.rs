//! One file per command, each an [`OrchCommand`]; `command.rs` declares what
//! a command is and adapts it to Nushell.

mod command;
mod orch;
mod show;
mod stats;
mod status;
mod tasks;
mod validate;
mod watch;
mod workflows;

pub use command::{Invocation, NuCommand, OrchCommand};
pub use orch::Orch;
pub use show::OrchShow;
pub use stats::OrchStats;
pub use status::OrchStatus;
pub use tasks::OrchTasks;
pub use validate::OrchValidate;
pub use watch::OrchWatch;
pub use workflows::OrchWorkflows;

use nu_protocol::Value;

/// A list of strings, as the examples' results write one.
fn strings(list: &[&str]) -> Value {
    Value::test_list(list.iter().map(|s| Value::test_string(*s)).collect())
}
