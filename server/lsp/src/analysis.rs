//! The analysis worker: takes dirty documents in batches, feeds them to the core's incremental
//! workspaces off the async reader (in `spawn_blocking`), converts the findings to LSP and
//! publishes them, dropping results that a newer edit has already made stale.
//!
//! There is exactly one worker, so the core workspaces see changes in the order they were
//! applied to the state. Open documents are taken first and closed ones in bounded batches, so
//! that indexing a large corpus never keeps a keystroke waiting for more than one batch.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use gazette_core::config::Config;
use gazette_core::config::PathRules;
use gazette_core::text::TextRange;
use gazette_core::workspace::Workspace;
use ropey::Rope;
use tower_lsp_server::ls_types::{self as lsp, Uri};

use crate::convert::{self, PositionEncoding};
use crate::entities;
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
    /// Why the file is not text, when it is not.
    pub problem: Option<gazette_core::text::DecodeProblem>,
    /// The core's findings, with document keys (not core keys).
    pub diagnostics: Vec<gazette_core::diagnostic::Diagnostic>,
    /// The same findings in LSP form, in the session's encoding.
    pub lsp_diagnostics: Vec<lsp::Diagnostic>,
    /// Changes whenever `lsp_diagnostics` change: the pull diagnostics result id.
    pub result_id: u64,
}

/// One corpus: a root (or the loose documents) and its core workspace.
///
/// Inside the core, documents of a root are keyed by their path relative to the root with `/`
/// separators, exactly like `gazette check` keys them, so that messages, corpus order and
/// `per-path-ignores` agree between the editor and CI. Loose documents are keyed by URI.
struct Corpus {
    workspace: Workspace,
    path_rules: Option<PathRules>,
    /// Core key → document key.
    documents: HashMap<String, DocumentKey>,
}

/// The core workspaces, one per root plus one for loose documents.
#[derive(Default)]
pub struct Analysis {
    corpora: Vec<Corpus>,
    roots: Vec<PathBuf>,
    /// Document key → (corpus, core key).
    placement: HashMap<DocumentKey, (usize, String)>,
    next_result_id: u64,
}

impl std::fmt::Debug for Analysis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analysis")
            .field("documents", &self.placement.len())
            .finish_non_exhaustive()
    }
}

impl Analysis {
    /// The core key of a document in its corpus.
    fn core_key(&self, corpus: usize, key: &str, uri: &Uri) -> String {
        let relative = self.roots.get(corpus).and_then(|root| {
            let path = uri.to_file_path()?;
            let relative = path.strip_prefix(root).ok()?;
            Some(
                relative
                    .to_string_lossy()
                    .replace(std::path::MAIN_SEPARATOR, "/"),
            )
        });
        relative.unwrap_or_else(|| key.to_owned())
    }

    /// Heap bytes held by the core workspaces (for the benchmark).
    pub fn heap_bytes(&self) -> usize {
        self.corpora.iter().map(|c| c.workspace.heap_bytes()).sum()
    }

    /// Feeds one document to its corpus; returns the document keys of the others affected.
    fn set(&mut self, key: &str, document: &Document) -> Vec<DocumentKey> {
        let corpus = document.corpus.min(self.corpora.len() - 1);
        let core_key = self.core_key(corpus, key, &document.uri);
        let mut affected = Vec::new();
        if let Some((previous, previous_key)) = self.placement.get(key).cloned() {
            if previous != corpus || previous_key != core_key {
                affected.extend(self.remove(key));
            }
        }
        let target = &mut self.corpora[corpus];
        target.documents.insert(core_key.clone(), key.to_owned());
        let core_affected = match &document.problem {
            Some(problem) => target.workspace.set_unreadable(&core_key, problem.clone()),
            None => target
                .workspace
                .set_document(&core_key, &document.text.to_string()),
        };
        affected.extend(
            core_affected
                .iter()
                .filter_map(|core| target.documents.get(core).cloned()),
        );
        self.placement.insert(key.to_owned(), (corpus, core_key));
        affected
    }

    /// Removes a document; returns the document keys of the others affected.
    fn remove(&mut self, key: &str) -> Vec<DocumentKey> {
        let Some((corpus, core_key)) = self.placement.remove(key) else {
            return Vec::new();
        };
        let target = &mut self.corpora[corpus];
        target.documents.remove(&core_key);
        target
            .workspace
            .remove_document(&core_key)
            .iter()
            .filter_map(|core| target.documents.get(core).cloned())
            .collect()
    }

