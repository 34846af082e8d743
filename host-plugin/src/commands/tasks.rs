//! `orch tasks`

use nu_protocol::{Example, LabeledError, ListStream, PipelineData, Signature, SyntaxShape, Type, Value, record};

use super::{Invocation, OrchCommand, strings};
use crate::request::Request;
use crate::{error, flags, skipped, value};

pub struct OrchTasks;

impl OrchCommand for OrchTasks {
    const NAME: &str = "orch tasks";
    const DESCRIPTION: &str = "List the tasks in the orchestrator's queue, filtered, highest priority first.";
    const EXTRA_DESCRIPTION: &str = "Tasks are ordered by priority (highest first), then creation time (oldest first), then id; \
--offset and --limit page through that order. Filters combine: a task is listed when it passes all \
of them. A pending task's state is where it stands in the dependency graph: ready (every dependency \
completed), waiting (a dependency pending or running), blocked (a dependency, directly or through others, \
failed or was cancelled), dangling (a dependency names no task) or cycle (on a dependency cycle); --state \
keeps the pending tasks in those states, and orch show says why. Other tasks' state is nothing. Times are \
dates, absent fields are nothing, so the table works with where, sort-by and group-by.";
    const SEARCH_TERMS: &[&str] = &["orchestrator", "queue", "jobs"];

    fn parameters(signature: Signature) -> Signature {
        // Help lists flags in this order: what to keep, which page, where to read.
        let signature = flags::add_task_filter_flags(signature)
            .named(
                "state",
                flags::list_shape(),
                "Keep pending tasks in these dependency states (ready, waiting, blocked, dangling, cycle): a list or \
                 comma-separated.",
                None,
            )
            .named("limit", SyntaxShape::Int, "Return at most this many tasks.", None)
            .named("offset", SyntaxShape::Int, "Skip this many tasks first.", None);
        flags::add_read_flags(signature)
    }

    fn output_types() -> Vec<Type> {
        vec![Type::table()]
    }

    fn examples() -> Vec<Example<'static>> {
        vec![
            Example {
                example: "orch tasks --status pending --limit 5",
                description: "The five most urgent pending tasks",
                result: None,
            },
            Example {
                example: "(orch tasks --status failed,cancelled).id",
                description: "Failed or cancelled tasks, by comma-separated statuses",
                result: Some(strings(&[
                    "task-004",
                    "9531985d-5d9d-49f8-9818-e811892f902b",
                    "a170b338-3926-4059-b28c-105d1fb17c23",
                    "task-007",
                ])),
            },
            Example {
                example: "(orch tasks --status [running] --min-priority 7).id",
                description: "Running tasks of priority 7 or more, statuses as a list",
                result: Some(strings(&["task-002", "0fd630f1-f29d-4da9-953f-48f1a09f76b5"])),
            },
            Example {
                example: "(orch tasks --workflow 'deploy-*' --from 2025-10-08 --to 2025-10-08).id",
                description: "Tasks of the deploy workflows created on 8 October 2025",
                result: Some(strings(&["task-002", "task-001", "task-008", "task-012"])),
            },
            Example {
                example: "(orch tasks --from 15min --offset 1 --limit 2).id",
                description: "Tasks created in the last 15 minutes (a duration or text such as 15m), the second and third",
                result: Some(strings(&[
                    "6b0d549b-6f03-475a-9600-a35a099950d8",
                    "36f675cc-81e7-4ef5-a8e2-5d940ed90475",
                ])),
            },
            Example {
                example: "(orch tasks --state blocked).id",
                description: "Pending tasks that cannot run: a dependency failed or was cancelled",
                result: Some(strings(&["8d116ece-1738-47d9-bd9c-172411e20b8f"])),
            },
            Example {
                example: "(orch tasks --state waiting,blocked).id",
                description: "Pending tasks that are not ready, by comma-separated states (or a list)",
                result: Some(strings(&[
                    "8d116ece-1738-47d9-bd9c-172411e20b8f",
                    "6b4cb242-4a23-4596-a217-beaddbc496cb",
                ])),
            },
            Example {
                example: "(orch tasks --min-priority 4 --max-priority 4).state",
                description: "The state column: a pending task's state, nothing for the others (here completed)",
                result: Some(Value::test_list(vec![Value::test_nothing(), Value::test_string("blocked")])),
            },
            Example {
                example: "orch tasks --status failed --min-priority 6 --max-priority 6",
                description: "Every column, typed: dates, lists, and nothing for what a task lacks",
                result: Some(Value::test_list(vec![failed_helm_install()])),
            },
            Example {
                example: "orch tasks | where priority >= 5 and status != completed | sort-by created_at",
                description: "Use Nushell's own commands on the typed columns",
                result: None,
            },
            Example {
                example: "orch tasks --status pending | group-by state",
                description: "Pending tasks by their state in the dependency graph",
                result: None,
            },
        ]
    }

    fn run(&self, Invocation { plugin, engine, call }: Invocation) -> Result<PipelineData, LabeledError> {
        let query = orch_runtime::model::TaskQuery {
            states: flags::list(call, "state")?,
            offset: flags::count(call, "offset")?.unwrap_or(0),
            limit: flags::count(call, "limit")?,
            ..flags::task_filter(call)?
        };
        let request = Request::new(plugin, engine, call)?;
        let page = request.session().tasks(&query, request.now, request.read).map_err(|e| error::labeled(e, call))?;
        skipped::warn(Self::NAME, &page.skipped);
        let head = call.head;
        // Converted as the pipeline pulls; the engine's signals end the
        // stream on Ctrl-C.
        let tasks = page.tasks.into_iter().map(move |task| value::task(task, head));
        Ok(PipelineData::list_stream(ListStream::new(tasks, head, engine.signals().clone()), None))
    }
}

