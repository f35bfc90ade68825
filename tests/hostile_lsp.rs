//! Hostile clients for the real `gazette serve` binary over stdio: framing that lies, requests
//! before `initialize`, unknown methods, huge positions, oversized documents, a client that
//! vanishes mid-request, `kill -9` during indexing, and symlinks out of the workspace.
//!
//! Covered elsewhere and not repeated: bodies that are not JSON or not JSON-RPC, parameters of
//! the wrong shape and unknown requests in process (`lsp.rs::malformed_messages_get_errors_and_
//! the_server_keeps_going`), out-of-range edit positions (`lsp.rs::out_of_range_positions_are_
//! clamped`), stale versions (`lsp.rs::stale_and_orphan_changes_are_rejected`).

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gazette_tests::lsp_client::{
    LspClient, editor_capabilities, file_uri, frame, initialize_params,
};
use gazette_tests::{TempDir, gazette_binary};
use serde_json::{Value, json};

fn spawn() -> LspClient {
    let mut command = tokio::process::Command::new(gazette_binary());
    command.arg("serve");
    LspClient::spawn(command)
}

async fn start(folders: &[&Path]) -> LspClient {
    let client = spawn();
    client
        .initialize(initialize_params(
            editor_capabilities(),
            folders,
            Value::Null,
        ))
        .await;
    client
}

/// An error response's code.
fn error_code(response: &Value) -> i64 {
    response["error"]["code"]
        .as_i64()
        .unwrap_or_else(|| panic!("not an error response: {response}"))
}

#[tokio::test]
async fn a_content_length_that_lies_costs_one_message_not_the_session() {
    let client = start(&[]).await;
    // Too short: the header claims 10 bytes of a longer body.
    let body = r#"{"jsonrpc":"2.0","id":900,"method":"shutdown"}"#;
    client.send_raw(format!("Content-Length: 10\r\n\r\n{body}").into_bytes());
    let response = client
        .request_raw("gazette/documentText", json!({"uri": "untitled:none"}))
        .await;
    assert_eq!(error_code(&response), -32602, "{response}");
    // Too long: the header claims more bytes than the body has, so the next message is eaten.
    let body = r#"{"jsonrpc":"2.0","method":"$/noop"}"#;
    client.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len() + 40).into_bytes());
    client.send_raw(frame(
        r#"{"jsonrpc":"2.0","method":"$/sacrificed","params":{}}"#,
    ));
    let response = client
        .request_raw("gazette/documentText", json!({"uri": "untitled:none"}))
        .await;
    assert_eq!(error_code(&response), -32602, "{response}");
    // A header that is not a number, and garbage between messages.
    client.send_raw(b"Content-Length: lots\r\n\r\n{}".to_vec());
    client.send_raw(b"\x00\xff garbage \r\n\r\n".to_vec());
    client.open("untitled:alive", 1, "still here");
    assert_eq!(
        client.document_text("untitled:alive").await["text"],
        "still here"
    );
    // Every parse error was answered with a null id; the shutdown hidden in the short body
    // was never executed.
    let parse_errors: Vec<Value> = client
        .notifications()
        .into_iter()
        .filter(|m| m["error"]["code"] == -32700)
        .collect();
    assert!(!parse_errors.is_empty());
    assert!(parse_errors.iter().all(|m| m["id"] == Value::Null));
    client.shutdown().await;
}

#[tokio::test]
async fn requests_before_initialize_are_refused_and_notifications_ignored() {
    let client = spawn();
    let response = client
        .request_raw(
            "textDocument/hover",
            json!({"textDocument": {"uri": "untitled:early"}, "position": {"line": 0, "character": 0}}),
        )
        .await;
    assert_eq!(error_code(&response), -32002, "{response}");
    client.open("untitled:early", 1, "opened too early");
    client
        .initialize(initialize_params(editor_capabilities(), &[], Value::Null))
        .await;
    let response = client
        .request_raw("gazette/documentText", json!({"uri": "untitled:early"}))
        .await;
    assert_eq!(error_code(&response), -32602, "{response}");
    // Unknown methods: requests get -32601, notifications are ignored.
    let response = client
        .request_raw("gazette/noSuchThing", json!([1, 2]))
        .await;
    assert_eq!(error_code(&response), -32601, "{response}");
    client.notify("$/unknownNotification", json!({"x": 1}));
    client.notify("custom/whatever", Value::Null);
    client.open("untitled:later", 1, "fine");
    assert_eq!(client.document_text("untitled:later").await["text"], "fine");
    client.shutdown().await;
}

