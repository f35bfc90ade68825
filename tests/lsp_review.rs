//! The review flow over LSP: code actions on suggested tags, commands that write the annotation
//! file atomically, re-anchoring after an edit above, orphans with quick fixes, and export.

use gazette_tests::TempDir;
use gazette_tests::lsp_client::{LspClient, editor_capabilities, file_uri, initialize_params};
use serde_json::{Value, json};

/// An LSP position (UTF-8 columns; the client offers UTF-8) of a byte offset in one-line-aware text.
fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let column = before.len() - before.rfind('\n').map_or(0, |n| n + 1);
    json!({"line": line, "character": column})
}

fn range_of(text: &str, needle: &str, nth: usize) -> Value {
    let start = text
        .match_indices(needle)
        .nth(nth)
        .expect("needle present")
        .0;
    json!({"start": position(text, start), "end": position(text, start + needle.len())})
}

async fn actions_at(client: &LspClient, uri: &str, range: Value) -> Vec<Value> {
    let result = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": range, "context": {"diagnostics": []}}),
        )
        .await;
    result.as_array().cloned().unwrap_or_default()
}

fn titled<'a>(actions: &'a [Value], prefix: &str) -> Option<&'a Value> {
    actions
        .iter()
        .find(|a| a["title"].as_str().is_some_and(|t| t.starts_with(prefix)))
}

async fn run(client: &LspClient, action: &Value) {
    let command = &action["command"];
    client
        .request(
            "workspace/executeCommand",
            json!({"command": command["command"], "arguments": command["arguments"]}),
        )
        .await;
}

