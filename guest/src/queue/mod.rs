//! The task queue: reading both storage layouts and the status file,
//! filtering, ordering, figures and changes, with a parse cache that warm
//! instances keep between calls. It reads through `crate::fs` and builds
//! `crate::model`'s records; it never imports `crate::workflows`.

pub mod dependency_graph;
pub mod graph_part;
pub mod json_listing;
pub mod live_read;
pub mod load;
pub mod operations;
pub mod parse_cache;
pub mod part_records;
pub mod part_scan;
pub mod queue_part;
pub mod scan;
pub mod show;
pub mod slim_part;
pub mod stats;
pub mod status_file;
pub mod task_diff;
pub mod task_file;
pub mod task_filter;
pub mod task_order;
pub mod task_states;
pub mod task_status;
pub mod time_bound;
pub mod workflow_progress;

pub use load::{BACKEND_QUEUE, BACKEND_TASKS, FIXTURE_TASKS, STATUS_FILE};
pub use operations::*;
