//! The analysis worker: takes dirty documents in batches, feeds them to the core's incremental
//! workspaces off the async reader (in `spawn_blocking`), converts the findings to LSP and
//! publishes them, dropping results that a newer edit has already made stale.
//!
//! There is exactly one worker, so the core workspaces see changes in the order they were
//! applied to the state. Open documents are taken first and closed ones in bounded batches, so
//! that indexing a large corpus never keeps a keystroke waiting for more than one batch.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::BuildHasherDefault;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use gazette_core::config::Config;
use gazette_core::config::PathRules;
use gazette_core::minhash;
use gazette_core::normalize::Normalizer;
use gazette_core::text::TextRange;
use gazette_core::workspace::{DocumentSummary, Workspace};
use ropey::Rope;
use tower_lsp_server::ls_types::{self as lsp, Uri};

use crate::convert::{self, BoundaryPositions, PositionEncoding, TextView};
use crate::entities;
use crate::session::Session;
use crate::settings::DiagnosticsMode;
use crate::state::{Document, DocumentKey};

/// At most this many closed documents are analysed per batch.
const CLOSED_DOCUMENTS_PER_BATCH: usize = 256;

/// True when one of `diagnostics` points into document `key` (a related location or an edit).
fn relates_to(diagnostics: &[gazette_core::diagnostic::Diagnostic], key: &str) -> bool {
    diagnostics.iter().any(|diagnostic| {
        diagnostic
            .related
            .iter()
            .any(|related| related.document == key)
            || diagnostic
                .fix
                .iter()
                .flat_map(|fix| &fix.edits)
                .any(|edit| edit.document == key)
    })
}

