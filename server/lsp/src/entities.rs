//! The entity side of the analysis: tagging documents and keeping the corpus entity index
//! (`gazette_core::index`) that hover, definition, references, highlights, symbols, semantic
//! tokens and inlay hints read.
//!
//! Tagging runs in the analysis worker right after the diagnostics of a batch are published, so
//! that a keystroke's diagnostics never wait for the taggers. Each document's tags are stored
//! with the exact text they were computed on, so that ranges always convert against that text.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use gazette_core::index::{EntityIndex, Location, Mention};
use gazette_core::tag::TaggingConfig;
use ropey::Rope;
use tower_lsp_server::ls_types::{self as lsp, Position, Uri};

use crate::convert::{self, PositionEncoding};
use crate::session::Session;
use crate::state::{Document, DocumentKey};

/// The text a document's mentions were computed on.
#[derive(Clone, Debug)]
pub struct TaggedText {
    /// The URI the document is reported under.
    pub uri: Uri,
    /// The text that was tagged.
    pub text: Rope,
    /// Its generation.
    pub generation: u64,
}

/// The entity index and the texts behind it.
#[derive(Debug, Default)]
pub struct Entities {
    /// Mentions by document and by entity.
    pub index: EntityIndex,
    /// The tagged text of every indexed document.
    pub texts: HashMap<DocumentKey, TaggedText>,
}

impl Entities {
    /// Converts a corpus location to an LSP location.
    pub fn location(
        &self,
        location: &Location,
        encoding: PositionEncoding,
    ) -> Option<lsp::Location> {
        let tagged = self.texts.get(&location.document)?;
        Some(lsp::Location::new(
            tagged.uri.clone(),
            convert::range_to_lsp(&tagged.text, location.range, encoding),
        ))
    }

    /// The mention under an LSP position in a document, with that document's tagged text.
    pub fn mention_at(
        &self,
        key: &str,
        position: Position,
        encoding: PositionEncoding,
    ) -> Option<(&Mention, &TaggedText)> {
        let tagged = self.texts.get(key)?;
        let offset = convert::position_to_offset(&tagged.text, position, encoding);
        let mention = self.index.mention_at(key, offset as u32)?;
        Some((mention, tagged))
    }
}

/// One document to tag: its key, its state (`None` when it is gone), the tagging settings and
/// the user gazetteer of its root.
pub type ToTag = (
    DocumentKey,
    Option<Document>,
    TaggingConfig,
    Option<Arc<crate::user_gazetteer::UserGazetteer>>,
);

/// Tags the documents of a batch and updates the index (run in `spawn_blocking`).
pub fn tag_batch(session: &Session, changes: Vec<ToTag>) {
    let mut tagged = Vec::with_capacity(changes.len());
    for (key, document, config, gazetteer) in changes {
        let Some(document) = document else {
            tagged.push((key, None));
            continue;
        };
        let text = document.text.to_string();
        let localities = match &gazetteer {
            Some(gazetteer) => gazetteer.tagger(),
            None => gazette_core::tag::locality::LocalityTagger::builtin(),
        };
        let tags = gazette_core::tag::tag_document_with(&text, &config, localities);
        // Curators' decisions override the suggestions in tokens, hovers and references.
        let spans: Vec<_> = crate::review::review_suggestions(&document.uri, &text, &tags.spans)
            .into_iter()
            .map(|reviewed| reviewed.span)
            .collect();
        tagged.push((key, Some((document, text, spans))));
    }
    let mut entities = session.entities_mut();
    for (key, result) in tagged {
        match result {
            Some((document, text, spans)) => {
                entities.index.set_document(&key, &text, &spans);
                entities.texts.insert(
                    key,
                    TaggedText {
                        uri: document.uri,
                        text: document.text,
                        generation: document.generation,
                    },
                );
            }
            None => {
                entities.index.remove_document(&key);
                entities.texts.remove(&key);
            }
        }
    }
}

/// How long entity requests wait for pending tagging. Generous: the first tagging of a session
/// also loads the built-in gazetteer (the client can always cancel).
pub const FRESHNESS_TIMEOUT: Duration = Duration::from_secs(30);

/// Waits until the tags of `key` match its current text (or the timeout passes).
pub async fn wait_until_tagged(session: &Arc<Session>, key: &str) {
    let mut epochs = session.epoch.subscribe();
    let deadline = tokio::time::Instant::now() + FRESHNESS_TIMEOUT;
    loop {
        let current = session.state().documents.get(key).map(|d| d.generation);
        let tagged = session.entities().texts.get(key).map(|t| t.generation);
        let fresh = match (current, tagged) {
            (None, _) => true,
            (Some(current), Some(tagged)) => tagged >= current,
            (Some(_), None) => false,
        };
        if fresh || session.is_shut_down() {
            return;
        }
        if !matches!(
            tokio::time::timeout_at(deadline, epochs.changed()).await,
            Ok(Ok(()))
        ) {
            return;
        }
    }
}

/// The entity under the cursor (after waiting for the document's tags), with the mention's LSP
/// range.
pub async fn entity_at(
    session: &Arc<Session>,
    uri: &Uri,
    position: Position,
) -> Option<(gazette_core::index::EntityKey, lsp::Range)> {
    let key = crate::state::document_key(uri);
    wait_until_tagged(session, &key).await;
    let encoding = session.state().encoding;
    let entities = session.entities();
    let (mention, tagged) = entities.mention_at(&key, position, encoding)?;
    Some((
        mention.entity.clone(),
        convert::range_to_lsp(&tagged.text, mention.range, encoding),
    ))
}

/// A short name for a document in messages: its file name.
pub fn short_name(key: &str) -> &str {
    key.rsplit('/').next().unwrap_or(key)
}

/// The gazetteer entry behind a locality's normalised value.
pub fn place(norm: &str) -> Option<&'static gazette_core::gazetteer::Place> {
    gazette_core::gazetteer::Gazetteer::builtin().get(norm)
}

/// The name to show for an entity: the gazetteer's canonical name for a locality, else the most
/// frequent surface form.
pub fn display_name(entities: &Entities, entity: &gazette_core::index::EntityKey) -> String {
    if entity.label == gazette_core::tag::EntityLabel::Loc {
        if let Some(place) = place(&entity.norm) {
            return place.canonical_name().to_owned();
        }
    }
    entities
        .index
        .stats(entity)
        .surfaces
        .first()
        .map_or_else(|| entity.norm.clone(), |(surface, _)| surface.clone())
}
