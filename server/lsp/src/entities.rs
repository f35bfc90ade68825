//! The entity side of the analysis: tagging documents and keeping the corpus entity index
//! (`gazette_core::index`) that hover, definition, references, highlights, symbols, semantic
//! tokens and inlay hints read.
//!
//! Tagging is lazy, so that indexing a corpus costs the duplicate analysis only. The analysis
//! worker tags open documents (and documents tagged before) right after the diagnostics of a
//! batch are published, so that a keystroke's diagnostics never wait for the taggers. Closed
//! documents are tagged on demand: a request about one document tags that document, a request
//! that needs the whole corpus (references, definition, hover, workspace symbols) tags every
//! document not tagged yet, in parallel. Each document's tags are stored with the exact text
//! and the tagging configuration they were computed with, so that ranges always convert
//! against that text and a configuration change re-tags exactly what it affects.

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
    /// The tagging configuration it was tagged with.
    pub config: TaggingConfig,
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

/// Tags documents (in parallel) and updates the index (run in `spawn_blocking`). A result never
/// replaces tags of a newer generation of the same document.
pub fn tag_batch(session: &Session, changes: Vec<ToTag>) {
    use rayon::prelude::*;
    let started = std::time::Instant::now();
    let count = changes.len();
    // `None` for a document gone, `Some(None)` for one that changed on disk unseen (adopted
    // and analysed again: it is tagged when next needed).
    let tagged: Vec<_> = changes
        .into_par_iter()
        .filter_map(|(key, document, config, gazetteer)| {
            let Some(document) = document else {
                return Some((key, None));
            };
            // Unreadable or over the size limit: nothing to tag (see `state::too_large`). A
            // closed document's text is read back from disk.
            let rope = match document.problem {
                Some(_) => Rope::new(),
                None => session.text_of(&key, &document)?,
            };
            let text = rope.to_string();
            let localities = match &gazetteer {
                Some(gazetteer) => gazetteer.tagger(),
                None => gazette_core::tag::locality::LocalityTagger::builtin(),
            };
            let tags = gazette_core::tag::tag_document_with(&text, &config, localities);
            // Curators' decisions override the suggestions in tokens, hovers and references.
            let spans: Vec<_> =
                crate::review::review_suggestions(&document.uri, &text, &tags.spans)
                    .into_iter()
                    .map(|reviewed| reviewed.span)
                    .collect();
            Some((key, Some((document, rope, text, spans, config))))
        })
        .collect();
    let mut entities = session.entities_mut();
    for (key, result) in tagged {
        match result {
            Some((document, rope, text, spans, config)) => {
                if entities
                    .texts
                    .get(&key)
                    .is_some_and(|tagged| tagged.generation > document.generation)
                {
                    continue;
                }
                entities.index.set_document(&key, &text, &spans);
                entities.texts.insert(
                    key,
                    TaggedText {
                        uri: document.uri,
                        text: rope,
                        generation: document.generation,
                        config,
                    },
                );
            }
            None => {
                entities.index.remove_document(&key);
                entities.texts.remove(&key);
            }
        }
    }
    tracing::debug!(
        "entities: tagged {count} document(s) in {:.2} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
}

/// Hands documents to the tagger task; a newer request for a document replaces an older one
/// still waiting, so a burst of keystrokes costs one tagging.
pub fn queue(session: &Session, to_tag: Vec<ToTag>) {
    if to_tag.is_empty() {
        return;
    }
    let mut pending = session
        .pending_tags
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    for item in to_tag {
        pending.insert(item.0.clone(), item);
    }
    drop(pending);
    session
        .tag_requests
        .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    session.tag_wake.notify_one();
}

/// The tagger task: tags what the worker queued, off the async reader, until the session ends.
pub async fn run_tagger(session: Arc<Session>) {
    loop {
        session.tag_wake.notified().await;
        if session.is_shut_down() {
            return;
        }
        wait_for_a_pause(&session).await;
        loop {
            let batch: Vec<ToTag> = std::mem::take(
                &mut *session
                    .pending_tags
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner()),
            )
            .into_values()
            .collect();
            if batch.is_empty() {
                break;
            }
            let worker_session = Arc::clone(&session);
            if let Err(error) =
                tokio::task::spawn_blocking(move || tag_batch(&worker_session, batch)).await
            {
                tracing::error!("tagging failed: {error}");
            }
            session.epoch.send_modify(|epoch| *epoch += 1);
            if session.is_shut_down() {
                return;
            }
        }
    }
}

