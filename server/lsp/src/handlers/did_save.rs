//! `textDocument/didSave`: re-analyse and re-publish the saved document, and bring its stored
//! annotations' selectors up to date with the saved text.

use std::sync::Arc;

use tower_lsp_server::ls_types::{DidSaveTextDocumentParams, MessageType};

use crate::session::Session;
use crate::state::{Applied, State, document_key};

/// Applies the notification to the state (called in wire order).
pub fn apply(state: &mut State, params: &serde_json::Value) -> Option<Applied> {
    let params: DidSaveTextDocumentParams = super::parse(params)?;
    Some(state.did_save(params))
}

/// After the state has seen the save (in wire order): re-anchors the document's annotations
/// against the saved text and writes the refreshed selectors. Only when the file on disk holds
/// exactly the text the server has, so the selectors written describe the file beside them.
pub async fn handle(session: &Arc<Session>, params: DidSaveTextDocumentParams) {
    let uri = params.text_document.uri;
    let key = document_key(&uri);
    let server_text = {
        let state = session.state();
        state
            .documents
            .get(&key)
            .filter(|document| document.is_open() && document.problem.is_none())
            .and_then(|document| document.text.as_ref())
            .map(|text| text.to_string())
    };
    let Some(server_text) = server_text else {
        return;
    };
    let Some(path) = uri.to_file_path().map(|path| path.into_owned()) else {
        return;
    };
    let persisted = tokio::task::spawn_blocking(move || {
        let on_disk = std::fs::read(&path).ok()?;
        if on_disk != server_text.as_bytes() {
            return None;
        }
        Some(crate::review::persist_reanchored(&uri, &server_text))
    })
    .await;
    match persisted {
        Ok(Some(Ok(0))) | Ok(None) => {}
        Ok(Some(Ok(refreshed))) => session.log(
            MessageType::INFO,
            format!("refreshed the selectors of {refreshed} annotation(s) of {key}"),
        ),
        Ok(Some(Err(error))) => session.log(
            MessageType::WARNING,
            format!("cannot refresh the annotations of {key}: {error}"),
        ),
        Err(error) => session.log(
            MessageType::ERROR,
            format!("refreshing annotations failed: {error}"),
        ),
    }
}
