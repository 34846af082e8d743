//! `orch status`

use nu_protocol::{Example, IntoPipelineData, LabeledError, PipelineData, Signature, Type, Value};

use super::{Invocation, OrchCommand};
use crate::request::Request;
use crate::{error, flags, skipped, value};

pub struct OrchStatus;

impl OrchCommand for OrchStatus {
    const NAME: &str = "orch status";
    const DESCRIPTION: &str = "Show the orchestrator's status: whether it runs, its task counts, and its last check.";
    const EXTRA_DESCRIPTION: &str = "Read from status.json when the orchestrator wrote one (source: status.json), else counted \
from the task files (source: derived); counts the status file lacks are nothing. last_check_age is \
the time since last_check.";
    const SEARCH_TERMS: &[&str] = &["orchestrator", "health", "running"];

    fn parameters(signature: Signature) -> Signature {
        flags::add_read_flags(signature)
    }

    fn output_types() -> Vec<Type> {
        vec![Type::record()]
    }

    fn examples() -> Vec<Example<'static>> {
        vec![
            Example { example: "orch status", description: "Show the orchestrator's status", result: None },
            Example {
                example: "(orch status).tasks_pending",
                description: "Count the pending tasks",
                result: Some(Value::test_int(9)),
            },
            Example {
                example: "(orch status).last_check_age",
                description: "How long ago the orchestrator last checked in",
                result: Some(Value::test_duration(30_000_000_000)),
            },
            Example {
                example: "orch status --data-dir /var/lib/provisioning/orchestrator",
                description: "Read another data directory",
                result: None,
            },
        ]
    }

    fn run(&self, Invocation { plugin, engine, call }: Invocation) -> Result<PipelineData, LabeledError> {
        let request = Request::new(plugin, engine, call)?;
        let report = request.session().status(request.now, request.read).map_err(|e| error::labeled(e, call))?;
        skipped::warn(Self::NAME, &report.skipped);
        Ok(value::status(report, call.head).into_pipeline_data())
    }
}

#[cfg(test)]
mod tests {
    use nu_protocol::Value;

    use super::*;
    use crate::NuCommand;
    use crate::test_support::{columns, eval, eval_error, plugin_test};

    #[test]
    fn examples() -> Result<(), nu_protocol::ShellError> {
        plugin_test().test_command_examples(&NuCommand(OrchStatus))
    }

    #[test]
    fn typed_columns_in_order() {
        let status = eval("orch status");
        let record = status.as_record().unwrap();
        assert_eq!(
            columns(&status),
            [
                "running",
                "tasks_pending",
                "tasks_running",
                "tasks_completed",
                "tasks_failed",
                "last_check",
                "last_check_age",
                "data_dir",
                "source"
            ]
        );
        assert!(matches!(record.get("running"), Some(Value::Bool { val: true, .. })));
        assert!(matches!(record.get("tasks_completed"), Some(Value::Int { val: 8, .. })));
        // status.json has no failed count.
        assert!(record.get("tasks_failed").unwrap().is_nothing());
        let Some(Value::Date { val, .. }) = record.get("last_check") else { panic!("{record:?}") };
        assert_eq!(val.to_rfc3339(), "2025-10-08T12:00:00+00:00");
        assert_eq!(record.get("source").unwrap().as_str().unwrap(), "status.json");
    }

    #[test]
    fn missing_data_dir() {
        let err = eval_error("orch status --data-dir does-not-exist");
        assert_eq!(err.code.as_deref(), Some("orch::data_dir"), "{err:?}");
        assert!(err.msg.starts_with("data directory not found: "), "{err:?}");
        assert!(err.msg.ends_with("does-not-exist"), "{err:?}");
        assert_eq!(err.labels[0].text, "no such directory");
        assert!(err.help.as_deref().unwrap().contains("tried, in order: --data-dir = "), "{err:?}");
    }
}
