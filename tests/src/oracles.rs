//! Fuzz oracles: one function per fuzz target, taking raw bytes, running a piece of Gazette on
//! them and panicking when an invariant breaks.
//!
//! The fuzz targets in `fuzz/fuzz_targets/` are one-line wrappers around these functions, and
//! `tests/fuzz_replay.rs` runs every committed seed and regression input through them in plain
//! `cargo test`, so a crash found once stays fixed without cargo-fuzz installed. Each oracle
//! checks properties, not just "does not panic": ranges inside the text and on character
//! boundaries, incremental results equal to fresh ones, parse/render round trips.

use gazette_core::annotation::anchor::{Anchoring, anchor, reanchor_file};
use gazette_core::annotation::{
    Annotation, AnnotationFile, AnnotationStatus, CodePointIndex, NewAnnotation,
};
use gazette_core::config::{Config, PathRules};
use gazette_core::diagnostic::Diagnostic;
use gazette_core::gazetteer::{Gazetteer, UserGazetteer};
use gazette_core::normalize::Normalizer;
use gazette_core::paragraph::{Layout, segment as segment_text};
use gazette_core::tag::EntityLabel;
use gazette_core::tag::locality::LocalityTagger;
use gazette_core::tag::temporal::analyse_temporal;
use gazette_core::tag::{TaggingConfig, tag_document};
use gazette_core::text::{LineIndex, TextRange, decode};
use gazette_core::workspace::{DocumentSummary, Workspace};
use gazette_lsp::convert::{PositionEncoding, apply_change};
use ropey::Rope;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};
use unicode_normalization::UnicodeNormalization;

/// Splits fuzz input into pieces: a tiny reader of bytes, numbers and strings that never fails
/// (missing bytes read as zero), so that every input means something.
pub struct Bytes<'a> {
    data: &'a [u8],
}

impl<'a> Bytes<'a> {
    /// Reads from `data`.
    pub fn new(data: &'a [u8]) -> Bytes<'a> {
        Bytes { data }
    }

    /// One byte (0 when exhausted).
    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((first, rest)) => {
                self.data = rest;
                *first
            }
            None => 0,
        }
    }

    /// A little-endian u16.
    pub fn u16(&mut self) -> u16 {
        u16::from(self.byte()) | (u16::from(self.byte()) << 8)
    }

    /// A length-prefixed chunk of at most 255 bytes, as text (invalid UTF-8 replaced).
    pub fn short_text(&mut self) -> String {
        let len = usize::from(self.byte()).min(self.data.len());
        let (chunk, rest) = self.data.split_at(len);
        self.data = rest;
        String::from_utf8_lossy(chunk).into_owned()
    }

    /// Everything left, as text.
    pub fn rest_text(&mut self) -> String {
        let text = String::from_utf8_lossy(self.data).into_owned();
        self.data = &[];
        text
    }

    /// True when nothing is left.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
}

/// Whether `c` starts a cluster as re-anchoring sees them (`annotation::anchor`): a starter that
/// nothing before it composes with. Annotations whose ends split a cluster are not re-anchored.
pub fn starts_cluster(c: char) -> bool {
    unicode_normalization::char::canonical_combining_class(c) == 0
        && !matches!(c, '\u{1161}'..='\u{1175}' | '\u{11A8}'..='\u{11C2}')
}

/// The offsets of `text` where a cluster starts, and its end.
pub fn cluster_boundaries(text: &str) -> Vec<usize> {
    text.char_indices()
        .filter(|&(_, c)| starts_cluster(c))
        .map(|(index, _)| index)
        .chain(std::iter::once(text.len()))
        .collect()
}

/// Whether `needle` occurs in `haystack` (overlapping occurrences included) with both ends on
/// cluster boundaries: then re-anchoring must find it.
pub fn occurs_whole(haystack: &str, needle: &str) -> bool {
    let starts = |offset: usize| haystack[offset..].chars().next().is_none_or(starts_cluster);
    !needle.is_empty()
        && haystack.char_indices().any(|(at, _)| {
            haystack[at..].starts_with(needle) && starts(at) && starts(at + needle.len())
        })
}

