//! The analysis worker: takes dirty documents in batches, feeds them to the core's incremental
//! workspaces off the async reader (in `spawn_blocking`), converts the findings to LSP and
//! publishes them, dropping results that a newer edit has already made stale.
//!
//! There is exactly one worker, so the core workspaces see changes in the order they were
//! applied to the state. Open documents are taken first and closed ones in bounded batches, so
//! that indexing a large corpus never keeps a keystroke waiting for more than one batch.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

use gazette_core::config::Config;
use ropey::Rope;
use tower_lsp_server::ls_types::{self as lsp, Uri};
use workspace_stand_in::Workspace;

use crate::convert::{self, PositionEncoding};
use crate::session::Session;
use crate::settings::DiagnosticsMode;
use crate::state::{Document, DocumentKey};

/// At most this many closed documents are analysed per batch.
const CLOSED_DOCUMENTS_PER_BATCH: usize = 256;

/// The analysis of one document, as of one generation of its text.
#[derive(Debug)]
pub struct Analyzed {
    /// The URI the document is reported under.
    pub uri: Uri,
    /// The exact text the core analysed: every range below is relative to it.
    pub text: Rope,
    /// The generation of the text (see [`crate::state::Document::generation`]).
    pub generation: u64,
    /// The editor's version of the text, when it is open.
    pub version: Option<i32>,
    /// The core's findings.
    pub diagnostics: Vec<gazette_core::diagnostic::Diagnostic>,
    /// The same findings in LSP form, in the session's encoding.
    pub lsp_diagnostics: Vec<lsp::Diagnostic>,
    /// Changes whenever `lsp_diagnostics` change: the pull diagnostics result id.
    pub result_id: u64,
}

/// The core workspaces, one per root plus one for loose documents.
#[derive(Default)]
pub struct Analysis {
    corpora: Vec<Workspace>,
    corpus_of: HashMap<DocumentKey, usize>,
    next_result_id: u64,
}

impl std::fmt::Debug for Analysis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analysis")
            .field("documents", &self.corpus_of.len())
            .finish_non_exhaustive()
    }
}

/// What the worker took from the state for one run.
struct Batch {
    changes: Vec<(DocumentKey, Option<Document>)>,
    configs: Option<Vec<Config>>,
    encoding: PositionEncoding,
}

/// One document whose diagnostics should be sent.
struct Publication {
    key: DocumentKey,
    uri: Uri,
    version: Option<i32>,
    generation: u64,
    diagnostics: Vec<lsp::Diagnostic>,
    changed: bool,
    previously_empty: bool,
}

/// Runs until the session shuts down.
pub async fn run_worker(session: Arc<Session>) {
    loop {
        session.wake.notified().await;
        if session.is_shut_down() {
            return;
        }
        let debounce = session.state().settings.debounce_ms;
        if debounce > 0 {
            tokio::time::sleep(Duration::from_millis(debounce)).await;
        }
        loop {
            let Some(batch) = take_batch(&session) else {
                break;
            };
            let batch_keys: BTreeSet<DocumentKey> =
                batch.changes.iter().map(|(key, _)| key.clone()).collect();
            let worker_session = Arc::clone(&session);
            let publications =
                match tokio::task::spawn_blocking(move || analyze(&worker_session, batch)).await {
                    Ok(publications) => publications,
                    Err(error) => {
                        tracing::error!("analysis failed: {error}");
                        Vec::new()
                    }
                };
            session.epoch.send_modify(|epoch| *epoch += 1);
            publish(&session, publications, &batch_keys).await;
            if session.is_shut_down() {
                return;
            }
        }
    }
}