#[tokio::test]
async fn huge_positions_get_answers_or_invalid_params() {
    let dir = TempDir::new();
    dir.write("gazette.toml", "");
    let path = dir.write(
        "a.txt",
        "Đà Nẵng and Daegu 🇻🇳\r\nmet in Osan on 17 October 2016.\n",
    );
    let client = start(&[dir.path()]).await;
    let uri = file_uri(&path);
    client.open(&uri, 1, &std::fs::read_to_string(&path).unwrap());
    let max = json!({"line": u32::MAX, "character": u32::MAX});
    let everything = json!({"start": {"line": 0, "character": 0}, "end": max});
    let requests = [
        (
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": max}),
        ),
        (
            "textDocument/definition",
            json!({"textDocument": {"uri": uri}, "position": max}),
        ),
        (
            "textDocument/references",
            json!({"textDocument": {"uri": uri}, "position": max, "context": {"includeDeclaration": true}}),
        ),
        (
            "textDocument/documentHighlight",
            json!({"textDocument": {"uri": uri}, "position": max}),
        ),
        (
            "textDocument/semanticTokens/range",
            json!({"textDocument": {"uri": uri}, "range": everything}),
        ),
        (
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri}, "range": everything}),
        ),
        (
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": max, "end": max}, "context": {"diagnostics": []}}),
        ),
    ];
    for (method, params) in requests {
        let response = client.request_raw(method, params).await;
        assert!(response.get("error").is_none(), "{method}: {response}");
    }
    // Numbers that are not u32 are invalid parameters, and the session goes on.
    for position in [
        json!({"line": 1u64 << 40, "character": 0}),
        json!({"line": -1, "character": 0}),
        json!({"line": 0.5, "character": "x"}),
    ] {
        let response = client
            .request_raw(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": position}),
            )
            .await;
        assert_eq!(error_code(&response), -32602, "{response}");
    }
    let change = json!({"start": {"line": 1u64 << 40, "character": 0}, "end": max});
    client.change(&uri, 2, change, "ignored");
    client.change(&uri, 3, json!({"start": max, "end": max}), "!");
    let view = client.document_text(&uri).await;
    assert_eq!(view["version"], 3);
    assert!(
        view["text"].as_str().unwrap().ends_with("2016.\n!"),
        "{view}"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn documents_over_the_size_limit_are_reported_not_analysed() {
    let dir = TempDir::new();
    dir.write("gazette.toml", "[files]\nmax-size-bytes = 1000\n");
    let big_on_disk = dir.write("disk.txt", "Da Nang and Daegu.\n".repeat(100));
    let opened = dir.path().join("opened.txt");
    let client = start(&[dir.path()]).await;
    client.wait_for_indexing().await;
    let uri = file_uri(&opened);
    client.open(&uri, 1, &"Da Nang and Daegu. ".repeat(100));
    for path in [&big_on_disk, &opened] {
        let uri = file_uri(path);
        let diagnostics = client
            .diagnostics_after(0, &uri, |diagnostics| !diagnostics.is_empty())
            .await;
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0]["code"], "GZ900");
        assert!(
            diagnostics[0]["message"]
                .as_str()
                .unwrap()
                .contains("the limit is 1000 bytes"),
            "{diagnostics:?}"
        );
    }
    // Edits keep applying while the document is too large, and bring it back under the limit.
    client.change(
        &uri,
        2,
        json!({"start": {"line": 0, "character": 19}, "end": {"line": 0, "character": 1900}}),
        "",
    );
    assert_eq!(
        client.document_text(&uri).await["text"],
        "Da Nang and Daegu. "
    );
    let marker = client.notification_count();
    let diagnostics = client
        .diagnostics_after(marker, &uri, |diagnostics| {
            diagnostics.iter().all(|d| d["code"] != "GZ900")
        })
        .await;
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    client.shutdown().await;
}

