//! `textDocument/didClose`: the document falls back to its file on disk.

use tower_lsp_server::ls_types::DidCloseTextDocumentParams;

use crate::state::{Applied, State};

/// Applies the notification to the state (called in wire order).
pub fn apply(state: &mut State, params: &serde_json::Value) -> Option<Applied> {
    let params: DidCloseTextDocumentParams = super::parse(params)?;
    Some(state.did_close(params))
}
