//! `workspace/executeCommand`: the server's commands (the review commands of [`crate::review`]).

use std::sync::Arc;

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{ExecuteCommandParams, LSPAny};

use crate::session::Session;

/// Handles the request; unknown commands are an `InvalidParams` error.
pub async fn handle(
    session: &Arc<Session>,
    params: ExecuteCommandParams,
) -> Result<Option<LSPAny>> {
    match params.command.as_str() {
        name if crate::review::COMMANDS.contains(&name) => {
            crate::review::execute(session, name, params.arguments)
        }
        other => Err(Error::invalid_params(format!("unknown command {other}"))),
    }
}
