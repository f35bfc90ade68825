//! `textDocument/didSave`: re-analyse and re-publish the saved document.

use tower_lsp_server::ls_types::DidSaveTextDocumentParams;

use crate::state::{Applied, State};

/// Applies the notification to the state (called in wire order).
pub fn apply(state: &mut State, params: &serde_json::Value) -> Option<Applied> {
    let params: DidSaveTextDocumentParams = super::parse(params)?;
    Some(state.did_save(params))
}
