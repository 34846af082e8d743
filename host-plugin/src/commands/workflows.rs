//! `orch workflows`

use nu_protocol::{Example, IntoPipelineData, LabeledError, PipelineData, Signature, SyntaxShape, Type, Value, record};
use orch_runtime::model::WorkflowQuery;

use super::{Invocation, OrchCommand};
use crate::request::Request;
use crate::{error, flags, skipped, value};

pub struct OrchWorkflows;

impl OrchCommand for OrchWorkflows {
    const NAME: &str = "orch workflows";
    const DESCRIPTION: &str = "List the queue's workflows with their progress and state, or show one with its tasks.";
    const EXTRA_DESCRIPTION: &str = "Tasks are grouped by their workflow field; tasks without one are grouped by the dependencies \
that link them, each group named after its first root task (`create-servers +2` when it has 2 more roots), \
and the tasks linked to none share the row `-`. grouped_by says which. by_status counts the statuses that \
occur; blocked counts the pending tasks that can never run (blocked, on a cycle, or dangling); progress is \
completed / total. state is the first that holds: running (a task runs), blocked (a pending task can never \
run), pending (a task may yet run), failed (a task failed or was cancelled), else completed. started is the \
earliest started_at; elapsed runs from it to the latest completed_at once nothing is left to run, else to \
now; last_activity is the latest time any task was created, started or completed. held_by lists the pending \
tasks holding the workflow up, with their state and why. Rows come by state in that order, then the latest \
activity first. --workflow and --state choose rows. With NAME (which takes neither), the workflow as a record: \
its row, and its tasks in dependency order.";
    const SEARCH_TERMS: &[&str] = &["orchestrator", "workflow", "progress", "pipeline", "blocked"];

    fn parameters(signature: Signature) -> Signature {
        let signature = signature
            .optional("name", SyntaxShape::String, "Show this workflow, named as its row is, with its tasks.")
            .named(
                "workflow",
                SyntaxShape::String,
                "List the workflows with these names; `*` and `?` are wildcards.",
                None,
            )
            .named(
                "state",
                flags::list_shape(),
                "List the workflows in these states (running, blocked, pending, failed, completed): a list or \
                 comma-separated.",
                None,
            );
        flags::add_read_flags(signature)
    }

    fn output_types() -> Vec<Type> {
        vec![Type::table(), Type::record()]
    }

    fn examples() -> Vec<Example<'static>> {
        vec![
            Example {
                example: "(orch workflows).name",
                description: "Every workflow of the queue: running ones first, then blocked, pending, failed, completed",
                result: Some(texts(&[
                    "provision-cluster",
                    "-",
                    "deploy-api",
                    "deploy-web",
                    "k8s-upgrade",
                    "backup-nightly",
                    "db-migrate",
                ])),
            },
            Example {
                example: "orch workflows --state failed",
                description: "Every column, typed: counts, progress as a float, dates, durations, and nothing for what a \
                              workflow lacks",
                result: Some(Value::test_list(vec![db_migrate()])),
            },
            Example {
                example: "(orch workflows --workflow 'deploy-*' --state [running]).name",
                description: "Workflows by name (`*` and `?` are wildcards) and state (a list or comma-separated)",
                result: Some(texts(&["deploy-api", "deploy-web"])),
            },
            Example {
                example: "(orch workflows provision-cluster).held_by",
                description: "What holds a workflow up: its pending tasks, blocked, waiting on a running task, or ready",
                result: Some(Value::test_list(vec![
                    held(
                        "8d116ece-1738-47d9-bd9c-172411e20b8f",
                        "scale-workers",
                        "blocked",
                        "blocked: 9531985d-5d9d-49f8-9818-e811892f902b failed (timed out waiting for the condition)",
                    ),
                    held(
                        "6b4cb242-4a23-4596-a217-beaddbc496cb",
                        "update-monitoring",
                        "waiting",
                        "waiting: on 36f675cc-81e7-4ef5-a8e2-5d940ed90475 (running)",
                    ),
                ])),
            },
            Example {
                example: "(orch workflows provision-cluster).tasks.name",
                description: "One workflow's tasks, dependencies first",
                result: Some(texts(&[
                    "provision-cluster",
                    "install-cni",
                    "install-ingress",
                    "create-dns-records",
                    "scale-workers",
                    "update-monitoring",
                ])),
            },
            Example {
                example: "(orch workflows provision-cluster).elapsed",
                description: "How long a running workflow has run, since its first task started: a duration",
                result: Some(Value::test_duration(108_028_000_000_000)),
            },
            Example {
                example: "orch workflows | where blocked > 0 | select name blocked held_by",
                description: "Use Nushell's own commands on the typed columns",
                result: None,
            },
        ]
    }

    fn run(&self, invocation: Invocation) -> Result<PipelineData, LabeledError> {
        let value = match invocation.call.opt::<String>(0)? {
            Some(name) => self.one(invocation, &name),
            None => self.list(invocation),
        };
        Ok(value?.into_pipeline_data())
    }
}

