//! `textDocument/didOpen`: the editor's text becomes the document.

use tower_lsp_server::ls_types::DidOpenTextDocumentParams;

use crate::state::{Applied, State};

/// Applies the notification to the state (called in wire order).
pub fn apply(state: &mut State, params: &serde_json::Value) -> Option<Applied> {
    let params: DidOpenTextDocumentParams = super::parse(params)?;
    Some(state.did_open(params))
}