/// A band's rows and the band's number, packed into one key.
fn band_rows_key(signature: &minhash::Signature, band: usize) -> u64 {
    let rows = minhash::band_rows(signature, band);
    let packed = rows
        .iter()
        .fold(0u64, |key, &row| (key << 16) | u64::from(row));
    // Rows are 4 × 16 bits; the band goes in through a multiplication, which keeps keys
    // distinct enough for a hash map whose hasher is the identity.
    packed ^ (band as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// Band keys are already well mixed: hash them as they are.
#[derive(Default)]
struct RowsHasher(u64);

impl std::hash::Hasher for RowsHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(byte)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }
    fn write_u64(&mut self, value: u64) {
        self.0 = value.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// Below this many documents, work is done on the worker's own thread: a keystroke's document
/// must not queue behind tagging jobs on rayon's pool.
const PARALLEL_MIN: usize = 16;

/// `items.iter().map(f)`, on rayon's pool when there are enough items to be worth it.
fn map_in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    use rayon::prelude::*;
    if items.len() < PARALLEL_MIN {
        items.iter().map(f).collect()
    } else {
        items.par_iter().map(f).collect()
    }
}

/// The analysis of one document, as of one generation of its text.
#[derive(Debug)]
pub struct Analyzed {
    /// The URI the document is reported under.
    pub uri: Uri,
    /// What the ranges below convert against: the exact text the core analysed (open
    /// documents) or the positions of its paragraph boundaries (closed ones, whose text is not
    /// kept; [`crate::session::Session::current_text`] reads it back).
    pub view: TextView,
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
    /// The document as the core last saw it, for every placed document: the text every range
    /// of its findings is relative to.
    fed: HashMap<DocumentKey, (Document, TextView)>,
    /// Closed documents fed while indexing whose diagnostics are not computed yet (see
    /// [`run_worker`]).
    deferred: BTreeSet<DocumentKey>,
    /// For each open document edited in place (see [`Analysis::set_in_place`]), the documents
    /// with a finding about it: their related locations move when it is edited. Maintained as
    /// results come in; an entry is dropped when its document is fed any other way.
    related_to_open: HashMap<DocumentKey, HashSet<DocumentKey>>,
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

    /// Summarises documents in parallel (rayon), each under its corpus's configuration: the
    /// costly part of feeding them, and independent per document. Returns, for each document
    /// still there, its summary and what its ranges convert against: the text of an open
    /// document, the positions of the paragraph boundaries of a closed one (whose text is then
    /// dropped). A closed document fed again without its text (a configuration change) is read
    /// back with `read_back`.
    fn summarize(
        &self,
        feeds: &[(DocumentKey, Option<Document>)],
        encoding: PositionEncoding,
        read_back: &(dyn Fn(&str, &Document) -> Option<Rope> + Sync),
    ) -> Vec<Option<(DocumentSummary, TextView)>> {
        map_in_parallel(feeds, |(key, document)| {
            let document = document.as_ref()?;
            if let Some(problem) = &document.problem {
                let positions = BoundaryPositions::new("", [0], encoding);
                return Some((
                    DocumentSummary::unreadable(problem.clone()),
                    TextView::Boundaries(Arc::new(positions)),
                ));
            }
            let rope = match &document.text {
                Some(text) => text.clone(),
                None => read_back(key, document)?,
            };
            let text = rope.to_string();
            let corpus = document.corpus.min(self.corpora.len() - 1);
            let config = self.corpora[corpus].workspace.config();
            // An edit in the editor: only the paragraphs it touched are normalised and sketched
            // again.
            let summary = match self.previous_text_and_summary(key, corpus) {
                Some((previous_text, previous)) if document.is_open() => DocumentSummary::reusing(
                    &text,
                    config,
                    &mut Normalizer::new(),
                    previous,
                    &previous_text.to_string(),
                ),
                _ => DocumentSummary::new(&text, config),
            };
            let view = if document.is_open() {
                TextView::Text(rope)
            } else {
                let boundaries = summary.paragraphs().iter().flat_map(|paragraph| {
                    [
                        paragraph.range.start,
                        paragraph.range.end,
                        paragraph.lines.start,
                        paragraph.lines.end,
                    ]
                });
                let offsets = boundaries.chain([0, text.len() as u32]);
                TextView::Boundaries(Arc::new(BoundaryPositions::new(&text, offsets, encoding)))
            };
            Some((summary, view))
        })
    }

    /// The text and summary the core has for `key` in `corpus`, when the document's text is
    /// kept (an open document) and it stays in that corpus.
    fn previous_text_and_summary(
        &self,
        key: &str,
        corpus: usize,
    ) -> Option<(&Rope, &DocumentSummary)> {
        let (placed, core_key) = self.placement.get(key)?;
        if *placed != corpus {
            return None;
        }
        let text = self.fed.get(key)?.1.text()?;
        Some((text, self.corpora[corpus].workspace.summary(core_key)?))
    }

    /// Feeds an open document again after an edit, in place: the core's indexes change only
    /// where its paragraphs did, and the documents affected are those holding a paragraph it
    /// lost or gained (a copy or a near duplicate) and those with a finding about it (whose
    /// related locations move with its text). Gives the summary back, feeding nothing, when
    /// the document is not in place in its corpus already (then [`Analysis::set`] feeds it).
    fn set_in_place(
        &mut self,
        key: &str,
        document: &Document,
        summary: DocumentSummary,
        view: &TextView,
        results: &HashMap<DocumentKey, Arc<Analyzed>>,
    ) -> Result<Vec<DocumentKey>, DocumentSummary> {
        let corpus = document.corpus.min(self.corpora.len() - 1);
        let core_key = self.core_key(corpus, key, &document.uri);
        if self.placement.get(key) != Some(&(corpus, core_key.clone())) {
            return Err(summary);
        }
        let target = &mut self.corpora[corpus];
        let changes = target.workspace.replace_summary(&core_key, summary);
        let mut affected: Vec<DocumentKey> = target
            .workspace
            .affected_by(&core_key, &changes)
            .iter()
            .filter_map(|core| target.documents.get(core).cloned())
            .collect();
        let related = self
            .related_to_open
            .entry(key.to_owned())
            .or_insert_with(|| {
                results
                    .iter()
                    .filter(|(other, analyzed)| {
                        other.as_str() != key && relates_to(&analyzed.diagnostics, key)
                    })
                    .map(|(other, _)| other.clone())
                    .collect()
            });
        affected.extend(related.iter().cloned());
        let document = Document {
            text: None,
            ..document.clone()
        };
        self.fed.insert(key.to_owned(), (document, view.clone()));
        Ok(affected)
    }

    /// Keeps [`Analysis::related_to_open`] up to date with the new findings of `key`.
    fn note_relations(&mut self, key: &str, diagnostics: &[gazette_core::diagnostic::Diagnostic]) {
        for (open, related) in &mut self.related_to_open {
            if open != key && relates_to(diagnostics, open) {
                related.insert(key.to_owned());
            } else {
                related.remove(key);
            }
        }
    }

    /// Feeds one document (summarised by [`Analysis::summarize`]) to its corpus; returns the
    /// document keys of the others affected.
    fn set(
        &mut self,
        key: &str,
        document: Document,
        summary: DocumentSummary,
        view: TextView,
    ) -> Vec<DocumentKey> {
        let corpus = document.corpus.min(self.corpora.len() - 1);
        let core_key = self.core_key(corpus, key, &document.uri);
        self.related_to_open.remove(key);
        let mut affected = Vec::new();
        if let Some((previous, previous_key)) = self.placement.get(key).cloned() {
            if previous != corpus || previous_key != core_key {
                affected.extend(self.remove(key));
            }
        }
        let target = &mut self.corpora[corpus];
        target.documents.insert(core_key.clone(), key.to_owned());
        let core_affected = target.workspace.set_summary(&core_key, summary);
        affected.extend(
            core_affected
                .iter()
                .filter_map(|core| target.documents.get(core).cloned()),
        );
        self.placement.insert(key.to_owned(), (corpus, core_key));
        // The text lives in the view (open documents) or is dropped (closed ones).
        let document = Document {
            text: None,
            ..document
        };
        self.fed.insert(key.to_owned(), (document, view));
        affected
    }

    /// Feeds closed documents while indexing, without asking the core who they affect (the
    /// batch path of `gazette check`: band by band, no neighbour lists): their diagnostics and
    /// their neighbours' wait for the flush. Returns the documents it could not take this way
    /// (moving to another corpus), to [`Analysis::set`] one by one.
    fn set_deferred(
        &mut self,
        items: Vec<(DocumentKey, Document, DocumentSummary, TextView)>,
    ) -> Vec<(DocumentKey, Document, DocumentSummary, TextView)> {
        let mut by_corpus: Vec<Vec<(String, DocumentSummary)>> =
            (0..self.corpora.len()).map(|_| Vec::new()).collect();
        let mut left = Vec::new();
        for (key, document, summary, view) in items {
            let corpus = document.corpus.min(self.corpora.len() - 1);
            let core_key = self.core_key(corpus, &key, &document.uri);
            if self
                .placement
                .get(&key)
                .is_some_and(|placed| *placed != (corpus, core_key.clone()))
            {
                left.push((key, document, summary, view));
                continue;
            }
            self.corpora[corpus]
                .documents
                .insert(core_key.clone(), key.clone());
            by_corpus[corpus].push((core_key.clone(), summary));
            self.placement.insert(key.clone(), (corpus, core_key));
            let document = Document {
                text: None,
                ..document
            };
            self.deferred.insert(key.clone());
            self.fed.insert(key, (document, view));
        }
        for (corpus, documents) in by_corpus.into_iter().enumerate() {
            if !documents.is_empty() {
                self.corpora[corpus].workspace.extend(documents);
            }
        }
        left
    }

    /// The fingerprints of a document's paragraphs (with words), as the core has them now.
    fn fingerprints_of(&self, key: &str) -> HashSet<u64> {
        self.placement
            .get(key)
            .and_then(|(corpus, core_key)| self.corpora[*corpus].workspace.summary(core_key))
            .map(|summary| {
                summary
                    .paragraphs()
                    .iter()
                    .filter(|paragraph| paragraph.words > 0)
                    .map(|paragraph| paragraph.fingerprint.0)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Of the documents the core says a change of `key` may affect (every document sharing a
    /// fingerprint or an LSH band with it, before or after), those whose findings can really
    /// change: documents with a finding about `key` before the change (`was_related`), and
    /// documents with a paragraph that is a copy of a paragraph of `key` (before or after: the
    /// fingerprints `before` and the current ones) or similar enough to one of its current
    /// paragraphs to be a near duplicate. In a corpus with a small vocabulary most documents
    /// share some LSH band with a long document; without this, each keystroke in it re-checked
    /// hundreds of documents whose findings could not change.
    fn really_affected(
        &self,
        key: &str,
        before: &HashSet<u64>,
        candidates: Vec<DocumentKey>,
        was_related: &dyn Fn(&str) -> bool,
    ) -> Vec<DocumentKey> {
        let Some((corpus, core_key)) = self.placement.get(key) else {
            return candidates;
        };
        let workspace = &self.corpora[*corpus].workspace;
        let Some(summary) = workspace.summary(core_key) else {
            return candidates;
        };
        let near = &workspace.config().rules.near_duplicate;
        let mut fingerprints = before.clone();
        // (band, rows) → paragraphs of `key` with those rows in that band.
        let mut bands: HashMap<u64, Vec<usize>, BuildHasherDefault<RowsHasher>> =
            HashMap::default();
        for (index, paragraph) in summary.paragraphs().iter().enumerate() {
            if paragraph.words == 0 {
                continue;
            }
            fingerprints.insert(paragraph.fingerprint.0);
            if paragraph.words < near.min_words {
                continue;
            }
            if let Some(signature) = summary.signature(index) {
                for band in 0..minhash::BANDS {
                    bands
                        .entry(band_rows_key(signature, band))
                        .or_default()
                        .push(index);
                }
            }
        }
        let similar = |signature: &minhash::Signature| {
            (0..minhash::BANDS).any(|band| {
                bands
                    .get(&band_rows_key(signature, band))
                    .is_some_and(|paragraphs| {
                        paragraphs.iter().any(|&index| {
                            summary.signature(index).is_some_and(|own| {
                                minhash::similarity(signature, own) >= near.threshold
                            })
                        })
                    })
            })
        };
        candidates
            .into_iter()
            .filter(|other| {
                if was_related(other) {
                    return true;
                }
                let Some(other_summary) = self
                    .placement
                    .get(other.as_str())
                    .filter(|(other_corpus, _)| other_corpus == corpus)
                    .and_then(|(_, other_core)| workspace.summary(other_core))
                else {
                    return true;
                };
                other_summary
                    .paragraphs()
                    .iter()
                    .enumerate()
                    .any(|(index, paragraph)| {
                        paragraph.words > 0
                            && (fingerprints.contains(&paragraph.fingerprint.0)
                                || (paragraph.words >= near.min_words
                                    && other_summary.signature(index).is_some_and(similar)))
                    })
            })
            .collect()
    }

    /// Removes a document; returns the document keys of the others affected.
    fn remove(&mut self, key: &str) -> Vec<DocumentKey> {
        self.fed.remove(key);
        self.related_to_open.remove(key);
        self.deferred.remove(key);
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
            self.deferred.clear();
            self.related_to_open.clear();
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
    /// Compute and publish the diagnostics deferred while indexing.
    flush: bool,
}

/// One document whose diagnostics should be sent.
struct Publication {
    key: DocumentKey,
    uri: Uri,
    version: Option<i32>,
    generation: u64,
    /// The analysis to publish, `None` to clear the document's diagnostics. Shared with the
    /// results, not copied: a flush publishes thousands of documents, each copied only while
    /// it is sent.
    analyzed: Option<Arc<Analyzed>>,
    changed: bool,
    previously_empty: bool,
}

impl Publication {
    fn is_empty(&self) -> bool {
        self.analyzed
            .as_ref()
            .is_none_or(|analyzed| analyzed.lsp_diagnostics.is_empty())
    }
}

/// Runs until the session shuts down.
///
/// While an indexing run reads documents ([`Session::indexing_runs`]), closed documents are
/// only fed to the core: their diagnostics (and those of the closed documents they affect) are
/// deferred, because each batch would otherwise re-diagnose every indexed document sharing a
/// paragraph with it, which is quadratic in the corpus. Open documents stay current
/// throughout. Once indexing is over and nothing is dirty, one flush computes every deferred
/// diagnostic (in parallel) and publishes them, open documents first.
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
            let Some(batch) = take_batch(&session).or_else(|| take_flush(&session)) else {
                break;
            };
            let batch_keys: BTreeSet<DocumentKey> =
                batch.changes.iter().map(|(key, _)| key.clone()).collect();
            let to_tag = documents_to_tag(&session, &batch);
            let started = std::time::Instant::now();
            let worker_session = Arc::clone(&session);
            let publications =
                match tokio::task::spawn_blocking(move || analyze(&worker_session, batch)).await {
                    Ok(publications) => publications,
                    Err(error) => {
                        tracing::error!("analysis failed: {error}");
                        Vec::new()
                    }
                };
            let count = publications.len();
            publish(&session, publications, &batch_keys).await;
            tracing::debug!(
                "worker: {count} publication(s) in {:.2} ms",
                started.elapsed().as_secs_f64() * 1e3
            );
            session.worker_busy.store(false, Ordering::SeqCst);
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
        let document = state.documents.get_mut(&key).map(|document| {
            let taken = document.clone();
            // A closed document's text goes to the analysis, which keeps only the positions
            // of its paragraph boundaries: the state remembers its stamp and reads it back.
            if !document.is_open() {
                document.text = None;
            }
            taken
        });
        changes.push((key, document));
    }
    // Under the state lock, so that [`Session::analysis_settled`] never sees the work neither
    // dirty nor busy.
    session.worker_busy.store(true, Ordering::SeqCst);
    Some(Batch {
        changes,
        roots,
        encoding: state.encoding,
        flush: false,
    })
}

/// The flush of deferred diagnostics, once no indexing run is reading documents any more (the
/// caller has found nothing dirty).
fn take_flush(session: &Session) -> Option<Batch> {
    let state = session.state();
    if session.indexing_runs.load(Ordering::SeqCst) > 0
        || session.deferred_documents.load(Ordering::SeqCst) == 0
    {
        return None;
    }
    session.worker_busy.store(true, Ordering::SeqCst);
    Some(Batch {
        changes: Vec::new(),
        roots: None,
        encoding: state.encoding,
        flush: true,
    })
}

/// A document's diagnostics, computed by [`analyze`] before result ids are assigned.
struct Computed {
    key: DocumentKey,
    document: Document,
    view: TextView,
    diagnostics: Vec<gazette_core::diagnostic::Diagnostic>,
    lsp_diagnostics: Vec<lsp::Diagnostic>,
}

/// Feeds a batch to the core and converts the findings of every document it may have changed.
fn analyze(session: &Session, batch: Batch) -> Vec<Publication> {
    let mut analysis = session.analysis();
    let analysis = &mut *analysis;
    if analysis.corpora.is_empty() && batch.roots.is_none() {
        analysis.configure(Vec::new());
    }
    let started = std::time::Instant::now();
    let deferring =
        session.indexing_runs.load(Ordering::SeqCst) > 0 || !analysis.deferred.is_empty();
    let mut touched: BTreeSet<DocumentKey> = BTreeSet::new();
    // Documents to feed, in order: those whose text is unchanged but must be fed again (new
    // corpora or summaries), then the batch.
    let mut feeds: Vec<(DocumentKey, Option<Document>)> = Vec::new();
    if let Some(roots) = batch.roots {
        let previous: Vec<DocumentKey> = analysis.placement.keys().cloned().collect();
        let previous_fed = std::mem::take(&mut analysis.fed);
        match analysis.configure(roots) {
            Reconfigured::Refeed => {
                // Feed the text the core last saw; newer text is in this or a later batch.
                let state = session.state();
                for key in previous {
                    if let (Some((fed, view)), Some(document)) =
                        (previous_fed.get(&key), state.documents.get(&key))
                    {
                        let mut fed = fed.clone();
                        fed.corpus = document.corpus;
                        fed.text = view.text().cloned();
                        feeds.push((key, Some(fed)));
                    }
                }
            }
            Reconfigured::Recheck => {
                analysis.fed = previous_fed;
                touched.extend(previous);
            }
        }
    }
    feeds.extend(batch.changes);
    let fed = feeds.len();
    let read_back = |key: &str, document: &Document| session.text_of(key, document);
    let summaries = analysis.summarize(&feeds, batch.encoding, &read_back);
    let mut bulk = Vec::new();
    for ((key, document), summary) in feeds.into_iter().zip(summaries) {
        match (document, summary) {
            (Some(document), Some((summary, view)))
                if deferring && !batch.flush && !document.is_open() =>
            {
                bulk.push((key, document, summary, view));
            }
            (Some(document), Some((summary, view))) => {
                // An edit in the editor.
                let summary = if !deferring && document.is_open() {
                    let results = session.results();
                    match analysis.set_in_place(&key, &document, summary, &view, &results) {
                        Ok(affected) => {
                            touched.extend(affected);
                            touched.insert(key);
                            continue;
                        }
                        Err(summary) => summary,
                    }
                } else {
                    summary
                };
                // While deferring, closed neighbours wait for the flush anyway: no need to sort
                // out which of them really changed.
                let before = (!deferring).then(|| analysis.fingerprints_of(&key));
                let affected = analysis.set(&key, document, summary, view);
                touched.extend(match before {
                    Some(before) => {
                        let results = session.results();
                        let was_related = |other: &str| {
                            results
                                .get(other)
                                .is_some_and(|analyzed| relates_to(&analyzed.diagnostics, &key))
                        };
                        analysis.really_affected(&key, &before, affected, &was_related)
                    }
                    None => affected,
                });
                touched.insert(key);
            }
            _ => {
                touched.extend(analysis.remove(&key));
                touched.insert(key);
            }
        }
    }
    for (key, document, summary, view) in analysis.set_deferred(bulk) {
        touched.extend(analysis.set(&key, document, summary, view));
        touched.insert(key);
    }
    if batch.flush {
        touched.extend(std::mem::take(&mut analysis.deferred));
        // Documents fed in bulk did not say whom they affect: open documents are checked again
        // too (closed ones were all deferred).
        touched.extend(
            analysis
                .fed
                .iter()
                .filter(|(_, (document, _))| document.is_open())
                .map(|(key, _)| key.clone()),
        );
    } else if deferring {
        // Closed documents wait for the flush; open ones are diagnosed now.
        let state = session.state();
        let (open, closed): (BTreeSet<DocumentKey>, BTreeSet<DocumentKey>) =
            std::mem::take(&mut touched).into_iter().partition(|key| {
                state
                    .documents
                    .get(key)
                    .is_none_or(|document| document.is_open())
            });
        touched = open;
        analysis.deferred.extend(
            closed
                .into_iter()
                .filter(|key| analysis.fed.contains_key(key)),
        );
    }
    session
        .deferred_documents
        .store(analysis.deferred.len(), Ordering::SeqCst);
    let fed_in = started.elapsed();

    // Compute in parallel under a read lock, then swap the results in under a short write lock.
    let computed: Vec<Computed> = {
        let analysis = &*analysis;
        let text_of = |key: &str| -> Option<(Uri, TextView)> {
            analysis
                .fed
                .get(key)
                .map(|(document, view)| (document.uri.clone(), view.clone()))
        };
        let touched: Vec<&DocumentKey> = touched.iter().collect();
        let annotation_directories = crate::review::AnnotationDirectories::default();
        map_in_parallel(&touched, |key| {
            let (document, view) = analysis.fed.get(key.as_str())?;
            let mut diagnostics = analysis.diagnostics(key);
            let mut view = view.clone();
            // Curators' decisions whose text is gone are findings too (GZ901). Their ranges
            // are anywhere in the text, so a closed document that has some converts them
            // against its text, read back.
            if annotation_directories.may_have_annotations(&document.uri) {
                let orphans = crate::review::orphan_diagnostics(&document.uri, || {
                    let text = match &view {
                        TextView::Text(rope) => rope.clone(),
                        TextView::Boundaries(_) => session.text_of(key, document)?,
                    };
                    view = TextView::Text(text.clone());
                    Some(text.to_string())
                });
                diagnostics.extend(orphans);
            }
            let lsp_diagnostics: Vec<lsp::Diagnostic> = diagnostics
                .iter()
                .map(|diagnostic| {
                    convert::diagnostic_to_lsp(diagnostic, &view, batch.encoding, &text_of)
                })
                .collect();
            Some(Computed {
                key: (*key).clone(),
                document: document.clone(),
                view,
                diagnostics,
                lsp_diagnostics,
            })
        })
        .into_iter()
        .flatten()
        .collect()
    };
    let mut publications = Vec::with_capacity(computed.len());
    let mut results = session.results_mut();
    for computed in computed {
        let Computed {
            key,
            document,
            view,
            diagnostics,
            lsp_diagnostics,
        } = computed;
        analysis.note_relations(&key, &diagnostics);
        let previous = results.get(&key);
        let previously_empty = previous.is_none_or(|p| p.lsp_diagnostics.is_empty());
        let changed = previous.is_none_or(|p| p.lsp_diagnostics != lsp_diagnostics);
        let result_id = match previous {
            Some(previous) if !changed => previous.result_id,
            _ => {
                analysis.next_result_id += 1;
                analysis.next_result_id
            }
        };
        let analyzed = Arc::new(Analyzed {
            uri: document.uri.clone(),
            view,
            generation: document.generation,
            version: document.version,
            problem: document.problem,
            diagnostics,
            lsp_diagnostics,
            result_id,
        });
        publications.push(Publication {
            key: key.clone(),
            uri: document.uri,
            version: document.version,
            generation: document.generation,
            analyzed: Some(Arc::clone(&analyzed)),
            changed,
            previously_empty,
        });
        results.insert(key, analyzed);
    }
    // Documents that left the corpus: their diagnostics are cleared.
    for key in &touched {
        if analysis.placement.contains_key(key) {
            continue;
        }
        if let Some(previous) = results.remove(key) {
            publications.push(Publication {
                key: key.clone(),
                uri: previous.uri.clone(),
                version: None,
                generation: 0,
                analyzed: None,
                changed: true,
                previously_empty: previous.lsp_diagnostics.is_empty(),
            });
        }
    }
    // Open documents first: the editor shows those.
    publications.sort_by_key(|publication| publication.version.is_none());
    tracing::debug!(
        "analysis: fed {fed} document(s) in {:.2} ms, diagnosed {} in {:.2} ms{}",
        fed_in.as_secs_f64() * 1e3,
        publications.len(),
        (started.elapsed() - fed_in).as_secs_f64() * 1e3,
        if batch.flush {
            " (deferred diagnostics)"
        } else {
            ""
        },
    );
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
        if publication.is_empty() && publication.previously_empty {
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
                publication
                    .analyzed
                    .map(|analyzed| analyzed.lsp_diagnostics.clone())
                    .unwrap_or_default(),
                publication.version,
            )
            .await;
    }
}