impl OrchWorkflows {
    /// Without NAME: one row per workflow the filters keep.
    fn list(&self, Invocation { plugin, engine, call }: Invocation) -> Result<Value, LabeledError> {
        let query = WorkflowQuery { name: call.get_flag("workflow")?, states: flags::list(call, "state")? };
        let request = Request::new(plugin, engine, call)?;
        let list = request.session().workflows(&query, request.now, request.read);
        let list = list.map_err(|e| error::labeled(e, call))?;
        skipped::warn(Self::NAME, &list.skipped);
        let head = call.head;
        Ok(Value::list(list.rows.into_iter().map(|row| value::workflow_row(row, head)).collect(), head))
    }

    /// With NAME: that workflow, with its tasks.
    fn one(&self, Invocation { plugin, engine, call }: Invocation, name: &str) -> Result<Value, LabeledError> {
        // The filters choose rows; a workflow asked for by name has none to
        // choose, and ignoring them would hide a mistake.
        for flag in ["workflow", "state"] {
            if call.get_flag_value(flag).is_some() {
                return Err(error::argument(flag, "filters the list; it does not apply with NAME", call));
            }
        }
        let request = Request::new(plugin, engine, call)?;
        let detail = request.session().workflow(name, request.now, request.read);
        let detail = detail.map_err(|e| error::labeled(e, call))?;
        skipped::warn(Self::NAME, &detail.skipped);
        Ok(value::workflow_detail(detail, call.head))
    }
}

fn texts(texts: &[&str]) -> Value {
    Value::test_list(texts.iter().map(|t| Value::test_string(*t)).collect())
}

fn held(id: &str, name: &str, state: &str, reason: &str) -> Value {
    Value::test_record(record! {
        "id" => Value::test_string(id),
        "name" => Value::test_string(name),
        "state" => Value::test_string(state),
        "reason" => Value::test_string(reason),
    })
}

/// The example data's db-migrate workflow, as the example above lists it:
/// its tasks come from the `tasks/` layout, which has no start times.
fn db_migrate() -> Value {
    Value::test_record(record! {
        "name" => Value::test_string("db-migrate"),
        "grouped_by" => Value::test_string("workflow"),
        "total" => Value::test_int(2),
        "by_status" => Value::test_record(record! {
            "completed" => Value::test_int(1),
            "failed" => Value::test_int(1),
        }),
        "blocked" => Value::test_int(0),
        "progress" => Value::test_float(0.5),
        "state" => Value::test_string("failed"),
        "started" => Value::test_nothing(),
        "elapsed" => Value::test_nothing(),
        "last_activity" => Value::test_date("2025-10-07T23:30:45+00:00".parse().expect("an RFC 3339 literal")),
        "held_by" => Value::test_list(vec![]),
    })
}

#[cfg(test)]
mod tests {
    use nu_protocol::Value;

    use super::*;
    use crate::NuCommand;
    use crate::commands::strings;
    use crate::test_support::{
        Fixture, columns, error_of, eval, eval_error, eval_error_labelled, eval_in, one_session_cache, plugin,
        plugin_test, plugin_test_in, plugin_test_with, value_of,
    };

    #[test]
    fn examples() -> Result<(), nu_protocol::ShellError> {
        plugin_test().test_command_examples(&NuCommand(OrchWorkflows))
    }

