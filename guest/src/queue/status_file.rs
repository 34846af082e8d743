//! `status.json`: `{running, tasks_pending, tasks_running, tasks_completed?,
//! tasks_failed?, last_check}`.

use jiff::Timestamp;
use serde::Deserialize;

use crate::error::FileError;

#[derive(Debug, Clone, PartialEq)]
pub struct StatusFile {
    pub running: bool,
    pub tasks_pending: u64,
    pub tasks_running: u64,
    pub tasks_completed: Option<u64>,
    pub tasks_failed: Option<u64>,
    pub last_check: Option<Timestamp>,
}

#[derive(Deserialize)]
struct RawStatus {
    running: bool,
    tasks_pending: u64,
    tasks_running: u64,
    #[serde(default)]
    tasks_completed: Option<u64>,
    #[serde(default)]
    tasks_failed: Option<u64>,
    #[serde(default)]
    last_check: Option<String>,
}

pub fn parse_status(path: &str, source: &[u8]) -> Result<StatusFile, FileError> {
    FileError::expect_object(path, source, "the status file")?;
    let raw: RawStatus = serde_json::from_slice(source).map_err(|e| FileError::from_json(path, source, &e))?;
    let last_check = raw
        .last_check
        .map(|text| {
            text.parse::<Timestamp>().map_err(|e| {
                FileError::new(
                    path,
                    crate::error::FileErrorKind::Malformed,
                    format!("invalid RFC 3339 timestamp in `last_check` {text:?}: {e}"),
                )
            })
        })
        .transpose()?;
    Ok(StatusFile {
        running: raw.running,
        tasks_pending: raw.tasks_pending,
        tasks_running: raw.tasks_running,
        tasks_completed: raw.tasks_completed,
        tasks_failed: raw.tasks_failed,
        last_check,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_status_file() {
        let status = parse_status(
            "status.json",
            br#"{"running": true, "tasks_pending": 5, "tasks_running": 2, "last_check": "2025-10-08T12:00:00Z", "version": 3}"#,
        )
        .unwrap();
        assert!(status.running);
        assert_eq!((status.tasks_pending, status.tasks_running), (5, 2));
        assert_eq!(status.tasks_completed, None);
        assert_eq!(status.last_check.unwrap().as_second(), 1_759_924_800);
    }

    #[test]
    fn negative_count_is_malformed() {
        let err =
            parse_status("status.json", br#"{"running": true, "tasks_pending": -1, "tasks_running": 0}"#).unwrap_err();
        assert_eq!(err.position.unwrap().column, 37);
        assert!(err.message.starts_with("invalid value: integer `-1`"), "{}", err.message);
    }
}
