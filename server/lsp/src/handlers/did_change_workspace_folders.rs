//! `workspace/didChangeWorkspaceFolders`: workspace folders added and removed without a restart.
//!
//! The roots change in wire order ([`apply`], like document changes, because every later
//! message is placed by them); the added folders are then indexed in the background
//! ([`handle`]). Documents of removed folders leave the corpus and their diagnostics are cleared.

use std::path::PathBuf;
use std::sync::Arc;

use tower_lsp_server::ls_types::{DidChangeWorkspaceFoldersParams, WorkspaceFolder};

use crate::session::Session;
use crate::state::{Applied, State};

fn paths(folders: &[WorkspaceFolder]) -> Vec<PathBuf> {
    folders
        .iter()
        .filter_map(|folder| folder.uri.to_file_path().map(|path| path.into_owned()))
        .collect()
}

/// Applies the change to the roots in wire order.
pub fn apply(state: &mut State, params: &serde_json::Value) -> Option<Applied> {
    let params: DidChangeWorkspaceFoldersParams = super::parse(params)?;
    Some(state.change_roots(paths(&params.event.added), &paths(&params.event.removed)))
}

/// Indexes the added folders.
pub fn handle(session: &Arc<Session>, params: DidChangeWorkspaceFoldersParams) {
    let added = paths(&params.event.added);
    if !added.is_empty() {
        tokio::spawn(crate::indexer::index_roots(
            Arc::clone(session),
            Some(added),
        ));
    }
}