#[tokio::test]
async fn review_decisions_are_stored_reanchored_orphaned_and_exported() {
    let dir = TempDir::new();
    let text = "Chairman Tho welcomed the delegation from Daegu.\n\nDaegu and Đà Nẵng signed an agreement.\n";
    dir.write("gazette.toml", "");
    let path = dir.write("news/a.txt", text);
    let uri = file_uri(&path);
    let client = LspClient::in_process();
    let mut capabilities = editor_capabilities();
    capabilities["general"]["positionEncodings"] = json!(["utf-8"]);
    client
        .initialize(initialize_params(capabilities, &[dir.path()], json!({})))
        .await;
    client.open(&uri, 1, text);

    // Suggestions get accept / reject / relabel / link actions.
    let actions = actions_at(&client, &uri, range_of(text, "Daegu", 0)).await;
    assert!(
        titled(&actions, "Accept LOC “Daegu” (KR:daegu)").is_some(),
        "{actions:#?}"
    );
    assert!(titled(&actions, "Change “Daegu” to ORG").is_some());
    let reject = titled(&actions, "Reject LOC “Daegu”")
        .expect("a reject action")
        .clone();
    run(&client, &reject).await;
    let stored = dir.read(".gazette/annotations/news/a.txt.json");
    assert!(
        stored.contains("\"status\": \"rejected\"") && stored.contains("\"exact\": \"Daegu\""),
        "{stored}"
    );

    // The rejected suggestion is gone from the actions; the other mention keeps its suggestion.
    let actions = actions_at(&client, &uri, range_of(text, "Daegu", 0)).await;
    assert!(
        titled(&actions, "Accept LOC “Daegu”").is_none(),
        "{actions:#?}"
    );
    let actions = actions_at(&client, &uri, range_of(text, "Daegu", 1)).await;
    assert!(
        titled(&actions, "Accept LOC “Daegu”").is_some(),
        "{actions:#?}"
    );

    // Hovers follow the decision: nothing on the rejected mention, the locality on the other.
    let hover = |range: Value| {
        let client = &client;
        let uri = uri.clone();
        async move {
            client
                .request(
                    "textDocument/hover",
                    json!({"textDocument": {"uri": uri}, "position": range["start"]}),
                )
                .await
        }
    };
    assert_eq!(
        hover(range_of(text, "Daegu", 0)).await,
        Value::Null,
        "the rejected mention has no hover"
    );
    assert!(
        hover(range_of(text, "Daegu", 1))
            .await
            .to_string()
            .contains("Daegu"),
        "the other mention keeps its hover"
    );

    // Annotate a selection by hand: "delegation" as an organisation.
    let actions = actions_at(&client, &uri, range_of(text, "delegation", 0)).await;
    run(
        &client,
        titled(&actions, "Annotate “delegation” as ORG").expect("annotate action"),
    )
    .await;

    // An edit above both: the decisions follow their text.
    let edited = format!("Tin mới 📰\n{text}");
    client.change(
        &uri,
        2,
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}),
        "Tin mới 📰\n",
    );
    let actions = actions_at(&client, &uri, range_of(&edited, "Daegu", 0)).await;
    assert!(
        titled(&actions, "Accept LOC “Daegu”").is_none(),
        "still rejected after the edit: {actions:#?}"
    );
    let actions = actions_at(&client, &uri, range_of(&edited, "delegation", 0)).await;
    assert!(
        titled(&actions, "Reject ORG “delegation”").is_some(),
        "still accepted after the edit: {actions:#?}"
    );

    // Rewriting the annotated word orphans its annotation: a GZ901 diagnostic with quick fixes.
    let skip = client.notification_count();
    let rewritten = edited.replacen("delegation", "visitors", 1);
    client.change(&uri, 3, range_of(&edited, "delegation", 0), "visitors");
    let diagnostics = client
        .diagnostics_after(skip, &uri, |d| d.iter().any(|d| d["code"] == "GZ901"))
        .await;
    let orphan = diagnostics.iter().find(|d| d["code"] == "GZ901").unwrap();
    assert!(
        orphan["message"].as_str().unwrap().contains("“delegation”"),
        "{orphan}"
    );
    let actions = actions_at(&client, &uri, orphan["range"].clone()).await;
    let reattach = titled(&actions, "Re-attach the annotation to “visitors”")
        .expect("re-attach")
        .clone();
    assert!(titled(&actions, "Delete the orphaned annotation").is_some());
    let skip = client.notification_count();
    run(&client, &reattach).await;
    client
        .diagnostics_after(skip, &uri, |d| !d.iter().any(|d| d["code"] == "GZ901"))
        .await;
    let stored = dir.read(".gazette/annotations/news/a.txt.json");
    assert!(stored.contains("\"exact\": \"visitors\""), "{stored}");

    // The editor saves; `gazette export` sees the decisions at their new places.
    std::fs::write(&path, &rewritten).unwrap();
    let out = dir.path().join("out");
    let output = std::process::Command::new(gazette_tests::gazette_binary())
        .args(["export", "news", "--format", "jsonl", "--out"])
        .arg(&out)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let exported: Value = serde_json::from_str(
        std::fs::read_to_string(out.join("annotations.jsonl"))
            .unwrap()
            .trim(),
    )
    .unwrap();
    let spans: Vec<(String, String)> = exported["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["text"].as_str().unwrap().to_owned(),
                s["label"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        spans.contains(&("visitors".into(), "ORG".into())),
        "{spans:?}"
    );
    assert_eq!(
        spans
            .iter()
            .filter(|(t, l)| t == "Daegu" && l == "LOC")
            .count(),
        1,
        "one Daegu rejected: {spans:?}"
    );
    client.shutdown().await;
}

