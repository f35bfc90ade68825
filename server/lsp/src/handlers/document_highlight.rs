//! `textDocument/documentHighlight`: the other mentions of the entity in this document.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    DocumentHighlight, DocumentHighlightKind, DocumentHighlightParams,
};

use crate::convert;
use crate::entities::entity_at;
use crate::session::Session;
use crate::state::document_key;

/// Handles the request.
pub async fn handle(
    session: &Arc<Session>,
    params: DocumentHighlightParams,
) -> Result<Option<Vec<DocumentHighlight>>> {
    let position = params.text_document_position_params;
    let Some((entity, _)) =
        entity_at(session, &position.text_document.uri, position.position).await
    else {
        return Ok(None);
    };
    let key = document_key(&position.text_document.uri);
    let encoding = session.state().encoding;
    let entities = session.entities();
    let Some(tagged) = entities.texts.get(&key) else {
        return Ok(None);
    };
    let highlights = entities
        .index
        .mentions(&key)
        .iter()
        .filter(|mention| mention.entity == entity)
        .map(|mention| DocumentHighlight {
            range: convert::range_to_lsp(&tagged.text, mention.range, encoding),
            kind: Some(DocumentHighlightKind::TEXT),
        })
        .collect();
    Ok(Some(highlights))
}
