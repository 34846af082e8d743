use std::path::PathBuf;

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use crate::FileError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusSource {
    #[serde(rename = "status.json")]
    StatusFile,
    Derived,
}

impl std::fmt::Display for StatusSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StatusSource::StatusFile => "status.json",
            StatusSource::Derived => "derived",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusReport {
    pub running: Option<bool>,
    pub tasks_pending: u64,
    pub tasks_running: u64,
    pub tasks_completed: Option<u64>,
    pub tasks_failed: Option<u64>,
    pub last_check: Option<Timestamp>,
    /// In JSON: seconds, as a number.
    #[serde(serialize_with = "crate::optional_seconds")]
    pub last_check_age: Option<SignedDuration>,
    /// The data directory on the host. The component sees only its preopen
    /// and leaves this empty; the host fills it in.
    pub data_dir: PathBuf,
    pub source: StatusSource,
    #[serde(skip)]
    pub skipped: Vec<FileError>,
}
