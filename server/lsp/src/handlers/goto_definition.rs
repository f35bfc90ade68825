//! `textDocument/definition`: for a locality the user's gazetteer defines, its entry in that
//! file; otherwise the first mention of the entity in corpus order (the sorted order of
//! document paths, then text order).

use std::sync::Arc;

use gazette_core::tag::EntityLabel;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{GotoDefinitionParams, GotoDefinitionResponse, Location, Uri};

use crate::entities::entity_at;
use crate::session::Session;

/// The entry with id `norm` in a user gazetteer: the document's root's first, then any other
/// root's.
fn user_entry(session: &Session, uri: &Uri, norm: &str) -> Option<Location> {
    let state = session.state();
    state
        .user_gazetteers_for(uri)
        .iter()
        .find_map(|gazetteer| gazetteer.location(norm, state.encoding))
}

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
    if entity.label == EntityLabel::Loc
        && let Some(location) = user_entry(session, &position.text_document.uri, &entity.norm)
    {
        return Ok(Some(GotoDefinitionResponse::Scalar(location)));
    }
    let entities = session.entities();
    let location = entities
        .index
        .first_mention(&entity)
        .and_then(|first| entities.location(&first, encoding));
    Ok(location.map(GotoDefinitionResponse::Scalar))
}
