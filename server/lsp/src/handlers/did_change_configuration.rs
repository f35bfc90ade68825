//! `workspace/didChangeConfiguration`: new settings and a fresh read of every `gazette.toml`,
//! without a restart.
//!
//! Clients either send the settings inline (applied in wire order by [`apply`]) or send an empty
//! notification and expect the server to pull `workspace/configuration` (done by [`handle`]).

use std::sync::Arc;

use tower_lsp_server::ls_types::{ConfigurationItem, DidChangeConfigurationParams, MessageType};

use crate::session::Session;
use crate::settings::Settings;
use crate::state::{Applied, State};

/// True when the notification carries no settings and they must be pulled.
fn is_empty(settings: &serde_json::Value) -> bool {
    match settings {
        serde_json::Value::Null => true,
        serde_json::Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

/// Applies inline settings in wire order.
pub fn apply(state: &mut State, params: &serde_json::Value) -> Option<Applied> {
    let params: DidChangeConfigurationParams = super::parse(params)?;
    let mut applied = Applied::default();
    if is_empty(&params.settings) {
        return Some(applied);
    }
    match Settings::from_json(&params.settings) {
        Ok(settings) => state.set_settings(settings),
        Err(error) => applied.messages.push((MessageType::ERROR, error)),
    }
    for error in state.reload_configs() {
        applied.messages.push((MessageType::ERROR, error));
    }
    applied.wake = true;
    Some(applied)
}

/// Pulls the settings when the notification did not carry them.
pub async fn handle(session: &Arc<Session>, params: DidChangeConfigurationParams) {
    if !is_empty(&params.settings) {
        return;
    }
    pull_settings(session).await;
    let errors = session.state().reload_configs();
    for error in errors {
        session.log(MessageType::ERROR, error);
    }
    session.wake.notify_one();
    super::initialized::refresh_watchers(session).await;
}

/// Asks the client for the `gazette` section, when it supports `workspace/configuration`.
pub async fn pull_settings(session: &Arc<Session>) {
    if !session.state().client.configuration {
        return;
    }
    let items = vec![ConfigurationItem {
        scope_uri: None,
        section: Some("gazette".to_owned()),
    }];
    let Ok(mut values) = session.client.configuration(items).await else {
        return;
    };
    let Some(value) = values.pop() else {
        return;
    };
    if value.is_null() {
        return;
    }
    match Settings::from_json(&value) {
        Ok(settings) => session.state().set_settings(settings),
        Err(error) => session.log(MessageType::ERROR, error),
    }
}