/// Task 9531985d of the example data, as the example above lists it.
fn failed_helm_install() -> Value {
    let date = |text: &str| Value::test_date(text.parse().expect("an RFC 3339 literal"));
    Value::test_record(record! {
        "id" => Value::test_string("9531985d-5d9d-49f8-9818-e811892f902b"),
        "name" => Value::test_string("install-ingress"),
        "command" => Value::test_string("helm"),
        "args" => Value::test_list(vec![Value::test_string("install"), Value::test_string("ingress-nginx")]),
        "dependencies" => Value::test_list(vec![Value::test_string("d23f0824-128b-4f33-8c5c-7fd0a6a3a450")]),
        "status" => Value::test_string("failed"),
        "priority" => Value::test_int(6),
        "created_at" => date("2025-10-07T06:16:00+00:00"),
        "started_at" => date("2025-10-07T06:16:02+00:00"),
        "completed_at" => date("2025-10-07T06:18:30+00:00"),
        "output" => Value::test_nothing(),
        "error" => Value::test_string("timed out waiting for the condition"),
        "workflow" => Value::test_nothing(),
        "state" => Value::test_nothing(),
    })
}

#[cfg(test)]
mod tests {
    use nu_protocol::{Span, Value};

    use super::*;
    use crate::NuCommand;
    use crate::test_support::{
        Fixture, error_of, eval, eval_error, eval_error_labelled, eval_in, plugin_test, plugin_test_in,
        plugin_test_with,
    };

    #[test]
    fn examples() -> Result<(), nu_protocol::ShellError> {
        plugin_test().test_command_examples(&NuCommand(OrchTasks))
    }

    #[test]
    fn returns_a_stream() {
        let data = plugin_test().eval("orch tasks").unwrap();
        assert!(matches!(data, PipelineData::ListStream(..)));
        let tasks = data.into_value(Span::test_data()).unwrap().into_list().unwrap();
        assert_eq!(tasks.len(), 24);
    }

    #[test]
    fn an_unknown_status_or_state_is_labelled_on_the_flag() {
        for (flag, msg) in [
            ("--status pending,bogus", "invalid --status: unknown status \"bogus\""),
            ("--state ready,stuck", "invalid --state: unknown state \"stuck\""),
        ] {
            let (err, labelled) = eval_error_labelled(&format!("orch tasks {flag}"));
            assert_eq!(err.code.as_deref(), Some("orch::argument"));
            assert!(err.msg.starts_with(msg), "{err:?}");
            // On the flag, not on the command name.
            assert_eq!(labelled, flag);
        }
    }

    #[test]
    fn every_task_has_a_state_column_nothing_unless_pending() {
        let tasks = eval("orch tasks");
        let tasks = tasks.into_list().unwrap();
        for task in &tasks {
            let record = task.as_record().unwrap();
            let (status, state) = (record.get("status").unwrap().as_str().unwrap(), record.get("state").unwrap());
            assert_eq!(status == "pending", !state.is_nothing(), "{record:?}");
        }
        let states: Vec<_> = tasks.iter().filter_map(|t| t.get_data_by_key("state")?.into_string().ok()).collect();
        assert_eq!(states.iter().filter(|s| *s == "ready").count(), 7, "{states:?}");
    }

    #[test]
    fn states_come_as_a_list_or_comma_separated() {
        let expected = strings(&["8d116ece-1738-47d9-bd9c-172411e20b8f", "6b4cb242-4a23-4596-a217-beaddbc496cb"]);
        assert_eq!(eval("(orch tasks --state [blocked waiting]).id"), expected);
        assert_eq!(eval("(orch tasks --state blocked,waiting).id"), expected);
        assert_eq!(eval("(orch tasks --state [blocked,waiting]).id"), expected);
    }

