//! One file per command.

mod orch;
mod status;
mod tasks;
mod validate;

pub use orch::Orch;
pub use status::OrchStatus;
pub use tasks::OrchTasks;
pub use validate::OrchValidate;

use nu_protocol::Category;

/// Where `help commands` files every `orch` command.
fn category() -> Category {
    Category::Custom("orchestrator".into())
}
