//! `orch stats`

use nu_protocol::{Example, IntoPipelineData, LabeledError, PipelineData, Signature, Type, Value};

use super::{Invocation, OrchCommand};
use crate::request::Request;
use crate::{error, flags, skipped, value};

pub struct OrchStats;

impl OrchCommand for OrchStats {
    const NAME: &str = "orch stats";
    const DESCRIPTION: &str =
        "Summarize the queue: counts by status, priority and day, run times, the oldest pending task, throughput.";
    const EXTRA_DESCRIPTION: &str = "Takes the filters of `orch tasks` and covers every task they select. Run time is completed_at \
minus started_at, as durations; percentiles are nearest-rank, so each is a run time that happened. Tasks \
started after they completed are left out of the run times and counted in negative_run_times. Throughput \
counts completed tasks whose completed_at lies in the window: --from/--to where given, else from the \
earliest created_at to now. Days are UTC.";
    const SEARCH_TERMS: &[&str] = &["orchestrator", "summary", "percentile", "histogram"];

    fn parameters(signature: Signature) -> Signature {
        flags::add_read_flags(flags::add_task_filter_flags(signature))
    }

    fn output_types() -> Vec<Type> {
        vec![Type::record()]
    }

    fn examples() -> Vec<Example<'static>> {
        vec![
            Example { example: "orch stats", description: "Summarize the whole queue", result: None },
            Example {
                example: "(orch stats --status running,failed).by_status",
                description: "Tasks per status, for the statuses asked for",
                result: Some(Value::test_list(vec![count("running", 4), count("failed", 2)])),
            },
            Example {
                example: "(orch stats).oldest_pending.id",
                description: "The task that has waited longest",
                result: Some(Value::test_string("task-012")),
            },
            Example {
                example: "(orch stats).run_times.p95",
                description: "The 95th percentile run time, a duration",
                result: Some(Value::test_duration(2_476_000_000_000)),
            },
            Example {
                example: "orch stats --from 7d | get by_day",
                description: "Tasks created per day over the last week",
                result: None,
            },
        ]
    }

    fn run(&self, Invocation { plugin, engine, call }: Invocation) -> Result<PipelineData, LabeledError> {
        let query = flags::task_filter(call)?;
        let request = Request::new(plugin, engine, call)?;
        let stats = request.session().stats(&query, request.now, request.read).map_err(|e| error::labeled(e, call))?;
        skipped::warn(Self::NAME, &stats.skipped);
        Ok(value::stats(stats, call.head).into_pipeline_data())
    }
}

fn count(status: &str, n: i64) -> Value {
    Value::test_record(nu_protocol::record! {
        "status" => Value::test_string(status),
        "count" => Value::test_int(n),
    })
}

#[cfg(test)]
mod tests {
    use nu_protocol::Value;

    use super::*;
    use crate::NuCommand;
    use crate::test_support::{Fixture, columns, eval, eval_error, eval_in, plugin_test};

    #[test]
    fn examples() -> Result<(), nu_protocol::ShellError> {
        plugin_test().test_command_examples(&NuCommand(OrchStats))
    }

    #[test]
    fn a_record_of_tables_with_typed_values() {
        let stats = eval("orch stats");
        let record = stats.as_record().unwrap();
        assert_eq!(
            columns(&stats),
            [
                "total",
                "by_status",
                "by_priority",
                "by_day",
                "undated",
                "run_times",
                "run_times_by_status",
                "run_times_by_workflow",
                "negative_run_times",
                "oldest_pending",
                "throughput"
            ]
        );
        assert_eq!(record.get("total"), Some(&Value::test_int(24)));
        let days = record.get("by_day").unwrap().as_list().unwrap();
        let first = days[0].as_record().unwrap();
        let Some(Value::Date { val, .. }) = first.get("day") else { panic!("{first:?}") };
        assert_eq!(val.to_rfc3339(), "2025-10-06T00:00:00+00:00");
        let by_status = record.get("run_times_by_status").unwrap().as_list().unwrap();
        assert!(matches!(by_status[0].as_record().unwrap().get("median"), Some(Value::Duration { .. })));
        let oldest = record.get("oldest_pending").unwrap().as_record().unwrap();
        assert_eq!(oldest.get("age"), Some(&Value::test_duration(16_230_000_000_000)));
    }

    #[test]
    fn no_tasks_no_figures() {
        let empty = Fixture::with_files(&[]);
        let stats = eval_in(&empty, "orch stats");
        let record = stats.as_record().unwrap();
        assert_eq!(record.get("total"), Some(&Value::test_int(0)));
        for column in ["run_times", "oldest_pending", "throughput"] {
            assert!(record.get(column).unwrap().is_nothing(), "{column}");
        }
    }

    #[test]
    fn a_bad_filter_is_labelled_on_its_flag() {
        let err = eval_error("orch stats --status nope");
        assert_eq!(err.code.as_deref(), Some("orch::argument"));
        assert!(err.msg.starts_with("invalid --status: "), "{err:?}");
    }
}
