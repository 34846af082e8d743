//! The `shard-cursor` resource: a shard's selected tasks, held in the
//! instance and lowered a chunk at a time, so that a large page never
//! exists twice over (once here, once converted for the boundary).

use std::cell::RefCell;

use super::wit;
use crate::model::Task;
use crate::queue::task_order::order_key;

pub struct ShardTasks {
    rest: RefCell<std::vec::IntoIter<Task>>,
}

impl ShardTasks {
    pub fn new(tasks: Vec<Task>) -> ShardTasks {
        ShardTasks { rest: RefCell::new(tasks.into_iter()) }
    }
}

impl wit::GuestShardCursor for ShardTasks {
    fn next(&self, max: u32) -> wit::ShardChunk {
        let mut rest = self.rest.borrow_mut();
        let chunk: Vec<Task> = rest.by_ref().take(max as usize).collect();
        let order_keys = chunk.iter().map(order_key).collect();
        wit::ShardChunk { tasks: chunk.into_iter().map(super::task).collect(), order_keys }
    }
}
