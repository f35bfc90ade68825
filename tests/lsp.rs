//! The language server, in-process over `tokio::io::duplex`: initialization, document sync in
//! every position encoding, ordering under a burst of edits, robustness, indexing with progress,
//! diagnostics and code actions.

use std::path::{Path, PathBuf};

use expect_test::expect;
use gazette_tests::lsp_client::{LspClient, editor_capabilities, file_uri, initialize_params};
use serde_json::{Value, json};

/// Computes an LSP position for a byte offset, independently of the server's code.
fn position_of(text: &str, offset: usize, encoding: &str) -> Value {
    let before = &text[..offset];
    let mut line = 0;
    let mut line_start = 0;
    let bytes = before.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'\r' && bytes.get(index + 1) == Some(&b'\n') {
            index += 1;
        }
        if bytes[index] == b'\n' || bytes[index] == b'\r' {
            line += 1;
            line_start = index + 1;
        }
        index += 1;
    }
    let column_text = &before[line_start..];
    let character = match encoding {
        "utf-8" => column_text.len(),
        "utf-16" => column_text.encode_utf16().count(),
        _ => column_text.chars().count(),
    };
    json!({"line": line, "character": character})
}

fn range_of(text: &str, start: usize, end: usize, encoding: &str) -> Value {
    json!({"start": position_of(text, start, encoding), "end": position_of(text, end, encoding)})
}

/// A client that offers exactly `encodings` and uses push diagnostics.
async fn start(encodings: &[&str], folders: &[&Path], options: Value) -> LspClient {
    let client = LspClient::in_process();
    let mut capabilities = editor_capabilities();
    capabilities["general"]["positionEncodings"] = json!(encodings);
    client
        .initialize(initialize_params(capabilities, folders, options))
        .await;
    client
}

/// The "Keep this copy, delete the others" code action offered at `range` of `uri`.
async fn keep_this_copy(client: &LspClient, uri: &str, range: Value, diagnostics: Value) -> Value {
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": range,
                "context": {"diagnostics": diagnostics}
            }),
        )
        .await;
    actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Keep this copy, delete the others")
        .cloned()
        .unwrap_or_else(|| panic!("{actions:#}"))
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gazette-lsp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn initialize_announces_capabilities() {
    let client = LspClient::in_process();
    let result = client
        .initialize(initialize_params(editor_capabilities(), &[], Value::Null))
        .await;
    let rendered = serde_json::to_string_pretty(&result["capabilities"]).unwrap();
    expect![[r#"
        {
          "codeActionProvider": {
            "codeActionKinds": [
              "quickfix",
              "refactor.gazette.review"
            ],
            "resolveProvider": false
          },
          "declarationProvider": true,
          "definitionProvider": true,
          "documentHighlightProvider": true,
          "documentSymbolProvider": true,
          "executeCommandProvider": {
            "commands": [
              "gazette.reindex",
              "gazette.review.decide",
              "gazette.review.acceptAll",
              "gazette.review.delete",
              "gazette.review.reattach"
            ]
          },
          "experimental": {
            "gazette": {
              "documentText": "gazette/documentText"
            }
          },
          "hoverProvider": true,
          "inlayHintProvider": true,
          "positionEncoding": "utf-8",
          "referencesProvider": true,
          "semanticTokensProvider": {
            "full": {
              "delta": true
            },
            "legend": {
              "tokenModifiers": [],
              "tokenTypes": [
                "locality",
                "person",
                "organisation",
                "date",
                "duration"
              ]
            },
            "range": true
          },
          "textDocumentSync": {
            "change": 2,
            "openClose": true,
            "save": {
              "includeText": false
            }
          },
          "workspace": {
            "workspaceFolders": {
              "changeNotifications": true,
              "supported": true
            }
          },
          "workspaceSymbolProvider": true
        }"#]]
    .assert_eq(&rendered);
    assert_eq!(result["serverInfo"]["name"], "gazette");
    client.shutdown().await;
}

#[tokio::test]
async fn position_encoding_is_negotiated() {
    for (offered, chosen) in [
        (json!(["utf-16", "utf-8"]), "utf-8"),
        (json!(["utf-32", "utf-16"]), "utf-32"),
        (json!(["utf-16"]), "utf-16"),
        (Value::Null, "utf-16"),
    ] {
        let client = LspClient::in_process();
        let result = client
            .initialize(json!({"capabilities": {"general": {"positionEncodings": offered}}}))
            .await;
        assert_eq!(
            result["capabilities"]["positionEncoding"], chosen,
            "{offered}"
        );
        client.shutdown().await;
    }
}

/// Texts where UTF-8, UTF-16 and code-point columns all differ.
const TRICKY_TEXTS: &[(&str, &str)] = &[
    (
        "vietnamese-nfc",
        "Đà Nẵng và Quảng Nam\nhợp tác với Daegu\n",
    ),
    (
        "vietnamese-nfd",
        "D\u{31b}\u{300}a\u{300} N\u{103}\u{303}ng va\u{300} Qua\u{309}ng Nam\nho\u{31b}\u{323}p ta\u{301}c\n",
    ),
    ("korean", "대구광역시와 다낭시는\n자매결연을 맺었다.\n"),
    ("emoji", "Da Nang 🇻🇳 and Daegu 🇰🇷 👍🏽\nlast line"),
    ("crlf", "first line\r\nsecond Đà Nẵng line\r\n\r\nlast\r\n"),
    (
        "bom",
        "\u{feff}Đà Nẵng starts after a byte order mark\nnext",
    ),
];

/// Edits every tricky text in every encoding at character boundaries around the non-ASCII text,
/// and checks the server's copy after each edit.
#[tokio::test]
async fn incremental_edits_in_every_encoding() {
    for encoding in ["utf-8", "utf-16", "utf-32"] {
        let client = start(&[encoding], &[], Value::Null).await;
        for (name, original) in TRICKY_TEXTS {
            let uri = format!("untitled:{name}-{encoding}");
            client.open(&uri, 1, original);
            let mut text = original.to_string();
            let mut version = 1;
            // Insert, replace and delete at a spread of character boundaries, never inside a
            // CRLF (a position LSP cannot express).
            for step in 0..original.chars().count() {
                let boundaries: Vec<usize> = text
                    .char_indices()
                    .map(|(i, _)| i)
                    .filter(|&i| {
                        !(i > 0 && text.as_bytes()[i - 1] == b'\r' && text.as_bytes()[i] == b'\n')
                    })
                    .collect();
                let start = boundaries[(step * 7) % boundaries.len()];
                let next = boundaries
                    .iter()
                    .copied()
                    .find(|&b| b > start)
                    .unwrap_or(text.len());
                let end = if step % 2 == 0 { start } else { next };
                if text[start..end].contains(['\r', '\n']) {
                    continue;
                }
                let insert = ["ờ", "👍", "구", "x", ""][step % 5];
                version += 1;
                client.change(&uri, version, range_of(&text, start, end, encoding), insert);
                text.replace_range(start..end, insert);
                break_if_desync(&client, &uri, &text, version).await;
            }
        }
        client.shutdown().await;
    }
}

async fn break_if_desync(client: &LspClient, uri: &str, expected: &str, version: i32) {
    let view = client.document_text(uri).await;
    assert_eq!(view["text"], expected, "{uri} after version {version}");
    assert_eq!(view["version"], version);
}

/// Hundreds of rapid edits without waiting: the server applies them in wire order.
#[tokio::test]
async fn hundreds_of_rapid_edits_stay_in_order() {
    let client = start(&["utf-16"], &[], Value::Null).await;
    let uri = "untitled:stress";
    let mut text = String::from("Đà Nẵng 🇻🇳\r\nDaegu 대구\n");
    client.open(uri, 1, &text);
    let pieces = ["a", "ẵ", "대", "🇰🇷", " ", "\n", "\r\n", "e\u{301}"];
    let mut seed: u64 = 42;
    for version in 2..=600 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let boundaries: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(text.len()))
            .filter(|&i| {
                !(i > 0
                    && text.as_bytes()[i - 1] == b'\r'
                    && text.as_bytes().get(i) == Some(&b'\n'))
            })
            .collect();
        let a = boundaries[(seed >> 33) as usize % boundaries.len()];
        let b = boundaries[(seed >> 13) as usize % boundaries.len()];
        let (start, end) = (a.min(b), a.max(b));
        // Keep the document from collapsing: mostly inserts, some short deletions.
        let end = if seed % 3 == 0 && end - start < 12 {
            end
        } else {
            start
        };
        let insert = pieces[(seed >> 40) as usize % pieces.len()];
        client.change(uri, version, range_of(&text, start, end, "utf-16"), insert);
        text.replace_range(start..end, insert);
    }
    let view = client.document_text(uri).await;
    assert_eq!(view["version"], 600);
    assert_eq!(view["text"], text.as_str());
    client.shutdown().await;
}

