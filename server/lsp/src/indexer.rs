//! Background indexing: at start-up every workspace folder is walked and its documents are read
//! in parallel (rayon) and handed to the analysis worker, with work-done progress reported to the
//! editor. Requests are served meanwhile, and open documents are analysed first (see
//! [`crate::analysis`]).
//!
//! This is the only filesystem access of the language server besides re-reading single files
//! named by the client (watched-file events, closing a document).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use rayon::prelude::*;
use tower_lsp_server::ls_types::{MessageType, NumberOrString, Uri};

use crate::session::Session;
use crate::state::{self, Root};

/// The progress token of the indexing run.
pub const PROGRESS_TOKEN: &str = "gazette/indexing";

/// Documents are handed to the state in chunks of this many, so that the state lock (which
/// `didChange` needs) is never held for long.
const CHUNK: usize = 64;

/// Reading pauses while more documents than this wait for the analysis worker.
const MAX_WAITING: usize = 2048;

/// Walks the roots, reads every document and waits until the worker has analysed them.
pub async fn index_workspace(session: Arc<Session>) {
    index_roots(session, None).await;
}

/// Like [`index_workspace`] for the roots at `only` (workspace folders just added), or every
/// root.
pub async fn index_roots(session: Arc<Session>, only: Option<Vec<PathBuf>>) {
    let (roots, enabled, progress_supported) = {
        let state = session.state();
        let roots: Vec<Root> = state
            .roots
            .iter()
            .filter(|root| only.as_ref().is_none_or(|only| only.contains(&root.path)))
            .cloned()
            .collect();
        (
            roots,
            state.settings.index_workspace,
            state.client.work_done_progress,
        )
    };
    if roots.is_empty() || !enabled {
        return;
    }
    let started = std::time::Instant::now();
    let token = NumberOrString::String(PROGRESS_TOKEN.to_owned());
    let progress = if progress_supported
        && session
            .client
            .create_work_done_progress(token.clone())
            .await
            .is_ok()
    {
        Some(
            session
                .client
                .progress(token, "Indexing")
                .with_message("finding documents")
                .with_percentage(0)
                .begin()
                .await,
        )
    } else {
        None
    };

    let walked_roots = roots.clone();
    let paths = match tokio::task::spawn_blocking(move || find_documents(&walked_roots)).await {
        Ok(paths) => paths,
        Err(_) => Vec::new(),
    };
    let total = paths.len();
    {
        // Files deleted since the last indexing (a re-index) leave the corpus.
        let keep: std::collections::HashSet<String> = paths
            .iter()
            .filter_map(|(path, _)| Uri::from_file_path(path))
            .map(|uri| state::document_key(&uri))
            .collect();
        let scanned: Vec<PathBuf> = roots.iter().map(|root| root.path.clone()).collect();
        if session.state().forget_closed_except(&keep, &scanned) > 0 {
            session.wake.notify_one();
        }
    }
    let read = Arc::new(AtomicUsize::new(0));
    // While documents are being read, the worker indexes them without diagnosing them; the
    // guard ends that (also when this task is aborted) and the worker then publishes every
    // deferred diagnostic once.
    let mut indexing = Some(IndexingRun::start(&session));
    let reader = {
        let session = Arc::clone(&session);
        let read = Arc::clone(&read);
        tokio::task::spawn_blocking(move || read_documents(&session, paths, &read))
    };

    // Report progress until every document has been read, analysed and published.
    let mut epochs = session.epoch.subscribe();
    loop {
        if session.is_shut_down() {
            return;
        }
        let read_so_far = read.load(Ordering::Relaxed);
        let pending = session.state().dirty.len().min(read_so_far);
        let done = read_so_far - pending;
        if let Some(progress) = &progress {
            let percentage = if total == 0 { 100 } else { done * 100 / total };
            progress
                .report_with_message(format!("{done}/{total} documents"), percentage as u32)
                .await;
        }
        if reader.is_finished() {
            if indexing.take().is_some() {
                session.wake.notify_one();
            }
            if session.analysis_settled() {
                break;
            }
        }
        let _ = tokio::time::timeout(Duration::from_millis(100), epochs.changed()).await;
    }
    let failures = reader.await.unwrap_or_default();
    for failure in failures {
        session.log(MessageType::WARNING, failure);
    }
    let message = format!(
        "indexed {total} documents in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    session.log(MessageType::INFO, message.clone());
    tracing::debug!(
        "the core's summaries and indexes take {:.1} MB",
        session.analysis().heap_bytes() as f64 / 1e6
    );
    if let Some(progress) = progress {
        progress.finish_with_message(message).await;
    }
}

/// One indexing run in progress, counted in [`Session::indexing_runs`] until dropped.
struct IndexingRun(Arc<Session>);

impl IndexingRun {
    fn start(session: &Arc<Session>) -> IndexingRun {
        session.indexing_runs.fetch_add(1, Ordering::SeqCst);
        IndexingRun(Arc::clone(session))
    }
}

impl Drop for IndexingRun {
    fn drop(&mut self) {
        self.0.indexing_runs.fetch_sub(1, Ordering::SeqCst);
        self.0.wake.notify_one();
    }
}

/// Every document under the roots, sorted (corpus order), honouring `.gitignore` and each
/// root's `files` globs like the CLI; each with its size limit.
fn find_documents(roots: &[Root]) -> Vec<(PathBuf, u64)> {
    let mut paths = Vec::new();
    for root in roots {
        for entry in ignore::WalkBuilder::new(&root.path)
            .hidden(true)
            .build()
            .flatten()
        {
            if entry.file_type().is_some_and(|t| t.is_file()) && root.accepts(entry.path()) {
                paths.push((entry.into_path(), root.config.files.max_size_bytes));
            }
        }
    }
    paths.sort();
    paths.dedup();
    paths
}

/// Reads the documents in parallel and adds them to the state; returns the failures to report.
fn read_documents(
    session: &Session,
    paths: Vec<(PathBuf, u64)>,
    read: &AtomicUsize,
) -> Vec<String> {
    let failures = std::sync::Mutex::new(Vec::new());
    for group in paths.chunks(CHUNK * 8) {
        // Texts wait in the state until the worker takes them: reading far ahead of it would
        // hold the whole corpus in memory at once. The wait happens here, on this thread, never
        // on rayon's: the worker summarises on rayon's pool, and reader tasks asleep there would
        // keep it from ever catching up.
        while session.state().dirty.len() > MAX_WAITING && !session.is_shut_down() {
            std::thread::sleep(Duration::from_millis(2));
        }
        if session.is_shut_down() {
            break;
        }
        group.par_chunks(CHUNK).for_each(|chunk| {
            let mut loaded = Vec::with_capacity(chunk.len());
            for (path, max_bytes) in chunk {
                match (
                    state::read_document_file(path, *max_bytes),
                    Uri::from_file_path(path),
                ) {
                    (Ok(content), Some(uri)) => loaded.push((uri, content)),
                    (Err(error), _) => failures
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(format!("cannot read {}: {error}", path.display())),
                    (Ok(_), None) => {}
                }
            }
            {
                let mut state = session.state();
                for (uri, content) in loaded {
                    state.add_indexed(uri, content);
                }
            }
            read.fetch_add(chunk.len(), Ordering::Relaxed);
            session.wake.notify_one();
        });
    }
    failures.into_inner().unwrap_or_else(|p| p.into_inner())
}
