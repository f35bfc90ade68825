//! `workspace/executeCommand`: the server's commands: `gazette.reindex` (see [`crate::ext`])
//! and the review commands of [`crate::review`].

use std::sync::Arc;

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{ExecuteCommandParams, LSPAny, MessageType};

use crate::ext::REINDEX_COMMAND;
use crate::session::Session;

/// Handles the request; unknown commands are an `InvalidParams` error.
pub async fn handle(
    session: &Arc<Session>,
    params: ExecuteCommandParams,
) -> Result<Option<LSPAny>> {
    match params.command.as_str() {
        REINDEX_COMMAND => {
            let errors = session.state().reload_configs();
            for error in errors {
                session.log(MessageType::ERROR, error);
            }
            session.wake.notify_one();
            tokio::spawn(crate::indexer::index_workspace(Arc::clone(session)));
            Ok(None)
        }
        name if crate::review::COMMANDS.contains(&name) => {
            crate::review::execute(session, name, params.arguments)
        }
        other => Err(Error::invalid_params(format!("unknown command {other}"))),
    }
}
