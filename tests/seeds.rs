//! The duplicate rules on the five seed articles: exactly the findings a curator expects.

use gazette_core::config::Config;
use gazette_core::text::{LineIndex, decode};
use gazette_core::workspace::Workspace;

#[test]
fn seed_corpus_has_exactly_the_known_duplicates() {
    let corpus = gazette_tests::sample_corpus();
    let mut paths: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    paths.sort();
    assert_eq!(paths.len(), 5);
    let mut workspace = Workspace::new(Config::default());
    let mut texts = Vec::new();
    for path in &paths {
        let bytes = std::fs::read(path).unwrap();
        let text = decode(&bytes, u64::MAX).unwrap().to_owned();
        let key = path.file_name().unwrap().to_string_lossy().into_owned();
        workspace.set_document(&key, &text);
        texts.push((key, text));
    }
    let mut findings = Vec::new();
    for (key, text) in &texts {
        let index = LineIndex::new(text);
        for diagnostic in workspace.diagnostics(key) {
            if !matches!(diagnostic.code, "GZ001" | "GZ002" | "GZ003") {
                continue;
            }
            let line = index.line_column(text, diagnostic.range.start).line;
            findings.push(format!(
                "{key}:{line} {} {}",
                diagnostic.code, diagnostic.message
            ));
        }
    }
    assert_eq!(
        findings,
        [
            "000_9c21d3f726678668.txt:11 GZ001 line 11 repeats line 10",
            "001_a9298164ea9b0dd7.txt:10 GZ001 lines 10–14 repeat lines 5–9",
            "004_ae268ecac20d5d8f.txt:11 GZ001 line 11 repeats line 10",
        ]
    );
}
