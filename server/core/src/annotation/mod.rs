//! Reviewed annotations: the standoff model stored next to a corpus, and what is done with it.
//!
//! Tags produced by Gazette are suggestions. What a curator accepts, rejects, corrects or adds is
//! kept as an [`Annotation`], one file per document, whose target is made of two W3C Web
//! Annotation selectors: a `TextPositionSelector` (code points) and a `TextQuoteSelector` (the
//! exact text with some context). The position is fast and exact while the text is unchanged; the
//! quote lets [`anchor`] find the annotation again after the text was edited.
//!
//! This module is pure: it parses and renders annotation files from and to strings. Reading and
//! writing them safely on disk is the job of the `gazette-store` crate.

pub mod anchor;
pub mod export;
pub mod import;
pub mod overlay;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::tag::EntityLabel;
use crate::text::TextRange;

/// The version of the annotation file format this build reads and writes.
///
/// A file with a higher version was written by a newer Gazette: it is reported, never rewritten.
pub const ANNOTATION_FORMAT_VERSION: u32 = 1;

/// How many code points of context a quote selector keeps on each side.
pub const QUOTE_CONTEXT_CODE_POINTS: usize = 32;

/// One annotation file: every reviewed annotation of one document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnotationFile {
    /// Format version; see [`ANNOTATION_FORMAT_VERSION`].
    pub version: u32,
    /// The document, as a path relative to the corpus root with `/` separators.
    pub document: String,
    /// The annotations, kept sorted by position so that files diff well in git.
    pub annotations: Vec<Annotation>,
}

/// The review decision an annotation records.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum AnnotationStatus {
    /// The span, label and norm are right (an accepted suggestion or a span added by hand).
    Accepted,
    /// The suggestion with this span and label is wrong and must not be shown again.
    Rejected,
}

/// One reviewed annotation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Annotation {
    /// A stable identifier, unique within the file.
    pub id: String,
    /// The entity label.
    pub label: EntityLabel,
    /// The normalised value: gazetteer id, TIMEX3 value, person or organisation key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub norm: Option<String>,
    /// The review decision.
    pub status: AnnotationStatus,
    /// Who made the decision (a user name or a tool).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator: Option<String>,
    /// When, as an RFC 3339 timestamp supplied by the front end (the core reads no clock).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// Where the annotation points.
    pub target: Target,
}

/// The target of an annotation, in W3C Web Annotation terms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// The two selectors: position first, quote second (W3C allows a list of selectors).
    pub selector: (TextPositionSelector, TextQuoteSelector),
    /// `sha256:` and the hex SHA-256 of the document text the selectors were computed on.
    pub text_hash: String,
}

/// The kind tag of a [`TextPositionSelector`] (always `TextPositionSelector`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum TextPositionSelectorType {
    /// The only value.
    TextPositionSelector,
}

/// The kind tag of a [`TextQuoteSelector`] (always `TextQuoteSelector`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum TextQuoteSelectorType {
    /// The only value.
    TextQuoteSelector,
}

/// W3C `TextPositionSelector`: code-point offsets, end exclusive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TextPositionSelector {
    /// Always `TextPositionSelector`.
    #[serde(rename = "type")]
    pub kind: TextPositionSelectorType,
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
}

/// W3C `TextQuoteSelector`: the annotated text and some context on each side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TextQuoteSelector {
    /// Always `TextQuoteSelector`.
    #[serde(rename = "type")]
    pub kind: TextQuoteSelectorType,
    /// The annotated text.
    pub exact: String,
    /// Up to [`QUOTE_CONTEXT_CODE_POINTS`] code points before it.
    pub prefix: String,
    /// Up to [`QUOTE_CONTEXT_CODE_POINTS`] code points after it.
    pub suffix: String,
}

/// Why an annotation file could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnnotationFileError {
    /// Not JSON, or not the expected shape; the message names line and column.
    Malformed(String),
    /// Written by a newer Gazette; this build must not rewrite it.
    FutureVersion {
        /// The version found in the file.
        found: u32,
    },
}

impl std::fmt::Display for AnnotationFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnnotationFileError::Malformed(message) => {
                write!(f, "malformed annotation file: {message}")
            }
            AnnotationFileError::FutureVersion { found } => write!(
                f,
                "annotation file format version {found} is newer than this Gazette understands \
                 ({ANNOTATION_FORMAT_VERSION}); upgrade Gazette, the file is left untouched"
            ),
        }
    }
}

impl std::error::Error for AnnotationFileError {}

impl AnnotationFile {
    /// An empty file for `document`.
    pub fn new(document: impl Into<String>) -> AnnotationFile {
        AnnotationFile {
            version: ANNOTATION_FORMAT_VERSION,
            document: document.into(),
            annotations: Vec::new(),
        }
    }

