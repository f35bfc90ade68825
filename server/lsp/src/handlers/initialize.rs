//! `initialize`: negotiate the position encoding, read the settings and the workspace folders
//! (each with its own `gazette.toml`), and announce the capabilities.

use std::path::PathBuf;
use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{InitializeParams, InitializeResult, MessageType, ServerInfo};

use crate::capabilities::server_capabilities;
use crate::convert::PositionEncoding;
use crate::session::Session;
use crate::settings::{DiagnosticsMode, Settings};
use crate::state::{ClientSupport, Root};

/// Handles the request.
pub fn handle(session: &Arc<Session>, params: InitializeParams) -> Result<InitializeResult> {
    let encoding = PositionEncoding::negotiate(&params.capabilities);
    let client = ClientSupport::from_capabilities(&params.capabilities);
    let mut messages = Vec::new();
    let settings = match params.initialization_options.as_ref() {
        Some(options) => Settings::from_json(options).unwrap_or_else(|error| {
            messages.push(error);
            Settings::default()
        }),
        None => Settings::default(),
    };
    let mut folders: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|folder| folder.uri.to_file_path().map(|p| p.into_owned()))
        .collect();
    if folders.is_empty() {
        #[expect(deprecated, reason = "older clients only send rootUri")]
        let root_uri = params.root_uri.as_ref();
        folders.extend(root_uri.and_then(|uri| uri.to_file_path().map(|p| p.into_owned())));
    }
    let roots: Vec<Root> = folders.into_iter().map(Root::load).collect();
    messages.extend(roots.iter().filter_map(|root| root.config_error.clone()));
    let pull_diagnostics = client.pull_diagnostics && settings.diagnostics != DiagnosticsMode::Push;
    {
        let mut state = session.state();
        state.encoding = encoding;
        state.client = client;
        state.settings = settings;
        state.roots = roots;
        state.reconfigured = true;
        state.initialized = true;
    }
    for message in messages {
        session.log(MessageType::ERROR, message);
    }
    Ok(InitializeResult {
        capabilities: server_capabilities(encoding, pull_diagnostics),
        server_info: Some(ServerInfo {
            name: "gazette".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
        offset_encoding: None,
    })
}
