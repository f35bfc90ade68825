//! The committed JSON Schema of `gazette.toml` matches the Rust configuration types.

#[test]
fn config_schema_is_fresh() {
    gazette_tests::ensure_file_contents(
        "schema/config.schema.json",
        &gazette_core::config::json_schema(),
        "`cargo xtask schema`",
    );
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