/// Reads a child's stdout to the end on a thread.
fn drain(mut stdout: std::process::ChildStdout) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        bytes
    })
}

/// Splits a stream of LSP frames into bodies, failing on anything that is not a frame.
fn frames(mut bytes: &[u8]) -> Vec<Value> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let text = std::str::from_utf8(bytes).unwrap_or_default();
        let header_end = text.find("\r\n\r\n").expect("a header block");
        let length: usize = text[..header_end]
            .strip_prefix("Content-Length: ")
            .expect("a Content-Length header")
            .parse()
            .unwrap();
        let body = &bytes[header_end + 4..header_end + 4 + length];
        out.push(serde_json::from_slice(body).expect("a JSON body"));
        bytes = &bytes[header_end + 4 + length..];
    }
    out
}

fn wait_with_timeout(child: &mut std::process::Child, limit: Duration) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("gazette serve still running {limit:?} after its client went away");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn message(body: Value) -> Vec<u8> {
    frame(&body.to_string())
}

#[test]
fn a_client_that_vanishes_mid_request_ends_the_server() {
    let dir = TempDir::new();
    dir.write("gazette.toml", "");
    for n in 0..300 {
        dir.write(
            &format!("{n:03}.txt"),
            format!(
                "Document {n} about Da Nang and Daegu.\nA shared line about Quảng Nam province.\n"
            ),
        );
    }
    let mut child = Command::new(gazette_binary())
        .arg("serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = drain(child.stdout.take().unwrap());
    let mut stdin = child.stdin.take().unwrap();
    let params = initialize_params(json!({}), &[dir.path()], Value::Null);
    stdin
        .write_all(&message(
            json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params}),
        ))
        .unwrap();
    stdin
        .write_all(&message(
            json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        ))
        .unwrap();
    stdin
        .write_all(&message(json!({
            "jsonrpc": "2.0", "id": 2, "method": "workspace/symbol", "params": {"query": "nang"}
        })))
        .unwrap();
    // Half a message, then the client is gone.
    stdin
        .write_all(b"Content-Length: 500\r\n\r\n{\"jsonrpc\":")
        .unwrap();
    drop(stdin);
    let status = wait_with_timeout(&mut child, Duration::from_secs(30));
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(status.success(), "{status}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    // Whatever the server said before it stopped is well-framed protocol, nothing else.
    let said = frames(&stdout.join().unwrap());
    assert_eq!(said[0]["id"], 1, "{said:?}");
}

