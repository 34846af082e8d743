//! `orch show`

use nu_protocol::{Example, IntoPipelineData, LabeledError, PipelineData, Signature, SyntaxShape, Type, Value, record};

use super::{Invocation, OrchCommand, strings};
use crate::request::Request;
use crate::{error, flags, skipped, value};

pub struct OrchShow;

impl OrchCommand for OrchShow {
    const NAME: &str = "orch show";
    const DESCRIPTION: &str =
        "Show one task whole: every field, its queue entry, timings, and its place in the dependency graph.";
    const EXTRA_DESCRIPTION: &str = "ID is a task's id, or the beginning of one that no other id begins with, as with git or docker. \
task is the record orch tasks lists. A pending task's state is ready (every dependency completed), waiting \
(a dependency pending or running), blocked (a dependency, directly or through others, failed or was \
cancelled: blocked_by names these root causes), dangling (a dependency names no task) or cycle (the task is \
on a dependency cycle); reason says why it is not running. Other tasks' state is nothing. timings are \
durations: queued (created to now), waited (created to started), ran (started to completed, or to now). \
dependencies and dependents are tables in the order of a depth-first walk; depth 1 is direct.";
    const SEARCH_TERMS: &[&str] = &["orchestrator", "task", "describe", "dependencies", "blocked"];

    fn parameters(signature: Signature) -> Signature {
        flags::add_read_flags(signature.required("id", SyntaxShape::String, "The task's id, or the beginning of it."))
    }

    fn output_types() -> Vec<Type> {
        vec![Type::record()]
    }

    fn examples() -> Vec<Example<'static>> {
        vec![
            Example {
                example: "orch show 6b0d",
                description: "A task by the beginning of its id: every field, typed",
                result: Some(rotate_certs()),
            },
            Example {
                example: "(orch show 6b0d).task.name",
                description: "One field of the task, as orch tasks lists it",
                result: Some(Value::test_string("rotate-certs")),
            },
            Example {
                example: "(orch show 9531).dependencies",
                description: "What a task depends on, directly (depth 1) and through others",
                result: Some(Value::test_list(vec![
                    related("d23f0824-128b-4f33-8c5c-7fd0a6a3a450", "completed", 1),
                    related("6513270e-269e-4d37-b2a7-4de452e6b438", "completed", 2),
                ])),
            },
            Example {
                example: "(orch show 8d11).blocked_by",
                description: "Why a pending task cannot run: the failed or cancelled tasks at the bottom of its chains",
                result: Some(Value::test_list(vec![Value::test_string("9531985d-5d9d-49f8-9818-e811892f902b")])),
            },
            Example {
                example: "(orch show 36f6).timings.ran",
                description: "How long a running task has run, a duration",
                result: Some(Value::test_duration(627_000_000_000)),
            },
            Example {
                example: "orch show task-004 --data-dir /var/lib/provisioning/orchestrator",
                description: "A task of another data directory",
                result: None,
            },
        ]
    }

    fn run(&self, Invocation { plugin, engine, call }: Invocation) -> Result<PipelineData, LabeledError> {
        let id: String = call.req(0)?;
        let request = Request::new(plugin, engine, call)?;
        let detail = request.session().show(&id, request.now, request.read).map_err(|e| error::labeled(e, call))?;
        skipped::warn(Self::NAME, &detail.skipped);
        Ok(value::detail(detail, call.head).into_pipeline_data())
    }
}

/// A row of `dependencies` or `dependents` for a task that is not pending.
fn related(id: &str, status: &str, depth: i64) -> Value {
    Value::test_record(record! {
        "id" => Value::test_string(id),
        "status" => Value::test_string(status),
        "state" => Value::test_nothing(),
        "depth" => Value::test_int(depth),
    })
}

