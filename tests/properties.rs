//! Property tests on arbitrary Unicode: positions in the core (lines, code points) agree with the
//! language server's conversions, and annotation selectors and exchange formats round-trip.
//!
//! `server/lsp/src/convert.rs` already proptests byte ↔ UTF-8/UTF-16/UTF-32 positions against an
//! independent model; these properties cover what crosses crate boundaries: the CLI's line index
//! and the editor's positions name the same lines, annotation code points are the editor's UTF-32
//! columns, and selectors, JSONL and brat keep spans exact.

use gazette_core::annotation::anchor::{Anchoring, anchor, rebase};
use gazette_core::annotation::export::{to_brat, to_jsonl_line};
use gazette_core::annotation::import::{from_brat, from_jsonl_line};
use gazette_core::annotation::{
    Annotation, AnnotationFile, AnnotationStatus, CodePointIndex, NewAnnotation,
    QUOTE_CONTEXT_CODE_POINTS, code_point_to_byte,
};
use gazette_core::tag::{EntityLabel, EntitySpan};
use gazette_core::text::{LineIndex, TextRange};
use gazette_lsp::convert::{PositionEncoding, offset_to_position, position_to_offset};
use gazette_tests::oracles::{cluster_boundaries, occurs_whole};
use proptest::prelude::*;
use ropey::Rope;

/// Arbitrary text mixing any characters with the ones that make positions hard.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<char>().prop_map(String::from),
        Just("Đà Nẵng".to_owned()),
        Just("D\u{31b}\u{300}a\u{300} N\u{103}\u{303}ng".to_owned()),
        Just("대구".to_owned()),
        Just("🇻🇳👍🏽".to_owned()),
        Just("\r\n".to_owned()),
        Just("\n".to_owned()),
        Just("\r".to_owned()),
        Just("\u{feff}".to_owned()),
        Just(" ".to_owned()),
    ];
    proptest::collection::vec(piece, 0..48).prop_map(|pieces| pieces.concat())
}

/// Char boundaries of `text`, including its end.
fn boundaries(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(index, _)| index)
        .chain(std::iter::once(text.len()))
        .collect()
}

/// How many times `needle` occurs in `haystack`, overlapping occurrences included.
fn occurrences(haystack: &str, needle: &str) -> usize {
    boundaries(haystack)
        .into_iter()
        .filter(|&at| haystack[at..].starts_with(needle))
        .count()
}

/// A range on cluster boundaries picked by two numbers (re-anchoring never splits a base
/// character from its combining marks).
fn pick_range(text: &str, a: usize, b: usize) -> (usize, usize) {
    let all = cluster_boundaries(text);
    let (x, y) = (all[a % all.len()], all[b % all.len()]);
    (x.min(y), x.max(y))
}

