//! The `part-set` resource: every shard's part, gathered in the instance
//! that merges them. Its own shard's part never leaves it.

use std::cell::RefCell;

use super::{queue_parts, wit, wit_types};
use crate::queue::queue_part::QueuePart;

pub struct PartSet {
    parts: RefCell<Vec<QueuePart>>,
}

impl PartSet {
    pub fn into_parts(self) -> Vec<QueuePart> {
        self.parts.into_inner()
    }
}

impl wit::GuestPartSet for PartSet {
    fn scan(
        now: wit_types::Datetime,
        scan: wit::ScanOptions,
        shard: wit::Shard,
        whole: Option<String>,
    ) -> Result<wit::PartSet, wit_types::Error> {
        let own = super::scan_part(now, scan, shard, whole)?;
        Ok(wit::PartSet::new(PartSet { parts: RefCell::new(vec![own]) }))
    }

    fn misnamed(&self) -> bool {
        self.parts.borrow().first().is_some_and(|own| own.misnamed)
    }

    fn add(&self, part: wit::QueuePart) {
        self.parts.borrow_mut().push(queue_parts::model_part(part));
    }
}