#[tokio::test]
async fn stale_and_orphan_changes_are_rejected() {
    let client = start(&["utf-8"], &[], Value::Null).await;
    let uri = "untitled:stale";
    client.open(uri, 5, "hello");
    let at =
        |c: u32| json!({"start": {"line": 0, "character": c}, "end": {"line": 0, "character": c}});
    client.change(uri, 6, at(5), " world");
    client.change(uri, 6, at(0), "STALE ");
    client.change(uri, 3, at(0), "OLDER ");
    client.change("untitled:never-opened", 1, at(0), "orphan");
    let view = client.document_text(uri).await;
    assert_eq!(view["text"], "hello world");
    assert_eq!(view["version"], 6);
    let unknown = client
        .request_raw(
            "gazette/documentText",
            json!({"uri": "untitled:never-opened"}),
        )
        .await;
    assert_eq!(unknown["error"]["code"], -32602, "{unknown}");
    client.shutdown().await;
}

#[tokio::test]
async fn out_of_range_positions_are_clamped() {
    let client = start(&["utf-16"], &[], Value::Null).await;
    let uri = "untitled:clamp";
    client.open(uri, 1, "ab\r\ncd");
    let range = json!({"start": {"line": 0, "character": 99}, "end": {"line": 99, "character": 7}});
    client.change(uri, 2, range, " fine");
    assert_eq!(client.document_text(uri).await["text"], "ab fine");
    // A range given backwards is read forwards.
    let backwards =
        json!({"start": {"line": 0, "character": 2}, "end": {"line": 0, "character": 0}});
    client.change(uri, 3, backwards, "all");
    assert_eq!(client.document_text(uri).await["text"], "all fine");
    // Requests about positions far outside the document answer instead of failing.
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": {"start": {"line": 1000, "character": 1000}, "end": {"line": 2000, "character": 0}},
                "context": {"diagnostics": []}
            }),
        )
        .await;
    assert_eq!(actions, Value::Null);
    client.shutdown().await;
}