fn assert_range_in(text: &str, range: TextRange, what: &str) {
    assert!(
        range.start <= range.end && range.end as usize <= text.len(),
        "{what}: range {range} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(range.start as usize) && text.is_char_boundary(range.end as usize),
        "{what}: range {range} splits a character"
    );
}

/// Checks every range of a diagnostic (main, related, fix edits) against the texts.
fn check_diagnostic(diagnostic: &Diagnostic, text_of: &dyn Fn(&str) -> Option<String>) {
    let own = text_of(&diagnostic.document).expect("diagnostic of a known document");
    assert_range_in(&own, diagnostic.range, diagnostic.code);
    assert!(
        diagnostic.related.len() <= 16,
        "{}: {} related locations",
        diagnostic.code,
        diagnostic.related.len()
    );
    for related in &diagnostic.related {
        let other = text_of(&related.document).expect("related location in a known document");
        assert_range_in(&other, related.range, "related location");
    }
    if let Some(fix) = &diagnostic.fix {
        let mut ranges: Vec<(String, TextRange)> = Vec::new();
        for edit in &fix.edits {
            let other = text_of(&edit.document).expect("edit of a known document");
            assert_range_in(&other, edit.range, "fix edit");
            for (document, range) in &ranges {
                assert!(
                    *document != edit.document
                        || range.end <= edit.range.start
                        || edit.range.end <= range.start,
                    "overlapping edits in one fix"
                );
            }
            ranges.push((edit.document.clone(), edit.range));
        }
    }
}

/// Paragraph segmentation, fingerprints and the duplicate rules on arbitrary bytes.
pub fn segment(data: &[u8]) {
    // Decoding never panics, whatever the bytes.
    let _ = decode(data, u64::MAX);
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let lines = LineIndex::new(text);
    for layout in [Layout::Auto, Layout::Blocks, Layout::Lines] {
        let segmentation = segment_text(text, layout);
        assert_ne!(segmentation.layout, Layout::Auto);
        let mut previous_end = 0;
        for paragraph in &segmentation.paragraphs {
            assert_range_in(text, paragraph.range, "paragraph");
            assert_range_in(text, paragraph.lines, "paragraph lines");
            assert!(paragraph.lines.contains_range(paragraph.range));
            assert!(!paragraph.range.is_empty(), "empty paragraph");
            assert!(paragraph.lines.start >= previous_end, "paragraphs overlap");
            previous_end = paragraph.lines.end;
            assert!(paragraph.first_line <= paragraph.last_line);
            assert_eq!(lines.line_of(paragraph.range.start), paragraph.first_line);
            assert_eq!(lines.line_of(paragraph.range.end - 1), paragraph.last_line);
            let inner = &text[paragraph.range.to_usize()];
            assert_eq!(inner.trim(), inner, "paragraph not trimmed");
        }
    }
    // A reused normaliser gives what a fresh one gives (buffers are reset between calls).
    let config = Config::default();
    let mut reused = Normalizer::new();
    let _ = reused.fingerprint("Đà Nẵng, Daegu and \u{1F600} at the end of a long sentence.");
    assert_eq!(
        DocumentSummary::with_normalizer(text, &config, &mut reused),
        DocumentSummary::new(text, &config)
    );
    // NFD and NFC spellings have the same fingerprint (documented in the README).
    let nfd: String = text.nfd().collect();
    let nfc: String = text.nfc().collect();
    let (nfd_print, nfd_words) = Normalizer::new().fingerprint(&nfd);
    let (nfc_print, nfc_words) = Normalizer::new().fingerprint(&nfc);
    assert_eq!(
        (nfd_print, nfd_words),
        (nfc_print, nfc_words),
        "NFD and NFC fingerprints differ"
    );
    // The rules over two copies of the document: ranges valid, fixes well-formed.
    let mut workspace = Workspace::new(config);
    workspace.set_document("a.txt", text);
    workspace.set_document("b.txt", text);
    let text_of = |key: &str| (key == "a.txt" || key == "b.txt").then(|| text.to_owned());
    for key in ["a.txt", "b.txt"] {
        for diagnostic in workspace.diagnostics(key) {
            check_diagnostic(&diagnostic, &text_of);
        }
    }
}

