//! `textDocument/references`: every mention of the entity in every document and language
//! ("Da Nang" in an English article finds "Đà Nẵng" in a Vietnamese one), in corpus order.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{Location, ReferenceParams};

use crate::entities::entity_at;
use crate::session::Session;

/// Handles the request.
pub async fn handle(
    session: &Arc<Session>,
    params: ReferenceParams,
) -> Result<Option<Vec<Location>>> {
    let position = params.text_document_position;
    let Some((entity, _)) =
        entity_at(session, &position.text_document.uri, position.position).await
    else {
        return Ok(None);
    };
    let encoding = session.state().encoding;
    let entities = session.entities();
    let locations: Vec<Location> = entities
        .index
        .references(&entity)
        .iter()
        .filter_map(|location| entities.location(location, encoding))
        .collect();
    Ok(Some(locations))
}
