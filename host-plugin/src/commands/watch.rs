//! `orch watch`

use std::cell::Cell;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use nu_plugin::EngineInterface;
use nu_protocol::{Example, LabeledError, ListStream, PipelineData, Signature, SyntaxShape, Type, Value};
use orch_runtime::{Session, WatchOptions, Watcher};

use super::{Invocation, OrchCommand};
use crate::request::Request;
use crate::{error, flags, value};

pub struct OrchWatch;

impl OrchCommand for OrchWatch {
    const NAME: &str = "orch watch";
    const DESCRIPTION: &str =
        "Stream changes to the queue as they happen: tasks added, removed, changing status or updated.";
    const EXTRA_DESCRIPTION: &str = "Takes the filters of `orch tasks`; a task is reported when it matches before or after the change, \
so a task leaving `--status pending` shows as the status change it is. Each event has the task's id, the \
time the change was noticed, the change (added, removed, status_changed, updated), from and to for a \
status change, and the fields that changed. Runs until Ctrl-C, or with --once until the first batch. \
Filesystem notifications are used where available, else the directory is polled every --interval.";
    const SEARCH_TERMS: &[&str] = &["orchestrator", "follow", "tail", "changes", "events"];

    fn parameters(signature: Signature) -> Signature {
        let signature = flags::add_task_filter_flags(signature)
            .switch("once", "End after the first batch of changes.", None)
            .switch("poll", "Poll the data directory instead of using filesystem notifications.", None)
            .named(
                "interval",
                SyntaxShape::Duration,
                "How often to poll, with --poll or where notifications are unavailable [default: 1sec].",
                None,
            );
        flags::add_read_flags(signature)
    }

    fn output_types() -> Vec<Type> {
        vec![Type::table()]
    }

    fn examples() -> Vec<Example<'static>> {
        vec![
            Example { example: "orch watch", description: "Stream every change until Ctrl-C", result: None },
            Example {
                example: "orch watch --status failed | each { |e| print $'($e.task_id) failed' }",
                description: "React to tasks entering (or leaving) the failed status",
                result: None,
            },
            Example {
                example: "orch watch --once | get task_id",
                description: "Wait for the next batch of changes and name the tasks",
                result: None,
            },
        ]
    }

    fn run(&self, Invocation { plugin, engine, call }: Invocation) -> Result<PipelineData, LabeledError> {
        let query = flags::task_filter(call)?;
        let interval = match call.get_flag_value("interval") {
            None => WatchOptions::default().interval,
            Some(Value::Duration { val, .. }) if val > 0 => Duration::from_nanos(val as u64),
            Some(_) => return Err(error::argument("interval", "must be a positive duration, such as 1sec", call)),
        };
        let request = Request::new(plugin, engine, call)?;
        let options =
            WatchOptions { read: request.read, interval, poll: call.has_flag("poll")?, ..WatchOptions::default() };
        // Its own session: a watch runs for long, and must not hold the
        // pooled one that other commands on this directory share.
        let session = Session::new(request.runtime.clone(), request.data_dir.clone()).with_cache(request.cache);
        // A pinned "now" ($env.ORCH_NOW) pins the events' times too.
        let clock: Box<dyn Fn() -> Timestamp + Send> = match request.pinned_now {
            Some(now) => Box::new(move || now),
            None => Box::new(Timestamp::now),
        };
        let watcher =
            Watcher::start(session, query, options, clock, stop_check(engine)).map_err(|e| error::labeled(e, call))?;
        let batches: Box<dyn Iterator<Item = _> + Send> =
            if call.has_flag("once")? { Box::new(watcher.take(1)) } else { Box::new(watcher) };
        let head = call.head;
        let events = batches.flat_map(move |batch| match batch {
            Ok(events) => events.into_iter().map(|event| value::watch_event(event, head)).collect(),
            // One failed check does not end a watch: said on stderr, and
            // the next change is checked again.
            Err(e) => {
                eprintln!("warning: orch watch: {e}");
                Vec::new()
            }
        });
        Ok(PipelineData::list_stream(ListStream::new(events, head, engine.signals().clone()), None))
    }
}

