//! `textDocument/documentSymbol`: the entities of a document, grouped by kind (localities,
//! persons, organisations, dates, durations), each entity once at its first mention.

use std::collections::BTreeMap;
use std::sync::Arc;

use gazette_core::index::EntityKey;
use gazette_core::tag::EntityLabel;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, Range, SymbolKind,
};

use crate::convert;
use crate::entities::{display_name, wait_until_tagged};
use crate::session::Session;
use crate::state::document_key;

/// The symbol kind shown for an entity label.
pub fn symbol_kind(label: EntityLabel) -> SymbolKind {
    match label {
        EntityLabel::Loc => SymbolKind::NAMESPACE,
        EntityLabel::Per => SymbolKind::FUNCTION,
        EntityLabel::Org => SymbolKind::CLASS,
        EntityLabel::Date | EntityLabel::Duration => SymbolKind::NUMBER,
    }
}

fn group_name(label: EntityLabel) -> &'static str {
    match label {
        EntityLabel::Loc => "Localities",
        EntityLabel::Per => "Persons",
        EntityLabel::Org => "Organisations",
        EntityLabel::Date => "Dates",
        EntityLabel::Duration => "Durations",
    }
}

/// Handles the request.
#[expect(deprecated, reason = "DocumentSymbol::deprecated must still be set")]
pub async fn handle(
    session: &Arc<Session>,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>> {
    let key = document_key(&params.text_document.uri);
    wait_until_tagged(session, &key).await;
    let encoding = session.state().encoding;
    let entities = session.entities();
    let Some(tagged) = entities.texts.get(&key) else {
        return Ok(None);
    };
    // Entity → (first range, last range, mention count), grouped by label.
    let mut groups: BTreeMap<EntityLabel, Vec<(EntityKey, Range, Range, u32)>> = BTreeMap::new();
    for mention in entities.index.mentions(&key) {
        let range = convert::range_to_lsp(&tagged.text, mention.range, encoding);
        let group = groups.entry(mention.entity.label).or_default();
        match group
            .iter_mut()
            .find(|(entity, ..)| *entity == mention.entity)
        {
            Some((_, _, last, count)) => {
                *last = range;
                *count += 1;
            }
            None => group.push((mention.entity.clone(), range, range, 1)),
        }
    }
    let symbols = groups
        .into_iter()
        .map(|(label, members)| {
            let children: Vec<DocumentSymbol> = members
                .iter()
                .map(|(entity, first, _, count)| DocumentSymbol {
                    name: display_name(&entities, entity),
                    detail: Some(format!(
                        "{} ({count} mention{})",
                        entity.norm,
                        if *count == 1 { "" } else { "s" }
                    )),
                    kind: symbol_kind(label),
                    tags: None,
                    deprecated: None,
                    range: *first,
                    selection_range: *first,
                    children: None,
                })
                .collect();
            let start = members.iter().map(|m| m.1.start).min().unwrap_or_default();
            let end = members.iter().map(|m| m.2.end).max().unwrap_or_default();
            DocumentSymbol {
                name: group_name(label).to_owned(),
                detail: Some(format!("{} entities", children.len())),
                kind: SymbolKind::PACKAGE,
                tags: None,
                deprecated: None,
                range: Range::new(start, end),
                selection_range: Range::new(start, start),
                children: Some(children),
            }
        })
        .collect();
    Ok(Some(DocumentSymbolResponse::Nested(symbols)))
}
