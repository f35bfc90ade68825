//! gazette-core: the pure analysis engine behind `gazette check`, `gazette tag` and `gazette serve`.
//!
//! Everything here is a function of text plus configuration. The crate does no IO (no `std::fs`,
//! no printing, no async runtime) and never fails on bad text: analyses return their results
//! together with diagnostics. Offsets are byte offsets into the analysed `&str`; conversion to
//! line/column, code points or UTF-16 happens at the edges (`gazette` CLI, `gazette-lsp`).
//!
//! The duplicate-paragraph engine: [`text::decode`] turns bytes into text or a
//! [`text::DecodeProblem`]; [`paragraph::segment`] cuts text into paragraphs;
//! [`normalize`] fingerprints them; [`minhash`] signs them; a [`workspace::Workspace`] indexes
//! the corpus and runs the [`rules`] listed in the [`registry`].

pub mod annotation;
pub mod config;
pub mod diagnostic;
pub mod gazetteer;
pub mod index;
pub mod minhash;
pub mod normalize;
pub mod paragraph;
pub mod registry;
pub mod report;
pub mod rules;
pub mod shard;
pub mod tag;
pub mod text;
pub mod workspace;
