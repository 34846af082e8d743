//! The benchmark's pieces: data generation and process measurement.

pub mod generate;
pub mod measure;