    /// The findings of a document, with document keys in place of core keys and
    /// `per-path-ignores` applied.
    fn diagnostics(&self, key: &str) -> Vec<gazette_core::diagnostic::Diagnostic> {
        let Some((corpus, core_key)) = self.placement.get(key) else {
            return Vec::new();
        };
        let target = &self.corpora[*corpus];
        let translate = |core: &str| {
            target
                .documents
                .get(core)
                .cloned()
                .unwrap_or_else(|| core.to_owned())
        };
        let mut diagnostics = target.workspace.diagnostics(core_key);
        if let Some(rules) = &target.path_rules {
            diagnostics.retain(|d| !rules.is_ignored(core_key, d.code));
        }
        for diagnostic in &mut diagnostics {
            diagnostic.document = translate(&diagnostic.document);
            for related in &mut diagnostic.related {
                related.document = translate(&related.document);
            }
            for edit in diagnostic
                .fix
                .iter_mut()
                .flat_map(|fix| fix.edits.iter_mut())
            {
                edit.document = translate(&edit.document);
            }
        }
        diagnostics
    }

    /// The deletion range of the paragraph of `key` that spans exactly `range`, if there is one
    /// (used to delete another document's copy of a paragraph cleanly, with its line break).
    pub fn paragraph_deletion_range(&self, key: &str, range: TextRange) -> Option<TextRange> {
        let (corpus, core_key) = self.placement.get(key)?;
        let summary = self.corpora[*corpus].workspace.summary(core_key)?;
        let index = summary.paragraphs().iter().position(|p| p.range == range)?;
        Some(summary.deletion_range(index, index))
    }

    /// Installs new roots and configurations. Returns the documents to feed again: all of them
    /// when the corpora were rebuilt or summaries depend on the change.
    fn configure(&mut self, roots: Vec<(PathBuf, Config)>) -> Reconfigured {
        let new_roots: Vec<PathBuf> = roots.iter().map(|(path, _)| path.clone()).collect();
        let mut configs: Vec<Config> = roots.into_iter().map(|(_, config)| config).collect();
        configs.push(Config::default());
        if new_roots != self.roots || self.corpora.len() != configs.len() {
            self.roots = new_roots;
            self.corpora = configs
                .into_iter()
                .map(|config| Corpus {
                    path_rules: PathRules::new(&config).ok(),
                    workspace: Workspace::new(config),
                    documents: HashMap::new(),
                })
                .collect();
            self.placement.clear();
            return Reconfigured::Refeed;
        }
        let mut refeed = false;
        for (corpus, config) in self.corpora.iter_mut().zip(configs) {
            corpus.path_rules = PathRules::new(&config).ok();
            refeed |= corpus.workspace.set_config(config);
        }
        if refeed {
            Reconfigured::Refeed
        } else {
            Reconfigured::Recheck
        }
    }
}

enum Reconfigured {
    /// Every document must be set again.
    Refeed,
    /// Every document's diagnostics may have changed.
    Recheck,
}

/// What the worker took from the state for one run.
struct Batch {
    changes: Vec<(DocumentKey, Option<Document>)>,
    roots: Option<Vec<(PathBuf, Config)>>,
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
            let to_tag = documents_to_tag(&session, &batch);
            let worker_session = Arc::clone(&session);
            let publications =
                match tokio::task::spawn_blocking(move || analyze(&worker_session, batch)).await {
                    Ok(publications) => publications,
                    Err(error) => {
                        tracing::error!("analysis failed: {error}");
                        Vec::new()
                    }
                };
            publish(&session, publications, &batch_keys).await;
            // Announced after publishing, so that whoever waits for an epoch (pull requests, the
            // indexer's progress) sees the published state.
            session.epoch.send_modify(|epoch| *epoch += 1);
            // Then the entities, which no diagnostic waits for: the tagger runs them in its own
            // task, so the next batch (the next keystroke) does not wait for the taggers either.
            entities::queue(&session, to_tag);
            if session.is_shut_down() {
                return;
            }
        }
    }
}