    /// Parses a file. The version is checked before the shape, so that a future file with new
    /// fields is reported as "newer" rather than as "malformed".
    pub fn parse(json: &str) -> Result<AnnotationFile, AnnotationFileError> {
        #[derive(Deserialize)]
        struct VersionOnly {
            version: u32,
        }
        let version: VersionOnly = serde_json::from_str(json)
            .map_err(|error| AnnotationFileError::Malformed(error.to_string()))?;
        if version.version > ANNOTATION_FORMAT_VERSION {
            return Err(AnnotationFileError::FutureVersion {
                found: version.version,
            });
        }
        serde_json::from_str(json)
            .map_err(|error| AnnotationFileError::Malformed(error.to_string()))
    }

    /// Renders the file: pretty-printed, annotations in a stable order, a final newline.
    pub fn render(&self) -> String {
        let mut sorted = self.clone();
        sorted.sort();
        let mut json =
            serde_json::to_string_pretty(&sorted).expect("annotation files always serialize");
        json.push('\n');
        json
    }

    /// Sorts annotations by position, then label, then id, so that a file's order is canonical.
    pub fn sort(&mut self) {
        self.annotations
            .sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    }

    /// Adds an annotation, replacing any earlier one on the same span with the same label: the
    /// latest decision about a suggestion wins.
    pub fn upsert(&mut self, annotation: Annotation) {
        let position =
            |a: &Annotation| (a.target.selector.0.start, a.target.selector.0.end, a.label);
        self.annotations
            .retain(|existing| position(existing) != position(&annotation));
        self.annotations.push(annotation);
        self.sort();
    }
}

/// The JSON Schema of annotation files (`schema/annotations.schema.json`), pretty-printed.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(AnnotationFile);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// `sha256:` followed by the hex SHA-256 of `text`.
pub fn text_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(7 + 64);
    hex.push_str("sha256:");
    for byte in digest.iter() {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

/// What a front end supplies to record a decision about one span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAnnotation<'a> {
    /// Byte range of the span in `text`.
    pub range: TextRange,
    /// The label.
    pub label: EntityLabel,
    /// The normalised value.
    pub norm: Option<String>,
    /// The decision.
    pub status: AnnotationStatus,
    /// Who.
    pub creator: Option<&'a str>,
    /// When (RFC 3339).
    pub created: Option<&'a str>,
}

impl Annotation {
    /// Builds an annotation on `range` of `text`, computing both selectors and the text hash.
    ///
    /// Returns `None` when the range is out of bounds or not on character boundaries: the front
    /// end reports that as a bad request rather than storing a broken annotation.
    pub fn new(text: &str, new: NewAnnotation<'_>) -> Option<Annotation> {
        let range = new.range.to_usize();
        if range.end > text.len()
            || range.start > range.end
            || !text.is_char_boundary(range.start)
            || !text.is_char_boundary(range.end)
        {
            return None;
        }
        let start = text[..range.start].chars().count();
        let exact = &text[range.clone()];
        let end = start + exact.chars().count();
        let quote = quote_selector(text, range.clone());
        let id = annotation_id(new.label, start, end, exact, new.created.unwrap_or(""));
        Some(Annotation {
            id,
            label: new.label,
            norm: new.norm,
            status: new.status,
            creator: new.creator.map(str::to_owned),
            created: new.created.map(str::to_owned),
            target: Target {
                selector: (
                    TextPositionSelector {
                        kind: TextPositionSelectorType::TextPositionSelector,
                        start,
                        end,
                    },
                    quote,
                ),
                text_hash: text_hash(text),
            },
        })
    }

    /// The canonical order of annotations in a file: position, then label, then id.
    pub fn order_key(&self) -> (usize, usize, EntityLabel, &str) {
        let position = &self.target.selector.0;
        (position.start, position.end, self.label, &self.id)
    }

    /// The annotated text as recorded.
    pub fn exact(&self) -> &str {
        &self.target.selector.1.exact
    }
}

/// Builds the quote selector of a byte range: the exact text and up to
/// [`QUOTE_CONTEXT_CODE_POINTS`] code points of context on each side.
pub fn quote_selector(text: &str, range: std::ops::Range<usize>) -> TextQuoteSelector {
    let prefix_start = text[..range.start]
        .char_indices()
        .rev()
        .nth(QUOTE_CONTEXT_CODE_POINTS - 1)
        .map_or(0, |(index, _)| index);
    let suffix_end = text[range.end..]
        .char_indices()
        .nth(QUOTE_CONTEXT_CODE_POINTS)
        .map_or(text.len(), |(index, _)| range.end + index);
    TextQuoteSelector {
        kind: TextQuoteSelectorType::TextQuoteSelector,
        exact: text[range.clone()].to_owned(),
        prefix: text[prefix_start..range.start].to_owned(),
        suffix: text[range.end..suffix_end].to_owned(),
    }
}

/// A short id derived from what the annotation says, so that two curators annotating the same
/// span at different times get different ids and re-running an import gives the same ones.
fn annotation_id(
    label: EntityLabel,
    start: usize,
    end: usize,
    exact: &str,
    created: &str,
) -> String {
    let mut hasher = Sha256::new();
    hasher.update(label.as_str().as_bytes());
    hasher.update(start.to_le_bytes());
    hasher.update(end.to_le_bytes());
    hasher.update(exact.as_bytes());
    hasher.update(created.as_bytes());
    let digest = hasher.finalize();
    let mut id = String::from("a");
    for byte in &digest[..8] {
        id.push_str(&format!("{byte:02x}"));
    }
    id
}