fn annotation_on(text: &str, start: usize, end: usize) -> Annotation {
    Annotation::new(
        text,
        NewAnnotation {
            range: TextRange::new(start as u32, end as u32),
            label: EntityLabel::Loc,
            norm: Some("VN:da-nang".to_owned()),
            status: AnnotationStatus::Accepted,
            creator: Some("proptest"),
            created: Some("2026-12-02T00:00:00Z"),
        },
    )
    .expect("ranges on character boundaries are accepted")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The CLI's line numbers (`LineIndex`) and the editor's (`convert`) agree for every offset
    /// except the one LSP cannot express (between CR and LF); the CLI's human column (characters,
    /// BOM skipped on line 1) is the UTF-32 column minus that BOM.
    #[test]
    fn cli_lines_and_editor_positions_agree(text in text()) {
        let index = LineIndex::new(&text);
        let rope = Rope::from_str(&text);
        for offset in boundaries(&text) {
            let between_cr_lf = offset > 0
                && text.as_bytes()[offset - 1] == b'\r'
                && text.as_bytes().get(offset) == Some(&b'\n');
            if between_cr_lf {
                continue;
            }
            let position = offset_to_position(&rope, offset, PositionEncoding::Utf32);
            prop_assert_eq!(index.line_of(offset as u32), position.line);
            let human = index.line_column(&text, offset as u32);
            prop_assert_eq!(human.line, position.line + 1);
            let bom = u32::from(position.line == 0 && text.starts_with('\u{feff}') && offset > 0);
            prop_assert_eq!(human.column, position.character - bom + 1);
        }
    }

    /// Annotation offsets (code points) are the editor's UTF-32 columns on a single line, and
    /// the code-point index agrees with `code_point_to_byte` everywhere.
    #[test]
    fn code_points_match_utf32_columns(text in text()) {
        let single_line: String = text.replace(['\r', '\n'], " ");
        let rope = Rope::from_str(&single_line);
        let index = CodePointIndex::new(&single_line);
        for (code_point, offset) in boundaries(&single_line).into_iter().enumerate() {
            prop_assert_eq!(index.to_code_point(offset), code_point);
            prop_assert_eq!(index.to_byte(code_point), Some(offset));
            prop_assert_eq!(code_point_to_byte(&single_line, code_point), Some(offset));
            let position = offset_to_position(&rope, offset, PositionEncoding::Utf32);
            prop_assert_eq!(position.character as usize, code_point);
            prop_assert_eq!(position_to_offset(&rope, position, PositionEncoding::Utf32), offset);
        }
        let past = single_line.chars().count() + 1;
        prop_assert_eq!(index.to_byte(past), None);
        prop_assert_eq!(code_point_to_byte(&single_line, past), None);
    }

    /// Selectors describe exactly the annotated span: the position selector maps back to the
    /// byte range, the quote is the text, the context is the longest allowed, the annotation
    /// anchors in place and survives a JSON round trip.
    #[test]
    fn selectors_describe_the_span(text in text(), a in 0usize..400, b in 0usize..400) {
        let (start, end) = pick_range(&text, a, b);
        let annotation = annotation_on(&text, start, end);
        let (position, quote) = &annotation.target.selector;
        let index = CodePointIndex::new(&text);
        prop_assert_eq!(index.to_byte(position.start), Some(start));
        prop_assert_eq!(index.to_byte(position.end), Some(end));
        prop_assert_eq!(quote.exact.as_str(), &text[start..end]);
        prop_assert!(text[..start].ends_with(&quote.prefix));
        prop_assert!(text[end..].starts_with(&quote.suffix));
        prop_assert_eq!(
            quote.prefix.chars().count(),
            text[..start].chars().count().min(QUOTE_CONTEXT_CODE_POINTS)
        );
        prop_assert_eq!(
            quote.suffix.chars().count(),
            text[end..].chars().count().min(QUOTE_CONTEXT_CODE_POINTS)
        );
        if start < end {
            prop_assert_eq!(
                anchor(&text, &annotation),
                Anchoring::InPlace(TextRange::new(start as u32, end as u32))
            );
        }
        prop_assert_eq!(rebase(&text, &annotation, TextRange::new(start as u32, end as u32)), annotation.clone());
        let mut file = AnnotationFile::new("a.txt");
        file.upsert(annotation);
        prop_assert_eq!(AnnotationFile::parse(&file.render()), Ok(file));
    }

    /// Text inserted before or after an annotation never loses it: it is found again on text
    /// equal to its quote, and exactly at the shifted range when the quote occurs once.
    #[test]
    fn insertions_outside_the_span_keep_it(
        text in text(),
        inserted in text(),
        a in 0usize..400,
        b in 0usize..400,
        at in 0usize..400,
    ) {
        let (start, end) = pick_range(&text, a, b);
        prop_assume!(start < end);
        let annotation = annotation_on(&text, start, end);
        let all = boundaries(&text);
        let candidates: Vec<usize> =
            all.iter().copied().filter(|&o| o <= start || o >= end).collect();
        let at = candidates[at % candidates.len()];
        let edited = format!("{}{}{}", &text[..at], inserted, &text[at..]);
        // An insertion glued to the span (a combining mark right after it) may split its
        // clusters; otherwise it is found.
        prop_assume!(occurs_whole(&edited, &text[start..end]));
        let found = anchor(&edited, &annotation).range();
        prop_assert!(found.is_some(), "orphaned by an insertion outside it");
        let found = found.unwrap();
        prop_assert_eq!(&edited[found.to_usize()], &text[start..end]);
        if occurrences(&edited, &text[start..end]) == 1 {
            let shift = if at <= start { inserted.len() } else { 0 };
            prop_assert_eq!(found, TextRange::new((start + shift) as u32, (end + shift) as u32));
        }
    }

    /// JSONL and brat exports read back to the same spans (code points both ways).
    #[test]
    fn jsonl_and_brat_round_trip(
        text in text(),
        picks in proptest::collection::vec((0usize..400, 0usize..400, 0usize..5), 0..6),
    ) {
        let labels = [
            EntityLabel::Loc,
            EntityLabel::Per,
            EntityLabel::Org,
            EntityLabel::Date,
            EntityLabel::Duration,
        ];
        let mut spans: Vec<EntitySpan> = picks
            .iter()
            .map(|&(a, b, label)| {
                let (start, end) = pick_range(&text, a, b);
                EntitySpan {
                    range: TextRange::new(start as u32, end as u32),
                    label: labels[label],
                    norm: Some(format!("X:{label}-{start}")),
                }
            })
            .filter(|span| !span.range.is_empty())
            .collect();
        spans.sort_by_key(|span| (span.range.start, span.range.end, span.label));
        spans.dedup();
        let line = to_jsonl_line("a.txt", &text, &spans);
        let (document, back) = from_jsonl_line(&line, &text, 1).expect("own JSONL reads back");
        prop_assert_eq!(document.as_deref(), Some("a.txt"));
        prop_assert_eq!(&back, &spans);
        // brat's fragments skip line breaks, so a span's ends may move inward past them; the
        // labels, norms and the text between the ends stay.
        let ann = to_brat(&text, &spans);
        let back = from_brat(&ann, &text).expect("own brat reads back");
        prop_assert_eq!(back.len(), spans.len());
        for (got, want) in back.iter().zip(&spans) {
            prop_assert_eq!(got.label, want.label);
            prop_assert_eq!(&got.norm, &want.norm);
            prop_assert!(want.range.contains_range(got.range));
            let trimmed = text[want.range.to_usize()].trim_matches(['\r', '\n']);
            if !trimmed.is_empty() && !trimmed.contains(['\r', '\n']) {
                prop_assert_eq!(text[got.range.to_usize()].trim_matches(['\r', '\n']), trimmed);
            }
        }
    }
}
