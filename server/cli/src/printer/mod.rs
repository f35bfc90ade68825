//! Rendering `gazette check` results: human text, JSON, SARIF 2.1.0 and GitHub annotations.
//!
//! Findings carry byte ranges; printers turn them into 1-based lines and character columns by
//! reading the documents that have findings again (the checker keeps summaries, not texts).

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use std::collections::HashMap;
use std::sync::Arc;

use gazette_core::diagnostic::Diagnostic;
use gazette_core::text::{LineColumn, LineIndex, decode};

use crate::commands::check::CheckedDocument;

/// Everything a printer shows.
pub struct Report<'a> {
    /// The findings to show, in corpus order.
    pub diagnostics: &'a [Diagnostic],
    /// The documents checked, by key.
    pub documents: &'a HashMap<String, CheckedDocument>,
    /// Number of documents checked.
    pub checked: usize,
    /// Number of findings fixed by `--fix`.
    pub fixed: usize,
    /// Number of findings accepted by the baseline.
    pub accepted: usize,
    /// Whether to mention `--unsafe-fixes` in the summary.
    pub show_unsafe_hint: bool,
}

struct LoadedText {
    text: String,
    index: LineIndex,
}

/// Converts byte offsets to human positions, reading documents on demand (with a small cache).
pub struct Positions<'a> {
    documents: &'a HashMap<String, CheckedDocument>,
    cache: HashMap<String, Option<Arc<LoadedText>>>,
}

/// The cache is cleared when it holds this many documents: findings come sorted by document, so
/// a small cache serves almost every lookup and memory stays bounded.
const CACHE_LIMIT: usize = 64;

impl<'a> Positions<'a> {
    /// A converter over the checked documents.
    pub fn new(documents: &'a HashMap<String, CheckedDocument>) -> Positions<'a> {
        Positions {
            documents,
            cache: HashMap::new(),
        }
    }

    fn load(&mut self, key: &str) -> Option<Arc<LoadedText>> {
        if let Some(loaded) = self.cache.get(key) {
            return loaded.clone();
        }
        if self.cache.len() >= CACHE_LIMIT {
            self.cache.clear();
        }
        let loaded = self.documents.get(key).and_then(|document| {
            let bytes = std::fs::read(&document.path).ok()?;
            let text = decode(&bytes, u64::MAX).ok()?.to_owned();
            let index = LineIndex::new(&text);
            Some(Arc::new(LoadedText { text, index }))
        });
        self.cache.insert(key.to_owned(), loaded.clone());
        loaded
    }

    /// The 1-based line and character column of `offset` in document `key`.
    pub fn position(&mut self, key: &str, offset: u32) -> LineColumn {
        if offset == 0 {
            // Known without reading the document: GZ900 findings of a 200 MB file point here,
            // and reading it to say "1:1" cost 400 MB (tests/hostile.rs).
            return LineColumn { line: 1, column: 1 };
        }
        match self.load(key) {
            Some(loaded) => loaded.index.line_column(&loaded.text, offset),
            None => LineColumn { line: 1, column: 1 },
        }
    }

    /// The text of 1-based `line` of document `key`, when it can be read.
    pub fn line_text(&mut self, key: &str, line: u32) -> Option<String> {
        let loaded = self.load(key)?;
        let range = loaded
            .index
            .line_range(&loaded.text, line.checked_sub(1)?)?;
        Some(
            loaded.text[range.to_usize()]
                .trim_start_matches('\u{feff}')
                .to_owned(),
        )
    }
}

/// "1 finding" / "2 findings".
pub fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("{count} {word}")
    } else {
        format!("{count} {word}s")
    }
}
