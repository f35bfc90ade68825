//! The editor settings the clients offer match the language server's `Settings` type.
//!
//! `schema/editor-settings.schema.json` is generated from `gazette_lsp::settings::Settings`; the VS
//! Code extension derives its `contributes.configuration` from that file (`npm run sync-manifest`,
//! checked by `npm test`). These tests close the loop on the Rust side, so that a new server setting
//! fails `cargo test` until the schema and the extension's manifest are regenerated.

use std::path::Path;

use serde_json::Value;

fn generated_schema() -> String {
    let schema = schemars::schema_for!(gazette_lsp::settings::Settings);
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serializes");
    text.push('\n');
    text
}

fn read_json(path: &Path) -> Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

#[test]
fn editor_settings_schema_is_fresh() {
    let path = gazette_tests::repo_root().join("schema/editor-settings.schema.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = generated_schema();
    if committed != generated {
        // Like rust-analyzer's `ensure_file_contents`: fix the file, then fail so that the change is
        // noticed, and the VS Code manifest regenerated from it, before committing.
        std::fs::write(&path, &generated).unwrap();
        panic!(
            "schema/editor-settings.schema.json was stale and has been regenerated; run \
             `npm run compile && npm run sync-manifest` in editors/vscode and commit both"
        );
    }
}

#[test]
fn vscode_manifest_offers_every_server_setting_with_its_default() {
    let schema: Value = serde_json::from_str(&generated_schema()).unwrap();
    let manifest = read_json(&gazette_tests::repo_root().join("editors/vscode/package.json"));
    let settings = manifest["contributes"]["configuration"]["properties"]
        .as_object()
        .expect("package.json contributes settings");
    let defaults = serde_json::to_value(gazette_lsp::settings::Settings::default()).unwrap();
    let mut missing = Vec::new();
    let mut wrong_defaults = Vec::new();
    // Nested settings structs are flattened to dotted keys (`gazette.inlayHints.enabled`).
    let mut pending: Vec<(String, &Value)> = defaults
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, value)| (name.clone(), value))
        .collect();
    while let Some((path, default)) = pending.pop() {
        let key = format!("gazette.{path}");
        match settings.get(&key) {
            Some(setting) => {
                if setting["default"] != *default {
                    wrong_defaults.push(format!("{key}: {} != {default}", setting["default"]));
                }
            }
            None => match default.as_object() {
                Some(fields) if !fields.is_empty() => pending.extend(
                    fields
                        .iter()
                        .map(|(name, value)| (format!("{path}.{name}"), value)),
                ),
                _ => missing.push(key),
            },
        }
    }
    assert!(
        schema["properties"]
            .as_object()
            .is_some_and(|p| !p.is_empty()),
        "the settings schema has properties"
    );
    assert!(
        missing.is_empty() && wrong_defaults.is_empty(),
        "editors/vscode/package.json is stale (run `npm run compile && npm run sync-manifest` in \
         editors/vscode): missing {missing:?}, wrong defaults {wrong_defaults:?}"
    );
}