/// Converts a code-point offset to a byte offset, or `None` past the end of the text.
pub fn code_point_to_byte(text: &str, code_point: usize) -> Option<usize> {
    if code_point == 0 {
        return Some(0);
    }
    match text.char_indices().nth(code_point) {
        Some((byte, _)) => Some(byte),
        None if text.chars().count() == code_point => Some(text.len()),
        None => None,
    }
}

/// Code-point offsets of a text, for converting many offsets in both directions.
///
/// Exchange formats count code points (W3C selectors, brat, doccano JSONL); the core counts bytes.
pub struct CodePointIndex {
    /// Byte offset of every character, plus the text length at the end.
    starts: Vec<usize>,
}

impl CodePointIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> CodePointIndex {
        let mut starts: Vec<usize> = text.char_indices().map(|(byte, _)| byte).collect();
        starts.push(text.len());
        CodePointIndex { starts }
    }

    /// The code-point offset of a byte offset (a byte inside a character maps to that character).
    pub fn to_code_point(&self, byte: usize) -> usize {
        match self.starts.binary_search(&byte) {
            Ok(index) => index,
            Err(index) => index.saturating_sub(1),
        }
    }

    /// The byte offset of a code-point offset, or `None` past the end.
    pub fn to_byte(&self, code_point: usize) -> Option<usize> {
        self.starts.get(code_point).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(text: &str, needle: &str, status: AnnotationStatus) -> Annotation {
        let start = text.find(needle).unwrap() as u32;
        Annotation::new(
            text,
            NewAnnotation {
                range: TextRange::new(start, start + needle.len() as u32),
                label: EntityLabel::Loc,
                norm: Some("VN:da-nang".into()),
                status,
                creator: Some("tester"),
                created: Some("2026-12-02T00:00:00Z"),
            },
        )
        .unwrap()
    }

    #[test]
    fn selectors_count_code_points_not_bytes() {
        let text = "Ông 👋 thăm Đà Nẵng hôm nay.";
        let annotation = sample(text, "Đà Nẵng", AnnotationStatus::Accepted);
        let position = &annotation.target.selector.0;
        assert_eq!((position.start, position.end), (11, 18));
        assert_eq!(annotation.target.selector.1.prefix, "Ông 👋 thăm ");
        assert_eq!(annotation.target.selector.1.suffix, " hôm nay.");
        assert!(annotation.target.text_hash.starts_with("sha256:"));
    }

    #[test]
    fn render_then_parse_round_trips_and_is_sorted() {
        let text = "Da Nang and Daegu.";
        let mut file = AnnotationFile::new("a.txt");
        file.upsert(sample(text, "Daegu", AnnotationStatus::Rejected));
        file.upsert(sample(text, "Da Nang", AnnotationStatus::Accepted));
        let rendered = file.render();
        let parsed = AnnotationFile::parse(&rendered).unwrap();
        assert_eq!(parsed.annotations[0].exact(), "Da Nang");
        assert_eq!(parsed.annotations[1].exact(), "Daegu");
        assert!(rendered.contains("\"type\": \"TextPositionSelector\""));
        assert!(rendered.ends_with("}\n"));
    }

    #[test]
    fn upsert_keeps_the_latest_decision_for_a_span() {
        let text = "Da Nang";
        let mut file = AnnotationFile::new("a.txt");
        file.upsert(sample(text, "Da Nang", AnnotationStatus::Accepted));
        file.upsert(sample(text, "Da Nang", AnnotationStatus::Rejected));
        assert_eq!(file.annotations.len(), 1);
        assert_eq!(file.annotations[0].status, AnnotationStatus::Rejected);
    }

    #[test]
    fn future_versions_and_garbage_are_errors_not_panics() {
        let future = r#"{"version": 99, "document": "a.txt", "annotations": [], "new_field": 1}"#;
        assert_eq!(
            AnnotationFile::parse(future),
            Err(AnnotationFileError::FutureVersion { found: 99 })
        );
        assert!(matches!(
            AnnotationFile::parse("{not json"),
            Err(AnnotationFileError::Malformed(_))
        ));
        assert!(matches!(
            AnnotationFile::parse(r#"{"version": 1}"#),
            Err(AnnotationFileError::Malformed(_))
        ));
    }

    #[test]
    fn out_of_range_or_split_characters_are_refused() {
        let text = "Đà";
        let bad = |start, end| NewAnnotation {
            range: TextRange::new(start, end),
            label: EntityLabel::Loc,
            norm: None,
            status: AnnotationStatus::Accepted,
            creator: None,
            created: None,
        };
        assert!(Annotation::new(text, bad(0, 1)).is_none());
        assert!(Annotation::new(text, bad(0, 50)).is_none());
        assert!(Annotation::new(text, bad(0, 2)).is_some());
    }
}
