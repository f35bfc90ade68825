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

/// Fails the test with the command's stderr unless it exited 0.
fn assert_succeeded(output: &std::process::Output) {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
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
    assert_succeeded(&output);
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

const HAMLET: &str = r#"{"places": [
  {"id": "VN:my-hamlet", "kind": "commune", "country": "VN", "parent": "VN:tam-ky",
   "names": [{"lang": "vi", "name": "Xóm Mới Tinh"}]}
]}
"#;

/// A corpus whose `gazette.toml` names a user gazetteer in a subdirectory.
fn corpus_with_gazetteer_key() -> gazette_tests::TempDir {
    let temp = gazette_tests::TempDir::new();
    temp.write("gazette.toml", "gazetteer = \"data/places.json\"\n");
    temp.write("data/places.json", HAMLET);
    temp.write("docs/doc.txt", "Đoàn đến Tam Kỳ và xã Xóm Mới Tinh.\n");
    temp
}

fn loc_norms(stdout: &[u8]) -> Vec<(String, String)> {
    let line: serde_json::Value = serde_json::from_slice(stdout).unwrap();
    line["spans"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["label"] == "LOC")
        .map(|s| {
            let text = s["text"].as_str().unwrap().to_owned();
            (text, s["norm"].as_str().unwrap().to_owned())
        })
        .collect()
}

#[test]
fn tag_uses_the_gazetteer_named_in_gazette_toml() {
    let temp = corpus_with_gazetteer_key();
    // The key's path is relative to gazette.toml, wherever `gazette tag` runs from.
    let output = gazette()
        .current_dir(temp.path().join("docs"))
        .args(["tag", "doc.txt"])
        .output()
        .unwrap();
    assert_succeeded(&output);
    let expected = [("Tam Kỳ", "VN:tam-ky"), ("Xóm Mới Tinh", "VN:my-hamlet")]
        .map(|(a, b)| (a.to_owned(), b.to_owned()));
    assert_eq!(loc_norms(&output.stdout), expected);
}

#[test]
fn report_counts_and_describes_the_places_of_the_user_gazetteer() {
    let temp = corpus_with_gazetteer_key();
    let output = gazette()
        .current_dir(temp.path())
        .args(["report", "docs", "--out", "report.html"])
        .output()
        .unwrap();
    assert_succeeded(&output);
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(temp.path().join("report.json")).unwrap())
            .unwrap();
    let hamlet = data["localities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["id"] == "VN:my-hamlet")
        .unwrap_or_else(|| panic!("no user place in {}", data["localities"]));
    assert_eq!(hamlet["name"], "Xóm Mới Tinh");
    assert_eq!(hamlet["kind"], "commune");
    assert_eq!(hamlet["mentions"], 1);
}

