//! The harness of the conformance corpora, `tests/kcl/` and `tests/nickel/`
//! (tests/CORPORA.md): one header format, one way to list cases, to mutate
//! them, to ask a reference implementation, and to score the answers
//! against an explicit list of known misses.
//!
//! The KCL tests (guest/tests, natively, without the runtime) include this
//! folder with `#[path]`; the Nickel tests (this crate) use it as
//! `orch_tests::corpus`. So it needs nothing but std and serde_json, and
//! names nothing outside itself.
//!
//! * `header.rs`: a case's `# expect:` and `# class:` lines.
//! * `cases.rs`: the case files of a corpus directory, and their names.
//! * `mutation.rs`: seeded single-token mutants of the valid files.
//! * `crude_tokens.rs`: the loop of each language's crude tokenizer.
//! * `oracle.rs`: one run of a reference script over many files.
//! * `score.rs`: agreement with the reference, and the known misses.

pub mod cases;
pub mod crude_tokens;
pub mod header;
pub mod mutation;
pub mod oracle;
pub mod score;
