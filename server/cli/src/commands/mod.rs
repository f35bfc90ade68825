//! One module per `gazette` subcommand.

pub mod check;
pub mod tag;