/// How long the document must stay unchanged before the tagger starts.
const TAGGING_QUIET: Duration = Duration::from_millis(60);

/// The longest the tagger waits for a pause while the user keeps typing.
const TAGGING_MAX_DELAY: Duration = Duration::from_millis(1000);

/// Waits until nothing was handed to the tagger for [`TAGGING_QUIET`] (at most
/// [`TAGGING_MAX_DELAY`]). Tagging a long document costs several times its duplicate analysis:
/// run on every keystroke, it competed with the next keystroke's diagnostics for the CPU. Tokens
/// and hints wait a little longer instead; requests that need tags wait for them anyway.
async fn wait_for_a_pause(session: &Session) {
    use std::sync::atomic::Ordering;
    let deadline = tokio::time::Instant::now() + TAGGING_MAX_DELAY;
    loop {
        let requests = session.tag_requests.load(Ordering::SeqCst);
        tokio::time::sleep(TAGGING_QUIET).await;
        if session.tag_requests.load(Ordering::SeqCst) == requests
            || tokio::time::Instant::now() >= deadline
            || session.is_shut_down()
        {
            return;
        }
    }
}

/// Which documents a request needs tagged.
#[derive(Clone, Copy, Debug)]
pub enum Scope<'a> {
    /// One document.
    Document(&'a str),
    /// Every document of the corpus.
    Corpus,
}

/// Tags, now, the closed documents in `scope` whose tags are missing or older than their text
/// or configuration (open documents are the worker's: it tags them after each batch). Returns
/// once they are in the index.
pub async fn tag_on_demand(session: &Arc<Session>, scope: Scope<'_>) {
    // One on-demand run at a time: a second request waits for the first instead of tagging the
    // same documents again.
    let _running = session.on_demand_tagging.lock().await;
    let stale: Vec<ToTag> = {
        let state = session.state();
        let entities = session.entities();
        let is_stale = |key: &str, document: &Document, config: &TaggingConfig| {
            !document.is_open()
                && entities.texts.get(key).is_none_or(|tagged| {
                    tagged.generation < document.generation || tagged.config != *config
                })
        };
        let mut stale = Vec::new();
        let mut consider = |key: &DocumentKey, document: &Document| {
            let config = state.tagging_config(document);
            if is_stale(key, document, &config) {
                stale.push((
                    key.clone(),
                    Some(document.clone()),
                    config,
                    state.gazetteer_of(document),
                ));
            }
        };
        match scope {
            Scope::Document(key) => {
                if let Some((key, document)) = state.documents.get_key_value(key) {
                    consider(key, document);
                }
            }
            Scope::Corpus => {
                for (key, document) in &state.documents {
                    consider(key, document);
                }
            }
        }
        stale
    };
    if stale.is_empty() {
        return;
    }
    let worker_session = Arc::clone(session);
    if let Err(error) = tokio::task::spawn_blocking(move || tag_batch(&worker_session, stale)).await
    {
        tracing::error!("tagging failed: {error}");
    }
    session.epoch.send_modify(|epoch| *epoch += 1);
}

/// How long entity requests wait for pending tagging. Generous: the first tagging of a session
/// also loads the built-in gazetteer (the client can always cancel).
pub const FRESHNESS_TIMEOUT: Duration = Duration::from_secs(30);

/// Waits until the tags of `key` match its current text (or the timeout passes), tagging it
/// now when it is closed.
pub async fn wait_until_tagged(session: &Arc<Session>, key: &str) {
    tag_on_demand(session, Scope::Document(key)).await;
    let mut epochs = session.epoch.subscribe();
    let deadline = tokio::time::Instant::now() + FRESHNESS_TIMEOUT;
    loop {
        // The current generation and tagging configuration (a changed `gazette.toml` re-tags).
        let current = {
            let state = session.state();
            state
                .documents
                .get(key)
                .map(|document| (document.generation, state.tagging_config(document)))
        };
        let fresh = match current {
            None => true,
            Some((generation, config)) => {
                session.entities().texts.get(key).is_some_and(|tagged| {
                    tagged.generation >= generation && tagged.config == config
                })
            }
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
    // The answer involves the entity's mentions everywhere: the whole corpus must be tagged.
    tag_on_demand(session, Scope::Corpus).await;
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
