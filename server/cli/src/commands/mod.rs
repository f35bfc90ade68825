//! One module per `gazette` subcommand.

pub mod annotations;
pub mod check;
pub mod report;
pub mod serve;
pub mod tag;
