//! One module per LSP method. Notifications that change documents are applied synchronously by
//! [`apply_in_order`] (called from [`crate::OrderedService::call`]); the rest run as ordinary
//! concurrent handlers.

pub mod code_action;
pub mod diagnostic;
pub mod did_change;
pub mod did_change_configuration;
pub mod did_change_watched_files;
pub mod did_change_workspace_folders;
pub mod did_close;
pub mod did_open;
pub mod did_save;
pub mod document_highlight;
pub mod document_symbol;
pub mod execute_command;
pub mod goto_declaration;
pub mod goto_definition;
pub mod hover;
pub mod initialize;
pub mod initialized;
pub mod inlay_hint;
pub mod references;
pub mod semantic_tokens;
pub mod shutdown;
pub mod workspace_diagnostic;
pub mod workspace_symbol;

use std::sync::Arc;

use serde::de::DeserializeOwned;
use tower_lsp_server::ls_types::MessageType;

use crate::session::Session;
use crate::state::{Applied, State};

/// Applies a state-changing notification in wire order. Anything else is left to the handlers.
/// Malformed parameters are logged and ignored: one bad message must not stop the server.
pub fn apply_in_order(session: &Arc<Session>, method: &str, params: Option<&serde_json::Value>) {
    let apply: fn(&mut State, &serde_json::Value) -> Option<Applied> = match method {
        "textDocument/didOpen" => did_open::apply,
        "textDocument/didChange" => did_change::apply,
        "textDocument/didClose" => did_close::apply,
        "textDocument/didSave" => did_save::apply,
        "workspace/didChangeWatchedFiles" => did_change_watched_files::apply,
        "workspace/didChangeConfiguration" => did_change_configuration::apply,
        "workspace/didChangeWorkspaceFolders" => did_change_workspace_folders::apply,
        _ => return,
    };
    let applied = {
        let mut state = session.state();
        if !state.initialized {
            return;
        }
        match params {
            Some(params) => apply(&mut state, params),
            None => None,
        }
    };
    let Some(applied) = applied else {
        session.log(
            MessageType::WARNING,
            format!("ignored {method}: malformed parameters"),
        );
        return;
    };
    for (message_type, message) in applied.messages {
        session.log(message_type, message);
    }
    if applied.wake {
        session.wake.notify_one();
    }
    if matches!(
        method,
        "workspace/didChangeWatchedFiles"
            | "workspace/didChangeConfiguration"
            | "workspace/didChangeWorkspaceFolders"
    ) {
        // A configuration may now name another user gazetteer: watch it.
        let session = Arc::clone(session);
        tokio::spawn(async move { initialized::refresh_watchers(&session).await });
    }
}

/// Parses notification parameters, or `None` when they are malformed.
fn parse<T: DeserializeOwned>(params: &serde_json::Value) -> Option<T> {
    serde_json::from_value(params.clone()).ok()
}