/// How often a waiting watch makes sure that nu is still there.
const ENGINE_CHECK_EVERY: Duration = Duration::from_secs(1);

/// Whether the watch should end: at Ctrl-C, or once nu is gone.
///
/// nu-plugin stops writing a stream that nu dropped (`first 1`, `take 2`)
/// only when the next item arrives, and a quiet directory may give none for
/// ever: the watch, and with it the plugin's process, would outlive nu. So
/// while it waits the watch writes to nu now and then, and a write that
/// fails (nu has exited, or stopped the plugin) ends it. What it writes
/// changes nothing: that garbage collection stays enabled, as it already is
/// (no command here disables it).
fn stop_check(engine: &EngineInterface) -> Box<dyn Fn() -> bool + Send> {
    let engine = engine.clone();
    let checked = Cell::new(Instant::now());
    Box::new(move || {
        if engine.signals().interrupted() {
            return true;
        }
        if checked.get().elapsed() < ENGINE_CHECK_EVERY {
            return false;
        }
        checked.set(Instant::now());
        engine.set_gc_disabled(false).is_err()
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use nu_protocol::Span;

    use super::*;
    use crate::test_support::{Fixture, columns, eval_error, plugin_test_in};

    /// Writes a new task file every 100 ms until stopped, so the watch sees
    /// changes whenever its first snapshot was taken.
    fn keep_adding_tasks(fixture: &Fixture) -> (Arc<AtomicBool>, std::thread::JoinHandle<()>) {
        let stop = Arc::new(AtomicBool::new(false));
        let dir = fixture.data_dir().join("tasks");
        std::fs::create_dir_all(&dir).unwrap();
        let flag = stop.clone();
        let writer = std::thread::spawn(move || {
            for n in 0.. {
                if flag.load(Ordering::Relaxed) {
                    break;
                }
                let text = format!(r#"{{"id": "new-{n}", "status": "pending", "priority": 1}}"#);
                std::fs::write(dir.join(format!("new-{n}.json")), text).unwrap();
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        (stop, writer)
    }

    #[test]
    fn once_streams_the_first_batch_as_records() {
        let fixture = Fixture::with_files(&[("tasks/a.json", r#"{"id": "a", "status": "pending"}"#)]);
        let (stop, writer) = keep_adding_tasks(&fixture);
        let stream = plugin_test_in(&fixture).eval("orch watch --once").unwrap();
        assert!(matches!(stream, PipelineData::ListStream(..)));
        // The stream is lazy: the watch runs while it is collected.
        let events = stream.into_value(Span::test_data()).unwrap().into_list().unwrap();
        stop.store(true, Ordering::Relaxed);
        writer.join().unwrap();
        assert!(!events.is_empty());
        assert_eq!(columns(&events[0]), ["task_id", "at", "change", "from", "to", "fields"]);
        let event = events[0].as_record().unwrap();
        assert!(event.get("task_id").unwrap().as_str().unwrap().starts_with("new-"));
        assert_eq!(event.get("change").unwrap().as_str().unwrap(), "added");
        let Some(Value::Date { val, .. }) = event.get("at") else { panic!("{event:?}") };
        assert_eq!(val.to_rfc3339(), "2025-10-08T12:00:30+00:00");
    }

    #[test]
    fn polling_streams_too() {
        let fixture = Fixture::with_files(&[]);
        let (stop, writer) = keep_adding_tasks(&fixture);
        let stream = plugin_test_in(&fixture).eval("orch watch --once --poll --interval 100ms --no-cache").unwrap();
        let events = stream.into_value(Span::test_data()).unwrap().into_list().unwrap();
        stop.store(true, Ordering::Relaxed);
        writer.join().unwrap();
        assert!(!events.is_empty());
    }

    #[test]
    fn a_bad_interval_or_filter_fails_before_watching() {
        let err = eval_error("orch watch --interval 0sec");
        assert_eq!(err.code.as_deref(), Some("orch::argument"));
        assert_eq!(err.msg, "invalid --interval: must be a positive duration, such as 1sec");
        let err = eval_error("orch watch --from yesterday-ish");
        assert!(err.msg.starts_with("invalid --from: "), "{err:?}");
    }
}
