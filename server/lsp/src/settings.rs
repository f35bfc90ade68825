//! Editor-side settings of the language server, read from `initializationOptions` and
//! `workspace/didChangeConfiguration` (or pulled with `workspace/configuration`, section
//! `gazette`).
//!
//! These settings tune the server's behaviour in the editor. What the corpus means (rules,
//! tagging) lives in each root's `gazette.toml`, shared with `gazette check` so that the editor
//! and CI agree.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types::MessageType;

/// All settings, in the JSON shape editors send (camelCase, every field optional).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct Settings {
    /// Milliseconds to wait after a change before analysing, so that a burst of keystrokes
    /// costs one analysis.
    pub debounce_ms: u64,
    /// The lowest level of server messages forwarded to the editor with `window/logMessage`.
    pub log_level: LogLevel,
    /// How diagnostics reach the editor.
    pub diagnostics: DiagnosticsMode,
    /// Whether to index every document of every workspace folder, not only the open ones.
    pub index_workspace: bool,
    /// Inlay hints showing the canonical name of an entity whose surface form differs.
    pub inlay_hints: InlayHintSettings,
    /// Whether semantic tokens (entity colouring) are produced.
    pub semantic_tokens: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            debounce_ms: 50,
            log_level: LogLevel::Info,
            diagnostics: DiagnosticsMode::Auto,
            index_workspace: true,
            inlay_hints: InlayHintSettings::default(),
            semantic_tokens: true,
        }
    }
}

/// Settings of the inlay hints.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct InlayHintSettings {
    /// Show hints at all.
    pub enabled: bool,
    /// Show hints for localities (`Wietnamie` → Vietnam).
    pub localities: bool,
    /// Show hints for dates (`17 October 2016` → 2016-10-17).
    pub dates: bool,
}

impl Default for InlayHintSettings {
    fn default() -> InlayHintSettings {
        InlayHintSettings {
            enabled: true,
            localities: true,
            dates: false,
        }
    }
}

/// How diagnostics are delivered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum DiagnosticsMode {
    /// Pull when the client supports `textDocument/diagnostic`, push otherwise.
    #[default]
    Auto,
    /// Always push with `textDocument/publishDiagnostics`.
    Push,
    /// Only answer pull requests (when the client supports them).
    Pull,
}

/// Levels of `window/logMessage`, from the most to the least severe.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum LogLevel {
    /// Nothing is forwarded.
    Off,
    /// Errors only.
    Error,
    /// Errors and warnings.
    Warn,
    /// Informational messages too (indexing summaries, configuration reloads).
    Info,
    /// Everything, including per-request traces.
    Debug,
}

impl LogLevel {
    /// The level of an LSP message type.
    pub fn of_message_type(message_type: MessageType) -> LogLevel {
        match message_type {
            MessageType::ERROR => LogLevel::Error,
            MessageType::WARNING => LogLevel::Warn,
            MessageType::INFO => LogLevel::Info,
            _ => LogLevel::Debug,
        }
    }
}

impl Settings {
    /// Reads settings sent by the client. Editors send either the `gazette` section itself or an
    /// object holding it; unknown keys are ignored and a malformed value keeps the defaults (the
    /// error is returned so that it can be reported).
    pub fn from_json(value: &serde_json::Value) -> Result<Settings, String> {
        let section = value.get("gazette").unwrap_or(value);
        if section.is_null() {
            return Ok(Settings::default());
        }
        serde_json::from_value(section.clone())
            .map_err(|error| format!("invalid gazette settings: {error}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn settings_accept_the_section_or_its_parent() {
        let direct = Settings::from_json(&json!({"debounceMs": 5})).unwrap();
        let nested = Settings::from_json(&json!({"gazette": {"debounceMs": 5}})).unwrap();
        assert_eq!(direct, nested);
        assert_eq!(direct.debounce_ms, 5);
        assert_eq!(direct.log_level, LogLevel::Info);
        assert_eq!(
            Settings::from_json(&serde_json::Value::Null).unwrap(),
            Settings::default()
        );
        assert!(Settings::from_json(&json!({"debounceMs": "soon"})).is_err());
    }
}
