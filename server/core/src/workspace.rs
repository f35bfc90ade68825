//! The incremental corpus: per-document summaries, corpus-wide indexes, diagnostics on demand.
//!
//! Both `gazette check` and the language server drive a [`Workspace`], so the editor and CI report
//! the same findings. A workspace keeps no document text: each document is reduced to a
//! [`DocumentSummary`] (paragraph ranges, lines, fingerprints, MinHash signatures), so memory
//! grows with the number of paragraphs, not with the corpus bytes. Two indexes map fingerprints
//! and LSH band keys to their occurrences; replacing a document touches only its own entries,
//! so an update costs time proportional to that document, whatever the corpus size.
//!
//! Corpus order is the sorted order of document keys; "the first copy" always means the first in
//! that order, then in text order.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::minhash::{self, Signature};
use crate::normalize::{Fingerprint, Normalizer};
use crate::paragraph::{self, Layout};
use crate::text::{DecodeProblem, TextRange};

/// Sentinel for "no signature" in [`ParagraphSummary`].
const NO_SIGNATURE: u32 = u32::MAX;

/// What the workspace remembers about one paragraph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParagraphSummary {
    /// The paragraph's trimmed byte range.
    pub range: TextRange,
    /// Its whole lines, terminators included (see [`crate::paragraph::Paragraph::lines`]).
    pub lines: TextRange,
    /// Its first 0-based line.
    pub first_line: u32,
    /// Its last 0-based line.
    pub last_line: u32,
    /// The fingerprint of its normalised text.
    pub fingerprint: Fingerprint,
    /// Its number of words after normalisation (0 for punctuation-only paragraphs).
    pub words: u32,
    /// Index into [`DocumentSummary::signatures`], or [`NO_SIGNATURE`].
    signature: u32,
}

/// What the workspace remembers about one document: enough to report and fix duplicates without
/// its text. Build it with [`DocumentSummary::new`] (pure, so front ends can summarise many
/// documents in parallel) or [`DocumentSummary::unreadable`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentSummary {
    problem: Option<DecodeProblem>,
    layout: Layout,
    text_len: u32,
    paragraphs: Vec<ParagraphSummary>,
    signatures: Vec<Signature>,
}

impl DocumentSummary {
    /// Summarises a document's text under `config`.
    pub fn new(text: &str, config: &Config) -> DocumentSummary {
        DocumentSummary::with_normalizer(text, config, &mut Normalizer::new())
    }

    /// Like [`DocumentSummary::new`], reusing a normaliser's buffers across documents.
    pub fn with_normalizer(
        text: &str,
        config: &Config,
        normalizer: &mut Normalizer,
    ) -> DocumentSummary {
        let segmentation = paragraph::segment(text, config.paragraphs.layout);
        let near = &config.rules.near_duplicate;
        let near_enabled = near
            .enabled
            .unwrap_or(crate::rules::near_duplicate::META.default_enabled);
        let mut paragraphs = Vec::with_capacity(segmentation.paragraphs.len());
        let mut signatures = Vec::new();
        for paragraph in &segmentation.paragraphs {
            let (normalized, words) = normalizer.normalize_bytes(&text[paragraph.range.to_usize()]);
            let fingerprint = Fingerprint(xxhash_rust::xxh3::xxh3_64(normalized));
            let mut signature = NO_SIGNATURE;
            if near_enabled && words >= near.min_words.max(1) {
                if let Some(computed) = minhash::signature(normalized, near.shingle_words as usize)
                {
                    signature = signatures.len() as u32;
                    signatures.push(computed);
                }
            }
            paragraphs.push(ParagraphSummary {
                range: paragraph.range,
                lines: paragraph.lines,
                first_line: paragraph.first_line,
                last_line: paragraph.last_line,
                fingerprint,
                words,
                signature,
            });
        }
        DocumentSummary {
            problem: None,
            layout: segmentation.layout,
            text_len: text.len() as u32,
            paragraphs,
            signatures,
        }
    }

    /// The summary of a document whose bytes are not analysable text.
    pub fn unreadable(problem: DecodeProblem) -> DocumentSummary {
        DocumentSummary {
            problem: Some(problem),
            layout: Layout::Lines,
            text_len: 0,
            paragraphs: Vec::new(),
            signatures: Vec::new(),
        }
    }

    /// Why the document could not be read, if it could not.
    pub fn problem(&self) -> Option<&DecodeProblem> {
        self.problem.as_ref()
    }