/// The gazetteer matcher and the whole tagging pipeline on arbitrary text.
pub fn locality(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let tagger = LocalityTagger::builtin();
    for span in tagger.tag(text, &[]) {
        assert_range_in(text, span.range, "locality");
        assert!(!span.range.is_empty(), "empty locality span");
        assert_eq!(span.label, EntityLabel::Loc);
        if let Some(norm) = &span.norm {
            assert!(
                tagger.gazetteer().get(norm).is_some(),
                "locality norm {norm} is not a gazetteer id"
            );
        }
    }
    let tags = tag_document(text, &TaggingConfig::default());
    for pair in tags.spans.windows(2) {
        assert!(pair[0].range.start <= pair[1].range.start, "spans unsorted");
    }
    for span in &tags.spans {
        assert_range_in(text, span.range, span.label.as_str());
    }
    let _ = tagger.index().lookup(text);
}

/// The date grammar, with and without a configured document creation time.
pub fn dates(data: &[u8]) {
    let mut bytes = Bytes::new(data);
    let dct = bytes.short_text();
    let text = bytes.rest_text();
    for config in [
        TaggingConfig::default(),
        TaggingConfig {
            dct: Some(dct.clone()),
        },
        TaggingConfig {
            dct: Some("2016-10-17".to_owned()),
        },
    ] {
        let analysis = analyse_temporal(&text, &config);
        for mention in &analysis.mentions {
            assert_range_in(&text, mention.range, "date");
            assert!(!mention.range.is_empty(), "empty date mention");
            assert!(!mention.value.is_empty(), "date without a value");
            assert_eq!(
                analysis
                    .mention_at(mention.range.start)
                    .map(|m| m.range.start),
                Some(mention.range.start)
            );
            let _ = mention.weekday();
        }
        if let Some(dct) = &analysis.dct
            && let Some(range) = dct.range
        {
            assert_range_in(&text, range, "document creation time");
        }
    }
    let _ = gazette_core::tag::temporal::parse_iso_date(&dct);
}

/// Re-anchoring an annotation after an edit: found where its quote is, or orphaned; never a
/// range that is not its quote, and idempotent.
pub fn reanchor(data: &[u8]) {
    let mut bytes = Bytes::new(data);
    let (start_pick, len_pick) = (bytes.u16() as usize, usize::from(bytes.byte() % 16));
    let (edit_pick, delete_pick) = (bytes.u16() as usize, usize::from(bytes.byte() % 8));
    let inserted = bytes.short_text();
    let before = bytes.rest_text();
    let boundaries = cluster_boundaries(&before);
    let start = boundaries[start_pick % boundaries.len()];
    let end = boundaries[(start_pick % boundaries.len() + len_pick).min(boundaries.len() - 1)];
    let Some(annotation) = Annotation::new(
        &before,
        NewAnnotation {
            range: TextRange::new(start as u32, end as u32),
            label: EntityLabel::Loc,
            norm: Some("VN:da-nang".to_owned()),
            status: AnnotationStatus::Accepted,
            creator: Some("fuzz"),
            created: None,
        },
    ) else {
        panic!("an annotation on character boundaries inside the text must be accepted");
    };
    // Unchanged text: in place.
    if start < end {
        assert_eq!(
            anchor(&before, &annotation),
            Anchoring::InPlace(TextRange::new(start as u32, end as u32))
        );
    }
    // Code points and bytes agree.
    let index = CodePointIndex::new(&before);
    assert_eq!(
        index.to_byte(annotation.target.selector.0.start),
        Some(start)
    );
    assert_eq!(index.to_byte(annotation.target.selector.0.end), Some(end));
    // An edit somewhere: splice `inserted` over a few characters.
    let edit_start_index = edit_pick % boundaries.len();
    let edit_start = boundaries[edit_start_index];
    let edit_end = boundaries[(edit_start_index + delete_pick).min(boundaries.len() - 1)];
    let after = format!(
        "{}{}{}",
        &before[..edit_start],
        inserted,
        &before[edit_end..]
    );
    let found = anchor(&after, &annotation);
    if let Some(range) = found.range() {
        assert_range_in(&after, range, "anchored annotation");
        // The quote is found byte for byte or as a canonically equivalent string (the edit may
        // have turned an NFD "à" into NFC, which re-anchoring accepts).
        assert_eq!(
            after[range.to_usize()].nfc().collect::<String>(),
            annotation.exact().nfc().collect::<String>()
        );
    } else {
        // Orphaned: only when the quote is gone as whole clusters (or empty).
        assert!(
            !occurs_whole(&after, annotation.exact()),
            "orphaned although its quote is still in the text"
        );
    }
    // Re-anchoring a file is idempotent and the file round-trips through JSON.
    let mut file = AnnotationFile::new("fuzz.txt");
    file.upsert(annotation);
    let once = reanchor_file(&after, &file);
    let twice = reanchor_file(&after, &once.file);
    assert!(!twice.changed, "re-anchoring twice changed the file again");
    let ranges =
        |anchorings: &[Anchoring]| anchorings.iter().map(|a| a.range()).collect::<Vec<_>>();
    assert_eq!(ranges(&twice.anchorings), ranges(&once.anchorings));
    let rendered = once.file.render();
    assert_eq!(AnnotationFile::parse(&rendered).as_ref(), Ok(&once.file));
}

