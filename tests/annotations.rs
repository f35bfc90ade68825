//! End-to-end tests of the annotation store: crash safety of writes, and re-anchoring on disk.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

/// A writer killed with SIGKILL at random moments leaves the old file or the new one, never a
/// truncated or mixed one.
#[test]
fn a_kill_during_a_write_never_leaves_a_torn_file() {
    let dir = std::env::temp_dir().join(format!("gazette-crash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.txt.json");
    let mut outcomes = std::collections::BTreeMap::new();
    // A small deterministic generator spreads the kill moments without a dependency.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..25 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_crash_writer"))
            .arg(&path)
            .stdout(Stdio::piped())
            .spawn()
            .expect("the crash writer starts");
        let mut ready = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut ready)
            .unwrap();
        assert_eq!(ready.trim(), "ready");
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(1 + seed % 40));
        child.kill().unwrap(); // SIGKILL on Unix: no destructor, no flush, no cleanup runs.
        child.wait().unwrap();
        let Ok(bytes) = std::fs::read(&path) else {
            *outcomes.entry("no file yet").or_insert(0) += 1;
            continue;
        };
        let text = String::from_utf8(bytes).expect("the file is whole UTF-8");
        let file =
            gazette_core::annotation::AnnotationFile::parse(&text).expect("the file is whole JSON");
        assert_eq!(file.annotations.len(), 300, "the file has every annotation");
        *outcomes.entry("whole file").or_insert(0) += 1;
    }
    assert!(
        outcomes.get("whole file").copied().unwrap_or(0) > 0,
        "{outcomes:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The committed JSON Schema of annotation files matches the Rust types.
#[test]
fn annotation_schema_is_fresh() {
    gazette_tests::ensure_file_contents(
        "schema/annotations.schema.json",
        &gazette_core::annotation::json_schema(),
        "`cargo xtask schema`",
    );
}

/// Annotation files written by the store validate against the committed schema's shape: the
/// selectors are W3C-named and the version is required.
#[test]
fn annotation_schema_requires_version_and_w3c_selectors() {
    let schema: serde_json::Value =
        serde_json::from_str(&gazette_core::annotation::json_schema()).unwrap();
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(required, ["version", "document", "annotations"]);
    let text = schema.to_string();
    assert!(text.contains("TextPositionSelector") && text.contains("TextQuoteSelector"));
}

/// The review flow on disk, end to end through the CLI: decisions recorded by an editor are
/// honoured by `gazette tag`, survive an edit above them, and round-trip through brat and JSONL.
#[test]
fn decisions_survive_edits_and_round_trip_through_brat_and_jsonl() {
    use gazette_core::annotation::{Annotation, AnnotationFile, AnnotationStatus, NewAnnotation};
    use gazette_core::tag::EntityLabel;
    use gazette_core::text::TextRange;
    use gazette_tests::{TempDir, gazette_binary, sample_corpus};

    let dir = TempDir::new();
    let original =
        std::fs::read_to_string(sample_corpus().join("000_9c21d3f726678668.txt")).unwrap();
    dir.write("corpus/gazette.toml", "");
    dir.write("corpus/tin tức/000.txt", &original);

    // What a curator did in the editor: accept "DA NANG Today" as an organisation with a custom
    // key, and reject the suggestion "Daegu" in the title.
    let span = |needle: &str| {
        let start = original.find(needle).unwrap() as u32;
        TextRange::new(start, start + needle.len() as u32)
    };
    let decide = |needle: &str, label, norm: &str, status| {
        Annotation::new(
            &original,
            NewAnnotation {
                range: span(needle),
                label,
                norm: Some(norm.into()),
                status,
                creator: Some("lan"),
                created: Some("2026-12-02T08:00:00Z"),
            },
        )
        .unwrap()
    };
    let mut file = AnnotationFile::new("tin tức/000.txt");
    file.upsert(decide(
        "DA NANG Today",
        EntityLabel::Org,
        "da-nang-today-newspaper",
        AnnotationStatus::Accepted,
    ));
    file.upsert(decide(
        "Daegu",
        EntityLabel::Loc,
        "KR:daegu",
        AnnotationStatus::Rejected,
    ));
    dir.write(
        "corpus/.gazette/annotations/tin tức/000.txt.json",
        file.render(),
    );

    // The document is edited above both annotations, with an emoji to shift code points.
    let edited = format!("Bản tin 📰 thêm vào.\n\n{original}");
    dir.write("corpus/tin tức/000.txt", &edited);

    let run = |args: &[&str]| {
        let output = std::process::Command::new(gazette_binary())
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "gazette {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let tagged: serde_json::Value = serde_json::from_str(run(&["tag", "corpus"]).trim()).unwrap();
    let spans = tagged["spans"].as_array().unwrap();
    let chars: Vec<char> = edited.chars().collect();
    let text_at = |s: &serde_json::Value| {
        chars[s["start"].as_u64().unwrap() as usize..s["end"].as_u64().unwrap() as usize]
            .iter()
            .collect::<String>()
    };
    let accepted: Vec<_> = spans.iter().filter(|s| s["reviewed"] == true).collect();
    assert_eq!(accepted.len(), 1);
    assert_eq!(text_at(accepted[0]), "DA NANG Today");
    assert_eq!(accepted[0]["norm"], "da-nang-today-newspaper");
    let title_daegu = edited.find("Daegu").unwrap();
    let title_daegu = edited[..title_daegu].chars().count() as u64;
    assert!(
        !spans
            .iter()
            .any(|s| s["start"] == title_daegu && s["label"] == "LOC"),
        "the rejected suggestion is hidden"
    );
    assert!(
        spans.iter().filter(|s| text_at(s) == "Daegu").count() >= 2,
        "other Daegu mentions stay"
    );

    // Export the reviewed annotations, wipe the store, import them back: same spans.
    let reviewed_spans = |json: &str| -> Vec<(u64, u64, String, String)> {
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        let mut out: Vec<_> = value["annotations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["status"] == "accepted")
            .map(|a| {
                let position = &a["target"]["selector"][0];
                (
                    position["start"].as_u64().unwrap(),
                    position["end"].as_u64().unwrap(),
                    a["label"].to_string(),
                    a["norm"].to_string(),
                )
            })
            .collect();
        out.sort();
        out
    };
    for (format, from) in [
        ("brat", "out-brat"),
        ("jsonl", "out-jsonl/annotations.jsonl"),
    ] {
        let out_dir = from.split('/').next().unwrap();
        run(&[
            "export",
            "corpus",
            "--reviewed-only",
            "--format",
            format,
            "--out",
            out_dir,
        ]);
        let before = dir.read("corpus/.gazette/annotations/tin tức/000.txt.json");
        std::fs::remove_dir_all(dir.path().join("corpus/.gazette")).unwrap();
        run(&["import", from, "--format", format, "--corpus", "corpus"]);
        let after = dir.read("corpus/.gazette/annotations/tin tức/000.txt.json");
        // The stored file still holds the positions of the text before the edit (reading commands
        // never rewrite it); the exported and re-imported ones follow the edited text.
        let shift = "Bản tin 📰 thêm vào.\n\n".chars().count() as u64;
        let expected: Vec<_> = reviewed_spans(&before)
            .into_iter()
            .map(|(s, e, l, n)| (s + shift, e + shift, l, n))
            .collect();
        assert_eq!(expected.len(), 1, "{before}");
        assert_eq!(reviewed_spans(&after), expected, "{format} round trip");
        // The rejected decision is not part of an export; keep the store as it was for the next round.
        dir.write("corpus/.gazette/annotations/tin tức/000.txt.json", &before);
    }
    let brat = dir.read("out-brat/tin tức/000.ann");
    assert!(
        brat.contains("ORG") && brat.contains("Gazette:da-nang-today-newspaper"),
        "{brat}"
    );
    assert!(
        dir.read("out-brat/annotation.conf")
            .contains("[entities]\nLOC\nPER\nORG\nDATE\nDURATION\n")
    );
}