/// Task 6b0d549b of the example data, as the first example shows it.
fn rotate_certs() -> Value {
    let date = |text: &str| Value::test_date(text.parse().expect("an RFC 3339 literal"));
    Value::test_record(record! {
        "task" => Value::test_record(record! {
            "id" => Value::test_string("6b0d549b-6f03-475a-9600-a35a099950d8"),
            "name" => Value::test_string("rotate-certs"),
            "command" => Value::test_string("nu"),
            "args" => strings(&["certs.nu", "rotate"]),
            "dependencies" => strings(&[]),
            "status" => Value::test_string("pending"),
            "priority" => Value::test_int(9),
            "created_at" => date("2025-10-08T11:55:00+00:00"),
            "started_at" => Value::test_nothing(),
            "completed_at" => Value::test_nothing(),
            "output" => Value::test_nothing(),
            "error" => Value::test_nothing(),
            "workflow" => Value::test_nothing(),
            "state" => Value::test_string("ready"),
        }),
        "queue_entry" => Value::test_record(record! {
            "priority" => Value::test_int(9),
            "enqueued_at" => date("2025-10-08T11:55:00+00:00"),
        }),
        "state" => Value::test_string("ready"),
        "blocked_by" => strings(&[]),
        "reason" => Value::test_string("ready: no dependencies"),
        "timings" => Value::test_record(record! {
            "queued" => Value::test_duration(330_000_000_000),
            "waited" => Value::test_nothing(),
            "ran" => Value::test_nothing(),
        }),
        "dependencies" => Value::test_list(vec![]),
        "dependents" => Value::test_list(vec![]),
    })
}

#[cfg(test)]
mod tests {

    use nu_protocol::Value;

    use super::*;
    use crate::NuCommand;
    use crate::test_support::{
        Fixture, columns, eval, eval_error, eval_error_labelled, eval_in, one_session_cache, plugin, plugin_test,
        plugin_test_with, value_of,
    };

    #[test]
    fn examples() -> Result<(), nu_protocol::ShellError> {
        plugin_test().test_command_examples(&NuCommand(OrchShow))
    }

    #[test]
    fn typed_columns_in_order() {
        let detail = eval("orch show 9531985d");
        let record = detail.as_record().unwrap();
        assert_eq!(
            columns(&detail),
            ["task", "queue_entry", "state", "blocked_by", "reason", "timings", "dependencies", "dependents"]
        );
        // A failed task has no pending state, nor a reason.
        assert!(record.get("state").unwrap().is_nothing());
        assert!(record.get("reason").unwrap().is_nothing());
        assert_eq!(record.get("blocked_by"), Some(&Value::test_list(vec![])));

        let entry = record.get("queue_entry").unwrap().as_record().unwrap();
        assert_eq!(entry.get("priority"), Some(&Value::test_int(6)));
        let Some(Value::Date { val, .. }) = entry.get("enqueued_at") else { panic!("{entry:?}") };
        assert_eq!(val.to_rfc3339(), "2025-10-07T06:16:00+00:00");

        // Created 2025-10-07T06:16:00, started 2 s later, ran 148 s; now is
        // 2025-10-08T12:00:30.
        let timings = record.get("timings").unwrap().as_record().unwrap();
        let seconds = |name: &str| match timings.get(name) {
            Some(Value::Duration { val, .. }) => val / 1_000_000_000,
            other => panic!("{name}: {other:?}"),
        };
        assert_eq!((seconds("queued"), seconds("waited"), seconds("ran")), (107_070, 2, 148));

        let dependencies = record.get("dependencies").unwrap().as_list().unwrap();
        assert_eq!(columns(&dependencies[0]), ["id", "status", "state", "depth"]);
        assert_eq!(dependencies[0].get_data_by_key("depth"), Some(Value::test_int(1)));
    }

    #[test]
    fn the_task_is_the_record_orch_tasks_lists() {
        // The test engine has no `where`; this filter lists only 9531985d.
        let listed = eval("(orch tasks --status failed --min-priority 6 --max-priority 6).0");
        assert_eq!(eval("(orch show 9531).task"), listed);
    }

