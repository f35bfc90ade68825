//! gazette-core: the pure analysis engine behind `gazette check`, `gazette tag` and `gazette serve`.
//!
//! Everything here is a function of text plus configuration. The crate does no IO (no `std::fs`,
//! no printing, no async runtime) and never fails on bad text: analyses return their results
//! together with diagnostics. Offsets are byte offsets into the analysed `&str`; conversion to
//! line/column, code points or UTF-16 happens at the edges (`gazette` CLI, `gazette-lsp`).

pub mod annotation;
pub mod config;
pub mod diagnostic;
pub mod tag;
pub mod text;
