//! `gazette tag` and `gazette.toml`: per-path document creation times, and configuration errors.

use gazette_tests::{TempDir, gazette_binary};
use serde_json::Value;

fn tag(dir: &TempDir, path: &str) -> std::process::Output {
    std::process::Command::new(gazette_binary())
        .args(["tag", path])
        .current_dir(dir.path())
        .output()
        .unwrap()
}

fn date_values(output: &std::process::Output) -> Vec<String> {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let line: Value = serde_json::from_slice(&output.stdout).unwrap();
    line["spans"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|span| span["label"] == "DATE")
        .map(|span| span["norm"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn document_dates_resolve_year_less_dates_per_path() {
    let dir = TempDir::new();
    dir.write(
        "gazette.toml",
        "[tagging]\ndct = \"2020-05-01\"\n\n[[document-dates]]\npaths = [\"archive/2016/**\"]\ndct = \"2016-10-17\"\n",
    );
    let text = "The delegation arrived on September 17th.\n";
    dir.write("archive/2016/a.txt", text);
    dir.write("news/b.txt", text);
    // The first matching `document-dates` entry wins; other documents get `tagging.dct`.
    assert_eq!(
        date_values(&tag(&dir, "archive/2016/a.txt")),
        ["2016-09-17"]
    );
    assert_eq!(date_values(&tag(&dir, "news/b.txt")), ["2020-09-17"]);
}

#[test]
fn a_broken_dct_is_a_configuration_error() {
    let dir = TempDir::new();
    dir.write(
        "gazette.toml",
        "[[document-dates]]\npaths = [\"**\"]\ndct = \"17/10/2016\"\n",
    );
    dir.write("a.txt", "Text.\n");
    let output = tag(&dir, "a.txt");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("gazette.toml:3") && stderr.contains("`17/10/2016` is not a date"),
        "{stderr}"
    );
}
