//! One task file (either layout) and one queue entry, parsed from JSON.

use std::borrow::Cow;

use jiff::Timestamp;
use serde::{Deserialize, Deserializer};

use crate::error::FileError;
use crate::model::Task;

/// The union of both layouts' task records: the plugin fixture's
/// `{id, status, created_at, priority, ...}` and the storage backend's
/// `{id, name, command, args, dependencies, status, created_at, ...}`.
/// Unknown fields are ignored. Its strings are `String`s for a task made
/// whole, or [`Text`] lent from the file's bytes ([`LentTask`]), so that a
/// scan that keeps only some of them (a part's slim tasks) allocates none.
/// Either way the same files are refused, with the same errors.
#[derive(Deserialize)]
#[serde(bound(deserialize = "S: Deserialize<'de>"))]
pub struct RawTask<S> {
    pub id: S,
    pub status: S,
    #[serde(default)]
    pub name: Option<S>,
    #[serde(default)]
    pub command: Option<S>,
    #[serde(default)]
    pub args: Option<Vec<S>>,
    #[serde(default)]
    pub dependencies: Option<Vec<S>>,
    #[serde(default)]
    pub priority: Option<i64>,
    #[serde(default, deserialize_with = "timestamp")]
    pub created_at: Option<Timestamp>,
    #[serde(default, deserialize_with = "timestamp")]
    pub started_at: Option<Timestamp>,
    #[serde(default, deserialize_with = "timestamp")]
    pub completed_at: Option<Timestamp>,
    #[serde(default)]
    pub output: Option<S>,
    #[serde(default)]
    pub error: Option<S>,
    #[serde(default)]
    pub workflow: Option<S>,
}

/// A task file's task, its strings lent from the file's bytes.
pub type LentTask<'a> = RawTask<Text<'a>>;

/// A JSON string, lent from the input unless it holds an escape. Its
/// errors read as a `String`'s do ("expected a string").
pub struct Text<'a>(pub Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(s)))
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(s.to_string())))
            }
            fn visit_string<E: serde::de::Error>(self, s: String) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(s)))
            }
        }
        de.deserialize_string(Visitor)
    }
}

impl AsRef<str> for Text<'_> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Text<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<Text<'_>> for String {
    fn from(text: Text<'_>) -> String {
        text.0.into_owned()
    }
}

/// Parses RFC 3339 inside the deserializer, so that a bad timestamp is
/// reported at its own line and column.
fn timestamp<'de, D: Deserializer<'de>>(de: D) -> Result<Option<Timestamp>, D::Error> {
    let Some(text) = Option::<std::borrow::Cow<'de, str>>::deserialize(de)? else {
        return Ok(None);
    };
    text.parse::<Timestamp>()
        .map(Some)
        .map_err(|e| serde::de::Error::custom(format!("invalid RFC 3339 timestamp {text:?}: {e}")))
}

/// Lowercases a status and folds the American spelling of `cancelled`.
pub fn normalize_status(status: &str) -> String {
    let lower = status.trim().to_ascii_lowercase();
    if lower == "canceled" { "cancelled".to_string() } else { lower }
}

pub fn parse_task(path: &str, source: &[u8]) -> Result<Task, FileError> {
    RawTask::<String>::parse(path, source).map(RawTask::into_task)
}

impl<'a, S: Deserialize<'a> + AsRef<str> + Into<String>> RawTask<S> {
    /// The task of a file, refused as [`parse_task`] refuses it.
    pub fn parse(path: &str, source: &'a [u8]) -> Result<Self, FileError> {
        FileError::expect_object(path, source, "a task file")?;
        let raw: Self = serde_json::from_slice(source).map_err(|e| FileError::from_json(path, source, &e))?;
        if raw.status.as_ref().trim().is_empty() {
            return Err(FileError::new(path, crate::error::FileErrorKind::Malformed, "`status` is empty"));
        }
        Ok(raw)
    }

