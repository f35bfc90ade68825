//! `workspace/diagnostic`: pull diagnostics for every document of the corpus, open or not.
//!
//! When nothing changed since the client's previous results, the request is held open until
//! the next analysis (or a timeout) instead of answering at once: clients re-send this request
//! as soon as it is answered, and an immediate "unchanged" would make them spin.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    FullDocumentDiagnosticReport, UnchangedDocumentDiagnosticReport, WorkspaceDiagnosticParams,
    WorkspaceDiagnosticReport, WorkspaceDiagnosticReportResult, WorkspaceDocumentDiagnosticReport,
    WorkspaceFullDocumentDiagnosticReport, WorkspaceUnchangedDocumentDiagnosticReport,
};

use crate::session::Session;
use crate::state::document_key;

/// How long an unchanged workspace report is held back.
const HOLD_UNCHANGED: Duration = Duration::from_secs(30);

/// Handles the request.
pub async fn handle(
    session: &Arc<Session>,
    params: WorkspaceDiagnosticParams,
) -> Result<WorkspaceDiagnosticReportResult> {
    let previous: HashMap<String, String> = params
        .previous_result_ids
        .iter()
        .map(|previous| (document_key(&previous.uri), previous.value.clone()))
        .collect();
    let mut epochs = session.epoch.subscribe();
    let deadline = tokio::time::Instant::now() + HOLD_UNCHANGED;
    loop {
        epochs.borrow_and_update();
        let (items, any_change) = report(session, &previous);
        if any_change || previous.is_empty() || session.is_shut_down() {
            return Ok(WorkspaceDiagnosticReportResult::Report(
                WorkspaceDiagnosticReport { items },
            ));
        }
        match tokio::time::timeout_at(deadline, epochs.changed()).await {
            Ok(Ok(())) => continue,
            _ => {
                return Ok(WorkspaceDiagnosticReportResult::Report(
                    WorkspaceDiagnosticReport { items },
                ));
            }
        }
    }
}

/// Builds the report; the flag says whether anything differs from the client's results.
fn report(
    session: &Session,
    previous: &HashMap<String, String>,
) -> (Vec<WorkspaceDocumentDiagnosticReport>, bool) {
    let results = session.results();
    let mut any_change = false;
    let mut items = Vec::with_capacity(results.len());
    let mut keys: Vec<&String> = results.keys().collect();
    keys.sort();
    for key in keys {
        let analyzed = &results[key];
        let result_id = analyzed.result_id.to_string();
        let version = analyzed.version.map(i64::from);
        if previous.get(key) == Some(&result_id) {
            items.push(WorkspaceDocumentDiagnosticReport::Unchanged(
                WorkspaceUnchangedDocumentDiagnosticReport {
                    uri: analyzed.uri.clone(),
                    version,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                        result_id,
                    },
                },
            ));
            continue;
        }
        // Documents that never had findings and still have none are not worth a line.
        if analyzed.lsp_diagnostics.is_empty() && !previous.contains_key(key) {
            continue;
        }
        any_change = true;
        items.push(WorkspaceDocumentDiagnosticReport::Full(
            WorkspaceFullDocumentDiagnosticReport {
                uri: analyzed.uri.clone(),
                version,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: Some(result_id),
                    items: analyzed.lsp_diagnostics.clone(),
                },
            },
        ));
    }
    // Documents that left the corpus: an empty report clears what the client shows.
    for (key, _) in previous
        .iter()
        .filter(|(key, _)| !results.contains_key(*key))
    {
        if let Ok(uri) = key.parse() {
            any_change = true;
            items.push(WorkspaceDocumentDiagnosticReport::Full(
                WorkspaceFullDocumentDiagnosticReport {
                    uri,
                    version: None,
                    full_document_diagnostic_report: FullDocumentDiagnosticReport::default(),
                },
            ));
        }
    }
    (items, any_change)
}