    /// The layout the segmenter used (never [`Layout::Auto`]).
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// The length of the summarised text in bytes.
    pub fn text_len(&self) -> u32 {
        self.text_len
    }

    /// The paragraphs in text order.
    pub fn paragraphs(&self) -> &[ParagraphSummary] {
        &self.paragraphs
    }

    /// The MinHash signature of paragraph `index`, when it has one.
    pub fn signature(&self, index: usize) -> Option<&Signature> {
        let paragraph = self.paragraphs.get(index)?;
        self.signatures.get(paragraph.signature as usize)
    }

    /// The range to delete to remove paragraphs `first..=last` together with their line breaks,
    /// so that the document keeps its layout: a paragraph set off by blank lines takes the blank
    /// lines after it along (one separator remains), a line inside a block goes alone.
    pub fn deletion_range(&self, first: usize, last: usize) -> TextRange {
        let paragraphs = &self.paragraphs;
        let blank_before =
            first == 0 || paragraphs[first - 1].last_line + 1 < paragraphs[first].first_line;
        let next = paragraphs.get(last + 1);
        let blank_after = next.is_none_or(|next| paragraphs[last].last_line + 1 < next.first_line);
        match next {
            Some(next) if blank_before && blank_after => {
                TextRange::new(paragraphs[first].lines.start, next.lines.start)
            }
            None if blank_before && first > 0 => {
                TextRange::new(paragraphs[first - 1].lines.end, paragraphs[last].lines.end)
            }
            _ => TextRange::new(paragraphs[first].lines.start, paragraphs[last].lines.end),
        }
    }

    /// Approximate heap bytes held by this summary.
    pub fn heap_bytes(&self) -> usize {
        self.paragraphs.capacity() * std::mem::size_of::<ParagraphSummary>()
            + self.signatures.capacity() * std::mem::size_of::<Signature>()
    }
}

/// A paragraph of a document in the workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Occurrence {
    pub(crate) document: u32,
    pub(crate) paragraph: u32,
}

/// Keys in the indexes are already uniform hashes; hashing them again would waste the fast path.
#[derive(Default)]
pub(crate) struct PassThroughHasher(u64);

impl Hasher for PassThroughHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(byte)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }
    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

type FastMap<V> = HashMap<u64, V, BuildHasherDefault<PassThroughHasher>>;

/// A multimap from a hash to occurrences, built for keys that are almost always unique: the
/// first occurrence of a key lives inline in `first` (16 bytes, no allocation), later ones in
/// `rest`. One `Vec` per key would cost an allocation per paragraph and per LSH band.
#[derive(Default)]
struct Index {
    first: FastMap<Occurrence>,
    rest: FastMap<Vec<Occurrence>>,
}

/// Set in the paragraph number of an occurrence stored in `Index::first` when `Index::rest`
/// holds more occurrences of the key: the common unique key then costs one lookup, not two.
const HAS_REST: u32 = 1 << 31;

impl Index {
    fn insert(&mut self, key: u64, occurrence: Occurrence) {
        match self.first.entry(key) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(occurrence);
            }
            std::collections::hash_map::Entry::Occupied(mut slot) => {
                slot.get_mut().paragraph |= HAS_REST;
                self.rest.entry(key).or_default().push(occurrence);
            }
        }
    }

    /// Removes every occurrence of document `document` under `key`.
    fn remove_document(&mut self, key: u64, document: u32) {
        let all: Vec<Occurrence> = self.get(key).collect();
        if all.iter().all(|o| o.document != document) {
            return;
        }
        self.first.remove(&key);
        self.rest.remove(&key);
        for occurrence in all.into_iter().filter(|o| o.document != document) {
            self.insert(key, occurrence);
        }
    }

    /// The occurrences under `key`, in insertion order.
    fn get(&self, key: u64) -> impl Iterator<Item = Occurrence> + '_ {
        let first = self.first.get(&key).copied();
        let rest = match first {
            Some(first) if first.paragraph & HAS_REST != 0 => {
                self.rest.get(&key).map_or(&[][..], Vec::as_slice)
            }
            _ => &[],
        };
        let first = first.map(|o| Occurrence {
            document: o.document,
            paragraph: o.paragraph & !HAS_REST,
        });
        first.into_iter().chain(rest.iter().copied())
    }

    fn heap_bytes(&self) -> usize {
        self.first.capacity() * (8 + std::mem::size_of::<Occurrence>() + 1)
            + self.rest.capacity() * (8 + 24 + 1)
            + self.rest.values().map(|v| v.capacity() * 8).sum::<usize>()
    }
}