#[tokio::test]
async fn malformed_messages_get_errors_and_the_server_keeps_going() {
    let client = start(&["utf-8"], &[], Value::Null).await;
    // Not JSON at all.
    client.send_raw(gazette_tests::lsp_client::frame("{this is not json"));
    // A notification with parameters of the wrong shape.
    client.notify("textDocument/didOpen", json!({"textDocument": 42}));
    client.notify("textDocument/didChange", json!("nonsense"));
    // A request with parameters of the wrong shape gets an error response.
    let response = client
        .request_raw("textDocument/codeAction", json!({"textDocument": 7}))
        .await;
    assert_eq!(response["error"]["code"], -32602, "{response}");
    // An unknown method is reported as such.
    let response = client.request_raw("gazette/noSuchMethod", json!({})).await;
    assert_eq!(response["error"]["code"], -32601, "{response}");
    // The parse error was answered with a null id.
    let parse_error = client
        .wait_for("a parse error response", |messages| {
            messages
                .iter()
                .find(|m| m["error"]["code"] == -32700)
                .cloned()
        })
        .await;
    assert_eq!(parse_error["id"], Value::Null);
    // And the server still works.
    client.open("untitled:alive", 1, "still here");
    assert_eq!(
        client.document_text("untitled:alive").await["text"],
        "still here"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn a_client_that_disappears_stops_the_server() {
    let client = LspClient::in_process();
    client
        .initialize(initialize_params(editor_capabilities(), &[], Value::Null))
        .await;
    client.open("untitled:gone", 1, "text");
    client.disconnect().await;
}

#[tokio::test]
async fn indexing_reports_progress_and_registers_watchers() {
    let corpus = gazette_tests::sample_corpus();
    let client = start(&["utf-16"], &[&corpus], Value::Null).await;
    let end = client.wait_for_indexing().await;
    assert_eq!(end["params"]["token"], "gazette/indexing");
    let notifications = client.notifications();
    let progress: Vec<&Value> = notifications
        .iter()
        .filter(|m| m["method"] == "$/progress")
        .collect();
    assert_eq!(progress[0]["params"]["value"]["kind"], "begin");
    let last_report = progress
        .iter()
        .rev()
        .find(|m| m["params"]["value"]["kind"] == "report")
        .expect("at least one report");
    assert_eq!(last_report["params"]["value"]["percentage"], 100);
    let requests = client.server_requests();
    assert!(
        requests
            .iter()
            .any(|r| r["method"] == "window/workDoneProgress/create")
    );
    let registration = requests
        .iter()
        .find(|r| r["method"] == "client/registerCapability")
        .expect("file watchers registered");
    assert_eq!(
        registration["params"]["registrations"][0]["method"],
        "workspace/didChangeWatchedFiles"
    );
    // Every sample document is known to the server without being opened.
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let path = entry.unwrap().path();
        let view = client.document_text(&file_uri(&path)).await;
        assert_eq!(view["version"], Value::Null);
        assert_eq!(
            view["text"],
            std::fs::read_to_string(&path).unwrap().as_str()
        );
    }
    client.shutdown().await;
}

#[tokio::test]
async fn indexing_publishes_every_document_once_when_it_ends() {
    // More closed documents than one analysis batch (256), all sharing a paragraph: each batch
    // affects every document indexed before it. Their diagnostics are computed once, when the
    // indexing ends, and are all published before the progress ends; an open document is
    // diagnosed at once, without waiting for the corpus.
    let dir = scratch_dir("index-once");
    let documents = 600;
    for n in 0..documents {
        std::fs::write(
            dir.join(format!("{n:03}.txt")),
            format!("Intro of document {n} about Daegu.\n\n{PARAGRAPH}\n"),
        )
        .unwrap();
    }
    let open_path = dir.join("open.txt");
    let open_text = format!("An open document.\n\n{PARAGRAPH}\n\n{PARAGRAPH}\n");
    std::fs::write(&open_path, &open_text).unwrap();
    let open_uri = file_uri(&open_path);
    let client = start(&["utf-16"], &[&dir], json!({"debounceMs": 0})).await;
    client.open(&open_uri, 1, &open_text);
    client.wait_for_indexing().await;
    let notifications = client.notifications();
    let end = notifications
        .iter()
        .position(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end")
        .unwrap();
    let mut publications: std::collections::BTreeMap<String, Vec<&Value>> = Default::default();
    for message in &notifications[..end] {
        if message["method"] == "textDocument/publishDiagnostics" {
            let name = message["params"]["uri"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next();
            publications
                .entry(name.unwrap().to_owned())
                .or_default()
                .push(&message["params"]["diagnostics"]);
        }
    }
    // 000.txt holds the first copy in corpus order; every later document is flagged once.
    assert!(
        !publications.contains_key("000.txt"),
        "{:?}",
        publications.get("000.txt")
    );
    for n in 1..documents {
        let name = format!("{n:03}.txt");
        let published = publications.get(&name).map_or(&[][..], Vec::as_slice);
        assert_eq!(published.len(), 1, "{name}: {published:?}");
        let codes: Vec<&Value> = published[0]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| &d["code"])
            .collect();
        assert_eq!(codes, ["GZ002"], "{name}");
    }
    // The open document's findings (its own repeat and the corpus copy) came first.
    let open = publications
        .get("open.txt")
        .expect("the open document is diagnosed");
    assert!(
        open.last()
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "GZ001"),
        "{open:?}"
    );
    let first_closed = notifications
        .iter()
        .position(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] != open_uri.as_str()
        })
        .unwrap();
    let first_open = notifications
        .iter()
        .position(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == open_uri.as_str()
        })
        .unwrap();
    assert!(first_open < first_closed);
    client.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn closed_files_follow_the_disk_and_open_files_the_editor() {
    let dir = scratch_dir("watch");
    let closed = dir.join("closed.txt");
    let open = dir.join("open.txt");
    std::fs::write(&closed, "\u{feff}first version\n").unwrap();
    std::fs::write(&open, "on disk\n").unwrap();
    let client = start(&["utf-16"], &[&dir], Value::Null).await;
    client.wait_for_indexing().await;
    // The byte order mark is not part of the text, as in editors.
    assert_eq!(
        client.document_text(&file_uri(&closed)).await["text"],
        "first version\n"
    );
    client.open(&file_uri(&open), 1, "in the editor\n");
    std::fs::write(&closed, "second version\n").unwrap();
    std::fs::write(&open, "changed on disk\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [
            {"uri": file_uri(&closed), "type": 2},
            {"uri": file_uri(&open), "type": 2}
        ]}),
    );
    assert_eq!(
        client.document_text(&file_uri(&closed)).await["text"],
        "second version\n"
    );
    assert_eq!(
        client.document_text(&file_uri(&open)).await["text"],
        "in the editor\n"
    );
    // Closing falls back to the disk; deleting forgets the document.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": file_uri(&open)}}),
    );
    assert_eq!(
        client.document_text(&file_uri(&open)).await["text"],
        "changed on disk\n"
    );
    std::fs::remove_file(&closed).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&closed), "type": 3}]}),
    );
    let gone = client
        .request_raw("gazette/documentText", json!({"uri": file_uri(&closed)}))
        .await;
    assert!(gone.get("error").is_some(), "{gone}");
    client.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn closed_documents_are_read_back_from_disk_and_unseen_changes_adopted() {
    // The server keeps no text for closed documents: what it needs (positions in a closed
    // document, its text, edits in it) comes from what it remembers of its paragraphs or is read
    // back from disk, and a file that changed on disk without a watcher event is noticed then,
    // adopted and re-analysed.
    let dir = scratch_dir("reread");
    let a = dir.join("a.txt");
    let b = dir.join("b.txt");
    let a_text = format!("Intro of A, Đà Nẵng 🇻🇳.\r\n\r\n{PARAGRAPH}\r\n");
    let b_text = format!("Intro of B about Daegu.\n\n{PARAGRAPH}\n");
    std::fs::write(&a, &a_text).unwrap();
    std::fs::write(&b, &b_text).unwrap();
    let client = start(&["utf-16"], &[&dir], json!({"debounceMs": 0})).await;
    client.wait_for_indexing().await;
    let (a_uri, b_uri) = (file_uri(&a), file_uri(&b));
    // B's copy is flagged, pointing at A's (closed) copy.
    let flagged = client.diagnostics_after(0, &b_uri, |d| !d.is_empty()).await;
    let a_start = a_text.find(PARAGRAPH).unwrap();
    let related = &flagged[0]["relatedInformation"][0]["location"];
    assert_eq!(related["uri"], a_uri.as_str());
    assert_eq!(
        related["range"],
        range_of(&a_text, a_start, a_start + PARAGRAPH.len(), "utf-16")
    );
    assert_eq!(client.document_text(&a_uri).await["text"], a_text.as_str());
    // "Keep this copy" in B deletes A's copy: an edit in a closed document, at the right place.
    client.open(&b_uri, 1, &b_text);
    let b_start = b_text.find(PARAGRAPH).unwrap();
    let keep = keep_this_copy(
        &client,
        &b_uri,
        range_of(&b_text, b_start, b_start, "utf-16"),
        json!([]),
    )
    .await;
    let edits = keep["edit"]["changes"][a_uri.as_str()].as_array().unwrap();
    assert_eq!(
        apply_edits(&a_text, edits, "utf-16"),
        "Intro of A, Đà Nẵng 🇻🇳.\r\n"
    );
    // A changes on disk and nobody tells the server: asking for its text notices it, and B's
    // finding goes away.
    let marker = client.notification_count();
    std::fs::write(&a, "A no longer has the paragraph.\n").unwrap();
    assert_eq!(
        client.document_text(&a_uri).await["text"],
        "A no longer has the paragraph.\n"
    );
    let cleared = client
        .diagnostics_after(marker, &b_uri, |d| d.is_empty())
        .await;
    assert!(cleared.is_empty());
    client.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn settings_come_from_initialization_options_and_configuration_changes() {
    let client = start(&["utf-8"], &[], json!({"gazette": {"logLevel": "debug"}})).await;
    client.open("untitled:a", 1, "x");
    client.change(
        "untitled:never",
        1,
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}),
        "y",
    );
    // At debug level the rejected change is reported in the editor's log.
    client
        .wait_for("a log message about the orphan change", |messages| {
            messages
                .iter()
                .find(|m| {
                    m["method"] == "window/logMessage"
                        && m["params"]["message"]
                            .as_str()
                            .is_some_and(|s| s.contains("not open"))
                })
                .cloned()
        })
        .await;
    // Switch logging off without a restart; a broken value is reported, not fatal.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"gazette": {"logLevel": "off"}}}),
    );
    let before = client.notification_count();
    client.change(
        "untitled:never",
        2,
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}),
        "z",
    );
    client.document_text("untitled:a").await;
    assert!(
        client.notifications()[before..]
            .iter()
            .all(|m| m["method"] != "window/logMessage"),
        "logging is off"
    );
    client.shutdown().await;
}

