//! One module per `gazette` subcommand.

pub mod annotations;
pub mod check;
pub mod fingerprint;
pub mod fingerprint_tables;
pub mod report;
pub mod serve;
pub mod tag;