struct DocumentEntry {
    key: String,
    summary: DocumentSummary,
}

/// The corpus as the rules see it. See the module documentation.
#[derive(Default)]
pub struct Workspace {
    config: Config,
    documents: Vec<Option<DocumentEntry>>,
    free_ids: Vec<u32>,
    ids: HashMap<String, u32>,
    exact: Index,
    bands: Index,
}

impl Workspace {
    /// An empty workspace.
    pub fn new(config: Config) -> Workspace {
        Workspace {
            config,
            ..Workspace::default()
        }
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Replaces the configuration. Returns `true` when the change affects how documents are
    /// summarised (layout, near-duplicate shingles): the caller must then set every document
    /// again. Otherwise only diagnostics change, and every document's may have.
    pub fn set_config(&mut self, config: Config) -> bool {
        let resummarise = self.config.summaries_differ(&config);
        self.config = config;
        resummarise
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when the workspace holds no document.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The keys of all documents in corpus order.
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.ids.keys().cloned().collect();
        keys.sort();
        keys
    }

    /// The summary of a document.
    pub fn summary(&self, key: &str) -> Option<&DocumentSummary> {
        let id = *self.ids.get(key)?;
        self.entry(id).map(|entry| &entry.summary)
    }

    /// Sets (adds or replaces) a document from its text. Returns the keys of the *other*
    /// documents whose diagnostics may have changed, in corpus order.
    pub fn set_document(&mut self, key: &str, text: &str) -> Vec<String> {
        let summary = DocumentSummary::new(text, &self.config);
        self.set_summary(key, summary)
    }

    /// Records a document whose bytes are not text (see [`crate::text::decode`]).
    pub fn set_unreadable(&mut self, key: &str, problem: DecodeProblem) -> Vec<String> {
        self.set_summary(key, DocumentSummary::unreadable(problem))
    }

    /// Sets a document from a summary built elsewhere (in parallel, by the CLI). Returns the
    /// keys of the other documents whose diagnostics may have changed.
    pub fn set_summary(&mut self, key: &str, summary: DocumentSummary) -> Vec<String> {
        let mut affected = HashSet::new();
        if let Some(&id) = self.ids.get(key) {
            self.collect_neighbours(id, &mut affected);
            self.unindex(id);
            self.documents[id as usize] = Some(DocumentEntry {
                key: key.to_owned(),
                summary,
            });
            self.index(id);
            self.collect_neighbours(id, &mut affected);
            affected.remove(&id);
        } else {
            let id = self.insert(key, summary);
            self.collect_neighbours(id, &mut affected);
            affected.remove(&id);
        }
        self.keys_of(affected)
    }

    /// Adds many documents at once without computing who is affected (the batch path of
    /// `gazette check`). Replaces documents that already exist.
    pub fn extend(&mut self, documents: impl IntoIterator<Item = (String, DocumentSummary)>) {
        for (key, summary) in documents {
            if self.ids.contains_key(&key) {
                self.set_summary(&key, summary);
            } else {
                self.insert(&key, summary);
            }
        }
    }

    /// Removes a document. Returns the keys of the other documents whose diagnostics may have
    /// changed.
    pub fn remove_document(&mut self, key: &str) -> Vec<String> {
        let Some(id) = self.ids.remove(key) else {
            return Vec::new();
        };
        let mut affected = HashSet::new();
        self.collect_neighbours(id, &mut affected);
        affected.remove(&id);
        self.unindex(id);
        self.documents[id as usize] = None;
        self.free_ids.push(id);
        self.keys_of(affected)
    }

    /// The diagnostics of one document under the current configuration, sorted by position then
    /// code. An unknown key has none.
    pub fn diagnostics(&self, key: &str) -> Vec<Diagnostic> {
        let Some(&id) = self.ids.get(key) else {
            return Vec::new();
        };
        let mut diagnostics = crate::rules::check_document(self, id);
        diagnostics.sort_by(|a, b| {
            (a.range.start, a.code, a.range.end).cmp(&(b.range.start, b.code, b.range.end))
        });
        diagnostics
    }

    /// A key for `diagnostic` that survives edits elsewhere in the document: the rule code plus
    /// the fingerprints of the paragraphs it covers (used by baselines).
    pub fn finding_key(&self, diagnostic: &Diagnostic) -> u64 {
        let mut hash = xxhash_rust::xxh3::xxh3_64(diagnostic.code.as_bytes());
        if let Some(summary) = self.summary(&diagnostic.document) {
            if let Some(problem) = summary.problem() {
                return hash ^ xxhash_rust::xxh3::xxh3_64(problem.to_string().as_bytes());
            }
            for paragraph in summary.paragraphs() {
                if diagnostic.range.contains_range(paragraph.range) {
                    hash = (hash.rotate_left(17) ^ paragraph.fingerprint.0)
                        .wrapping_mul(0x9e37_79b9_7f4a_7c15);
                }
            }
        }
        hash
    }

    /// Approximate heap bytes held by summaries and indexes (for benchmarks).
    pub fn heap_bytes(&self) -> usize {
        let summaries: usize = self
            .documents
            .iter()
            .flatten()
            .map(|entry| entry.summary.heap_bytes() + entry.key.capacity())
            .sum();
        summaries + self.exact.heap_bytes() + self.bands.heap_bytes()
    }

    // Internal API for the rules.

    pub(crate) fn entry_key(&self, id: u32) -> &str {
        self.entry(id).map_or("", |entry| entry.key.as_str())
    }

    pub(crate) fn entry_summary(&self, id: u32) -> Option<&DocumentSummary> {
        self.entry(id).map(|entry| &entry.summary)
    }

    pub(crate) fn exact_occurrences(
        &self,
        fingerprint: Fingerprint,
    ) -> impl Iterator<Item = Occurrence> + '_ {
        self.exact.get(fingerprint.0)
    }