/// The documents the worker tags after a batch: open ones, ones tagged before (so that the
/// index never keeps stale tags), removed ones, and, after a configuration change, every tagged
/// document whose tagging configuration changed. Closed documents never tagged are left to
/// [`entities::tag_on_demand`]: indexing a corpus does not pay for the taggers.
fn documents_to_tag(session: &Session, batch: &Batch) -> Vec<entities::ToTag> {
    let state = session.state();
    let entities = session.entities();
    let mut to_tag: Vec<entities::ToTag> = Vec::new();
    let mut in_batch = std::collections::HashSet::new();
    for (key, document) in &batch.changes {
        in_batch.insert(key.as_str());
        match document {
            None => to_tag.push((key.clone(), None, Default::default(), None)),
            Some(document) if document.is_open() || entities.texts.contains_key(key) => {
                to_tag.push((
                    key.clone(),
                    Some(document.clone()),
                    state.tagging_config(document),
                    state.gazetteer_of(document),
                ));
            }
            Some(_) => {}
        }
    }
    if batch.roots.is_some() {
        for (key, tagged) in &entities.texts {
            let Some(document) = state.documents.get(key) else {
                continue;
            };
            let config = state.tagging_config(document);
            if !in_batch.contains(key.as_str()) && tagged.config != config {
                to_tag.push((
                    key.clone(),
                    Some(document.clone()),
                    config,
                    state.gazetteer_of(document),
                ));
            }
        }
    }
    to_tag
}

/// Takes the next batch of dirty documents: every open one first, then closed ones.
fn take_batch(session: &Session) -> Option<Batch> {
    let mut state = session.state();
    let roots = std::mem::take(&mut state.reconfigured).then(|| {
        state
            .roots
            .iter()
            .map(|root| (root.path.clone(), root.config.clone()))
            .collect::<Vec<_>>()
    });
    if state.dirty.is_empty() && roots.is_none() {
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
        roots,
        encoding: state.encoding,
    })
}

/// Feeds a batch to the core and converts the findings of every document it may have changed.
fn analyze(session: &Session, batch: Batch) -> Vec<Publication> {
    let mut analysis = session.analysis();
    let analysis = &mut *analysis;
    if analysis.corpora.is_empty() && batch.roots.is_none() {
        analysis.configure(Vec::new());
    }
    let mut touched: BTreeSet<DocumentKey> = BTreeSet::new();
    // Documents whose text is unchanged but must be fed again (new corpora or summaries).
    let mut refeed: Vec<(DocumentKey, Document)> = Vec::new();
    if let Some(roots) = batch.roots {
        let previous: Vec<DocumentKey> = analysis.placement.keys().cloned().collect();
        match analysis.configure(roots) {
            Reconfigured::Refeed => {
                // Feed the text the core last saw; newer text is in this or a later batch.
                let results = session.results();
                let state = session.state();
                for key in previous {
                    if let (Some(analyzed), Some(document)) =
                        (results.get(&key), state.documents.get(&key))
                    {
                        refeed.push((
                            key,
                            Document {
                                uri: analyzed.uri.clone(),
                                text: analyzed.text.clone(),
                                version: analyzed.version,
                                generation: analyzed.generation,
                                corpus: document.corpus,
                                problem: analyzed.problem.clone(),
                            },
                        ));
                    }
                }
            }
            Reconfigured::Recheck => touched.extend(previous),
        }
    }
    let mut fresh: HashMap<DocumentKey, Document> = HashMap::new();
    for (key, document) in refeed {
        touched.extend(analysis.set(&key, &document));
        touched.insert(key.clone());
        fresh.insert(key, document);
    }
    let mut removed: Vec<DocumentKey> = Vec::new();
    for (key, document) in batch.changes {
        match document {
            Some(document) => {
                touched.extend(analysis.set(&key, &document));
                touched.insert(key.clone());
                fresh.insert(key, document);
            }
            None => {
                touched.extend(analysis.remove(&key));
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
            if let Some(document) = fresh.get(key) {
                return Some((document.uri.clone(), document.text.clone()));
            }
            results
                .get(key)
                .map(|analyzed| (analyzed.uri.clone(), analyzed.text.clone()))
        };
        for key in &touched {
            if !analysis.placement.contains_key(key) {
                continue;
            }
            let (uri, text, generation, version, problem) = match fresh.get(key) {
                Some(document) => (
                    document.uri.clone(),
                    document.text.clone(),
                    document.generation,
                    document.version,
                    document.problem.clone(),
                ),
                None => match results.get(key) {
                    Some(previous) => (
                        previous.uri.clone(),
                        previous.text.clone(),
                        previous.generation,
                        previous.version,
                        previous.problem.clone(),
                    ),
                    None => continue,
                },
            };
            let mut diagnostics = analysis.diagnostics(key);
            // Curators' decisions whose text is gone are findings too (GZ901).
            diagnostics.extend(crate::review::orphan_diagnostics(&uri, &text));
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
                    problem,
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
