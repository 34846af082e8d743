//! The `shard-cursor` resource: a shard's selected tasks, held in the
//! instance until their states have come (`resolve`), then lowered a
//! chunk at a time, so that a large page never exists twice over (once
//! here, once converted for the boundary).

use std::cell::RefCell;

use super::{wit, wit_types};
use crate::error::Error;
use crate::model::Task;
use crate::queue::task_order::order_key;
use crate::queue::task_states::Unresolved;

pub struct ShardTasks {
    state: RefCell<Cursor>,
}

enum Cursor {
    Unresolved(Unresolved),
    Resolved(std::vec::IntoIter<Task>),
    /// Between the two, or after a `resolve` that failed.
    Spent,
}

impl ShardTasks {
    pub fn new(selected: Unresolved) -> ShardTasks {
        ShardTasks { state: RefCell::new(Cursor::Unresolved(selected)) }
    }
}

impl wit::GuestShardCursor for ShardTasks {
    fn resolve(&self, states: Vec<u8>) -> Result<u64, wit_types::Error> {
        let mut state = self.state.borrow_mut();
        let Cursor::Unresolved(selected) = std::mem::replace(&mut *state, Cursor::Spent) else {
            return Err(Error::argument("states", "this cursor was resolved already").into());
        };
        let (tasks, total) = selected.resolve(&states);
        *state = Cursor::Resolved(tasks.into_iter());
        Ok(total)
    }

    /// Nothing before `resolve`: a task's state is not known until then.
    fn next(&self, max: u32) -> wit::ShardChunk {
        let mut state = self.state.borrow_mut();
        let Cursor::Resolved(rest) = &mut *state else {
            return wit::ShardChunk { tasks: Vec::new(), order_keys: Vec::new() };
        };
        let chunk: Vec<Task> = rest.by_ref().take(max as usize).collect();
        let order_keys = chunk.iter().map(order_key).collect();
        wit::ShardChunk { tasks: chunk.into_iter().map(super::task).collect(), order_keys }
    }
}