    /// A task file's text in the `tasks/` layout.
    fn task(id: &str, status: &str, deps: &[&str], workflow: Option<&str>) -> String {
        let deps = deps.iter().map(|d| format!("\"{d}\"")).collect::<Vec<_>>().join(", ");
        let workflow = workflow.map(|w| format!(r#", "workflow": "{w}""#)).unwrap_or_default();
        format!(r#"{{"id": "{id}", "status": "{status}", "priority": 1, "dependencies": [{deps}]{workflow}}}"#)
    }

    #[test]
    fn rows_are_typed_and_in_order() {
        let rows = eval("orch workflows");
        let rows = rows.as_list().unwrap();
        assert_eq!(rows.len(), 7);
        // The columns of the example row, in its order (`Value` equality
        // ignores the order of a record's columns: the examples test does not).
        let example = db_migrate();
        assert!(rows.iter().all(|row| columns(row) == columns(&example)), "{rows:?}");

        // provision-cluster: a dependency group of the queue.rkvs layout,
        // running since 2025-10-07T06:00:02.
        let row = rows[0].as_record().unwrap();
        assert_eq!(row.get("name"), Some(&Value::test_string("provision-cluster")));
        assert_eq!(row.get("grouped_by"), Some(&Value::test_string("dependencies")));
        assert_eq!(row.get("total"), Some(&Value::test_int(6)));
        assert_eq!(
            row.get("by_status"),
            Some(&Value::test_record(record! {
                "pending" => Value::test_int(2),
                "running" => Value::test_int(1),
                "completed" => Value::test_int(2),
                "failed" => Value::test_int(1),
            }))
        );
        assert_eq!(row.get("blocked"), Some(&Value::test_int(1)));
        assert_eq!(row.get("progress"), Some(&Value::test_float(2.0 / 6.0)));
        assert_eq!(row.get("state"), Some(&Value::test_string("running")));
        let Some(Value::Date { val, .. }) = row.get("started") else { panic!("{row:?}") };
        assert_eq!(val.to_rfc3339(), "2025-10-07T06:00:02+00:00");
        assert!(matches!(row.get("elapsed"), Some(Value::Duration { .. })), "{row:?}");
        let Some(Value::Date { val, .. }) = row.get("last_activity") else { panic!("{row:?}") };
        assert_eq!(val.to_rfc3339(), "2025-10-08T11:59:00+00:00");
        let held_by = row.get("held_by").unwrap().as_list().unwrap();
        assert_eq!(held_by.len(), 2);
        assert_eq!(columns(&held_by[0]), ["id", "name", "state", "reason"]);

        // The lone tasks' row; a ready task without a name has nothing there.
        let lone = rows[1].as_record().unwrap();
        assert_eq!(lone.get("name"), Some(&Value::test_string("-")));
        let held_by = lone.get("held_by").unwrap().as_list().unwrap();
        let task_010 = held_by.iter().find(|h| h.get_data_by_key("id") == Some(Value::test_string("task-010")));
        assert!(task_010.unwrap().get_data_by_key("name").unwrap().is_nothing(), "{held_by:?}");
    }

    #[test]
    fn one_workflow_is_its_row_and_its_tasks() {
        let detail = eval("orch workflows provision-cluster");
        let example = db_migrate();
        let mut expected = columns(&example);
        expected.push("tasks");
        assert_eq!(columns(&detail), expected);

        // The same row as the list's, but for the tasks.
        let mut row = detail.as_record().unwrap().clone();
        row.remove("tasks");
        assert_eq!(Value::test_record(row), eval("(orch workflows --workflow provision-cluster).0"));

        let tasks = detail.get_data_by_key("tasks").unwrap();
        let tasks = tasks.as_list().unwrap();
        assert_eq!(tasks.len(), 6);
        assert_eq!(
            columns(&tasks[0]),
            ["id", "name", "status", "state", "reason", "priority", "created_at", "started_at", "completed_at"]
        );
        // A completed task: no state, no reason, three dates.
        let first = tasks[0].as_record().unwrap();
        assert_eq!(first.get("status"), Some(&Value::test_string("completed")));
        assert!(first.get("state").unwrap().is_nothing() && first.get("reason").unwrap().is_nothing());
        assert_eq!(first.get("priority"), Some(&Value::test_int(8)));
        for date in ["created_at", "started_at", "completed_at"] {
            assert!(matches!(first.get(date), Some(Value::Date { .. })), "{date}: {first:?}");
        }
        // The blocked task says why.
        let blocked = tasks[4].as_record().unwrap();
        assert_eq!(blocked.get("id"), Some(&Value::test_string("8d116ece-1738-47d9-bd9c-172411e20b8f")));
        assert_eq!(blocked.get("state"), Some(&Value::test_string("blocked")));
        assert!(blocked.get("started_at").unwrap().is_nothing());
        let Some(Value::String { val, .. }) = blocked.get("reason") else { panic!("{blocked:?}") };
        assert!(val.starts_with("blocked: 9531985d"), "{val}");
    }

    #[test]
    fn tasks_without_a_workflow_are_grouped_by_their_dependencies() {
        let fixture = Fixture::with_files(&[
            ("tasks/base.json", &task("base", "failed", &[], None)),
            ("tasks/mid.json", &task("mid", "pending", &["base"], None)),
            ("tasks/top.json", &task("top", "pending", &["mid"], None)),
            ("tasks/lone.json", &task("lone", "pending", &[], None)),
            ("tasks/w1.json", &task("w1", "completed", &[], Some("nightly"))),
            ("tasks/w2.json", &task("w2", "completed", &["w1"], Some("nightly"))),
        ]);
        let mut test = plugin_test_in(&fixture);
        let mut eval = |source: &str| value_of(&mut test, source);
        // Blocked, then pending, then completed.
        assert_eq!(eval("(orch workflows).name"), strings(&["base", "-", "nightly"]));
        assert_eq!(eval("(orch workflows).state"), strings(&["blocked", "pending", "completed"]));
        assert_eq!(eval("(orch workflows).grouped_by"), strings(&["dependencies", "dependencies", "workflow"]));
        assert_eq!(eval("(orch workflows base).blocked"), Value::test_int(2));
        assert_eq!(eval("(orch workflows base).tasks.id"), strings(&["base", "mid", "top"]));
        assert_eq!(eval("(orch workflows nightly).progress"), Value::test_float(1.0));
        assert_eq!(eval("(orch workflows --state blocked,completed).name"), strings(&["base", "nightly"]));
        assert_eq!(eval("(orch workflows --state [pending]).name"), strings(&["-"]));
        assert_eq!(eval("(orch workflows --workflow 'n?ght*').name"), strings(&["nightly"]));
    }

    #[test]
    fn an_unknown_workflow_is_labelled_on_its_name() {
        let (err, labelled) = eval_error_labelled("orch workflows deploy-wbe");
        assert_eq!(err.code.as_deref(), Some("orch::workflow::unknown"), "{err:?}");
        assert_eq!(err.msg, "no workflow 'deploy-wbe'");
        assert_eq!(err.help.as_deref(), Some("did you mean 'deploy-web'?"));
        assert_eq!(labelled, "deploy-wbe");
    }

    #[test]
    fn an_unknown_state_is_labelled_on_the_flag() {
        let (err, labelled) = eval_error_labelled("orch workflows --state running,stuck");
        assert_eq!(err.code.as_deref(), Some("orch::argument"));
        assert!(err.msg.starts_with("invalid --state: unknown workflow state \"stuck\""), "{err:?}");
        assert_eq!(labelled, "--state running,stuck");
    }

    #[test]
    fn filters_do_not_apply_to_one_workflow() {
        for (source, flag) in [
            ("orch workflows db-migrate --state failed", "state"),
            ("orch workflows db-migrate --workflow 'db-*'", "workflow"),
        ] {
            let err = eval_error(source);
            assert_eq!(err.code.as_deref(), Some("orch::argument"), "{err:?}");
            assert!(err.msg.starts_with(&format!("invalid --{flag}: ")), "{err:?}");
        }
    }

    #[test]
    fn a_bad_task_file_is_skipped_on_request() {
        let fixture = Fixture::with_files(&[
            ("tasks/good.json", &task("good", "pending", &[], Some("w"))),
            ("tasks/bad.json", "{\n  \"id\": \"bad\",\n  \"priority\": oops\n}"),
        ]);
        let err = error_of(plugin_test_in(&fixture).eval("orch workflows"));
        assert_eq!(err.code.as_deref(), Some("orch::file::malformed"), "{err:?}");
        assert!(err.msg.contains("bad.json:3:"), "{err:?}");

        assert_eq!(eval_in(&fixture, "(orch workflows --skip-invalid).name"), strings(&["w"]));
        assert_eq!(eval_in(&fixture, "(orch workflows w --skip-invalid).total"), Value::test_int(1));
    }

    #[test]
    fn calls_share_the_warm_session() {
        let fixture = Fixture::with_files(&[
            ("tasks/a.json", &task("a", "pending", &[], Some("w"))),
            ("tasks/b.json", &task("b", "completed", &[], Some("w"))),
        ]);
        fixture.settle(&["tasks/a.json", "tasks/b.json"]);
        let plugin = plugin();
        let mut test = plugin_test_with(plugin.clone(), &fixture);
        assert_eq!(value_of(&mut test, "(orch workflows).0.total"), Value::test_int(2));
        assert_eq!(value_of(&mut test, "(orch workflows w).tasks.id"), strings(&["a", "b"]));
        assert_eq!(value_of(&mut test, "(orch tasks).id").as_list().unwrap().len(), 2);
        let stats = one_session_cache(&plugin);
        assert_eq!(stats.misses, 2, "each file parsed once: {stats:?}");
    }
}
