//! One module per `gazette` subcommand.

pub mod tag;
