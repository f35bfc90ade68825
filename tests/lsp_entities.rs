//! Entity features of the language server over the seed corpus: hover, definition, declaration,
//! references across documents and languages, highlights, symbols, semantic tokens and inlay
//! hints.

use std::path::{Path, PathBuf};

use gazette_tests::lsp_client::{LspClient, editor_capabilities, file_uri, initialize_params};
use serde_json::{Value, json};

const ENGLISH: &str = "000_9c21d3f726678668.txt";
const VIETNAMESE: &str = "001_a9298164ea9b0dd7.txt";

fn seed(name: &str) -> PathBuf {
    gazette_tests::sample_corpus().join(name)
}

/// The UTF-16 position of the first occurrence of `needle` in a file (the tests negotiate
/// UTF-16, the default of most editors).
fn position_of(path: &Path, needle: &str) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {path:?}"));
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": before[line_start..].encode_utf16().count()})
}

fn text_at(path: &Path, range: &Value) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let line = |n: &Value| {
        text.lines()
            .nth(n.as_u64().unwrap() as usize)
            .unwrap()
            .to_owned()
    };
    let start_line = line(&range["start"]["line"]);
    let utf16: Vec<u16> = start_line.encode_utf16().collect();
    let from = range["start"]["character"].as_u64().unwrap() as usize;
    let to = range["end"]["character"].as_u64().unwrap() as usize;
    String::from_utf16(&utf16[from..to]).unwrap()
}

async fn start_on_seeds(options: Value) -> LspClient {
    let corpus = gazette_tests::sample_corpus();
    let client = LspClient::in_process();
    let mut capabilities = editor_capabilities();
    capabilities["general"]["positionEncodings"] = json!(["utf-16"]);
    client
        .initialize(initialize_params(capabilities, &[&corpus], options))
        .await;
    client.wait_for_indexing().await;
    client
}

fn at(path: &Path, needle: &str) -> Value {
    json!({"textDocument": {"uri": file_uri(path)}, "position": position_of(path, needle)})
}

#[tokio::test]
async fn references_from_da_nang_find_da_nang_in_vietnamese() {
    let client = start_on_seeds(Value::Null).await;
    let english = seed(ENGLISH);
    let mut params = at(&english, "Da Nang People");
    params["context"] = json!({"includeDeclaration": true});
    let references = client.request("textDocument/references", params).await;
    let references = references.as_array().expect("references");
    let vietnamese_uri = file_uri(&seed(VIETNAMESE));
    let in_vietnamese: Vec<&Value> = references
        .iter()
        .filter(|r| r["uri"] == vietnamese_uri.as_str())
        .collect();
    assert!(!in_vietnamese.is_empty(), "{references:#?}");
    for reference in &in_vietnamese {
        assert_eq!(text_at(&seed(VIETNAMESE), &reference["range"]), "Đà Nẵng");
    }
    // The all-caps dateline and the English mentions are the same entity too.
    let english_uri = file_uri(&english);
    let english_surfaces: Vec<String> = references
        .iter()
        .filter(|r| r["uri"] == english_uri.as_str())
        .map(|r| text_at(&english, &r["range"]))
        .collect();
    assert!(
        english_surfaces.iter().any(|s| s == "Da Nang"),
        "{english_surfaces:?}"
    );
    // Corpus order: the English article (000) comes before the Vietnamese one (001).
    assert_eq!(references[0]["uri"], english_uri.as_str());
    client.shutdown().await;
}

#[tokio::test]
async fn definition_and_declaration_go_to_the_first_mention_in_corpus_order() {
    let client = start_on_seeds(Value::Null).await;
    let vietnamese = seed(VIETNAMESE);
    for method in ["textDocument/definition", "textDocument/declaration"] {
        let target = client.request(method, at(&vietnamese, "Đà Nẵng")).await;
        assert_eq!(
            target["uri"],
            file_uri(&seed(ENGLISH)).as_str(),
            "{method}: {target}"
        );
        let surface = text_at(&seed(ENGLISH), &target["range"]);
        assert!(
            ["Da Nang", "DA NANG"].contains(&surface.as_str()),
            "{method}: {surface}"
        );
    }
    client.shutdown().await;
}

#[tokio::test]
async fn hover_describes_the_locality_and_its_mentions() {
    let client = start_on_seeds(Value::Null).await;
    let hover = client
        .request("textDocument/hover", at(&seed(VIETNAMESE), "Đà Nẵng"))
        .await;
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert!(markdown.contains("locality"), "{markdown}");
    assert!(markdown.contains("mentions in"), "{markdown}");
    assert!(
        markdown.contains(ENGLISH),
        "the top documents are listed: {markdown}"
    );
    assert_eq!(
        text_at(&seed(VIETNAMESE), &hover["range"]),
        "Đà Nẵng",
        "the hover range is the mention"
    );
    // Nothing to say about plain words.
    let nothing = client
        .request("textDocument/hover", at(&seed(ENGLISH), "bilateral"))
        .await;
    assert_eq!(nothing, Value::Null);
    client.shutdown().await;
}

