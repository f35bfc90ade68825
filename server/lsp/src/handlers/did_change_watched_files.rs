//! `workspace/didChangeWatchedFiles`: closed documents and gazette.toml follow the disk.

use tower_lsp_server::ls_types::DidChangeWatchedFilesParams;

use crate::state::{Applied, State};

/// Applies the notification to the state (called in wire order).
pub fn apply(state: &mut State, params: &serde_json::Value) -> Option<Applied> {
    let params: DidChangeWatchedFilesParams = super::parse(params)?;
    Some(state.did_change_watched_files(params))
}
