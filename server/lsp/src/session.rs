//! The shared session: the document state, the analysis results and the handle to the client,
//! shared by the ordered service layer, the handlers, the analysis worker and the indexer.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard};

use tokio::sync::{Notify, watch};
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::MessageType;

use crate::analysis::{Analysis, Analyzed};
use crate::entities::Entities;
use crate::settings::LogLevel;
use crate::state::{Document, DocumentKey, State};
use ropey::Rope;

/// Everything the server knows, shared behind an `Arc`.
pub struct Session {
    /// The connection back to the editor.
    pub client: Client,
    /// Documents, roots and settings; mutated in wire order (see [`crate::state`]).
    state: Mutex<State>,
    /// The core's incremental workspaces; touched only by the analysis worker.
    pub(crate) analysis: Mutex<Analysis>,
    /// The latest analysis of every document, read by request handlers.
    results: RwLock<HashMap<DocumentKey, Arc<Analyzed>>>,
    /// The corpus entity index, updated by the analysis worker after each batch.
    entities: RwLock<Entities>,
    /// The last semantic tokens sent per document, for delta requests.
    semantic_tokens:
        Mutex<HashMap<DocumentKey, (String, Vec<tower_lsp_server::ls_types::SemanticToken>)>>,
    /// Documents the analysis worker handed over for tagging, latest request per document.
    pub(crate) pending_tags: Mutex<HashMap<DocumentKey, crate::entities::ToTag>>,
    /// Wakes the tagger when `pending_tags` is not empty.
    pub(crate) tag_wake: Notify,
    /// Counts hand-overs to the tagger, so that it can wait for a pause in typing.
    pub(crate) tag_requests: std::sync::atomic::AtomicU64,
    /// Held while documents are tagged on demand (see [`crate::entities::tag_on_demand`]).
    pub(crate) on_demand_tagging: tokio::sync::Mutex<()>,
    /// Wakes the analysis worker when documents become dirty.
    pub(crate) wake: Notify,
    /// Bumped after every analysis batch, so that requests can wait for fresh results.
    pub(crate) epoch: watch::Sender<u64>,
    /// How many indexing runs are reading documents right now. While one is, the analysis
    /// worker only indexes closed documents and defers their diagnostics (see
    /// [`crate::analysis`]).
    pub(crate) indexing_runs: AtomicUsize,
    /// How many closed documents wait for the diagnostics deferred while indexing.
    pub(crate) deferred_documents: AtomicUsize,
    /// True while the analysis worker has taken work it has not published yet.
    pub(crate) worker_busy: AtomicBool,
    shut_down: AtomicBool,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").finish_non_exhaustive()
    }
}

impl Session {
    /// A session with no documents yet.
    pub fn new(client: Client) -> Session {
        Session {
            client,
            state: Mutex::new(State::default()),
            analysis: Mutex::new(Analysis::default()),
            results: RwLock::new(HashMap::new()),
            entities: RwLock::new(Entities::default()),
            semantic_tokens: Mutex::new(HashMap::new()),
            pending_tags: Mutex::new(HashMap::new()),
            tag_wake: Notify::new(),
            tag_requests: std::sync::atomic::AtomicU64::new(0),
            on_demand_tagging: tokio::sync::Mutex::new(()),
            wake: Notify::new(),
            epoch: watch::channel(0).0,
            indexing_runs: AtomicUsize::new(0),
            deferred_documents: AtomicUsize::new(0),
            worker_busy: AtomicBool::new(false),
            shut_down: AtomicBool::new(false),
        }
    }

    /// Locks the state. A panic while the lock was held (a bug) must not take the whole server
    /// down with poisoned locks, so poisoning is ignored: the state is plain data and stays usable.
    pub fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Reads the analysis results.
    pub fn results(&self) -> RwLockReadGuard<'_, HashMap<DocumentKey, Arc<Analyzed>>> {
        self.results
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The latest analysis of one document.
    pub fn analyzed(&self, key: &str) -> Option<Arc<Analyzed>> {
        self.results().get(key).cloned()
    }