/// Takes the next batch of dirty documents: every open one first, then closed ones.
fn take_batch(session: &Session) -> Option<Batch> {
    let mut state = session.state();
    let configs = if std::mem::take(&mut state.reconfigured) {
        let mut configs: Vec<Config> = state.roots.iter().map(|r| r.config.clone()).collect();
        configs.push(Config::default());
        Some(configs)
    } else {
        None
    };
    if state.dirty.is_empty() && configs.is_none() {
        return None;
    }
    let (open, closed): (Vec<DocumentKey>, Vec<DocumentKey>) =
        state.dirty.iter().cloned().partition(|key| {
            state
                .documents
                .get(key)
                .is_none_or(|document| document.is_open())
        });
    let keys: Vec<DocumentKey> = open
        .into_iter()
        .chain(closed.into_iter().take(CLOSED_DOCUMENTS_PER_BATCH))
        .collect();
    let mut changes = Vec::with_capacity(keys.len());
    for key in keys {
        state.dirty.remove(&key);
        let document = state.documents.get(&key).cloned();
        changes.push((key, document));
    }
    Some(Batch {
        changes,
        configs,
        encoding: state.encoding,
    })
}

/// Feeds a batch to the core and converts the findings of every document it may have changed.
fn analyze(session: &Session, batch: Batch) -> Vec<Publication> {
    let mut analysis = session.analysis();
    let analysis = &mut *analysis;
    let mut touched: BTreeSet<DocumentKey> = BTreeSet::new();
    if let Some(configs) = batch.configs {
        if analysis.corpora.len() != configs.len() {
            analysis.corpora = configs.iter().cloned().map(Workspace::new).collect();
            // A new set of corpora forgets every document: feed them all again.
            for (key, corpus) in std::mem::take(&mut analysis.corpus_of) {
                if let Some(previous) = session.analyzed(&key) {
                    let text = previous.text.to_string();
                    if let Some(workspace) = analysis.corpora.get_mut(corpus) {
                        workspace.set_document(&key, &text);
                        analysis.corpus_of.insert(key.clone(), corpus);
                    }
                }
                touched.insert(key);
            }
        } else {
            for (workspace, config) in analysis.corpora.iter_mut().zip(configs) {
                workspace.set_config(config);
            }
            touched.extend(analysis.corpus_of.keys().cloned());
        }
    }
    let mut fresh_texts: HashMap<DocumentKey, Document> = HashMap::new();
    let mut removed: Vec<DocumentKey> = Vec::new();
    for (key, document) in batch.changes {
        let previous_corpus = analysis.corpus_of.get(&key).copied();
        let new_corpus = document.as_ref().map(|d| d.corpus);
        if analysis.corpora.is_empty() {
            analysis.corpora.push(Workspace::new(Config::default()));
        }
        if let Some(corpus) =
            previous_corpus.filter(|c| Some(*c) != new_corpus && new_corpus.is_some())
        {
            touched.extend(analysis.corpora[corpus].remove_document(&key));
            analysis.corpus_of.remove(&key);
        }
        match document {
            Some(document) => {
                let corpus = document
                    .corpus
                    .min(analysis.corpora.len().saturating_sub(1));
                let text = document.text.to_string();
                touched.extend(analysis.corpora[corpus].set_document(&key, &text));
                analysis.corpus_of.insert(key.clone(), corpus);
                touched.insert(key.clone());
                fresh_texts.insert(key, document);
            }
            None => {
                if let Some(corpus) = analysis.corpus_of.remove(&key) {
                    // Documents that shared a paragraph with this one may have lost a finding.
                    touched.extend(analysis.corpora[corpus].remove_document(&key));
                }
                removed.push(key);
            }
        }
    }

    // Convert under a read lock, then swap the results in under a short write lock.
    let mut updates: Vec<(DocumentKey, Arc<Analyzed>)> = Vec::new();
    let mut publications = Vec::new();
    {
        let results = session.results();
        let text_of = |key: &str| -> Option<(Uri, Rope)> {
            if let Some(document) = fresh_texts.get(key) {
                return Some((document.uri.clone(), document.text.clone()));
            }
            results
                .get(key)
                .map(|analyzed| (analyzed.uri.clone(), analyzed.text.clone()))
        };
        for key in &touched {
            let Some(&corpus) = analysis.corpus_of.get(key) else {
                continue;
            };
            let (uri, text, generation, version) = match fresh_texts.get(key) {
                Some(document) => (
                    document.uri.clone(),
                    document.text.clone(),
                    document.generation,
                    document.version,
                ),
                None => match results.get(key) {
                    Some(previous) => (
                        previous.uri.clone(),
                        previous.text.clone(),
                        previous.generation,
                        previous.version,
                    ),
                    None => continue,
                },
            };
            let diagnostics = analysis.corpora[corpus].diagnostics(key);
            let lsp_diagnostics: Vec<lsp::Diagnostic> = diagnostics
                .iter()
                .map(|diagnostic| {
                    convert::diagnostic_to_lsp(diagnostic, &text, batch.encoding, &text_of)
                })
                .collect();
            let previous = results.get(key);
            let previously_empty = previous.is_none_or(|p| p.lsp_diagnostics.is_empty());
            let changed = previous.is_none_or(|p| p.lsp_diagnostics != lsp_diagnostics);
            let result_id = match previous {
                Some(previous) if !changed => previous.result_id,
                _ => {
                    analysis.next_result_id += 1;
                    analysis.next_result_id
                }
            };
            publications.push(Publication {
                key: key.clone(),
                uri: uri.clone(),
                version,
                generation,
                diagnostics: lsp_diagnostics.clone(),
                changed,
                previously_empty,
            });
            updates.push((
                key.clone(),
                Arc::new(Analyzed {
                    uri,
                    text,
                    generation,
                    version,
                    diagnostics,
                    lsp_diagnostics,
                    result_id,
                }),
            ));
        }
    }
    let mut results = session.results_mut();
    for key in removed {
        if let Some(previous) = results.remove(&key) {
            publications.push(Publication {
                key,
                uri: previous.uri.clone(),
                version: None,
                generation: 0,
                diagnostics: Vec::new(),
                changed: true,
                previously_empty: previous.lsp_diagnostics.is_empty(),
            });
        }
    }
    for (key, analyzed) in updates {
        results.insert(key, analyzed);
    }
    publications
}

