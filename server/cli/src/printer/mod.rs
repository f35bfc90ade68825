//! Rendering `gazette check` results: human text, JSON, SARIF 2.1.0 and GitHub annotations.
//!
//! Findings carry byte ranges; printers turn them into 1-based lines and character columns by
//! reading the documents that have findings again (the checker keeps summaries, not texts).
//!
//! Printers consume findings as a stream ([`Findings`]): `gazette check` computes them a batch of
//! documents at a time once the corpus is indexed and writes each one as soon as it is final, so
//! a run with a million findings never holds them all (nor their JSON or SARIF trees) in memory.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;

use gazette_core::diagnostic::Diagnostic;
use gazette_core::text::{LineColumn, LineIndex, decode};
use serde::ser::{Serialize, Serializer};
use serde_json::Value;

use crate::commands::check::CheckedDocument;

/// The findings a printer shows, in corpus order, grouped by document (all findings of a
/// document follow each other). Each printer drains it once.
pub type Findings<'a> = RefCell<&'a mut dyn Iterator<Item = Diagnostic>>;

/// Everything a printer shows.
pub struct Report<'a> {
    /// The findings to show, in corpus order; drained by the printer.
    pub diagnostics: Findings<'a>,
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

/// What a printer counted while it wrote the findings.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Printed {
    /// Findings written.
    pub findings: usize,
}

/// Counts findings and the documents that have them, for the summary lines. Findings arrive
/// grouped by document, so a change of document is a new document.
#[derive(Default)]
struct Tally {
    findings: usize,
    documents: usize,
    last_document: Option<String>,
}

impl Tally {
    fn count(&mut self, diagnostic: &Diagnostic) {
        self.findings += 1;
        if self.last_document.as_deref() != Some(diagnostic.document.as_str()) {
            self.documents += 1;
            self.last_document = Some(diagnostic.document.clone());
        }
    }
}

/// A report's findings as a JSON array, each converted to a JSON value by `convert` when the
/// serializer reaches it, so that no tree of all findings is ever built.
pub(crate) struct StreamedFindings<'a, 'r, F> {
    report: &'a Report<'r>,
    convert: F,
    written: Cell<usize>,
}

impl<'a, 'r, F: Fn(&mut Positions<'_>, &Diagnostic) -> Value> StreamedFindings<'a, 'r, F> {
    pub(crate) fn new(report: &'a Report<'r>, convert: F) -> Self {
        StreamedFindings {
            report,
            convert,
            written: Cell::new(0),
        }
    }

    /// What was written so far.
    pub(crate) fn printed(&self) -> Printed {
        Printed {
            findings: self.written.get(),
        }
    }
}

impl<F: Fn(&mut Positions<'_>, &Diagnostic) -> Value> Serialize for StreamedFindings<'_, '_, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut positions = Positions::new(self.report.documents);
        let mut findings = self.report.diagnostics.borrow_mut();
        // No length hint: the findings are computed while they are written.
        serializer.collect_seq((&mut **findings).map(|diagnostic| {
            self.written.set(self.written.get() + 1);
            (self.convert)(&mut positions, &diagnostic)
        }))
    }
}

/// Writes `value` as pretty-printed JSON and a newline. `io::Error::from` keeps the kind of an
/// IO failure, so that a reader that went away (`gazette check --format json | head`) is
/// recognised as a broken pipe, not an error.
pub(crate) fn write_pretty_json(
    out: &mut dyn std::io::Write,
    value: &impl Serialize,
) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

/// "1 finding" / "2 findings".
pub fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("{count} {word}")
    } else {
        format!("{count} {word}s")
    }
}
