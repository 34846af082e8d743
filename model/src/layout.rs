//! Where the records are read from: the data directory as the orchestrator
//! lays it out, and the one directory a component sees in its sandbox.

/// The directory a host preopens for a component, read-only: the data
/// directory, or a workflow's package.
pub const SANDBOX_ROOT: &str = "/data";

/// The status file, at the data directory's top.
pub const STATUS_FILE: &str = "status.json";
/// One JSON file per task, in the flat layout.
pub const FIXTURE_TASKS: &str = "tasks";
/// The orchestrator's own queue store.
pub const BACKEND_ROOT: &str = "queue.rkvs";
/// One JSON file per task, in the backend's layout.
pub const BACKEND_TASKS: &str = "queue.rkvs/tasks";
/// One queue entry per task, named after it, in the backend's layout.
pub const BACKEND_QUEUE: &str = "queue.rkvs/queue";

/// Every directory a scan reads, the data directory itself first: what a
/// watcher of the queue watches.
pub const DIRECTORIES: [&str; 5] = [".", FIXTURE_TASKS, BACKEND_ROOT, BACKEND_TASKS, BACKEND_QUEUE];
