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
use std::sync::{Arc, Mutex, PoisonError};

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
    /// [`MAY_HAVE_COPIES`], set by the exact index.
    flags: u8,
    /// Bit `b` is set when band `b` of the signature was shared with another paragraph when
    /// either was indexed. Like the flags it may outlive the other paragraph: it means "look".
    shared_bands: u32,
}

/// Another paragraph had this paragraph's fingerprint when one of them was indexed. Paragraphs
/// without the flag have no exact copy, which spares the rules an index lookup (a cache miss)
/// for the vast majority of paragraphs. The flag may outlive the copy (it is cleared only when
/// the document is set again): it means "look", never "found".
const MAY_HAVE_COPIES: u8 = 1;

impl ParagraphSummary {
    /// True when the paragraph shared its fingerprint with another paragraph at some point
    /// since its document was last set.
    pub(crate) fn may_have_copies(&self) -> bool {
        self.flags & MAY_HAVE_COPIES != 0
    }

    /// True when the paragraph shared an LSH band with another paragraph at some point since
    /// its document was last set.
    pub(crate) fn may_have_near_candidates(&self) -> bool {
        self.shared_bands != 0
    }
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
        DocumentSummary::summarize(text, config, normalizer, |_| None)
    }

    /// Like [`DocumentSummary::new`], taking the fingerprint, words and signature of every
    /// paragraph whose text is unchanged from `previous`, the summary of `previous_text` under
    /// the same `config`: an edit in the editor normalises and sketches only the paragraphs it
    /// touched. The result equals [`DocumentSummary::new`]'s.
    pub fn reusing(
        text: &str,
        config: &Config,
        normalizer: &mut Normalizer,
        previous: &DocumentSummary,
        previous_text: &str,
    ) -> DocumentSummary {
        // Paragraph texts of the previous version, by a hash of their bytes.
        let mut before: FastMap<Vec<usize>> = FastMap::default();
        for (index, paragraph) in previous.paragraphs.iter().enumerate() {
            if let Some(bytes) = previous_text.get(paragraph.range.to_usize()) {
                before
                    .entry(xxhash_rust::xxh3::xxh3_64(bytes.as_bytes()))
                    .or_default()
                    .push(index);
            }
        }
        DocumentSummary::summarize(text, config, normalizer, |bytes| {
            let candidates = before.get(&xxhash_rust::xxh3::xxh3_64(bytes.as_bytes()))?;
            let index = *candidates.iter().find(|&&index| {
                previous_text.get(previous.paragraphs[index].range.to_usize()) == Some(bytes)
            })?;
            let paragraph = &previous.paragraphs[index];
            Some((
                paragraph.fingerprint,
                paragraph.words,
                previous.signature(index).copied(),
            ))
        })
    }

    /// Summarises `text`; `known` gives the fingerprint, words and signature of a paragraph's
    /// text when they are already known.
    fn summarize(
        text: &str,
        config: &Config,
        normalizer: &mut Normalizer,
        known: impl Fn(&str) -> Option<(Fingerprint, u32, Option<Signature>)>,
    ) -> DocumentSummary {
        let segmentation = paragraph::segment(text, config.paragraphs.layout);
        let near = &config.rules.near_duplicate;
        let near_enabled = near
            .enabled
            .unwrap_or(crate::rules::near_duplicate::META.default_enabled);
        let mut paragraphs = Vec::with_capacity(segmentation.paragraphs.len());
        let mut signatures = Vec::new();
        for paragraph in &segmentation.paragraphs {
            let bytes = &text[paragraph.range.to_usize()];
            let mut signature = NO_SIGNATURE;
            let (fingerprint, words) = if let Some((fingerprint, words, known)) = known(bytes) {
                if let Some(known) = known {
                    signature = signatures.len() as u32;
                    signatures.push(known);
                }
                (fingerprint, words)
            } else {
                let (normalized, words) = normalizer.normalize_bytes(bytes);
                if near_enabled && words >= near.min_words.max(1) {
                    if let Some(computed) =
                        minhash::signature(normalized, near.shingle_words as usize)
                    {
                        signature = signatures.len() as u32;
                        signatures.push(computed);
                    }
                }
                (Fingerprint(xxhash_rust::xxh3::xxh3_64(normalized)), words)
            };
            paragraphs.push(ParagraphSummary {
                range: paragraph.range,
                lines: paragraph.lines,
                first_line: paragraph.first_line,
                last_line: paragraph.last_line,
                fingerprint,
                words,
                signature,
                flags: 0,
                shared_bands: 0,
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

/// The paragraphs a document lost or gained in [`Workspace::replace_summary`]: what the
/// findings of other documents can depend on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParagraphChanges {
    /// The fingerprints of the paragraphs (with words) removed or added.
    pub fingerprints: Vec<Fingerprint>,
    /// The signatures of the paragraphs removed or added.
    pub signatures: Vec<Signature>,
}

impl ParagraphChanges {
    /// Every paragraph of `summary`, as for a document added.
    fn of_all(summary: &DocumentSummary) -> ParagraphChanges {
        let mut changes = ParagraphChanges::default();
        for index in 0..summary.paragraphs.len() {
            changes.add(summary, index);
        }
        changes.finish()
    }

    fn add(&mut self, summary: &DocumentSummary, index: usize) {
        let paragraph = &summary.paragraphs[index];
        if paragraph.words > 0 {
            self.fingerprints.push(paragraph.fingerprint);
        }
        if let Some(signature) = summary.signature(index) {
            self.signatures.push(*signature);
        }
    }

    /// Sorts and deduplicates both lists.
    fn finish(mut self) -> ParagraphChanges {
        self.fingerprints.sort_unstable();
        self.fingerprints.dedup();
        self.signatures.sort_unstable();
        self.signatures.dedup();
        self
    }

    /// True when no paragraph changed.
    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty() && self.signatures.is_empty()
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
    /// Adds an occurrence; returns the first occurrence already under `key`, if any.
    fn insert(&mut self, key: u64, occurrence: Occurrence) -> Option<Occurrence> {
        match self.first.entry(key) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(occurrence);
                None
            }
            std::collections::hash_map::Entry::Occupied(mut slot) => {
                let first = *slot.get();
                slot.get_mut().paragraph |= HAS_REST;
                self.rest.entry(key).or_default().push(occurrence);
                Some(Occurrence {
                    document: first.document,
                    paragraph: first.paragraph & !HAS_REST,
                })
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

    /// The number of occurrences under `key`.
    fn count(&self, key: u64) -> usize {
        match self.first.get(&key) {
            None => 0,
            Some(first) if first.paragraph & HAS_REST != 0 => {
                1 + self.rest.get(&key).map_or(0, Vec::len)
            }
            Some(_) => 1,
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

/// One LSH band's index: a multimap from a 32-bit band key to document ids, in one flat table
/// with open addressing and linear probing (8 bytes a slot, no allocation per key).
///
/// It stores documents, not paragraphs: a lookup gives the documents that may hold a paragraph
/// with the band, and the caller compares that document's signatures (a few contiguous bytes
/// each) to find which paragraphs. That halves the index, which is most of the memory of the
/// near-duplicate rule, and a false 32-bit key match costs a comparison, never a wrong finding.
/// One table per band keeps each table small enough to stay in cache while a corpus is indexed
/// band by band.
///
/// A key holds at most [`RUN_CAP`] documents in the table; more documents under the same key
/// (a boilerplate paragraph in thousands of documents) go to `overflow`. Without the cap, the
/// entries of one key form one probe run that every insert and lookup walks: 100,000
/// documents sharing a paragraph cost 5·10⁹ probes.
#[derive(Default)]
struct BandTable {
    /// `key << 32 | document`; 0 is an empty slot (keys are never 0). The length is 0 or a
    /// power of two.
    slots: Vec<u64>,
    len: usize,
    /// The documents beyond the first [`RUN_CAP`] under a key, by `key << 32`. A key has
    /// entries here only while it has exactly `RUN_CAP` entries in `slots`.
    overflow: FastMap<Vec<u32>>,
}

/// The most entries one key has in a [`BandTable`]'s slots.
const RUN_CAP: usize = 8;

impl BandTable {
    fn slot_key(key: u32) -> u64 {
        u64::from(key.max(1)) << 32
    }

    fn home(&self, key_bits: u64) -> usize {
        // The key is a uniform hash: its low bits are as good a position as any.
        (key_bits >> 32) as usize & (self.slots.len() - 1)
    }

    /// Makes room for `additional` more entries without growing again.
    fn reserve(&mut self, additional: usize) {
        let needed = ((self.len + additional) * 10 / 7 + 1)
            .next_power_of_two()
            .max(16);
        if needed > self.slots.len() {
            let old = std::mem::replace(&mut self.slots, vec![0; needed]);
            for slot in old.into_iter().filter(|&slot| slot != 0) {
                let mut at = self.home(slot);
                while self.slots[at] != 0 {
                    at = (at + 1) & (self.slots.len() - 1);
                }
                self.slots[at] = slot;
            }
        }
    }

    /// Adds `document` under `key` and calls `collision` with the documents already in its
    /// probe run (itself when it is already there: another of its paragraphs has the same band),
    /// at most [`RUN_CAP`] of them.
    ///
    /// When the run is full, only the document itself is reported: the flags need no more (see
    /// [`Workspace::flag_shared`]), since every document under a key holding two or more was
    /// flagged when it arrived or when the second one did. Reporting them all made an insert
    /// cost the number of documents under its key.
    ///
    /// A document is stored at most once under a key. Without this, a document repeating one
    /// paragraph 100,000 times made a run of 100,000 identical entries.
    fn insert(&mut self, key: u32, document: u32, mut collision: impl FnMut(u32)) {
        if (self.len + 1) * 10 > self.slots.len() * 7 {
            self.reserve(1);
        }
        let key_bits = Self::slot_key(key);
        let entry = key_bits | u64::from(document);
        let mask = self.slots.len() - 1;
        let mut at = self.home(key_bits);
        let mut same_key = [0u32; RUN_CAP];
        let mut same_keys = 0;
        loop {
            let slot = self.slots[at];
            if slot == 0 {
                break;
            }
            if slot == entry {
                collision(document);
                return;
            }
            if slot & !0xffff_ffff == key_bits {
                same_key[same_keys.min(RUN_CAP - 1)] = slot as u32;
                same_keys += 1;
            }
            at = (at + 1) & mask;
        }
        if same_keys >= RUN_CAP {
            // A full run: its documents were all flagged when they arrived, so only this one
            // needs a flag (a collision with itself does that).
            collision(document);
            // Documents are indexed one after the other, so a document already under the key
            // is the last one added.
            let rest = self.overflow.entry(key_bits).or_default();
            if rest.last() != Some(&document) {
                rest.push(document);
            }
            return;
        }
        same_key[..same_keys]
            .iter()
            .for_each(|&other| collision(other));
        self.slots[at] = entry;
        self.len += 1;
    }

    /// The documents under `key` (each once).
    fn get(&self, key: u32) -> impl Iterator<Item = u32> + '_ {
        let key_bits = Self::slot_key(key);
        let (mask, start) = if self.slots.is_empty() {
            (0, 0)
        } else {
            (self.slots.len() - 1, self.home(key_bits))
        };
        let slots: &[u64] = &self.slots;
        let rest = if self.overflow.is_empty() {
            &[][..]
        } else {
            self.overflow.get(&key_bits).map_or(&[][..], Vec::as_slice)
        };
        (0..slots.len())
            .map(move |step| slots[(start + step) & mask])
            .take_while(|&slot| slot != 0)
            .filter(move |&slot| slot & !0xffff_ffff == key_bits)
            .map(|slot| slot as u32)
            .chain(rest.iter().copied())
    }

    /// Removes the entry of `document` under `key` (if any). A document moves up from the
    /// overflow when a slot of its key is freed, so the overflow only holds keys with full runs.
    fn remove(&mut self, key: u32, document: u32) {
        let key_bits = Self::slot_key(key);
        if let Some(rest) = self.overflow.get_mut(&key_bits) {
            // Removing a document from a key shared by `n` costs `n`: fine for one edit in the
            // editor; the order of the list does not matter (readers sort).
            let before = rest.len();
            while let Some(at) = rest.iter().position(|&other| other == document) {
                rest.swap_remove(at);
            }
            let removed = rest.len() != before;
            if rest.is_empty() {
                self.overflow.remove(&key_bits);
            }
            if removed {
                return;
            }
        }
        if !self.remove_slot(key_bits | u64::from(document)) {
            return;
        }
        if let Some(rest) = self.overflow.get_mut(&key_bits) {
            let moved = rest.pop().expect("overflow lists are never empty");
            if rest.is_empty() {
                self.overflow.remove(&key_bits);
            }
            let mask = self.slots.len() - 1;
            let mut at = self.home(key_bits);
            while self.slots[at] != 0 {
                at = (at + 1) & mask;
            }
            self.slots[at] = key_bits | u64::from(moved);
            self.len += 1;
        }
    }

    /// Removes the slot holding `target`, shifting the rest of the probe run back so that no
    /// tombstones accumulate however often documents change. Returns false when it is absent.
    fn remove_slot(&mut self, target: u64) -> bool {
        if self.slots.is_empty() {
            return false;
        }
        let mask = self.slots.len() - 1;
        let mut hole = self.home(target);
        loop {
            match self.slots[hole] {
                0 => return false,
                slot if slot == target => break,
                _ => hole = (hole + 1) & mask,
            }
        }
        let mut next = (hole + 1) & mask;
        loop {
            let slot = self.slots[next];
            if slot == 0 {
                break;
            }
            // The entry may move into the hole unless its home lies cyclically after the hole.
            let home = self.home(slot);
            if next.wrapping_sub(home) & mask >= next.wrapping_sub(hole) & mask {
                self.slots[hole] = slot;
                hole = next;
            }
            next = (next + 1) & mask;
        }
        self.slots[hole] = 0;
        self.len -= 1;
        true
    }

    fn heap_bytes(&self) -> usize {
        self.slots.capacity() * 8
            + self.overflow.capacity() * (8 + 24 + 1)
            + self
                .overflow
                .values()
                .map(|v| v.capacity() * 4)
                .sum::<usize>()
    }
}

fn band_rows_array(signature: &Signature, band: usize) -> [u16; minhash::ROWS] {
    minhash::band_rows(signature, band)
        .try_into()
        .expect("a band has ROWS rows")
}

/// Sorts and deduplicates document ids below `bound`. A long list (a boilerplate paragraph's
/// band in thousands of documents) goes through a bitmap of all ids: linear, where a sort
/// would cost `n log n` comparisons for a list that is mostly repeats.
fn sort_and_dedup_ids(ids: &mut Vec<u32>, bound: usize) {
    if ids.len() < 4096 || ids.len() < bound / 64 {
        ids.sort_unstable();
        ids.dedup();
        return;
    }
    let mut bits = vec![0u64; bound.div_ceil(64)];
    for &id in ids.iter() {
        bits[id as usize / 64] |= 1 << (id % 64);
    }
    ids.clear();
    for (word_index, &word) in bits.iter().enumerate() {
        let mut word = word;
        while word != 0 {
            ids.push((word_index * 64) as u32 + word.trailing_zeros());
            word &= word - 1;
        }
    }
}

/// A band key found shared while indexing: (document to flag, document and paragraph whose band
/// rows to look for).
type SharedBand = (u32, u32, u32);

/// Inserts `(key, document, paragraph)` entries in one band's table and returns the shared keys
/// found: for each collision, the other document and this one are both to be flagged.
fn insert_band_keys(
    table: &mut BandTable,
    entries: impl IntoIterator<Item = (u32, u32, u32)>,
) -> Vec<SharedBand> {
    let mut shared = Vec::new();
    for (key, id, number) in entries {
        let mut collided = false;
        table.insert(key, id, |other| {
            collided = true;
            shared.push((other, id, number));
        });
        if collided {
            shared.push((id, id, number));
        }
    }
    shared
}

/// The 32-bit key of one band of a signature in its [`BandTable`].
fn band_key32(signature: &Signature, band: usize) -> u32 {
    (minhash::mix(minhash::band_key(signature, band)) >> 32) as u32
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
    bands: [BandTable; minhash::BANDS],
    /// Copy groups of fingerprints with many occurrences, built on first use and dropped
    /// whenever the exact index changes (see [`Workspace::copy_group`]).
    groups: Mutex<FastMap<Arc<CopyGroup>>>,
}

/// The documents holding one fingerprint, in corpus order: what GZ002 reports about every copy.
#[derive(Debug)]
pub(crate) struct CopyGroup {
    /// The number of distinct documents holding the fingerprint.
    pub(crate) documents: usize,
    /// The first occurrence in each of the first [`COPY_GROUP_HEAD`] documents in corpus order
    /// (the sorted order of keys), in that order.
    pub(crate) head: Vec<Occurrence>,
}

/// How many documents a [`CopyGroup`] lists: enough for the related locations of GZ002 in any
/// document, itself left out.
pub(crate) const COPY_GROUP_HEAD: usize = crate::rules::cross_document_duplicate::MAX_RELATED + 1;

/// Fingerprints with more occurrences than this have their [`CopyGroup`] cached: building one
/// reads every occurrence, and each document holding the fingerprint asks for it.
const CACHED_GROUP_OCCURRENCES: usize = 32;

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

    /// Sets (adds or replaces) a document like [`Workspace::set_summary`], without working out
    /// who is affected: the indexes change only where the document's paragraphs did (an edit in
    /// the editor touches one paragraph of hundreds). Returns what changed, for
    /// [`Workspace::affected_by`].
    pub fn replace_summary(&mut self, key: &str, mut summary: DocumentSummary) -> ParagraphChanges {
        let Some(&id) = self.ids.get(key) else {
            let changes = ParagraphChanges::of_all(&summary);
            self.insert(key, summary);
            return changes;
        };
        let Some(entry) = self.documents[id as usize].take() else {
            return ParagraphChanges::default();
        };
        let previous = entry.summary;
        let mut changes = ParagraphChanges::default();
        // Paragraphs that are still there (same fingerprint, words and signature) keep the
        // flags the indexes gave them; the others are the change.
        let mut before: FastMap<Vec<usize>> = FastMap::default();
        for (index, paragraph) in previous.paragraphs.iter().enumerate() {
            before
                .entry(paragraph.fingerprint.0)
                .or_default()
                .push(index);
        }
        let mut kept = vec![false; previous.paragraphs.len()];
        let mut fresh = Vec::new();
        for index in 0..summary.paragraphs.len() {
            let paragraph = summary.paragraphs[index];
            let signature = summary.signature(index);
            // Each paragraph of before is matched once: a paragraph copied in the edit is a
            // change.
            let same = before.get(&paragraph.fingerprint.0).and_then(|indexes| {
                indexes.iter().copied().find(|&old| {
                    !kept[old]
                        && previous.paragraphs[old].words == paragraph.words
                        && previous.signature(old) == signature
                })
            });
            match same {
                Some(old) => {
                    kept[old] = true;
                    let flags = &previous.paragraphs[old];
                    summary.paragraphs[index].flags = flags.flags;
                    summary.paragraphs[index].shared_bands = flags.shared_bands;
                }
                None => {
                    fresh.push(index);
                    changes.add(&summary, index);
                }
            }
        }
        for (index, kept) in kept.into_iter().enumerate() {
            if !kept {
                changes.add(&previous, index);
            }
        }
        self.reindex_exact(id, &previous, &mut summary);
        self.documents[id as usize] = Some(DocumentEntry {
            key: entry.key,
            summary,
        });
        self.reindex_bands(id, &previous, &fresh);
        changes.finish()
    }

    /// Brings the exact index from document `id`'s `previous` paragraphs to `summary`'s,
    /// touching only the fingerprints whose paragraphs changed (or moved).
    fn reindex_exact(
        &mut self,
        id: u32,
        previous: &DocumentSummary,
        summary: &mut DocumentSummary,
    ) {
        let occurrences = |summary: &DocumentSummary| {
            let mut occurrences: Vec<(u64, u32)> = summary
                .paragraphs
                .iter()
                .enumerate()
                .filter(|(_, paragraph)| paragraph.words > 0)
                .map(|(number, paragraph)| (paragraph.fingerprint.0, number as u32))
                .collect();
            occurrences.sort_unstable();
            occurrences
        };
        let (old, new) = (occurrences(previous), occurrences(summary));
        if old == new {
            return;
        }
        let of = |occurrences: &[(u64, u32)], fingerprint: u64| -> Vec<u32> {
            let start = occurrences.partition_point(|&(key, _)| key < fingerprint);
            occurrences[start..]
                .iter()
                .take_while(|&&(key, _)| key == fingerprint)
                .map(|&(_, number)| number)
                .collect()
        };
        let mut fingerprints: Vec<u64> = old.iter().chain(&new).map(|&(key, _)| key).collect();
        fingerprints.sort_unstable();
        fingerprints.dedup();
        self.forget_copy_groups();
        let mut shared = Vec::new();
        for fingerprint in fingerprints {
            let numbers = of(&new, fingerprint);
            if of(&old, fingerprint) == numbers {
                continue;
            }
            self.exact.remove_document(fingerprint, id);
            for number in numbers {
                let occurrence = Occurrence {
                    document: id,
                    paragraph: number,
                };
                if let Some(first) = self.exact.insert(fingerprint, occurrence) {
                    summary.paragraphs[number as usize].flags |= MAY_HAVE_COPIES;
                    if first.document != id {
                        shared.push(first);
                    } else {
                        summary.paragraphs[first.paragraph as usize].flags |= MAY_HAVE_COPIES;
                    }
                }
            }
        }
        for first in shared {
            self.set_flag(first, MAY_HAVE_COPIES);
        }
    }

    /// Brings the band tables from document `id`'s `previous` band keys to its current ones,
    /// touching only the keys that changed. `fresh` are the current paragraphs without flags
    /// from before.
    fn reindex_bands(&mut self, id: u32, previous: &DocumentSummary, fresh: &[usize]) {
        let keys = |summary: &DocumentSummary, band: usize| {
            let mut keys: Vec<u32> = summary
                .signatures
                .iter()
                .map(|signature| band_key32(signature, band))
                .collect();
            keys.sort_unstable();
            keys.dedup();
            keys
        };
        for band in 0..minhash::BANDS {
            let Some(current) = self.entry_summary(id) else {
                return;
            };
            let (old, new) = (keys(previous, band), keys(current, band));
            if old == new && fresh.is_empty() {
                continue;
            }
            // A fresh paragraph under a key the document keeps is not inserted again, so the
            // table tells nothing about it: it and the document's paragraphs with the same rows
            // are flagged, which only means "look".
            let kept_keys: Vec<[u16; minhash::ROWS]> = fresh
                .iter()
                .filter_map(|&index| current.signature(index))
                .filter(|signature| old.binary_search(&band_key32(signature, band)).is_ok())
                .map(|signature| band_rows_array(signature, band))
                .collect();
            let added: Vec<(u32, u32)> = current
                .paragraphs
                .iter()
                .enumerate()
                .filter_map(|(number, paragraph)| {
                    let signature = current.signatures.get(paragraph.signature as usize)?;
                    let key = band_key32(signature, band);
                    old.binary_search(&key)
                        .is_err()
                        .then_some((key, number as u32))
                })
                .collect();
            let table = &mut self.bands[band];
            for key in &old {
                if new.binary_search(key).is_err() {
                    table.remove(*key, id);
                }
            }
            let shared = insert_band_keys(table, added.into_iter().map(|(key, n)| (key, id, n)));
            self.flag_shared(band, shared);
            for rows in kept_keys {
                self.flag_band(id, band, &rows);
            }
        }
    }

    /// The documents other than `key` whose findings may change with `changes`: those holding
    /// a paragraph with one of its fingerprints, or a paragraph sharing an LSH band with one of
    /// its signatures and similar enough to it to be a near duplicate. In corpus order.
    ///
    /// Documents whose findings point into `key` may change too (their related locations move
    /// with the edited text); the caller knows which they are.
    pub fn affected_by(&self, key: &str, changes: &ParagraphChanges) -> Vec<String> {
        let own = self.ids.get(key).copied();
        let mut affected: HashSet<u32> = HashSet::new();
        for fingerprint in &changes.fingerprints {
            affected.extend(self.exact.get(fingerprint.0).map(|o| o.document));
        }
        let near = &self.config.rules.near_duplicate;
        // For each candidate document, the bands under which it shares a key with one of the
        // signatures (a bit per band) and which signatures: a document is then scanned once.
        let mut candidates: FastMap<Vec<(u32, usize)>> = FastMap::default();
        for (number, signature) in changes.signatures.iter().enumerate() {
            for (band, table) in self.bands.iter().enumerate() {
                for document in table.get(band_key32(signature, band)) {
                    if Some(document) == own || affected.contains(&document) {
                        continue;
                    }
                    let entry = candidates.entry(u64::from(document)).or_default();
                    match entry.iter_mut().find(|(_, signature)| *signature == number) {
                        Some((bands, _)) => *bands |= 1 << band,
                        None => entry.push((1 << band, number)),
                    }
                }
            }
        }
        for (document, signatures) in candidates {
            let document = document as u32;
            let Some(other) = self.entry_summary(document) else {
                continue;
            };
            let similar = other
                .paragraphs
                .iter()
                .enumerate()
                .any(|(index, paragraph)| {
                    if paragraph.words < near.min_words {
                        return false;
                    }
                    let Some(other_signature) = other.signature(index) else {
                        return false;
                    };
                    signatures.iter().any(|&(bands, number)| {
                        let signature = &changes.signatures[number];
                        (0..minhash::BANDS).any(|band| {
                            bands & (1 << band) != 0
                                && minhash::band_rows(other_signature, band)
                                    == minhash::band_rows(signature, band)
                        }) && minhash::similarity(signature, other_signature) >= near.threshold
                    })
                });
            if similar {
                affected.insert(document);
            }
        }
        if let Some(own) = own {
            affected.remove(&own);
        }
        self.keys_of(affected)
    }

    /// Adds many documents at once without computing who is affected (the batch path of
    /// `gazette check`). Replaces documents that already exist.
    ///
    /// New documents are indexed band by band: each pass touches one band table, which stays
    /// in cache, instead of twenty tables per paragraph.
    pub fn extend(&mut self, documents: impl IntoIterator<Item = (String, DocumentSummary)>) {
        let mut added = Vec::new();
        for (key, summary) in documents {
            if self.ids.contains_key(&key) {
                self.set_summary(&key, summary);
            } else {
                added.push(self.insert_unindexed(&key, summary));
            }
        }
        let paragraphs: usize = added
            .iter()
            .filter_map(|&id| self.entry(id))
            .map(|entry| entry.summary.paragraphs.len())
            .sum();
        let signatures: usize = added
            .iter()
            .filter_map(|&id| self.entry(id))
            .map(|entry| entry.summary.signatures.len())
            .sum();
        self.exact.first.reserve(paragraphs);
        for &id in &added {
            self.index_exact(id);
        }
        // Every band key once, laid out band after band, so that each band's pass reads its
        // keys sequentially instead of every signature again.
        let mut owners: Vec<(u32, u32)> = Vec::with_capacity(signatures);
        let mut keys: Vec<u32> = vec![0; signatures * minhash::BANDS];
        for &id in &added {
            let Some(entry) = self.entry(id) else {
                continue;
            };
            for (number, paragraph) in entry.summary.paragraphs.iter().enumerate() {
                if let Some(signature) = entry.summary.signatures.get(paragraph.signature as usize)
                {
                    for band in 0..minhash::BANDS {
                        keys[band * signatures + owners.len()] = band_key32(signature, band);
                    }
                    owners.push((id, number as u32));
                }
            }
        }
        for band in 0..minhash::BANDS {
            let table = &mut self.bands[band];
            table.reserve(owners.len());
            let entries = owners
                .iter()
                .zip(&keys[band * signatures..])
                .map(|(&(id, number), &key)| (key, id, number));
            let shared = insert_band_keys(table, entries);
            self.flag_shared(band, shared);
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
        summaries
            + self.exact.heap_bytes()
            + self.bands.iter().map(BandTable::heap_bytes).sum::<usize>()
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

    /// The occurrences of a paragraph's fingerprint, itself included; nothing at all (without
    /// a lookup) when the paragraph never shared its fingerprint.
    pub(crate) fn copies_of(
        &self,
        paragraph: &ParagraphSummary,
    ) -> impl Iterator<Item = Occurrence> + '_ {
        let fingerprint = paragraph.may_have_copies().then_some(paragraph.fingerprint);
        fingerprint
            .into_iter()
            .flat_map(|fingerprint| self.exact_occurrences(fingerprint))
    }

    /// The copy group of a paragraph's fingerprint, or `None` when the paragraph never shared
    /// its fingerprint.
    ///
    /// Every document holding a fingerprint asks for its group, so a group built from scratch
    /// each time would make a paragraph shared by `n` documents cost `n²`. Groups of more than
    /// [`CACHED_GROUP_OCCURRENCES`] occurrences are built once, in time linear in their
    /// occurrences, and kept until the exact index changes; memory stays one small group per
    /// shared fingerprint.
    pub(crate) fn copy_group(&self, paragraph: &ParagraphSummary) -> Option<Arc<CopyGroup>> {
        if !paragraph.may_have_copies() {
            return None;
        }
        let fingerprint = paragraph.fingerprint.0;
        if self.exact.count(fingerprint) <= CACHED_GROUP_OCCURRENCES {
            return Some(Arc::new(self.build_copy_group(fingerprint)));
        }
        let cached = self
            .groups
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&fingerprint)
            .cloned();
        if let Some(group) = cached {
            return Some(group);
        }
        // Built outside the lock: two threads may both build it, which is only wasted work.
        let group = Arc::new(self.build_copy_group(fingerprint));
        self.groups
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(fingerprint, Arc::clone(&group));
        Some(group)
    }

    fn build_copy_group(&self, fingerprint: u64) -> CopyGroup {
        let mut documents: Vec<u32> = Vec::new();
        // (document key, occurrence), sorted, one entry per document.
        let mut head: Vec<(&str, Occurrence)> = Vec::with_capacity(COPY_GROUP_HEAD + 1);
        for occurrence in self.exact.get(fingerprint) {
            documents.push(occurrence.document);
            let key = self.entry_key(occurrence.document);
            let place = (key, occurrence.paragraph);
            if head.len() == COPY_GROUP_HEAD
                && place
                    >= (
                        head[COPY_GROUP_HEAD - 1].0,
                        head[COPY_GROUP_HEAD - 1].1.paragraph,
                    )
            {
                continue;
            }
            if let Some(same) = head
                .iter_mut()
                .find(|(_, other)| other.document == occurrence.document)
            {
                same.1.paragraph = same.1.paragraph.min(occurrence.paragraph);
                continue;
            }
            let at =
                head.partition_point(|&(other_key, other)| (other_key, other.paragraph) < place);
            head.insert(at, (key, occurrence));
            head.truncate(COPY_GROUP_HEAD);
        }
        documents.sort_unstable();
        documents.dedup();
        CopyGroup {
            documents: documents.len(),
            head: head.into_iter().map(|(_, occurrence)| occurrence).collect(),
        }
    }

    /// Forgets the cached copy groups (the exact index changed).
    fn forget_copy_groups(&mut self) {
        let groups = self
            .groups
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        if !groups.is_empty() {
            groups.clear();
        }
    }

    /// The paragraphs that share an LSH band with paragraph `index` of document `id` (itself
    /// excluded), in band order, at most `limit + 1` of them.
    pub(crate) fn near_candidates(&self, id: u32, index: usize, limit: usize) -> Vec<Occurrence> {
        let mut candidates = Vec::new();
        let Some(summary) = self.entry_summary(id) else {
            return candidates;
        };
        let Some(signature) = summary.signature(index) else {
            return candidates;
        };
        if !summary.paragraphs[index].may_have_near_candidates() {
            return candidates;
        }
        // The documents behind every shared band, each then scanned once.
        let shared_bands = summary.paragraphs[index].shared_bands;
        let mut documents: Vec<u32> = (0..minhash::BANDS)
            .filter(|band| shared_bands & (1 << band) != 0)
            .flat_map(|band| self.bands[band].get(band_key32(signature, band)))
            .collect();
        sort_and_dedup_ids(&mut documents, self.documents.len());
        for document in documents {
            let Some(other) = self.entry_summary(document) else {
                continue;
            };
            for (number, other_paragraph) in other.paragraphs.iter().enumerate() {
                let Some(other_signature) =
                    other.signatures.get(other_paragraph.signature as usize)
                else {
                    continue;
                };
                let shares_a_band = (0..minhash::BANDS).any(|band| {
                    shared_bands & (1 << band) != 0
                        && minhash::band_rows(other_signature, band)
                            == minhash::band_rows(signature, band)
                });
                if !shares_a_band || (document == id && number == index) {
                    continue;
                }
                candidates.push(Occurrence {
                    document,
                    paragraph: number as u32,
                });
                if candidates.len() > limit {
                    return candidates;
                }
            }
        }
        candidates
    }

    fn entry(&self, id: u32) -> Option<&DocumentEntry> {
        self.documents.get(id as usize).and_then(Option::as_ref)
    }

    fn insert(&mut self, key: &str, summary: DocumentSummary) -> u32 {
        let id = self.insert_unindexed(key, summary);
        self.index(id);
        id
    }

    fn insert_unindexed(&mut self, key: &str, summary: DocumentSummary) -> u32 {
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
        id
    }

    fn index(&mut self, id: u32) {
        self.index_exact(id);
        for band in 0..minhash::BANDS {
            self.index_band(id, band);
        }
    }

    /// Adds document `id`'s fingerprints to the exact index, flagging paragraphs that share one.
    fn index_exact(&mut self, id: u32) {
        self.forget_copy_groups();
        let Some(entry) = self.documents[id as usize].as_mut() else {
            return;
        };
        let mut shared = Vec::new();
        for (number, paragraph) in entry.summary.paragraphs.iter_mut().enumerate() {
            if paragraph.words == 0 {
                continue;
            }
            let occurrence = Occurrence {
                document: id,
                paragraph: number as u32,
            };
            if let Some(first) = self.exact.insert(paragraph.fingerprint.0, occurrence) {
                paragraph.flags |= MAY_HAVE_COPIES;
                shared.push(first);
            }
        }
        for first in shared {
            self.set_flag(first, MAY_HAVE_COPIES);
        }
    }

    /// Adds document `id`'s keys of one band to that band's table, flagging the paragraphs on
    /// both sides of every shared key.
    fn index_band(&mut self, id: u32, band: usize) {
        let Some(entry) = self.documents[id as usize].as_ref() else {
            return;
        };
        let table = &mut self.bands[band];
        let mut shared: Vec<SharedBand> = Vec::new();
        for (number, paragraph) in entry.summary.paragraphs.iter().enumerate() {
            let Some(signature) = entry.summary.signatures.get(paragraph.signature as usize) else {
                continue;
            };
            let mut collided = false;
            table.insert(band_key32(signature, band), id, |other| {
                collided = true;
                shared.push((other, id, number as u32));
            });
            if collided {
                shared.push((id, id, number as u32));
            }
        }
        self.flag_shared(band, shared);
    }

    /// Marks band `band` as shared on the paragraphs of each target document whose band has
    /// the rows of the source paragraph.
    fn flag_shared(&mut self, band: usize, shared: Vec<SharedBand>) {
        // Flagging a target for some rows flags all its paragraphs with those rows: once is enough
        // (a paragraph repeated 100,000 times would otherwise rescan its document as often).
        // Small documents are cheaper to rescan than to remember. The set hashes the packed rows
        // only (uniform bits already), not the target.
        let mut flagged: HashSet<(u32, u64), BuildHasherDefault<PassThroughHasher>> =
            HashSet::default();
        for (target, source, paragraph) in shared {
            let Some(rows) = self
                .entry_summary(source)
                .and_then(|summary| summary.signature(paragraph as usize))
                .map(|signature| band_rows_array(signature, band))
            else {
                continue;
            };
            let large = self
                .entry_summary(target)
                .is_some_and(|summary| summary.paragraphs.len() > 16);
            let packed = rows
                .iter()
                .fold(0u64, |packed, &row| (packed << 16) | u64::from(row));
            if large && !flagged.insert((target, packed)) {
                continue;
            }
            self.flag_band(target, band, &rows);
        }
    }

    fn set_flag(&mut self, occurrence: Occurrence, flag: u8) {
        if let Some(paragraph) = self.documents[occurrence.document as usize]
            .as_mut()
            .and_then(|entry| {
                entry
                    .summary
                    .paragraphs
                    .get_mut(occurrence.paragraph as usize)
            })
        {
            paragraph.flags |= flag;
        }
    }

    /// Flags the paragraphs of `document` whose band `band` has exactly `rows`.
    fn flag_band(&mut self, document: u32, band: usize, rows: &[u16]) {
        let Some(entry) = self.documents[document as usize].as_mut() else {
            return;
        };
        let summary = &mut entry.summary;
        for paragraph in &mut summary.paragraphs {
            if summary
                .signatures
                .get(paragraph.signature as usize)
                .is_some_and(|signature| minhash::band_rows(signature, band) == rows)
            {
                paragraph.shared_bands |= 1 << band;
            }
        }
    }

    fn unindex(&mut self, id: u32) {
        self.forget_copy_groups();
        let Some(entry) = self.documents[id as usize].as_ref() else {
            return;
        };
        for paragraph in &entry.summary.paragraphs {
            if paragraph.words > 0 {
                self.exact.remove_document(paragraph.fingerprint.0, id);
            }
            if let Some(signature) = entry.summary.signatures.get(paragraph.signature as usize) {
                for (band, table) in self.bands.iter_mut().enumerate() {
                    table.remove(band_key32(signature, band), id);
                }
            }
        }
    }

    /// Adds to `out` every document sharing a fingerprint or band key with document `id`.
    fn collect_neighbours(&self, id: u32, out: &mut HashSet<u32>) {
        let Some(entry) = self.entry(id) else {
            return;
        };
        for paragraph in &entry.summary.paragraphs {
            out.extend(self.copies_of(paragraph).map(|o| o.document));
            if !paragraph.may_have_near_candidates() {
                continue;
            }
            if let Some(signature) = entry.summary.signatures.get(paragraph.signature as usize) {
                for (band, table) in self.bands.iter().enumerate() {
                    if paragraph.shared_bands & (1 << band) != 0 {
                        out.extend(table.get(band_key32(signature, band)));
                    }
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

#[cfg(test)]
#[path = "workspace_incremental_tests.rs"]
mod incremental_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_table_is_a_multimap_that_survives_removals() {
        let mut table = BandTable::default();
        // Keys chosen to collide in a small table, plus the reserved key 0.
        let entries: Vec<(u32, u32)> = (0..200u32)
            .map(|i| ((i % 7) << 28 | (i % 3), i))
            .chain([(0, 1000), (0, 1001)])
            .collect();
        for &(key, document) in &entries {
            table.insert(key, document, |_| {});
        }
        // About ten documents a key: more than a probe run holds.
        assert!(!table.overflow.is_empty());
        let mut removed = std::collections::HashSet::new();
        for (step, &(key, document)) in entries.iter().enumerate() {
            if step % 3 == 0 {
                table.remove(key, document);
                removed.insert(document);
            }
            for &(key, _) in &entries {
                let mut actual: Vec<u32> = table.get(key).collect();
                actual.sort_unstable();
                let mut expected: Vec<u32> = entries
                    .iter()
                    .filter(|&&(k, d)| k.max(1) == key.max(1) && !removed.contains(&d))
                    .map(|&(_, d)| d)
                    .collect();
                expected.sort_unstable();
                assert_eq!(actual, expected, "key {key:#x} after step {step}");
            }
        }
        let overflowing: usize = table.overflow.values().map(Vec::len).sum();
        assert_eq!(table.len + overflowing, entries.len() - removed.len());
    }

    #[test]
    fn long_id_lists_are_sorted_and_deduplicated_like_short_ones() {
        for (len, bound) in [(10usize, 100usize), (5_000, 3_000), (20_000, 70_000)] {
            let ids: Vec<u32> = (0..len).map(|i| ((i * 7919 + 13) % bound) as u32).collect();
            let mut expected = ids.clone();
            expected.sort_unstable();
            expected.dedup();
            let mut actual = ids;
            sort_and_dedup_ids(&mut actual, bound);
            assert_eq!(actual, expected, "{len} ids below {bound}");
        }
    }

    #[test]
    fn band_table_keeps_a_shared_key_linear() {
        // 100,000 documents under one key: each insert reports a bounded number of collisions
        // (a probe run holds at most RUN_CAP entries of a key), and all documents are found.
        let mut table = BandTable::default();
        let mut collisions = 0usize;
        for document in 0..100_000 {
            table.insert(9, document, |_| collisions += 1);
            table.insert(9, document, |_| collisions += 1);
        }
        assert!(collisions <= 100_000 * (RUN_CAP + 1), "{collisions}");
        let mut found: Vec<u32> = table.get(9).collect();
        found.sort_unstable();
        assert_eq!(found, (0..100_000).collect::<Vec<u32>>());
        // Removals (from the run, which refills from the overflow, and from the overflow).
        for document in (0..2_000).chain(98_000..100_000) {
            table.remove(9, document);
        }
        let mut found: Vec<u32> = table.get(9).collect();
        found.sort_unstable();
        assert_eq!(found, (2_000..98_000).collect::<Vec<u32>>());
        assert_eq!(table.len, RUN_CAP);
    }

    #[test]
    fn band_table_reports_collisions() {
        let mut table = BandTable::default();
        let mut seen = Vec::new();
        table.insert(5, 1, |other| seen.push(other));
        table.insert(6, 2, |other| seen.push(other));
        table.insert(5, 3, |other| seen.push(other));
        assert_eq!(seen, [1]);
    }

    #[test]
    fn band_table_stores_a_document_once_per_key() {
        // One paragraph repeated 100,000 times in one document: one entry, one collision each.
        let mut table = BandTable::default();
        let mut collisions = 0;
        for _ in 0..100_000 {
            table.insert(7, 1, |other| {
                assert_eq!(other, 1);
                collisions += 1;
            });
        }
        assert_eq!((table.len, collisions), (1, 99_999));
        table.insert(7, 2, |_| {});
        table.remove(7, 1);
        table.remove(7, 1);
        assert_eq!(table.get(7).collect::<Vec<_>>(), [2]);
    }
}