#[test]
fn kill_9_during_indexing_loses_no_saved_annotation() {
    let dir = TempDir::new();
    dir.write("gazette.toml", "");
    let mut saved = Vec::new();
    for n in 0..200 {
        let text = format!("Published: October 17, 2016\nĐà Nẵng and Daegu, part {n}.\n");
        dir.write(&format!("{n:03}.txt"), &text);
        // A decision recorded on an older text: the server re-anchors it when it indexes.
        let old_text = format!("Đà Nẵng and Daegu, part {n}.\n");
        let start = 0u32;
        let annotation = gazette_core::annotation::Annotation::new(
            &old_text,
            gazette_core::annotation::NewAnnotation {
                range: gazette_core::text::TextRange::new(start, "Đà Nẵng".len() as u32),
                label: gazette_core::tag::EntityLabel::Loc,
                norm: Some("VN:da-nang".to_owned()),
                status: gazette_core::annotation::AnnotationStatus::Accepted,
                creator: Some("curator"),
                created: Some("2026-12-01T00:00:00Z"),
            },
        )
        .unwrap();
        let mut file = gazette_core::annotation::AnnotationFile::new(format!("{n:03}.txt"));
        file.upsert(annotation);
        let relative = format!(".gazette/annotations/{n:03}.txt.json");
        dir.write(&relative, file.render());
        saved.push((relative, file));
    }
    for delay in [50u64, 300, 1000] {
        let mut child = Command::new(gazette_binary())
            .arg("serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let params = initialize_params(editor_capabilities(), &[dir.path()], Value::Null);
        stdin
            .write_all(&message(
                json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params}),
            ))
            .unwrap();
        stdin
            .write_all(&message(
                json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
            ))
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().unwrap();
        child.wait().unwrap();
        // Every annotation file still parses and still holds its decision.
        for (relative, file) in &saved {
            let now = gazette_core::annotation::AnnotationFile::parse(&dir.read(relative))
                .unwrap_or_else(|error| panic!("{relative}: {error}"));
            assert_eq!(now.annotations.len(), 1, "{relative}");
            assert_eq!(now.annotations[0].id, file.annotations[0].id);
            assert_eq!(now.annotations[0].status, file.annotations[0].status);
        }
        // And the documents themselves were never written.
        for n in 0..200 {
            assert_eq!(
                dir.read(&format!("{n:03}.txt")),
                format!("Published: October 17, 2016\nĐà Nẵng and Daegu, part {n}.\n")
            );
        }
    }
}

#[tokio::test]
async fn symlinks_out_of_the_workspace_are_not_indexed() {
    let outside = TempDir::new();
    let secret =
        "A paragraph that lives outside the corpus\nA paragraph that lives outside the corpus\n";
    outside.write("secret.txt", secret);
    outside.write("dir/other.txt", secret);
    let corpus = TempDir::new();
    corpus.write("gazette.toml", "");
    corpus.write(
        "inside.txt",
        "A line inside the corpus\nA line inside the corpus\n",
    );
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        corpus.path().join("secret.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path().join("dir"), corpus.path().join("outside")).unwrap();
    std::os::unix::fs::symlink(corpus.path(), corpus.path().join("loop")).unwrap();
    let client = start(&[corpus.path()]).await;
    client.wait_for_indexing().await;
    let inside = file_uri(&corpus.path().join("inside.txt"));
    client
        .diagnostics_after(0, &inside, |diagnostics| !diagnostics.is_empty())
        .await;
    let published: Vec<String> = client
        .notifications()
        .iter()
        .filter(|n| n["method"] == "textDocument/publishDiagnostics")
        .map(|n| n["params"]["uri"].as_str().unwrap().to_owned())
        .collect();
    assert!(published.iter().all(|uri| uri == &inside), "{published:?}");
    let symbols = client
        .request("workspace/symbol", json!({"query": ""}))
        .await;
    assert!(!symbols.to_string().contains("secret"), "{symbols}");
    client.shutdown().await;
    assert_eq!(outside.read("secret.txt"), secret);
}

#[tokio::test]
async fn a_hostile_workspace_configuration_is_reported_not_fatal() {
    let dir = TempDir::new();
    // A glob past globset's size limit used to panic the server while it loaded the folder.
    dir.write(
        "gazette.toml",
        format!("[files]\nexclude = [\"{}\"]\n", "[!a]".repeat(300_000)),
    );
    let path = dir.write(
        "a.txt",
        "A repeated line of text\nA repeated line of text\n",
    );
    let client = start(&[dir.path()]).await;
    let logged = client
        .wait_for("the configuration error", |messages| {
            messages
                .iter()
                .filter(|m| m["method"] == "window/logMessage")
                .map(|m| {
                    m["params"]["message"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned()
                })
                .find(|message| message.contains("too large to compile"))
        })
        .await;
    assert!(logged.contains("gazette.toml"), "{logged}");
    // The folder is still served, with the default configuration.
    let uri = file_uri(&path);
    let diagnostics = client
        .diagnostics_after(0, &uri, |diagnostics| !diagnostics.is_empty())
        .await;
    assert_eq!(diagnostics[0]["code"], "GZ001");
    client.shutdown().await;
}