/// `gazette.toml` parsing: errors point inside the file, accepted files compile their globs.
pub fn config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    match Config::from_toml(text) {
        Ok(config) => {
            let rules = PathRules::new(&config).unwrap_or_else(|error| {
                panic!(
                    "a configuration accepted by from_toml has globs that do not compile: {error}"
                )
            });
            for path in ["a.txt", "news/2016/b.txt", "drafts/x.txt", "ä/ö.txt", ""] {
                let _ = rules.is_included(path);
                let _ = rules.is_excluded(path);
                let _ = rules.is_ignored(path, "GZ001");
            }
            // Whatever the accepted thresholds, analysis runs.
            let sample = "Da Nang and Daegu signed it.\nDa Nang and Daegu signed it.\n\
                          Da Nang and Daegu signed it again today.\n";
            let mut workspace = Workspace::new(config);
            workspace.set_document("a.txt", sample);
            workspace.set_document("b.txt", sample);
            let text_of = |_: &str| Some(sample.to_owned());
            for diagnostic in workspace.diagnostics("b.txt") {
                check_diagnostic(&diagnostic, &text_of);
            }
        }
        Err(error) => {
            let lines = text.lines().count().max(1) as u32 + 1;
            if let Some(line) = error.line {
                assert!(
                    line >= 1 && line <= lines,
                    "error line {line} outside the file"
                );
            }
            assert!(!error.to_string().is_empty());
        }
    }
}

/// Annotation files, user gazetteers and import files: parsed or refused, never a panic; what is
/// accepted is usable.
pub fn json_files(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let document = "Published: October 17, 2016\nĐà Nẵng and Daegu met in Osan. Đà Nẵng again.\n";
    if let Ok(file) = AnnotationFile::parse(text) {
        let reanchored = reanchor_file(document, &file);
        assert_eq!(reanchored.anchorings.len(), file.annotations.len());
        for anchoring in &reanchored.anchorings {
            if let Some(range) = anchoring.range() {
                assert_range_in(document, range, "anchored annotation");
            }
        }
        let suggestions = tag_document(document, &TaggingConfig::default()).spans;
        let (reviewed, _orphans) =
            gazette_core::annotation::overlay::review_document(document, &file, &suggestions);
        for span in reviewed {
            assert_range_in(document, span.span.range, "reviewed span");
        }
        let _ = file.render();
    }
    if let Ok(user) = UserGazetteer::parse(text) {
        let gazetteer = Gazetteer::from_places(user.places);
        for place in gazetteer.places().iter().take(64) {
            // Parent chains end, cycles included.
            assert!(gazetteer.ancestors(&place.id).count() <= 8);
        }
        let tagger = LocalityTagger::new(gazetteer);
        for span in tagger.tag(document, &[]) {
            assert_range_in(document, span.range, "user locality");
        }
    }
    for (number, line) in text.lines().enumerate() {
        if let Ok((_, spans)) =
            gazette_core::annotation::import::from_jsonl_line(line, document, number + 1)
        {
            for span in spans {
                assert_range_in(document, span.range, "imported JSONL span");
            }
        }
    }
    if let Ok(spans) = gazette_core::annotation::import::from_brat(text, document) {
        for span in spans {
            assert_range_in(document, span.range, "imported brat span");
        }
    }
}

