//! `textDocument/definition`: the first mention of the entity in corpus order (the sorted order
//! of document paths, then text order).

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{GotoDefinitionParams, GotoDefinitionResponse};

use crate::entities::entity_at;
use crate::session::Session;

/// Handles the request.
pub async fn handle(
    session: &Arc<Session>,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>> {
    let position = params.text_document_position_params;
    let Some((entity, _)) =
        entity_at(session, &position.text_document.uri, position.position).await
    else {
        return Ok(None);
    };
    let encoding = session.state().encoding;
    let entities = session.entities();
    let location = entities
        .index
        .first_mention(&entity)
        .and_then(|first| entities.location(&first, encoding));
    Ok(location.map(GotoDefinitionResponse::Scalar))
}
