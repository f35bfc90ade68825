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
