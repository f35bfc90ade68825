//! The real `gazette serve` binary over stdio: a whole session from `initialize` to `exit`.

use gazette_tests::lsp_client::{LspClient, editor_capabilities, file_uri, initialize_params};
use serde_json::{Value, json};

#[tokio::test]
async fn gazette_serve_runs_a_session_over_stdio() {
    let corpus = gazette_tests::sample_corpus();
    let mut command = tokio::process::Command::new(gazette_tests::gazette_binary());
    command.args(["serve", "--stdio"]);
    let client = LspClient::spawn(command);
    let result = client
        .initialize(initialize_params(
            editor_capabilities(),
            &[&corpus],
            Value::Null,
        ))
        .await;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    client.wait_for_indexing().await;
    let first = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .min()
        .unwrap();
    let uri = file_uri(&first);
    client.open(&uri, 1, "Đà Nẵng\n");
    client.change(
        &uri,
        2,
        // UTF-8 was negotiated: "Đà Nẵng" is 11 bytes long.
        json!({"start": {"line": 0, "character": 11}, "end": {"line": 0, "character": 11}}),
        " 🇻🇳",
    );
    let view = client.document_text(&uri).await;
    assert_eq!(view["text"], "Đà Nẵng 🇻🇳\n");
    client.shutdown().await;
}

#[test]
fn gazette_serve_help_documents_its_options() {
    let output = std::process::Command::new(gazette_tests::gazette_binary())
        .args(["serve", "--help"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    assert!(help.contains("--stdio"), "{help}");
    assert!(help.contains("--log-level"), "{help}");
}
