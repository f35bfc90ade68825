//! `initialized`: register the file watchers, pull the settings and start indexing.

use std::sync::Arc;

use tower_lsp_server::ls_types::{
    DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern, MessageType,
    Registration,
};

use crate::session::Session;

/// The id of the dynamic file-watcher registration.
pub const WATCHER_REGISTRATION_ID: &str = "gazette/watched-files";

/// Handles the notification.
pub async fn handle(session: &Arc<Session>) {
    // Load the built-in gazetteer while the client settles, so that the first hover or
    // semantic-token request does not pay for it.
    tokio::task::spawn_blocking(|| {
        gazette_core::tag::locality::LocalityTagger::builtin();
    });
    super::did_change_configuration::pull_settings(session).await;
    let dynamic_watchers = session.state().client.dynamic_file_watchers;
    if dynamic_watchers {
        let options = DidChangeWatchedFilesRegistrationOptions {
            // Annotation files too: decisions written by `gazette import` or another tool show
            // up in tokens, hovers and orphan diagnostics without a restart.
            watchers: [
                "**/*.txt",
                "**/gazette.toml",
                "**/.gazette/annotations/**/*.json",
            ]
            .into_iter()
            .map(|glob| FileSystemWatcher {
                glob_pattern: GlobPattern::String(glob.to_owned()),
                kind: None,
            })
            .collect(),
        };
        let registration = Registration {
            id: WATCHER_REGISTRATION_ID.to_owned(),
            method: "workspace/didChangeWatchedFiles".to_owned(),
            register_options: serde_json::to_value(options).ok(),
        };
        if let Err(error) = session.client.register_capability(vec![registration]).await {
            session.log(
                MessageType::WARNING,
                format!("cannot watch files, changes on disk will be missed: {error}"),
            );
        }
    }
    tokio::spawn(crate::indexer::index_workspace(Arc::clone(session)));
}
