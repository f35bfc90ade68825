//! One module per `gazette` subcommand.

pub mod serve;
pub mod tag;
