//! One module per `gazette` subcommand.

pub mod annotations;
pub mod tag;
