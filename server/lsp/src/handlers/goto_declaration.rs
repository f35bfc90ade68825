//! `textDocument/declaration`: the same target as definition (the first mention in corpus
//! order), offered because some editors bind only one of the two.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::request::{GotoDeclarationParams, GotoDeclarationResponse};

use crate::session::Session;

/// Handles the request.
pub async fn handle(
    session: &Arc<Session>,
    params: GotoDeclarationParams,
) -> Result<Option<GotoDeclarationResponse>> {
    super::goto_definition::handle(session, params).await
}
