//! `textDocument/didChange`: incremental edits, applied in wire order with version checks.

use tower_lsp_server::ls_types::DidChangeTextDocumentParams;

use crate::state::{Applied, State};

/// Applies the notification to the state (called in wire order).
pub fn apply(state: &mut State, params: &serde_json::Value) -> Option<Applied> {
    let params: DidChangeTextDocumentParams = super::parse(params)?;
    Some(state.did_change(params))
}
