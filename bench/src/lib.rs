//! The benchmark's pieces: data generation, process measurement, and the
//! warm session timed in process.

pub mod generate;
pub mod measure;
pub mod warm_session;
