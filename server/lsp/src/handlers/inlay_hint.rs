//! `textDocument/inlayHint`: the canonical name after a locality written differently
//! (`Wietnamie` → Vietnam) and, when enabled, the normalised value after a date. Controlled by
//! the `inlayHints` settings.

use std::sync::Arc;

use gazette_core::tag::EntityLabel;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{InlayHint, InlayHintLabel, InlayHintParams};

use crate::convert;
use crate::entities::{place, wait_until_tagged};
use crate::session::Session;
use crate::state::document_key;

/// Handles the request.
pub async fn handle(
    session: &Arc<Session>,
    params: InlayHintParams,
) -> Result<Option<Vec<InlayHint>>> {
    let settings = session.state().settings.inlay_hints.clone();
    if !settings.enabled {
        return Ok(None);
    }
    let key = document_key(&params.text_document.uri);
    wait_until_tagged(session, &key).await;
    let encoding = session.state().encoding;
    let entities = session.entities();
    let Some(tagged) = entities.texts.get(&key) else {
        return Ok(None);
    };
    let window = convert::range_from_lsp(&tagged.text, params.range, encoding);
    let mut hints = Vec::new();
    for mention in entities.index.mentions(&key) {
        if mention.range.end < window.start
            || mention.range.start > window.end
            || !mention.normalised
        {
            continue;
        }
        let label = match mention.entity.label {
            EntityLabel::Loc if settings.localities => place(&mention.entity.norm)
                .map(|place| place.canonical_name().to_owned())
                .filter(|name| *name != mention.surface),
            EntityLabel::Date | EntityLabel::Duration if settings.dates => {
                Some(mention.entity.norm.clone()).filter(|norm| *norm != mention.surface)
            }
            _ => None,
        };
        let Some(label) = label else {
            continue;
        };
        hints.push(InlayHint {
            position: convert::offset_to_position(
                &tagged.text,
                mention.range.end as usize,
                encoding,
            ),
            label: InlayHintLabel::String(format!("→ {label}")),
            kind: None,
            text_edits: None,
            tooltip: None,
            padding_left: Some(true),
            padding_right: None,
            data: None,
        });
    }
    Ok(Some(hints))
}
