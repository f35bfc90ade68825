//! Persons and organisations in the language server, like localities: hover, references,
//! highlights and definition over the seed corpus (short mentions such as "Kwon" and "Tho" and
//! abbreviations such as "PPC" are the same entity as the full name), and references across
//! documents.

use std::path::{Path, PathBuf};

use gazette_tests::TempDir;
use gazette_tests::lsp_client::{LspClient, editor_capabilities, file_uri, initialize_params};
use serde_json::{Value, json};

const ENGLISH: &str = "000_9c21d3f726678668.txt";
const OSAN: &str = "002_b9a7af9d2644f6da.txt";

fn seed(name: &str) -> PathBuf {
    gazette_tests::sample_corpus().join(name)
}

/// The UTF-8 position of the first occurrence of `needle` (UTF-8 is negotiated here), plus
/// `skip` bytes.
fn position_of(path: &Path, needle: &str, skip: usize) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {path:?}"))
        + skip;
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    json!({"line": before.matches('\n').count(), "character": offset - line_start})
}

/// The text a UTF-8 range covers (single-line ranges).
fn text_at(path: &Path, range: &Value) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let line = text
        .split('\n')
        .nth(range["start"]["line"].as_u64().unwrap() as usize)
        .unwrap();
    let from = range["start"]["character"].as_u64().unwrap() as usize;
    let to = range["end"]["character"].as_u64().unwrap() as usize;
    line[from..to].to_owned()
}

async fn start(folder: &Path) -> LspClient {
    let client = LspClient::in_process();
    let mut capabilities = editor_capabilities();
    capabilities["general"]["positionEncodings"] = json!(["utf-8"]);
    client
        .initialize(initialize_params(capabilities, &[folder], Value::Null))
        .await;
    client.wait_for_indexing().await;
    client
}

/// `textDocument/references` (declaration included) at `needle` + `skip` in `path`, as
/// (file name, surface) pairs.
async fn references(
    client: &LspClient,
    path: &Path,
    needle: &str,
    skip: usize,
) -> Vec<(String, String)> {
    let found = client
        .request(
            "textDocument/references",
            json!({
                "textDocument": {"uri": file_uri(path)},
                "position": position_of(path, needle, skip),
                "context": {"includeDeclaration": true},
            }),
        )
        .await;
    found
        .as_array()
        .unwrap_or_else(|| panic!("references at {needle:?}: {found}"))
        .iter()
        .map(|location| {
            let uri = location["uri"].as_str().unwrap();
            let name = uri.rsplit('/').next().unwrap().to_owned();
            let file = path.with_file_name(&name);
            (name, text_at(&file, &location["range"]))
        })
        .collect()
}

#[tokio::test]
async fn short_mentions_and_abbreviations_are_the_same_person_or_organisation() {
    let corpus = gazette_tests::sample_corpus();
    let client = start(&corpus).await;
    let english = seed(ENGLISH);

    // "Mayor Kwon (left)": the short mention leads to the full name and the other short ones.
    let kwon = references(&client, &english, "Mayor Kwon (left)", 6).await;
    let surfaces: Vec<&str> = kwon.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(
        surfaces,
        ["Kwon Young Jin", "Kwon", "Kwon", "Kwon"],
        "{kwon:?}"
    );

    // Hover on the short mention names the person by the full name.
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": file_uri(&english)},
                   "position": position_of(&english, "Mayor Kwon (left)", 6)}),
        )
        .await;
    let markdown = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(markdown.contains("person"), "{hover}");
    assert!(markdown.contains("Kwon Young Jin"), "{hover}");
    assert_eq!(text_at(&english, &hover["range"]), "Kwon");

    // Highlights of "Tho" in its document: the full name and every short mention.
    let highlights = client
        .request(
            "textDocument/documentHighlight",
            json!({"textDocument": {"uri": file_uri(&english)},
                   "position": position_of(&english, "Chairman Tho", 9)}),
        )
        .await;
    let surfaces: Vec<String> = highlights
        .as_array()
        .unwrap_or_else(|| panic!("{highlights}"))
        .iter()
        .map(|h| text_at(&english, &h["range"]))
        .collect();
    assert_eq!(surfaces, ["Huynh Duc Tho", "Tho", "Tho", "Tho", "Tho"]);

    // Definition of a short mention: the full name, its first mention.
    let definition = client
        .request(
            "textDocument/definition",
            json!({"textDocument": {"uri": file_uri(&english)},
                   "position": position_of(&english, "Chairman Tho", 9)}),
        )
        .await;
    assert_eq!(text_at(&english, &definition["range"]), "Huynh Duc Tho");

    // An organisation's abbreviation and its full name.
    let osan = seed(OSAN);
    let ppc = references(&client, &osan, "PPC had", 0).await;
    let surfaces: Vec<&str> = ppc.iter().map(|(_, s)| s.as_str()).collect();
    assert!(surfaces.contains(&"PPC"), "{ppc:?}");
    assert!(
        surfaces.contains(&"Provincial People's Committee"),
        "{ppc:?}"
    );
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": file_uri(&osan)},
                   "position": position_of(&osan, "PPC had", 0)}),
        )
        .await;
    let markdown = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(markdown.contains("organisation"), "{hover}");
    client.shutdown().await;
}

#[tokio::test]
async fn a_person_is_found_across_documents() {
    let dir = TempDir::new();
    dir.write(
        "a.txt",
        "Chairman Huynh Duc Tho welcomed the delegation from Daegu.\n",
    );
    dir.write(
        "b.txt",
        "Chairman Huynh Duc Tho visited Osan.\n\nTho thanked the city for its support.\n",
    );
    let client = start(dir.path()).await;
    let b = dir.path().join("b.txt");
    let found = references(&client, &b, "Tho thanked", 0).await;
    assert_eq!(
        found,
        [
            ("a.txt".to_owned(), "Huynh Duc Tho".to_owned()),
            ("b.txt".to_owned(), "Huynh Duc Tho".to_owned()),
            ("b.txt".to_owned(), "Tho".to_owned()),
        ]
    );
    client.shutdown().await;
}