/// Converts an LSP position to a byte offset in `text`, written from the specification and
/// independently of `gazette_lsp::convert`: lines end at LF, CR or CRLF; a column past the end
/// of its line clamps to the end of the line; a line past the end clamps to the end of the text;
/// a column inside a character rounds down to its start.
pub fn model_offset(text: &str, line: u32, character: u32, encoding: PositionEncoding) -> usize {
    let bytes = text.as_bytes();
    let mut line_start = 0;
    let mut current = 0;
    while current < line {
        let rest = &bytes[line_start..];
        match rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            Some(index) => {
                let crlf = rest[index] == b'\r' && rest.get(index + 1) == Some(&b'\n');
                line_start += index + if crlf { 2 } else { 1 };
                current += 1;
            }
            None => return text.len(),
        }
    }
    let line_end = bytes[line_start..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(text.len(), |index| line_start + index);
    let mut units = 0usize;
    for (index, c) in text[line_start..line_end].char_indices() {
        let width = match encoding {
            PositionEncoding::Utf8 => c.len_utf8(),
            PositionEncoding::Utf16 => c.len_utf16(),
            PositionEncoding::Utf32 => 1,
        };
        if units + width > character as usize {
            return line_start + index;
        }
        units += width;
    }
    line_end
}

/// Incremental edits: a random sequence of LSP content changes applied the way the server
/// applies them (`gazette_lsp::convert::apply_change` on a rope) gives the text an independent
/// model gives, and feeding every intermediate text to a workspace gives the same diagnostics as
/// a fresh workspace that only sees the final texts.
pub fn incremental_edits(data: &[u8]) {
    let mut bytes = Bytes::new(data);
    let encoding = match bytes.byte() % 3 {
        0 => PositionEncoding::Utf8,
        1 => PositionEncoding::Utf16,
        _ => PositionEncoding::Utf32,
    };
    let other = bytes.short_text();
    let initial = bytes.short_text();
    let mut rope = Rope::from_str(&initial);
    let mut model = initial.clone();
    let mut workspace = Workspace::new(Config::default());
    workspace.set_document("doc.txt", &initial);
    workspace.set_document("other.txt", &other);
    let mut other_text = other.clone();
    let mut steps = 0;
    while !bytes.is_empty() && steps < 64 {
        steps += 1;
        let kind = bytes.byte();
        let mut number = || {
            // Mostly small numbers, sometimes huge ones (clients send out-of-range positions).
            let raw = bytes.u16();
            if raw & 0x8000 != 0 {
                u32::MAX - u32::from(raw & 0xff)
            } else {
                u32::from(raw % 40)
            }
        };
        let (l1, c1, l2, c2) = (number(), number(), number(), number());
        let inserted = bytes.short_text();
        let change = if kind % 16 == 0 {
            model = inserted.clone();
            TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: inserted,
            }
        } else {
            let a = model_offset(&model, l1, c1, encoding);
            let b = model_offset(&model, l2, c2, encoding);
            let (start, end) = (a.min(b), a.max(b));
            model = format!("{}{}{}", &model[..start], inserted, &model[end..]);
            TextDocumentContentChangeEvent {
                range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
                range_length: None,
                text: inserted,
            }
        };
        apply_change(&mut rope, &change, encoding);
        assert_eq!(
            rope.to_string(),
            model,
            "the server's text drifted from the model"
        );
        if kind & 0x80 != 0 {
            workspace.set_document("doc.txt", &model);
        }
        if kind & 0x40 != 0 {
            // The other document changes too, sometimes to a copy of this one.
            other_text = if kind & 0x20 != 0 {
                model.clone()
            } else {
                other.clone()
            };
            workspace.set_document("other.txt", &other_text);
        }
    }
    workspace.set_document("doc.txt", &model);
    // A fresh workspace that sees only the final texts, inserted in the other order.
    let mut fresh = Workspace::new(Config::default());
    fresh.set_document("other.txt", &other_text);
    fresh.set_document("doc.txt", &model);
    for key in ["doc.txt", "other.txt"] {
        assert_eq!(
            workspace.diagnostics(key),
            fresh.diagnostics(key),
            "incremental and fresh diagnostics of {key} differ"
        );
    }
}
