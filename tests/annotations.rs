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
        assert_eq!(
            file.annotations.len(),
            2000,
            "the file has every annotation"
        );
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
    let path = gazette_tests::repo_root().join("schema/annotations.schema.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = gazette_core::annotation::json_schema();
    if committed != generated {
        // Like rust-analyzer's `ensure_file_contents`: fix the file, then fail so that the change
        // is noticed and committed.
        std::fs::write(&path, &generated).unwrap();
        panic!("schema/annotations.schema.json was stale and has been regenerated; commit it");
    }
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