    /// The task whole: a `String`'s text moves, a lent one is copied.
    pub fn into_task(self) -> Task {
        let list = |texts: Option<Vec<S>>| texts.map(|texts| texts.into_iter().map(Into::into).collect());
        Task {
            status: normalize_status(self.status.as_ref()),
            id: self.id.into(),
            name: self.name.map(Into::into),
            command: self.command.map(Into::into),
            args: list(self.args),
            dependencies: list(self.dependencies),
            priority: self.priority.unwrap_or(0),
            created_at: self.created_at,
            started_at: self.started_at,
            completed_at: self.completed_at,
            output: self.output.map(Into::into),
            error: self.error.map(Into::into),
            workflow: self.workflow.map(Into::into),
            state: None,
        }
    }
}

/// An entry of the storage backend's `queue.rkvs/queue/`: it carries the
/// priority of the task it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueEntry {
    pub task_id: String,
    pub priority: i64,
    pub enqueued_at: Option<Timestamp>,
}

#[derive(Deserialize)]
struct RawQueueEntry {
    #[serde(default)]
    task_id: Option<String>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    priority: Option<i64>,
    #[serde(default, deserialize_with = "timestamp")]
    enqueued_at: Option<Timestamp>,
}

/// The task is named by `task_id`, else `id`, else the file's stem.
pub fn parse_queue_entry(path: &str, source: &[u8]) -> Result<QueueEntry, FileError> {
    FileError::expect_object(path, source, "a queue entry")?;
    let raw: RawQueueEntry = serde_json::from_slice(source).map_err(|e| FileError::from_json(path, source, &e))?;
    let stem = || {
        let name = path.rsplit('/').next().unwrap_or(path);
        name.strip_suffix(".json").unwrap_or(name).to_string()
    };
    Ok(QueueEntry {
        task_id: raw.task_id.or(raw.id).unwrap_or_else(stem),
        priority: raw.priority.unwrap_or(0),
        enqueued_at: raw.enqueued_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{FileErrorKind, Position};

    #[test]
    fn parses_fixture_layout() {
        let task = parse_task(
            "tasks/t1.json",
            br#"{"id": "t1", "status": "pending", "created_at": "2025-10-08T12:00:00Z", "priority": 5, "workflow": "deploy", "extra": [1, 2]}"#,
        )
        .unwrap();
        assert_eq!(task.id, "t1");
        assert_eq!(task.status, "pending");
        assert_eq!(task.priority, 5);
        assert_eq!(task.workflow.as_deref(), Some("deploy"));
        assert_eq!(task.created_at.unwrap().to_string(), "2025-10-08T12:00:00Z");
        assert_eq!(task.name, None);
    }

    #[test]
    fn parses_backend_layout() {
        let task = parse_task(
            "queue.rkvs/tasks/x.json",
            br#"{"id": "x", "name": "install", "command": "kubectl", "args": ["apply"], "dependencies": [],
                "status": "Completed", "created_at": "2025-10-08T12:00:00+02:00",
                "started_at": "2025-10-08T10:00:01Z", "completed_at": null, "output": "ok", "error": null}"#,
        )
        .unwrap();
        assert_eq!(task.status, "completed");
        assert_eq!(task.priority, 0);
        assert_eq!(task.args, Some(vec!["apply".to_string()]));
        assert_eq!(task.created_at.unwrap().to_string(), "2025-10-08T10:00:00Z");
        assert_eq!(task.completed_at, None);
    }

    #[test]
    fn status_spelling_is_normalized() {
        assert_eq!(normalize_status("Cancelled"), "cancelled");
        assert_eq!(normalize_status("CANCELED"), "cancelled");
        assert_eq!(normalize_status(" Running "), "running");
    }

    #[test]
    fn syntax_error_names_file_and_position() {
        let err = parse_task("tasks/bad.json", b"{\n  \"id\": \"a\",\n  \"status\": pending\n}").unwrap_err();
        assert_eq!(err.kind, FileErrorKind::Malformed);
        assert_eq!(err.position, Some(Position { line: 3, column: 13 }));
        assert_eq!(err.to_string(), "tasks/bad.json:3:13: expected value");
    }

    #[test]
    fn bad_timestamp_is_reported_where_it_stands() {
        let err = parse_task("t.json", b"{\"id\": \"a\", \"status\": \"pending\",\n \"created_at\": \"yesterday\"}")
            .unwrap_err();
        assert_eq!(err.position.unwrap().line, 2);
        assert!(err.message.contains("invalid RFC 3339 timestamp \"yesterday\""), "{}", err.message);
    }

    #[test]
    fn an_array_is_not_a_task() {
        let err = parse_task("t.json", b"\n  [1, 2]").unwrap_err();
        assert_eq!(err.to_string(), "t.json:2:3: a task file must hold a JSON object");
    }

    #[test]
    fn missing_id_is_malformed() {
        let err = parse_task("t.json", br#"{"status": "pending"}"#).unwrap_err();
        assert_eq!(err.message, "missing field `id`");
    }

    #[test]
    fn deep_nesting_neither_overflows_nor_fails_when_ignored() {
        let deep = |field: &str| {
            format!(r#"{{"id": "a", "status": "pending", "{field}": {}{}}}"#, "[".repeat(100_000), "]".repeat(100_000))
        };
        // An unknown field is skipped without recursion.
        assert_eq!(parse_task("deep.json", deep("extra").as_bytes()).unwrap().id, "a");
        // A known one hits serde_json's recursion limit: an error, not a stack overflow.
        let err = parse_task("deep.json", deep("args").as_bytes()).unwrap_err();
        assert!(err.message.contains("invalid type") || err.message.contains("recursion limit"), "{}", err.message);
    }

    #[test]
    fn a_lent_parse_refuses_what_a_whole_one_does_with_the_same_error() {
        let files: [&[u8]; 9] = [
            br#"{"id": 7, "status": "pending"}"#,
            br#"{"id": "a", "status": "pending", "dependencies": "b"}"#,
            br#"{"id": "a", "status": "pending", "dependencies": ["b", 3]}"#,
            br#"{"id": "a", "status": "pending", "args": [null]}"#,
            br#"{"id": "a", "status": "pending", "output": {"x": 1}}"#,
            br#"{"id": "a", "status": " "}"#,
            br#"{"id": "a\q", "status": "pending"}"#,
            br#"{"status": "pending"}"#,
            b"[1]",
        ];
        for file in files {
            let whole = parse_task("t.json", file).map(|_| ()).unwrap_err();
            let lent = LentTask::parse("t.json", file).map(|_| ()).unwrap_err();
            assert_eq!(lent, whole, "{}", String::from_utf8_lossy(file));
        }
        let lent = LentTask::parse("t.json", br#"{"id": "a\"b", "status": "pending", "name": "plain"}"#).unwrap();
        assert_eq!((lent.id.as_str(), lent.name.as_ref().map(Text::as_str)), ("a\"b", Some("plain")));
        assert!(matches!(lent.name.unwrap().0, Cow::Borrowed(_)), "a string without escapes is lent");
    }

    #[test]
    fn queue_entry_names_its_task() {
        let entry = parse_queue_entry("queue.rkvs/queue/q.json", br#"{"task_id": "abc", "priority": 7}"#).unwrap();
        assert_eq!(entry, QueueEntry { task_id: "abc".into(), priority: 7, enqueued_at: None });
        let entry =
            parse_queue_entry("queue.rkvs/queue/abc.json", br#"{"enqueued_at": "2025-10-08T12:00:00Z"}"#).unwrap();
        assert_eq!(
            entry,
            QueueEntry {
                task_id: "abc".into(),
                priority: 0,
                enqueued_at: Some("2025-10-08T12:00:00Z".parse().unwrap())
            }
        );
    }
}
