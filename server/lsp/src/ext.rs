//! Custom requests of the Gazette protocol extension (mirrored by the editor plugins).
//!
//! - `gazette/documentText` `{ "uri" }` → `{ "uri", "version", "text" }`: the server's current
//!   view of a document (open or read from disk). Used by the ordering stress test and handy for
//!   debugging an editor integration.
//!
//! Commands (`workspace/executeCommand`):
//! - `gazette.reindex` (no arguments): re-reads every `gazette.toml` and every document of the
//!   workspace folders from disk (closed documents only; open ones belong to the editor), with
//!   the same `$/progress` as start-up indexing. Returns `null` once the indexing has started.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::Uri;

use crate::session::Session;
use crate::state::document_key;

/// The method name of [`document_text`].
pub const DOCUMENT_TEXT_METHOD: &str = "gazette/documentText";

/// The command that re-indexes the workspace.
pub const REINDEX_COMMAND: &str = "gazette.reindex";

/// Parameters of `gazette/documentText`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DocumentTextParams {
    /// The document.
    pub uri: Uri,
}

/// Result of `gazette/documentText`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentTextResult {
    /// The document, as the server reports it.
    pub uri: Uri,
    /// The editor's version, or `null` for a document read from disk.
    pub version: Option<i32>,
    /// The full text.
    pub text: String,
}

/// Answers `gazette/documentText`; an unknown document is an `InvalidParams` error.
pub fn document_text(
    session: &Arc<Session>,
    params: DocumentTextParams,
) -> Result<DocumentTextResult> {
    // A closed document's text is read back from disk (a change nobody reported is adopted).
    let (document, text) = session
        .current_text(&document_key(&params.uri))
        .ok_or_else(|| {
            Error::invalid_params(format!("unknown document {}", params.uri.as_str()))
        })?;
    Ok(DocumentTextResult {
        uri: document.uri,
        version: document.version,
        text: text.to_string(),
    })
}