    pub(crate) fn band_occurrences(&self, band_key: u64) -> impl Iterator<Item = Occurrence> + '_ {
        self.bands.get(band_key)
    }

    fn entry(&self, id: u32) -> Option<&DocumentEntry> {
        self.documents.get(id as usize).and_then(Option::as_ref)
    }

    fn insert(&mut self, key: &str, summary: DocumentSummary) -> u32 {
        let entry = Some(DocumentEntry {
            key: key.to_owned(),
            summary,
        });
        let id = match self.free_ids.pop() {
            Some(id) => {
                self.documents[id as usize] = entry;
                id
            }
            None => {
                self.documents.push(entry);
                (self.documents.len() - 1) as u32
            }
        };
        self.ids.insert(key.to_owned(), id);
        self.index(id);
        id
    }

    fn index(&mut self, id: u32) {
        let Some(entry) = self.documents[id as usize].as_ref() else {
            return;
        };
        for (number, paragraph) in entry.summary.paragraphs.iter().enumerate() {
            let occurrence = Occurrence {
                document: id,
                paragraph: number as u32,
            };
            if paragraph.words > 0 {
                self.exact.insert(paragraph.fingerprint.0, occurrence);
            }
            if let Some(signature) = entry.summary.signature(number) {
                for key in minhash::band_keys(signature) {
                    self.bands.insert(key, occurrence);
                }
            }
        }
    }

    fn unindex(&mut self, id: u32) {
        let Some(entry) = self.documents[id as usize].as_ref() else {
            return;
        };
        for (number, paragraph) in entry.summary.paragraphs.iter().enumerate() {
            if paragraph.words > 0 {
                self.exact.remove_document(paragraph.fingerprint.0, id);
            }
            if let Some(signature) = entry.summary.signature(number) {
                for key in minhash::band_keys(signature) {
                    self.bands.remove_document(key, id);
                }
            }
        }
    }

    /// Adds to `out` every document sharing a fingerprint or band key with document `id`.
    fn collect_neighbours(&self, id: u32, out: &mut HashSet<u32>) {
        let Some(entry) = self.entry(id) else {
            return;
        };
        for (number, paragraph) in entry.summary.paragraphs.iter().enumerate() {
            if paragraph.words > 0 {
                out.extend(
                    self.exact_occurrences(paragraph.fingerprint)
                        .map(|o| o.document),
                );
            }
            if let Some(signature) = entry.summary.signature(number) {
                for key in minhash::band_keys(signature) {
                    out.extend(self.band_occurrences(key).map(|o| o.document));
                }
            }
        }
    }

    fn keys_of(&self, ids: HashSet<u32>) -> Vec<String> {
        let mut keys: Vec<String> = ids
            .into_iter()
            .filter_map(|id| self.entry(id).map(|entry| entry.key.clone()))
            .collect();
        keys.sort();
        keys
    }
}