#[tokio::test]
async fn highlights_and_symbols() {
    let client = start_on_seeds(Value::Null).await;
    let english = seed(ENGLISH);
    let highlights = client
        .request(
            "textDocument/documentHighlight",
            at(&english, "Da Nang People"),
        )
        .await;
    let highlights = highlights.as_array().unwrap();
    assert!(
        highlights.len() >= 6,
        "every Da Nang of the article: {highlights:#?}"
    );
    for highlight in highlights {
        let surface = text_at(&english, &highlight["range"]);
        assert_eq!(surface.to_lowercase(), "da nang", "{surface}");
    }
    let symbols = client
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": file_uri(&english)}}),
        )
        .await;
    let groups: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert!(groups.contains(&"Localities"), "{groups:?}");
    let found = client
        .request("workspace/symbol", json!({"query": "da nang"}))
        .await;
    let found = found.as_array().unwrap();
    assert!(!found.is_empty());
    assert_eq!(
        found[0]["location"]["uri"],
        file_uri(&english).as_str(),
        "{found:#?}"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn semantic_tokens_full_delta_and_range() {
    let client = LspClient::in_process();
    let mut capabilities = editor_capabilities();
    capabilities["general"]["positionEncodings"] = json!(["utf-16"]);
    let result = client
        .initialize(initialize_params(
            capabilities,
            &[],
            json!({"debounceMs": 0}),
        ))
        .await;
    let legend = &result["capabilities"]["semanticTokensProvider"]["legend"]["tokenTypes"];
    assert_eq!(
        legend,
        &json!(["locality", "person", "organisation", "date", "duration"])
    );
    let uri = "untitled:tokens";
    let text = "🇻🇳 Đà Nẵng and Daegu signed on 17 October 2016.";
    client.open(uri, 1, text);
    let full = client
        .request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    let data: Vec<u64> = full["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert_eq!(data.len() % 5, 0);
    // The first token is Đà Nẵng: after the flag (4 UTF-16 units) and a space, 7 units long.
    assert_eq!(&data[..4], &[0, 5, 7, 0], "{data:?}");
    let types: Vec<u64> = data.chunks(5).map(|t| t[3]).collect();
    assert!(types.contains(&3), "a date token: {types:?}");
    // An edit before the tokens shifts them; the delta answers with edits to the array.
    client.change(
        uri,
        2,
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}),
        "Today ",
    );
    let delta = client
        .request(
            "textDocument/semanticTokens/full/delta",
            json!({"textDocument": {"uri": uri}, "previousResultId": full["resultId"]}),
        )
        .await;
    assert!(delta.get("edits").is_some(), "{delta}");
    assert_ne!(delta["resultId"], full["resultId"]);
    let range = client
        .request(
            "textDocument/semanticTokens/range",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 20}}}),
        )
        .await;
    let range_data = range["data"].as_array().unwrap();
    assert!(
        !range_data.is_empty() && range_data.len() < data.len(),
        "{range}"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn inlay_hints_show_canonical_names_and_follow_settings() {
    let client = LspClient::in_process();
    let result = client
        .initialize(initialize_params(
            editor_capabilities(),
            &[],
            json!({"debounceMs": 0, "inlayHints": {"dates": true}}),
        ))
        .await;
    assert_eq!(result["capabilities"]["inlayHintProvider"], true);
    let uri = "untitled:hints";
    let text = "Delegacja z Wietnamu odwiedziła DA NANG 17 października 2016 roku.";
    client.open(uri, 1, text);
    let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}});
    let hints = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri}, "range": whole}),
        )
        .await;
    let labels: Vec<&str> = hints
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.iter().any(|l| l.contains("2016-10-17")),
        "{labels:?}"
    );
    assert!(labels.len() >= 2, "a locality hint too: {labels:?}");
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"gazette": {"inlayHints": {"enabled": false}}}}),
    );
    let none = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri}, "range": whole}),
        )
        .await;
    assert_eq!(none, Value::Null);
    client.shutdown().await;
}

#[tokio::test]
async fn date_hovers_show_weekday_granularity_and_the_dct_from_document_dates() {
    let dir = gazette_tests::TempDir::new();
    dir.write(
        "gazette.toml",
        "[[document-dates]]\npaths = [\"archive/**\"]\ndct = \"2016-10-17\"\n",
    );
    let text = "The delegation arrived on September 17th and stayed for 5 days.\n";
    let archived = dir.write("archive/a.txt", text);
    let loose = dir.write("news/b.txt", text);
    let client = LspClient::in_process();
    let mut capabilities = editor_capabilities();
    capabilities["general"]["positionEncodings"] = json!(["utf-16"]);
    client
        .initialize(initialize_params(capabilities, &[dir.path()], json!({})))
        .await;
    client.wait_for_indexing().await;
    let hover = |path: PathBuf, needle: &'static str| {
        let client = &client;
        async move {
            client.open(
                &file_uri(&path),
                1,
                &std::fs::read_to_string(&path).unwrap(),
            );
            let hover = client
                .request("textDocument/hover", at(&path, needle))
                .await;
            hover["contents"]["value"]
                .as_str()
                .unwrap_or_else(|| panic!("no hover on {needle}: {hover}"))
                .to_owned()
        }
    };
    let archived_hover = hover(archived, "September 17th").await;
    for expected in [
        "2016-09-17",
        "Granularity: day",
        "Weekday: Saturday",
        "year from the document creation time (2016-10-17, from gazette.toml)",
    ] {
        assert!(
            archived_hover.contains(expected),
            "{expected:?} in {archived_hover}"
        );
    }
    let loose_hover = hover(loose.clone(), "September 17th").await;
    assert!(loose_hover.contains("XXXX-09-17"), "{loose_hover}");
    assert!(loose_hover.contains("year unknown"), "{loose_hover}");
    assert!(!loose_hover.contains("Weekday"), "{loose_hover}");
    let duration = hover(loose, "5 days").await;
    assert!(
        duration.contains("P5D") && duration.contains("duration"),
        "{duration}"
    );
    client.shutdown().await;
}
