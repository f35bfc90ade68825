//! `initialized`: register the file watchers, pull the settings and start indexing.

use std::sync::Arc;

use tower_lsp_server::ls_types::{
    DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern, MessageType,
    Registration, Unregistration,
};

use crate::session::Session;

/// The id of the dynamic file-watcher registration.
pub const WATCHER_REGISTRATION_ID: &str = "gazette/watched-files";

/// Handles the notification.
pub async fn handle(session: &Arc<Session>) {
    // The built-in gazetteer is not loaded here: indexing needs no tagging (see
    // `crate::entities`), and the first opened document starts loading it in the tagger task.
    super::did_change_configuration::pull_settings(session).await;
    refresh_watchers(session).await;
    tokio::spawn(crate::indexer::index_workspace(Arc::clone(session)));
}

/// Registers the file watchers the client should run (see [`crate::state::State::watcher_globs`]),
/// replacing the previous registration when the set changed (a `gazette.toml` that names another
/// user gazetteer). Does nothing when the client cannot register watchers dynamically.
pub async fn refresh_watchers(session: &Arc<Session>) {
    let (globs, previous) = {
        let mut state = session.state();
        if !state.client.dynamic_file_watchers {
            return;
        }
        let globs = state.watcher_globs();
        if state.registered_watchers.as_ref() == Some(&globs) {
            return;
        }
        let previous = state.registered_watchers.replace(globs.clone());
        (globs, previous)
    };
    if previous.is_some() {
        let unregistration = Unregistration {
            id: WATCHER_REGISTRATION_ID.to_owned(),
            method: "workspace/didChangeWatchedFiles".to_owned(),
        };
        // A client that forgot the old registration is not an error worth showing.
        let _ = session
            .client
            .unregister_capability(vec![unregistration])
            .await;
    }
    let options = DidChangeWatchedFilesRegistrationOptions {
        watchers: globs
            .into_iter()
            .map(|glob| FileSystemWatcher {
                glob_pattern: GlobPattern::String(glob),
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
