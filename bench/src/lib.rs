//! The benchmark's pieces: data generation, process measurement, the
//! warm session timed in process, and the report's targets.

pub mod generate;
pub mod measure;
pub mod targets;
pub mod warm_session;
