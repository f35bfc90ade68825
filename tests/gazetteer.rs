//! The user gazetteer: its committed JSON Schema matches the Rust types, and `gazette tag
//! --gazetteer FILE` links mentions to the user's entries.

use std::process::Command;

#[test]
fn gazetteer_schema_is_fresh() {
    gazette_tests::ensure_file_contents(
        "schema/gazetteer.schema.json",
        &gazette_core::gazetteer::json_schema(),
        "`cargo xtask schema`",
    );
}

#[test]
fn schema_describes_place_fields() {
    let schema: serde_json::Value =
        serde_json::from_str(&gazette_core::gazetteer::json_schema()).unwrap();
    let place = &schema["$defs"]["Place"]["properties"];
    for field in [
        "id",
        "kind",
        "country",
        "parent",
        "names",
        "valid_from",
        "valid_to",
        "successor",
    ] {
        assert!(place.get(field).is_some(), "missing {field}");
    }
}

fn gazette() -> Command {
    Command::new(gazette_tests::gazette_binary())
}

#[test]
fn tag_uses_the_user_gazetteer() {
    let temp = gazette_tests::TempDir::new();
    let dir = temp.path();
    let places = dir.join("places.json");
    std::fs::write(
        &places,
        r#"{"places": [{"id": "VN:my-hamlet", "kind": "commune", "country": "VN",
            "parent": "VN:tam-ky", "names": [{"lang": "vi", "name": "Xóm Mới Tinh"}]}]}"#,
    )
    .unwrap();
    let doc = dir.join("doc.txt");
    std::fs::write(&doc, "Đoàn đến Tam Kỳ và xã Xóm Mới Tinh.\n").unwrap();
    let output = gazette()
        .args(["tag", "--gazetteer"])
        .arg(&places)
        .arg(&doc)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let line: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let norms: Vec<_> = line["spans"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["label"] == "LOC")
        .map(|s| (s["text"].as_str().unwrap(), s["norm"].as_str().unwrap()))
        .collect();
    assert_eq!(
        norms,
        [("Tam Kỳ", "VN:tam-ky"), ("Xóm Mới Tinh", "VN:my-hamlet")]
    );

    std::fs::write(&places, r#"{"places": [{"id": "X"}]}"#).unwrap();
    let output = gazette()
        .args(["tag", "--gazetteer"])
        .arg(&places)
        .arg(&doc)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("places.json"), "{stderr}");
    assert!(stderr.contains("missing field"), "{stderr}");
}