/// Sends what changed: pushed diagnostics, or a refresh request for pulling clients.
async fn publish(
    session: &Arc<Session>,
    publications: Vec<Publication>,
    batch_keys: &BTreeSet<DocumentKey>,
) {
    let (pull, refresh) = {
        let state = session.state();
        let pull = match state.settings.diagnostics {
            DiagnosticsMode::Auto | DiagnosticsMode::Pull => state.client.pull_diagnostics,
            DiagnosticsMode::Push => false,
        };
        (pull, state.client.diagnostic_refresh)
    };
    if pull {
        let others_changed = publications
            .iter()
            .any(|p| p.changed && !batch_keys.contains(&p.key));
        if others_changed && refresh {
            let _ = session.client.workspace_diagnostic_refresh().await;
        }
        return;
    }
    for publication in publications {
        // An empty list for a document that never had findings is noise for the client.
        if publication.diagnostics.is_empty() && publication.previously_empty {
            continue;
        }
        // Only changed diagnostics are re-sent, except for documents of this batch: the editor
        // expects an answer to every edit (and to every save).
        if !publication.changed && !batch_keys.contains(&publication.key) {
            continue;
        }
        let current_generation = session
            .state()
            .documents
            .get(&publication.key)
            .map(|d| d.generation);
        if publication.generation != 0 && current_generation != Some(publication.generation) {
            // The text changed again since this analysis: a newer batch will publish.
            continue;
        }
        session
            .client
            .publish_diagnostics(
                publication.uri,
                publication.diagnostics,
                publication.version,
            )
            .await;
    }
}

/// A stand-in with the shape of `gazette_core::workspace::Workspace` until the core lands it.
mod workspace_stand_in {
    use gazette_core::config::Config;
    use gazette_core::diagnostic::Diagnostic;

    #[derive(Debug)]
    pub struct Workspace;

    impl Workspace {
        pub fn new(_config: Config) -> Workspace {
            Workspace
        }
        pub fn set_config(&mut self, _config: Config) -> Vec<String> {
            Vec::new()
        }
        pub fn set_document(&mut self, _key: &str, _text: &str) -> Vec<String> {
            Vec::new()
        }
        pub fn remove_document(&mut self, _key: &str) -> Vec<String> {
            Vec::new()
        }
        pub fn diagnostics(&self, _key: &str) -> Vec<Diagnostic> {
            Vec::new()
        }
    }
}
