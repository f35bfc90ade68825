//! `textDocument/diagnostic`: pull diagnostics for one document, answered once the analysis has
//! caught up with the text the editor sees.

use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    DocumentDiagnosticParams, DocumentDiagnosticReport, DocumentDiagnosticReportResult,
    FullDocumentDiagnosticReport, RelatedFullDocumentDiagnosticReport,
    RelatedUnchangedDocumentDiagnosticReport, UnchangedDocumentDiagnosticReport,
};

use crate::session::Session;
use crate::state::document_key;

/// How long a pull request waits for a pending analysis before answering with what it has.
pub const FRESHNESS_TIMEOUT: Duration = Duration::from_secs(5);

/// Handles the request. Unknown documents get an empty report, not an error: the client may
/// ask about any file it shows.
pub async fn handle(
    session: &Arc<Session>,
    params: DocumentDiagnosticParams,
) -> Result<DocumentDiagnosticReportResult> {
    let key = document_key(&params.text_document.uri);
    let analyzed = session.fresh_analysis(&key, FRESHNESS_TIMEOUT).await;
    let report = match analyzed {
        Some(analyzed) => {
            let result_id = analyzed.result_id.to_string();
            if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
                DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                    related_documents: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                        result_id,
                    },
                })
            } else {
                full(Some(result_id), analyzed.lsp_diagnostics.clone())
            }
        }
        None => full(None, Vec::new()),
    };
    Ok(DocumentDiagnosticReportResult::Report(report))
}

fn full(
    result_id: Option<String>,
    items: Vec<tower_lsp_server::ls_types::Diagnostic>,
) -> DocumentDiagnosticReport {
    DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
        related_documents: None,
        full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id, items },
    })
}