/// Polls the annotation file until `done` holds (the server writes it from a background task).
async fn wait_for_file(dir: &TempDir, relative: &str, done: impl Fn(&str) -> bool) -> String {
    for _ in 0..200 {
        let content = std::fs::read_to_string(dir.path().join(relative)).unwrap_or_default();
        if done(&content) {
            return content;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!(
        "{relative} never reached the expected state: {}",
        std::fs::read_to_string(dir.path().join(relative)).unwrap_or_default()
    );
}

fn stored_start(content: &str) -> u64 {
    let file: Value = serde_json::from_str(content).unwrap();
    file["annotations"][0]["target"]["selector"][0]["start"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn saving_refreshes_stored_selectors_and_outside_changes_are_picked_up() {
    let dir = TempDir::new();
    let text = "Chairman Tho welcomed the delegation from Daegu.\n\nDaegu and Đà Nẵng signed.\n";
    dir.write("gazette.toml", "");
    let path = dir.write("news/a.txt", text);
    let uri = file_uri(&path);
    let annotations = ".gazette/annotations/news/a.txt.json";
    let client = LspClient::in_process();
    let mut capabilities = editor_capabilities();
    capabilities["general"]["positionEncodings"] = json!(["utf-8"]);
    client
        .initialize(initialize_params(capabilities, &[dir.path()], json!({})))
        .await;
    client.open(&uri, 1, text);
    let actions = actions_at(&client, &uri, range_of(text, "Daegu", 0)).await;
    run(&client, titled(&actions, "Reject LOC “Daegu”").unwrap()).await;
    let before = dir.read(annotations);
    assert_eq!(stored_start(&before), 42);

    // An edit above, then a save: the file on disk gets selectors for the saved text (10 code
    // points further, emoji included), with the decision unchanged.
    let edited = format!("Tin mới 📰\n{text}");
    client.change(
        &uri,
        2,
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}),
        "Tin mới 📰\n",
    );
    std::fs::write(&path, &edited).unwrap();
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    let after = wait_for_file(&dir, annotations, |c| stored_start(c) != 42).await;
    assert_eq!(stored_start(&after), 52, "{after}");
    assert!(after.contains("\"status\": \"rejected\""), "{after}");
    assert_ne!(
        serde_json::from_str::<Value>(&before).unwrap()["annotations"][0]["target"]["text_hash"],
        serde_json::from_str::<Value>(&after).unwrap()["annotations"][0]["target"]["text_hash"],
    );

    // A save whose text differs from the file on disk (another program wrote it) writes nothing.
    std::fs::write(&path, format!("Other text.\n{edited}")).unwrap();
    client.change(
        &uri,
        3,
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}),
        "X",
    );
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        dir.read(annotations),
        after,
        "nothing written for a mismatched save"
    );
    client.change(
        &uri,
        4,
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}),
        "",
    );

    // Another tool turns the rejection into an acceptance: once the watcher reports the file,
    // the hover on that mention comes back.
    let hover_first_daegu = || {
        let client = &client;
        let uri = uri.clone();
        let position = range_of(&edited, "Daegu", 0)["start"].clone();
        async move {
            client
                .request(
                    "textDocument/hover",
                    json!({"textDocument": {"uri": uri}, "position": position}),
                )
                .await
        }
    };
    assert_eq!(hover_first_daegu().await, Value::Null);
    std::fs::write(
        dir.path().join(annotations),
        after.replace("\"rejected\"", "\"accepted\""),
    )
    .unwrap();
    let annotation_uri = file_uri(&dir.path().join(annotations));
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": annotation_uri, "type": 2}]}),
    );
    let hover = hover_first_daegu().await;
    assert!(hover.to_string().contains("Daegu"), "{hover}");
    client.shutdown().await;
}

#[tokio::test]
async fn re_encoding_a_document_in_nfd_orphans_nothing() {
    use unicode_normalization::UnicodeNormalization;
    let dir = TempDir::new();
    let text = "Đoàn đại biểu Đà Nẵng thăm Quảng Nam.\n";
    dir.write("gazette.toml", "");
    let path = dir.write("a.txt", text);
    let uri = file_uri(&path);
    let client = LspClient::in_process();
    let mut capabilities = editor_capabilities();
    capabilities["general"]["positionEncodings"] = json!(["utf-8"]);
    client
        .initialize(initialize_params(capabilities, &[dir.path()], json!({})))
        .await;
    client.open(&uri, 1, text);
    let actions = actions_at(&client, &uri, range_of(text, "Quảng Nam", 0)).await;
    run(&client, titled(&actions, "Accept LOC “Quảng Nam”").unwrap()).await;

    // The whole text is replaced by its NFD form (what some editors and tools write).
    let nfd: String = text.nfd().collect();
    client.change(
        &uri,
        2,
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}}),
        &nfd,
    );
    // Pull diagnostics wait for the analysis of the new text.
    let report = client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    assert_eq!(report["kind"], "full", "{report}");
    assert!(
        !report["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "GZ901"),
        "{report:#}"
    );
    // The accepted annotation still holds: no "Accept" offered on the NFD mention.
    let actions = actions_at(
        &client,
        &uri,
        range_of(&nfd, &"Quảng Nam".nfd().collect::<String>(), 0),
    )
    .await;
    assert!(titled(&actions, "Reject LOC").is_some(), "{actions:#?}");
    assert!(titled(&actions, "Accept LOC").is_none(), "{actions:#?}");
    assert!(
        titled(&actions, "Delete the orphaned annotation").is_none(),
        "{actions:#?}"
    );
    client.shutdown().await;
}