    #[test]
    fn a_blocked_task_names_its_root_cause_and_its_relatives_states() {
        let task = |id: &str, status: &str, deps: &[&str]| {
            let deps = deps.iter().map(|d| format!("\"{d}\"")).collect::<Vec<_>>().join(", ");
            format!(r#"{{"id": "{id}", "status": "{status}", "priority": 1, "dependencies": [{deps}]}}"#)
        };
        let fixture = Fixture::with_files(&[
            ("tasks/base.json", &task("base", "failed", &[])),
            ("tasks/mid.json", &task("mid", "pending", &["base"])),
            ("tasks/top.json", &task("top", "pending", &["mid"])),
        ]);
        let detail = eval_in(&fixture, "orch show mid");
        let record = detail.as_record().unwrap();
        assert_eq!(record.get("state"), Some(&Value::test_string("blocked")));
        assert_eq!(record.get("blocked_by"), Some(&Value::test_list(vec![Value::test_string("base")])));
        assert!(matches!(record.get("reason"), Some(Value::String { .. })), "{record:?}");
        // The tasks/ layout has no queue entries; no times, no timings.
        assert!(record.get("queue_entry").unwrap().is_nothing());
        let timings = record.get("timings").unwrap().as_record().unwrap();
        assert!(timings.values().all(Value::is_nothing), "{timings:?}");

        let row = |id: &str, status: &str, state: Value| {
            Value::test_record(record! {
                "id" => Value::test_string(id),
                "status" => Value::test_string(status),
                "state" => state,
                "depth" => Value::test_int(1),
            })
        };
        assert_eq!(
            record.get("dependencies"),
            Some(&Value::test_list(vec![row("base", "failed", Value::test_nothing())]))
        );
        assert_eq!(
            record.get("dependents"),
            Some(&Value::test_list(vec![row("top", "pending", Value::test_string("blocked"))]))
        );
    }

    #[test]
    fn an_unknown_or_ambiguous_id_is_explained_on_the_id() {
        let candidates = "it begins 6b0d549b-6f03-475a-9600-a35a099950d8, 6b4cb242-4a23-4596-a217-beaddbc496cb\n\
                          give more of the id";
        for (id, code, msg, help) in [
            ("task-04", "orch::task::unknown", "no task 'task-04'", "did you mean 'task-004'?"),
            ("6b", "orch::task::ambiguous", "'6b' is the beginning of more than one task id", candidates),
        ] {
            let (err, labelled) = eval_error_labelled(&format!("orch show {id}"));
            assert_eq!(err.code.as_deref(), Some(code), "{err:?}");
            assert_eq!(err.msg, msg);
            assert_eq!(err.help.as_deref(), Some(help));
            // On the id, not on the command name.
            assert_eq!(labelled, id);
        }

        let err = eval_error("orch show nothing-like-it");
        assert_eq!(err.code.as_deref(), Some("orch::task::unknown"), "{err:?}");
        assert_eq!(err.help.as_deref(), Some("`orch tasks | get id` lists the ids"));
    }

    #[test]
    fn a_missing_data_dir_is_labelled_on_the_flag() {
        let err = eval_error("orch show 6b0d --data-dir does-not-exist");
        assert_eq!(err.code.as_deref(), Some("orch::data_dir"), "{err:?}");
        assert_eq!(err.labels[0].text, "no such directory");
    }

    #[test]
    fn repeated_calls_reuse_the_warm_session() {
        let task = |id: &str| format!(r#"{{"id": "{id}", "status": "pending", "priority": 1}}"#);
        let fixture = Fixture::with_files(&[("tasks/a.json", &task("a")), ("tasks/b.json", &task("b"))]);
        fixture.settle(&["tasks/a.json", "tasks/b.json"]);
        let plugin = plugin();
        let mut test = plugin_test_with(plugin.clone(), &fixture);
        assert_eq!(value_of(&mut test, "(orch show a).task.id"), Value::test_string("a"));
        assert_eq!(value_of(&mut test, "(orch show b).task.id"), Value::test_string("b"));
        // `tasks` splits the files over the session's instances as `show` does.
        assert_eq!(value_of(&mut test, "(orch tasks).1.id"), Value::test_string("b"));
        let stats = one_session_cache(&plugin);
        assert_eq!(stats.misses, 2, "each file parsed once: {stats:?}");
        assert!(stats.hits >= 2, "{stats:?}");
    }
}