    pub(crate) fn results_mut(
        &self,
    ) -> std::sync::RwLockWriteGuard<'_, HashMap<DocumentKey, Arc<Analyzed>>> {
        self.results
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The last semantic tokens sent per document (result id, tokens).
    pub fn semantic_tokens_cache(
        &self,
    ) -> MutexGuard<
        '_,
        HashMap<DocumentKey, (String, Vec<tower_lsp_server::ls_types::SemanticToken>)>,
    > {
        self.semantic_tokens
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Reads the entity index.
    pub fn entities(&self) -> RwLockReadGuard<'_, Entities> {
        self.entities
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn entities_mut(&self) -> std::sync::RwLockWriteGuard<'_, Entities> {
        self.entities
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn analysis(&self) -> MutexGuard<'_, Analysis> {
        self.analysis
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Marks the session as over: the worker and the indexer stop at their next step.
    pub fn shut_down(&self) {
        self.shut_down.store(true, Ordering::SeqCst);
        self.wake.notify_one();
        self.tag_wake.notify_one();
    }

    /// True when the analysis has caught up with every change and every indexing run: nothing
    /// is dirty, nothing is being analysed and no diagnostics are deferred.
    pub fn analysis_settled(&self) -> bool {
        let state = self.state();
        state.dirty.is_empty()
            && !state.reconfigured
            && !self.worker_busy.load(Ordering::SeqCst)
            && self.deferred_documents.load(Ordering::SeqCst) == 0
    }

    /// The text of `document` (a copy of the state's entry for `key`): the kept text, or for a
    /// closed document its file read back from disk. A file that changed on disk without a
    /// watcher event is adopted (the document is analysed again, like after a watched-file
    /// change) and `None` returned: `document` is outdated. Reads a file: call it off the
    /// async reader.
    pub fn text_of(&self, key: &str, document: &Document) -> Option<Rope> {
        if document.problem.is_some() {
            return Some(Rope::new());
        }
        let max_bytes = self.state().max_bytes(&document.uri);
        match crate::state::read_back(document, max_bytes) {
            Ok(text) => Some(text),
            Err(content) => {
                if self.state().adopt_disk_content(key, document, content) {
                    self.wake.notify_one();
                }
                None
            }
        }
    }

    /// The current text of a document with its state, read back from disk when it is closed
    /// (see [`Session::text_of`]); `None` for an unknown document.
    pub fn current_text(&self, key: &str) -> Option<(Document, Rope)> {
        // A file found changed is adopted on the first try: the second reads the new content.
        for _ in 0..2 {
            let document = self.state().documents.get(key)?.clone();
            if let Some(text) = self.text_of(key, &document) {
                return Some((document, text));
            }
        }
        None
    }

    /// True once the session is over.
    pub fn is_shut_down(&self) -> bool {
        self.shut_down.load(Ordering::SeqCst)
    }

    /// Logs to stderr and, at or above the configured level, to the editor's output.
    pub fn log(self: &Arc<Self>, message_type: MessageType, message: String) {
        match message_type {
            MessageType::ERROR => tracing::error!("{message}"),
            MessageType::WARNING => tracing::warn!("{message}"),
            MessageType::INFO => tracing::info!("{message}"),
            _ => tracing::debug!("{message}"),
        }
        let threshold = self.state().settings.log_level;
        if LogLevel::of_message_type(message_type) > threshold || threshold == LogLevel::Off {
            return;
        }
        // The notification is sent from a task: the caller may be the synchronous service
        // layer, which must not wait on the client.
        let session = Arc::clone(self);
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                session.client.log_message(message_type, message).await;
            });
        }
    }

    /// Waits (up to `timeout`) until the analysis has caught up with the current text of `key`,
    /// so that pull requests answer about the text the editor sees. Returns the latest results
    /// either way.
    pub async fn fresh_analysis(
        &self,
        key: &str,
        timeout: std::time::Duration,
    ) -> Option<Arc<Analyzed>> {
        let mut epochs = self.epoch.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let current_generation = self.state().documents.get(key).map(|d| d.generation);
            let analyzed = self.analyzed(key);
            let fresh = match (current_generation, &analyzed) {
                (Some(generation), Some(analyzed)) => analyzed.generation >= generation,
                (None, _) => true,
                (Some(_), None) => false,
            };
            if fresh || self.is_shut_down() {
                return analyzed;
            }
            match tokio::time::timeout_at(deadline, epochs.changed()).await {
                Ok(Ok(())) => continue,
                _ => return self.analyzed(key),
            }
        }
    }
}