/// Converts an LSP position back to a byte offset, independently of the server's code.
fn offset_of(text: &str, position: &Value, encoding: &str) -> usize {
    let line = position["line"].as_u64().unwrap() as usize;
    let character = position["character"].as_u64().unwrap() as usize;
    let mut offset = 0;
    for _ in 0..line {
        let rest = &text[offset..];
        let next = rest.find(['\r', '\n']).map_or(rest.len(), |i| {
            if rest[i..].starts_with("\r\n") {
                i + 2
            } else {
                i + 1
            }
        });
        offset += next;
    }
    let mut units = 0;
    for (index, ch) in text[offset..].char_indices() {
        if units >= character || ch == '\n' || ch == '\r' {
            return offset + index;
        }
        units += match encoding {
            "utf-8" => ch.len_utf8(),
            "utf-16" => ch.len_utf16(),
            _ => 1,
        };
    }
    text.len()
}

/// Applies LSP text edits to a text, as an editor would.
fn apply_edits(text: &str, edits: &[Value], encoding: &str) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|edit| {
            (
                offset_of(text, &edit["range"]["start"], encoding),
                offset_of(text, &edit["range"]["end"], encoding),
                edit["newText"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    spans.sort_by_key(|span| std::cmp::Reverse(span.0));
    let mut result = text.to_owned();
    for (start, end, new_text) in spans {
        result.replace_range(start..end, &new_text);
    }
    result
}

/// Renders diagnostics as `code line:col-line:col message` lines for snapshots.
fn render(diagnostics: &[Value]) -> String {
    diagnostics
        .iter()
        .map(|d| {
            let r = &d["range"];
            format!(
                "{} {}:{}-{}:{} {}",
                d["code"].as_str().unwrap_or("?"),
                r["start"]["line"],
                r["start"]["character"],
                r["end"]["line"],
                r["end"]["character"],
                d["message"].as_str().unwrap_or("")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The latest published diagnostics of every document, by file name.
fn latest_publications(client: &LspClient) -> std::collections::BTreeMap<String, Vec<Value>> {
    let mut latest = std::collections::BTreeMap::new();
    for message in client.notifications() {
        if message["method"] == "textDocument/publishDiagnostics" {
            let uri = message["params"]["uri"].as_str().unwrap().to_owned();
            let name = uri.rsplit('/').next().unwrap().to_owned();
            latest.insert(
                name,
                message["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap(),
            );
        }
    }
    latest
}

const PARAGRAPH: &str = "Da Nang is now home to 120 Japanese companies with total investment.";

#[tokio::test]
async fn the_seed_corpus_gets_diagnostics_without_opening_anything() {
    let corpus = gazette_tests::sample_corpus();
    let client = start(&["utf-16"], &[&corpus], json!({"debounceMs": 0})).await;
    client.wait_for_indexing().await;
    let latest = latest_publications(&client);
    assert!(!latest.is_empty(), "the seed corpus has duplicated blocks");
    for (name, diagnostics) in &latest {
        for diagnostic in diagnostics {
            assert_eq!(diagnostic["source"], "gazette", "{name}");
            assert!(diagnostic["code"].as_str().unwrap().starts_with("GZ"));
            assert!(
                diagnostic["codeDescription"]["href"]
                    .as_str()
                    .unwrap()
                    .contains(&diagnostic["data"]["rule"].as_str().unwrap())
            );
        }
    }
    let rendered: Vec<String> = latest
        .iter()
        .filter(|(_, d)| !d.is_empty())
        .map(|(name, d)| format!("{name}\n{}", render(d)))
        .collect();
    // The same findings as `gazette check examples/sample-corpus`.
    expect![[r#"
        000_9c21d3f726678668.txt
        GZ004 0:0-0:1 line 1 holds only punctuation
        GZ001 10:0-10:34 line 11 repeats line 10
        GZ004 22:0-25:1 lines 23–26 hold only punctuation
        001_a9298164ea9b0dd7.txt
        GZ001 9:0-13:400 lines 10–14 repeat lines 5–9
        004_ae268ecac20d5d8f.txt
        GZ001 10:0-10:155 line 11 repeats line 10"#]]
    .assert_eq(&rendered.join("\n"));
    client.shutdown().await;
}

#[tokio::test]
async fn editing_one_document_updates_another_without_touching_it() {
    let dir = scratch_dir("cross");
    let a = dir.join("a.txt");
    let b = dir.join("b.txt");
    let a_text = format!("Intro of A about Daegu.\n\n{PARAGRAPH}\n");
    std::fs::write(&a, &a_text).unwrap();
    std::fs::write(&b, format!("Intro of B about Hue.\n\n{PARAGRAPH}\n")).unwrap();
    let client = start(&["utf-16"], &[&dir], json!({"debounceMs": 0})).await;
    client.wait_for_indexing().await;
    let b_uri = file_uri(&b);
    let a_uri = file_uri(&a);
    // The later copy in corpus order (b.txt) is flagged, pointing at a.txt.
    let diagnostics = client.diagnostics_after(0, &b_uri, |d| !d.is_empty()).await;
    assert_eq!(diagnostics[0]["code"], "GZ002");
    assert_eq!(
        diagnostics[0]["relatedInformation"][0]["location"]["uri"],
        a_uri.as_str()
    );
    assert_eq!(diagnostics[0]["range"]["start"]["line"], 2);
    // Editing A so that the paragraph differs clears B's finding; B is never opened. Three
    // words change: with one, the paragraphs would still be near duplicates (GZ003).
    let marker = client.notification_count();
    client.open(&a_uri, 1, &a_text);
    let (original, replacement) = ("120 Japanese companies", "95 Korean firms");
    let start = a_text.find(original).unwrap();
    client.change(
        &a_uri,
        2,
        range_of(&a_text, start, start + original.len(), "utf-16"),
        replacement,
    );
    let cleared = client
        .diagnostics_after(marker, &b_uri, |d| d.is_empty())
        .await;
    assert!(cleared.is_empty());
    // Undoing the edit brings it back.
    let marker = client.notification_count();
    let edited = a_text.replacen(original, replacement, 1);
    client.change(
        &a_uri,
        3,
        range_of(&edited, start, start + replacement.len(), "utf-16"),
        original,
    );
    let back = client
        .diagnostics_after(marker, &b_uri, |d| !d.is_empty())
        .await;
    assert_eq!(back[0]["code"], "GZ002");
    client.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn related_locations_in_other_documents_follow_edits_elsewhere_in_the_document() {
    // An edit that leaves A's copy of the paragraph alone but moves it (a line added above it)
    // changes no finding's existence, yet B's finding points into A: B is re-published with the
    // new position, and B's "keep this copy" deletes A's copy where it now is.
    let dir = scratch_dir("moved");
    let a = dir.join("a.txt");
    let b = dir.join("b.txt");
    let a_text = format!("Intro of A about Daegu.\n\n{PARAGRAPH}\n");
    let b_text = format!("Intro of B about Hue.\n\n{PARAGRAPH}\n");
    std::fs::write(&a, &a_text).unwrap();
    std::fs::write(&b, &b_text).unwrap();
    let client = start(&["utf-16"], &[&dir], json!({"debounceMs": 0})).await;
    client.wait_for_indexing().await;
    let (a_uri, b_uri) = (file_uri(&a), file_uri(&b));
    let flagged = client.diagnostics_after(0, &b_uri, |d| !d.is_empty()).await;
    assert_eq!(
        flagged[0]["relatedInformation"][0]["location"]["range"]["start"]["line"],
        2
    );
    client.open(&a_uri, 1, &a_text);
    for version in 2..5 {
        let marker = client.notification_count();
        client.change(
            &a_uri,
            version,
            range_of(&a_text, 0, 0, "utf-16"),
            "One more line.\n",
        );
        let moved = client
            .diagnostics_after(marker, &b_uri, |d| {
                d.first().is_some_and(|d| {
                    d["relatedInformation"][0]["location"]["range"]["start"]["line"] == version + 1
                })
            })
            .await;
        assert_eq!(moved[0]["code"], "GZ002");
    }
    let a_now = format!("{}{a_text}", "One more line.\n".repeat(3));
    assert_eq!(client.document_text(&a_uri).await["text"], a_now.as_str());
    client.open(&b_uri, 1, &b_text);
    let b_start = b_text.find(PARAGRAPH).unwrap();
    let keep = keep_this_copy(
        &client,
        &b_uri,
        range_of(&b_text, b_start, b_start, "utf-16"),
        json!([]),
    )
    .await;
    let edits = keep["edit"]["changes"][a_uri.as_str()].as_array().unwrap();
    assert_eq!(
        apply_edits(&a_now, edits, "utf-16"),
        format!("{}Intro of A about Daegu.\n", "One more line.\n".repeat(3))
    );
    client.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn an_edit_that_makes_a_near_duplicate_flags_the_other_document() {
    // B (closed, later in corpus order) only gets a finding when A's edited paragraph becomes
    // similar to B's: the server must find B among the documents the edit affects.
    let dir = scratch_dir("near");
    let a = dir.join("a.txt");
    let b = dir.join("b.txt");
    let unrelated = "Hue keeps its old citadel walls and the royal tombs along the river.";
    let a_text = format!("Intro of A about Daegu.\n\n{unrelated}\n");
    std::fs::write(&a, &a_text).unwrap();
    std::fs::write(&b, format!("Intro of B about Hue.\n\n{PARAGRAPH}\n")).unwrap();
    let client = start(&["utf-8"], &[&dir], json!({"debounceMs": 0})).await;
    client.wait_for_indexing().await;
    let (a_uri, b_uri) = (file_uri(&a), file_uri(&b));
    client.open(&a_uri, 1, &a_text);
    let marker = client.notification_count();
    let start = a_text.find(unrelated).unwrap();
    let near = PARAGRAPH.replace("120", "121");
    client.change(
        &a_uri,
        2,
        range_of(&a_text, start, start + unrelated.len(), "utf-8"),
        &near,
    );
    let flagged = client
        .diagnostics_after(marker, &b_uri, |d| !d.is_empty())
        .await;
    assert_eq!(flagged[0]["code"], "GZ003", "{flagged:#?}");
    assert_eq!(
        flagged[0]["relatedInformation"][0]["location"]["uri"],
        a_uri.as_str()
    );
    // And back: B's finding goes away.
    let marker = client.notification_count();
    let edited = a_text.replacen(unrelated, &near, 1);
    client.change(
        &a_uri,
        3,
        range_of(&edited, start, start + near.len(), "utf-8"),
        unrelated,
    );
    let cleared = client
        .diagnostics_after(marker, &b_uri, |d| d.is_empty())
        .await;
    assert!(cleared.is_empty());
    client.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn in_document_duplicates_are_fixed_by_code_actions() {
    for encoding in ["utf-8", "utf-16"] {
        let client = start(&[encoding], &[], json!({"debounceMs": 0})).await;
        let uri = "untitled:repeated";
        let vietnamese = "Thành phố Đà Nẵng 🇻🇳 và tỉnh Quảng Nam hợp tác với Daegu 대구.";
        let text = format!(
            "{vietnamese}\r\n\r\n{PARAGRAPH}\r\n\r\nA paragraph in between.\r\n\r\n{vietnamese}\r\n\r\nAnother different paragraph.\r\n\r\n{PARAGRAPH}\r\n"
        );
        client.open(uri, 1, &text);
        let diagnostics = client.diagnostics_after(0, uri, |d| d.len() >= 2).await;
        let gz001: Vec<&Value> = diagnostics
            .iter()
            .filter(|d| d["code"] == "GZ001")
            .collect();
        assert_eq!(gz001.len(), 2, "{diagnostics:#?}");
        // The diagnostic starts at the second Vietnamese paragraph, in the negotiated encoding.
        let second = text.match_indices(vietnamese).nth(1).unwrap().0;
        assert_eq!(
            gz001[0]["range"]["start"],
            position_of(&text, second, encoding)
        );
        let actions = client
            .request(
                "textDocument/codeAction",
                json!({
                    "textDocument": {"uri": uri},
                    "range": gz001[0]["range"],
                    "context": {"diagnostics": [gz001[0]]}
                }),
            )
            .await;
        let titles: Vec<&str> = actions
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["title"].as_str().unwrap())
            .collect();
        assert!(titles.contains(&"Delete the repeated copy"), "{titles:?}");
        let preferred = actions
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"] == "Delete the repeated copy")
            .unwrap();
        assert_eq!(preferred["kind"], "quickfix");
        assert_eq!(preferred["isPreferred"], true);
        let edits = preferred["edit"]["changes"][uri].as_array().unwrap();
        let fixed = apply_edits(&text, edits, encoding);
        assert_eq!(fixed.matches(vietnamese).count(), 1, "{fixed:?}");
        // Re-check: sending the fixed text clears that finding.
        let marker = client.notification_count();
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
        );
        let after = client
            .diagnostics_after(marker, uri, |d| d.len() < diagnostics.len())
            .await;
        assert!(after.iter().all(|d| d["range"] != gz001[0]["range"]));
        // "Delete all repeated copies in this file" removes both repeats at once.
        let delete_all = actions
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"] == "Delete all repeated copies in this file")
            .unwrap_or_else(|| panic!("{actions:#}"));
        let all_fixed = apply_edits(
            &text,
            delete_all["edit"]["changes"][uri].as_array().unwrap(),
            encoding,
        );
        assert_eq!(all_fixed.matches(vietnamese).count(), 1, "{all_fixed:?}");
        assert_eq!(all_fixed.matches(PARAGRAPH).count(), 1, "{all_fixed:?}");
        let marker = client.notification_count();
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": all_fixed}]}),
        );
        let clean = client
            .diagnostics_after(marker, uri, |d| d.is_empty())
            .await;
        assert!(clean.is_empty());
        client.shutdown().await;
    }
}

#[tokio::test]
async fn keep_this_copy_deletes_the_others_across_files() {
    let dir = scratch_dir("keep");
    let paths: Vec<PathBuf> = ["a.txt", "b.txt", "c.txt"]
        .iter()
        .map(|n| dir.join(n))
        .collect();
    let texts: Vec<String> = ["Alpha", "Beta", "Gamma"]
        .iter()
        .map(|name| format!("{name} opens the article.\n\n{PARAGRAPH}\n\n{name} closes it.\n"))
        .collect();
    for (path, text) in paths.iter().zip(&texts) {
        std::fs::write(path, text).unwrap();
    }
    let client = start(&["utf-8"], &[&dir], json!({"debounceMs": 0})).await;
    client.wait_for_indexing().await;
    let b_uri = file_uri(&paths[1]);
    let diagnostics = client.diagnostics_after(0, &b_uri, |d| !d.is_empty()).await;
    let keep = keep_this_copy(
        &client,
        &b_uri,
        diagnostics[0]["range"].clone(),
        Value::Array(diagnostics.clone()),
    )
    .await;
    assert_eq!(
        keep["isPreferred"], false,
        "deleting in other files is unsafe"
    );
    let changes = keep["edit"]["changes"].as_object().unwrap();
    assert_eq!(changes.len(), 2, "a.txt and c.txt are edited: {changes:#?}");
    assert!(!changes.contains_key(&b_uri));
    for (path, text) in paths.iter().zip(&texts) {
        let uri = file_uri(path);
        let Some(edits) = changes.get(&uri) else {
            continue;
        };
        let fixed = apply_edits(text, edits.as_array().unwrap(), "utf-8");
        assert!(!fixed.contains(PARAGRAPH), "{fixed:?}");
        assert!(
            fixed.contains("opens the article.\n\n") && fixed.ends_with("closes it.\n"),
            "{fixed:?}"
        );
        // Write the fix to disk as the editor would and tell the server.
        std::fs::write(path, fixed).unwrap();
        client.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": uri, "type": 2}]}),
        );
    }
    // Re-checked: b.txt now holds the only copy.
    let marker = client.notification_count();
    let _ = marker;
    let cleared = client.diagnostics_after(0, &b_uri, |d| d.is_empty()).await;
    assert!(cleared.is_empty());
    client.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn pull_diagnostics_when_the_client_supports_them() {
    let dir = scratch_dir("pull");
    std::fs::write(dir.join("a.txt"), format!("First.\n\n{PARAGRAPH}\n")).unwrap();
    std::fs::write(dir.join("b.txt"), format!("Second.\n\n{PARAGRAPH}\n")).unwrap();
    let client = LspClient::in_process();
    let mut capabilities = editor_capabilities();
    capabilities["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
    capabilities["workspace"]["diagnostics"] = json!({"refreshSupport": true});
    let result = client
        .initialize(initialize_params(
            capabilities,
            &[&dir],
            json!({"debounceMs": 0}),
        ))
        .await;
    assert_eq!(
        result["capabilities"]["diagnosticProvider"]["interFileDependencies"],
        true
    );
    assert_eq!(
        result["capabilities"]["diagnosticProvider"]["workspaceDiagnostics"],
        true
    );
    client.wait_for_indexing().await;
    let b_uri = file_uri(&dir.join("b.txt"));
    let report = client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": b_uri}}),
        )
        .await;
    assert_eq!(report["kind"], "full");
    assert_eq!(report["items"][0]["code"], "GZ002");
    let result_id = report["resultId"].clone();
    let again = client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": b_uri}, "previousResultId": result_id}),
        )
        .await;
    assert_eq!(again["kind"], "unchanged");
    let workspace = client
        .request("workspace/diagnostic", json!({"previousResultIds": []}))
        .await;
    let items = workspace["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "only b.txt has findings: {items:#?}");
    assert_eq!(items[0]["uri"], b_uri.as_str());
    // Nothing is pushed to a pulling client.
    assert!(
        client
            .notifications()
            .iter()
            .all(|m| m["method"] != "textDocument/publishDiagnostics")
    );
    // Unknown documents get an empty report rather than an error.
    let unknown = client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": "untitled:nothing"}}),
        )
        .await;
    assert_eq!(unknown["items"], json!([]));
    client.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_reindex_command_rereads_the_disk() {
    let dir = scratch_dir("reindex");
    let kept = dir.join("kept.txt");
    let deleted = dir.join("deleted.txt");
    std::fs::write(&kept, "before\n").unwrap();
    std::fs::write(&deleted, "doomed\n").unwrap();
    let client = start(&["utf-8"], &[&dir], json!({"debounceMs": 0})).await;
    client.wait_for_indexing().await;
    // Changes nobody told the server about.
    std::fs::write(&kept, "after\n").unwrap();
    std::fs::remove_file(&deleted).unwrap();
    std::fs::write(dir.join("new.txt"), "fresh\n").unwrap();
    let result = client
        .request(
            "workspace/executeCommand",
            json!({"command": "gazette.reindex", "arguments": []}),
        )
        .await;
    assert_eq!(result, Value::Null);
    client
        .wait_for("the second indexing", |messages| {
            let ends = messages
                .iter()
                .filter(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end")
                .count();
            (ends == 2).then_some(())
        })
        .await;
    assert_eq!(
        client.document_text(&file_uri(&kept)).await["text"],
        "after\n"
    );
    assert_eq!(
        client.document_text(&file_uri(&dir.join("new.txt"))).await["text"],
        "fresh\n"
    );
    let gone = client
        .request_raw("gazette/documentText", json!({"uri": file_uri(&deleted)}))
        .await;
    assert!(gone.get("error").is_some(), "{gone}");
    let unknown = client
        .request_raw(
            "workspace/executeCommand",
            json!({"command": "gazette.nope"}),
        )
        .await;
    assert_eq!(unknown["error"]["code"], -32602);
    client.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn workspace_folders_can_be_added_and_removed() {
    let dir = scratch_dir("folders");
    let (first, second) = (dir.join("first"), dir.join("second"));
    for root in [&first, &second] {
        std::fs::create_dir_all(root).unwrap();
        std::fs::write(root.join("a.txt"), format!("Intro of A.\n\n{PARAGRAPH}\n")).unwrap();
        std::fs::write(root.join("b.txt"), format!("Intro of B.\n\n{PARAGRAPH}\n")).unwrap();
    }
    let client = start(&["utf-16"], &[&first], json!({"debounceMs": 0})).await;
    client.wait_for_indexing().await;
    let first_b = file_uri(&first.join("b.txt"));
    let second_b = file_uri(&second.join("b.txt"));
    client
        .diagnostics_after(0, &first_b, |d| !d.is_empty())
        .await;
    let folder = |path: &Path| json!({"uri": file_uri(path), "name": "folder"});
    let marker = client.notification_count();
    client.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [folder(&second)], "removed": [folder(&first)]}}),
    );
    // The added folder is indexed: its cross-document duplicate is reported...
    let added = client
        .diagnostics_after(marker, &second_b, |d| !d.is_empty())
        .await;
    assert_eq!(added[0]["code"], "GZ002", "{added:?}");
    // ...and the removed folder's diagnostics are cleared.
    client
        .diagnostics_after(marker, &first_b, |d| d.is_empty())
        .await;
    let gone = client
        .request_raw("gazette/documentText", json!({"uri": first_b}))
        .await;
    assert!(gone.get("error").is_some(), "{gone}");
    // An open document of a removed folder stays, as a loose document.
    let open_uri = file_uri(&second.join("a.txt"));
    client.open(&open_uri, 1, &format!("Intro of A.\n\n{PARAGRAPH}\n"));
    let marker = client.notification_count();
    client.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [], "removed": [folder(&second)]}}),
    );
    client
        .diagnostics_after(marker, &second_b, |d| d.is_empty())
        .await;
    assert_eq!(
        client.document_text(&open_uri).await["text"],
        format!("Intro of A.\n\n{PARAGRAPH}\n")
    );
    client.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}
