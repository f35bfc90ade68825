//! The committed JSON Schema of the language server's editor settings matches the Rust type.

#[test]
fn editor_settings_schema_is_fresh() {
    let path = gazette_tests::repo_root().join("schema/editor-settings.schema.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = gazette_lsp::settings::json_schema();
    if committed != generated {
        // Fix the file, then fail so that the change is noticed and committed.
        std::fs::write(&path, &generated).unwrap();
        panic!("schema/editor-settings.schema.json was stale and has been regenerated; commit it");
    }
}
