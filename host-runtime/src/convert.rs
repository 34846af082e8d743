//! WIT values to plain Rust values, and back for arguments.

use std::path::Path;

use jiff::{SignedDuration, Timestamp};

use crate::bindings::exports::provisioning::orchestrator::{queue as wit, types as wit_types};
use crate::error::GuestError;
use crate::model;

pub fn datetime(t: Timestamp) -> wit_types::Datetime {
    let nanos = t.subsec_nanosecond();
    if nanos < 0 {
        wit_types::Datetime { seconds: t.as_second() - 1, nanoseconds: (nanos + 1_000_000_000) as u32 }
    } else {
        wit_types::Datetime { seconds: t.as_second(), nanoseconds: nanos as u32 }
    }
}

pub fn timestamp(d: wit_types::Datetime) -> Timestamp {
    Timestamp::new(d.seconds, d.nanoseconds.min(999_999_999) as i32).unwrap_or(Timestamp::UNIX_EPOCH)
}

pub fn task_query(q: &model::TaskQuery, now: Timestamp) -> wit::TaskQuery {
    wit::TaskQuery {
        statuses: q.statuses.clone(),
        min_priority: q.min_priority,
        max_priority: q.max_priority,
        created_from: q.from.clone(),
        created_to: q.to.clone(),
        workflow: q.workflow.clone(),
        offset: q.offset,
        limit: q.limit,
        now: datetime(now),
    }
}

pub fn task(t: wit::Task) -> model::Task {
    model::Task {
        id: t.id,
        name: t.name,
        command: t.command,
        args: t.args,
        dependencies: t.dependencies,
        status: t.status,
        priority: t.priority,
        created_at: t.created_at.map(timestamp),
        started_at: t.started_at.map(timestamp),
        completed_at: t.completed_at.map(timestamp),
        output: t.output,
        error: t.error,
        workflow: t.workflow,
    }
}

pub fn status_report(r: wit::StatusReport, root: &Path) -> model::StatusReport {
    model::StatusReport {
        running: r.running,
        tasks_pending: r.tasks_pending,
        tasks_running: r.tasks_running,
        tasks_completed: r.tasks_completed,
        tasks_failed: r.tasks_failed,
        last_check: r.last_check.map(timestamp),
        last_check_age: r.last_check_age.map(SignedDuration::from_nanos),
        data_dir: root.to_path_buf(),
        source: match r.source {
            wit::StatusSource::StatusFile => model::StatusSource::StatusFile,
            wit::StatusSource::Derived => model::StatusSource::Derived,
        },
        skipped: r.skipped.into_iter().map(|e| file_error(e, root)).collect(),
    }
}

pub fn task_page(p: wit::TaskPage, root: &Path) -> model::TaskPage {
    model::TaskPage {
        tasks: p.tasks.into_iter().map(task).collect(),
        total: p.total,
        skipped: p.skipped.into_iter().map(|e| file_error(e, root)).collect(),
    }
}

/// The component names files relative to its preopen; the host names them
/// where the user can find them.
pub fn file_error(e: wit_types::FileError, root: &Path) -> model::FileError {
    model::FileError {
        path: root.join(&e.path),
        kind: match e.kind {
            wit_types::FileErrorKind::NotFound => model::FileErrorKind::NotFound,
            wit_types::FileErrorKind::Denied => model::FileErrorKind::Denied,
            wit_types::FileErrorKind::TooLarge => model::FileErrorKind::TooLarge,
            wit_types::FileErrorKind::NotAFile => model::FileErrorKind::NotAFile,
            wit_types::FileErrorKind::Malformed => model::FileErrorKind::Malformed,
            wit_types::FileErrorKind::Io => model::FileErrorKind::Io,
        },
        position: e.position.map(|p| (p.line, p.column)),
        message: e.message,
    }
}

pub fn guest_error(e: wit_types::Error, root: &Path) -> GuestError {
    match e {
        wit_types::Error::File(f) => GuestError::File(file_error(f, root)),
        wit_types::Error::InvalidArgument(a) => GuestError::InvalidArgument { name: a.name, message: a.message },
    }
}