#[test]
fn a_broken_gazetteer_in_gazette_toml_is_a_configuration_error() {
    let temp = corpus_with_gazetteer_key();
    temp.write("data/places.json", r#"{"places": [{"id": "X"}]}"#);
    for command in ["tag", "check"] {
        let output = gazette()
            .args([command])
            .arg(temp.path().join("docs/doc.txt"))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{command}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("places.json"), "{command}: {stderr}");
        assert!(stderr.contains("missing field"), "{command}: {stderr}");
    }
    // A missing file too.
    std::fs::remove_file(temp.path().join("data/places.json")).unwrap();
    let output = gazette()
        .arg("check")
        .arg(temp.path().join("docs"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot read gazetteer file"), "{stderr}");
}

#[test]
fn check_accepts_a_valid_gazetteer() {
    let temp = corpus_with_gazetteer_key();
    let output = gazette()
        .arg("check")
        .arg(temp.path().join("docs"))
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn gazetteer_key_is_in_the_config_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(&gazette_core::config::json_schema()).unwrap();
    assert!(
        schema["properties"]["gazetteer"]["description"]
            .as_str()
            .is_some_and(|d| d.contains("relative to") && d.contains("`gazette.toml`")),
        "{schema:#}"
    );
}

/// Go to definition on a locality the user's gazetteer defines opens its entry in that file;
/// a built-in locality still goes to its first mention.
#[tokio::test]
async fn definition_of_a_user_place_is_its_gazetteer_entry() {
    use gazette_tests::lsp_client::{LspClient, editor_capabilities, file_uri, initialize_params};
    use serde_json::json;

    let temp = corpus_with_gazetteer_key();
    let doc = temp.path().join("docs/doc.txt");
    let places = temp.path().join("data/places.json");
    let client = LspClient::in_process();
    let mut capabilities = editor_capabilities();
    capabilities["general"]["positionEncodings"] = json!(["utf-16"]);
    client
        .initialize(initialize_params(
            capabilities,
            &[temp.path()],
            serde_json::Value::Null,
        ))
        .await;
    client.wait_for_indexing().await;
    let text = std::fs::read_to_string(&doc).unwrap();
    let at = |needle: &str| {
        let offset = text.find(needle).unwrap();
        let character = text[..offset].encode_utf16().count();
        json!({"textDocument": {"uri": file_uri(&doc)},
               "position": {"line": 0, "character": character}})
    };
    // The first tagging with a user gazetteer indexes every name again (slow in a debug
    // build, beyond the server's freshness wait): ask until the mention is there.
    let started = std::time::Instant::now();
    let target = loop {
        let target = client
            .request("textDocument/definition", at("Xóm Mới Tinh"))
            .await;
        if !target.is_null() || started.elapsed() > std::time::Duration::from_secs(300) {
            break target;
        }
    };
    assert_eq!(target["uri"], file_uri(&places).as_str(), "{target}");
    // The id of the entry, on the second line of the file (UTF-16 columns).
    let line = HAMLET.lines().nth(1).unwrap();
    let column = line.find("VN:my-hamlet").unwrap();
    assert_eq!(
        target["range"],
        json!({"start": {"line": 1, "character": column},
               "end": {"line": 1, "character": column + "VN:my-hamlet".len()}})
    );
    let target = client
        .request("textDocument/definition", at("Tam Kỳ"))
        .await;
    assert_eq!(target["uri"], file_uri(&doc).as_str(), "{target}");

    // Hover shows the user's place like a built-in one: kind, parent (a built-in city), country,
    // and the file that defines it.
    let hover_text =
        |hover: &serde_json::Value| hover["contents"]["value"].as_str().unwrap_or("").to_owned();
    let hover = hover_text(
        &client
            .request("textDocument/hover", at("Xóm Mới Tinh"))
            .await,
    );
    assert!(hover.contains("**Xóm Mới Tinh** — locality"), "{hover}");
    assert!(hover.contains("commune, in Tam Kỳ, country VN"), "{hover}");
    assert!(
        hover.contains("Defined in your gazetteer `places.json`"),
        "{hover}"
    );

    // The user gazetteer is watched by its file name...
    let registration = client
        .server_requests()
        .into_iter()
        .find(|r| r["method"] == "client/registerCapability")
        .expect("file watchers registered");
    let globs: Vec<String> =
        registration["params"]["registrations"][0]["registerOptions"]["watchers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["globPattern"].as_str().unwrap().to_owned())
            .collect();
    assert!(globs.contains(&"**/places.json".to_owned()), "{globs:?}");
    // ...and a change on disk is read again without a restart: the new name shows in the hover.
    std::fs::write(
        &places,
        HAMLET.replace(
            r#"[{"lang": "vi", "name": "Xóm Mới Tinh"}]"#,
            r#"[{"lang": "vi", "name": "Xóm Mới Tinh"}, {"lang": "en", "name": "New Hamlet"}]"#,
        ),
    )
    .unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&places), "type": 2}]}),
    );
    let started = std::time::Instant::now();
    let hover = loop {
        let hover = hover_text(
            &client
                .request("textDocument/hover", at("Xóm Mới Tinh"))
                .await,
        );
        if hover.contains("New Hamlet") || started.elapsed() > std::time::Duration::from_secs(300) {
            break hover;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(hover.contains("Also: New Hamlet (en)"), "{hover}");
    client.shutdown().await;
}