    #[test]
    fn states_filter_before_the_page_and_keep_only_pending_tasks() {
        // Ready, in order: task-006, 6b0d549b, task-001, task-010, …
        assert_eq!(
            eval("(orch tasks --state ready --offset 1 --limit 2).id"),
            strings(&["6b0d549b-6f03-475a-9600-a35a099950d8", "task-001"])
        );
        assert_eq!(eval("orch tasks --state ready --status running"), Value::test_list(vec![]));
        assert_eq!(eval("(orch tasks --state ready --workflow deploy-web).id"), strings(&["task-001", "task-012"]));
    }

    #[test]
    fn dangling_and_cycle_states() {
        let task = |id: &str, deps: &[&str]| {
            let deps = deps.iter().map(|d| format!("\"{d}\"")).collect::<Vec<_>>().join(", ");
            format!(r#"{{"id": "{id}", "status": "pending", "priority": 1, "dependencies": [{deps}]}}"#)
        };
        let fixture = Fixture::with_files(&[
            ("tasks/a.json", &task("a", &["ghost"])),
            ("tasks/b.json", &task("b", &["c"])),
            ("tasks/c.json", &task("c", &["b"])),
            ("tasks/d.json", &task("d", &[])),
        ]);
        assert_eq!(eval_in(&fixture, "(orch tasks --state dangling).id"), strings(&["a"]));
        assert_eq!(eval_in(&fixture, "(orch tasks --state cycle).id"), strings(&["b", "c"]));
        assert_eq!(eval_in(&fixture, "(orch tasks).state"), strings(&["dangling", "cycle", "cycle", "ready"]));
    }

    #[test]
    fn a_bad_time_is_labelled_on_its_flag() {
        let err = eval_error("orch tasks --to yesterday-ish");
        assert_eq!(err.code.as_deref(), Some("orch::argument"));
        assert!(err.msg.starts_with("invalid --to: "), "{err:?}");
    }

    #[test]
    fn a_duration_is_an_age() {
        assert_eq!(eval("(orch tasks --from 2hr).id"), eval("(orch tasks --from 2h).id"));
    }

    #[test]
    fn a_negative_limit_is_refused() {
        let err = eval_error("orch tasks --limit -1");
        assert_eq!(err.code.as_deref(), Some("orch::argument"));
        assert_eq!(err.msg, "invalid --limit: -1 is negative");
    }

    #[test]
    fn a_bad_task_file_names_the_file_and_position() {
        let fixture = Fixture::with_files(&[
            ("tasks/good.json", r#"{"id": "good", "status": "pending", "priority": 1}"#),
            ("tasks/bad.json", "{\n  \"id\": \"bad\",\n  \"priority\": oops\n}"),
        ]);
        let err = error_of(plugin_test_in(&fixture).eval("orch tasks"));
        assert_eq!(err.code.as_deref(), Some("orch::file::malformed"), "{err:?}");
        assert!(err.msg.contains("bad.json:3:"), "{err:?}");
        assert!(err.help.as_deref().unwrap().contains("--skip-invalid"));

        let tasks = eval_in(&fixture, "(orch tasks --skip-invalid).id");
        assert_eq!(tasks, Value::test_list(vec![Value::test_string("good")]));
    }

    #[test]
    fn a_trap_does_not_break_the_next_call_on_the_same_runtime() {
        // 2 MiB holds the example data but not a 1.5 MB task file.
        let big_output =
            format!(r#"{{"id": "big", "status": "pending", "priority": 1, "output": "{}"}}"#, "x".repeat(1_500_000));
        let big = Fixture::with_files(&[("tasks/big.json", &big_output)]);
        let examples = Fixture::example_data();
        let plugin = crate::test_support::plugin();
        let mut test = plugin_test_with(plugin.clone(), &big);

        let err = error_of(test.eval("orch tasks --memory-limit 2MiB"));
        assert_eq!(err.code.as_deref(), Some("orch::trap::memory"), "{err:?}");
        assert_eq!(err.help.as_deref(), Some("raise the limit with --memory-limit"));
        assert_eq!(test.engine_state().get_span_contents(err.labels[0].span), b"--memory-limit 2MiB");

        let source = format!("(orch tasks --memory-limit 2MiB --data-dir '{}').id", examples.data_dir().display());
        let ids = test.eval(&source).unwrap().into_value(Span::test_data()).unwrap();
        assert_eq!(ids.into_list().unwrap().len(), 24);
    }
}
