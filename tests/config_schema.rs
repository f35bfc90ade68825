//! The committed JSON Schema of `gazette.toml` matches the Rust configuration types.

#[test]
fn config_schema_is_fresh() {
    let path = gazette_tests::repo_root().join("schema/config.schema.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = gazette_core::config::json_schema();
    if committed != generated {
        // Like rust-analyzer's `ensure_file_contents`: fix the file, then fail so the change is
        // noticed and committed.
        std::fs::write(&path, &generated).unwrap();
        panic!(
            "schema/config.schema.json was stale and has been regenerated \
             (`cargo xtask schema`); commit it"
        );
    }
}

#[test]
fn schema_describes_every_section() {
    let schema: serde_json::Value =
        serde_json::from_str(&gazette_core::config::json_schema()).unwrap();
    let properties = schema["properties"].as_object().unwrap();
    for section in [
        "files",
        "paragraphs",
        "rules",
        "per-path-ignores",
        "baseline",
        "tagging",
    ] {
        assert!(properties.contains_key(section), "missing {section}");
    }
    assert_eq!(schema["additionalProperties"], false);
}
