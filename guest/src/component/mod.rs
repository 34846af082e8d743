//! The WIT export glue: converts between the generated types and the plain
//! modules. No logic lives here.

use jiff::{SignedDuration, Timestamp};

use crate::error::{Error, FileError, FileErrorKind};
use crate::model;
use crate::queue;
use crate::scan::{DataDir, ScanOptions};

#[cfg(not(feature = "probe"))]
wit_bindgen::generate!({
    world: "orchestrator",
    path: "../wit",
});

// The test-only build exports the probe next to the real interfaces.
#[cfg(feature = "probe")]
wit_bindgen::generate!({
    world: "orchestrator-probe",
    path: "../wit",
    pub_export_macro: true,
});

#[cfg(feature = "probe")]
mod probe;

use exports::provisioning::orchestrator::queue as wit;
use exports::provisioning::orchestrator::types as wit_types;

/// The data directory's path inside the sandbox; hosts preopen it here.
pub const DATA_ROOT: &str = "/data";

pub(crate) struct Component;

export!(Component);

impl wit::Guest for Component {
    fn status(now: wit_types::Datetime, scan: wit::ScanOptions) -> Result<wit::StatusReport, wit_types::Error> {
        let report = queue::status(&DataDir::new(DATA_ROOT), timestamp(now), scan_options(scan))?;
        Ok(wit::StatusReport {
            running: report.running,
            tasks_pending: report.tasks_pending,
            tasks_running: report.tasks_running,
            tasks_completed: report.tasks_completed,
            tasks_failed: report.tasks_failed,
            last_check: report.last_check.map(datetime),
            last_check_age: report.last_check_age.map(duration_ns),
            source: match report.source {
                model::StatusSource::StatusFile => wit::StatusSource::StatusFile,
                model::StatusSource::Derived => wit::StatusSource::Derived,
            },
            skipped: report.skipped.into_iter().map(file_error).collect(),
        })
    }

    fn tasks(query: wit::TaskQuery, scan: wit::ScanOptions) -> Result<wit::TaskPage, wit_types::Error> {
        let query = model::TaskQuery {
            statuses: query.statuses,
            min_priority: query.min_priority,
            max_priority: query.max_priority,
            created_from: query.created_from,
            created_to: query.created_to,
            workflow: query.workflow,
            offset: query.offset,
            limit: query.limit,
            now: timestamp(query.now),
        };
        let page = queue::tasks(&DataDir::new(DATA_ROOT), &query, scan_options(scan))?;
        Ok(wit::TaskPage {
            tasks: page.tasks.into_iter().map(task).collect(),
            total: page.total,
            skipped: page.skipped.into_iter().map(file_error).collect(),
        })
    }
}

fn scan_options(scan: wit::ScanOptions) -> ScanOptions {
    ScanOptions { skip_invalid: scan.skip_invalid, max_file_size: scan.max_file_size }
}

fn task(t: model::Task) -> wit::Task {
    wit::Task {
        id: t.id,
        name: t.name,
        command: t.command,
        args: t.args,
        dependencies: t.dependencies,
        status: t.status,
        priority: t.priority,
        created_at: t.created_at.map(datetime),
        started_at: t.started_at.map(datetime),
        completed_at: t.completed_at.map(datetime),
        output: t.output,
        error: t.error,
        workflow: t.workflow,
    }
}

fn timestamp(d: wit_types::Datetime) -> Timestamp {
    // Out-of-range instants from a host clamp rather than trap.
    Timestamp::new(d.seconds, d.nanoseconds.min(999_999_999) as i32).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn datetime(t: Timestamp) -> wit_types::Datetime {
    let nanos = t.subsec_nanosecond();
    // jiff keeps the sign on both parts; WIT's form has non-negative nanoseconds.
    if nanos < 0 {
        wit_types::Datetime { seconds: t.as_second() - 1, nanoseconds: (nanos + 1_000_000_000) as u32 }
    } else {
        wit_types::Datetime { seconds: t.as_second(), nanoseconds: nanos as u32 }
    }
}

fn duration_ns(d: SignedDuration) -> i64 {
    i64::try_from(d.as_nanos()).unwrap_or(if d.is_negative() { i64::MIN } else { i64::MAX })
}

fn file_error(e: FileError) -> wit_types::FileError {
    wit_types::FileError {
        path: e.path,
        kind: match e.kind {
            FileErrorKind::NotFound => wit_types::FileErrorKind::NotFound,
            FileErrorKind::Denied => wit_types::FileErrorKind::Denied,
            FileErrorKind::TooLarge => wit_types::FileErrorKind::TooLarge,
            FileErrorKind::NotAFile => wit_types::FileErrorKind::NotAFile,
            FileErrorKind::Malformed => wit_types::FileErrorKind::Malformed,
            FileErrorKind::Io => wit_types::FileErrorKind::Io,
        },
        position: e.position.map(|p| wit_types::Position { line: p.line, column: p.column }),
        message: e.message,
    }
}

impl From<Error> for wit_types::Error {
    fn from(e: Error) -> Self {
        match e {
            Error::File(f) => wit_types::Error::File(file_error(f)),
            Error::InvalidArgument { name, message } => {
                wit_types::Error::InvalidArgument(wit_types::ArgumentError { name, message })
            }
        }
    }
}
