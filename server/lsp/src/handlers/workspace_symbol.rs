//! `workspace/symbol`: search entities by any name, diacritics and case ignored ("da nang"
//! finds Đà Nẵng); each result points at the entity's first mention in corpus order.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    OneOf, WorkspaceSymbol, WorkspaceSymbolParams, WorkspaceSymbolResponse,
};

use crate::entities::display_name;
use crate::session::Session;

/// At most this many results.
const LIMIT: usize = 256;

/// Handles the request.
pub async fn handle(
    session: &Arc<Session>,
    params: WorkspaceSymbolParams,
) -> Result<Option<WorkspaceSymbolResponse>> {
    crate::entities::tag_on_demand(session, crate::entities::Scope::Corpus).await;
    let encoding = session.state().encoding;
    let entities = session.entities();
    let symbols: Vec<WorkspaceSymbol> = entities
        .index
        .search(&params.query, LIMIT)
        .into_iter()
        .filter_map(|(entity, surface, first)| {
            let location = entities.location(&first, encoding)?;
            let name = display_name(&entities, &entity);
            Some(WorkspaceSymbol {
                container_name: Some(if surface != name {
                    format!("{} · {surface}", entity.norm)
                } else {
                    entity.norm.clone()
                }),
                name,
                kind: super::document_symbol::symbol_kind(entity.label),
                tags: None,
                location: OneOf::Left(location),
                data: None,
            })
        })
        .collect();
    Ok(Some(WorkspaceSymbolResponse::Nested(symbols)))
}
