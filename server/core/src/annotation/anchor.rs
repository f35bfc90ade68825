//! Re-anchoring: finding each annotation again in a text that may have been edited since.
//!
//! The position selector is tried first (exact when the text is unchanged); then every occurrence
//! of the quoted text is scored by how much of the recorded prefix and suffix surrounds it, ties
//! going to the occurrence nearest the old position. An annotation whose quote is gone is
//! *orphaned*: kept in its file and reported, never silently dropped.

use super::{Annotation, AnnotationFile, code_point_to_byte, quote_selector, text_hash};
use crate::text::TextRange;

/// Where an annotation stands in the current text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchoring {
    /// Found where its position selector says (byte range).
    InPlace(TextRange),
    /// Found elsewhere through its quote (byte range); its selectors need refreshing.
    Moved(TextRange),
    /// Its quoted text no longer occurs.
    Orphaned,
}

impl Anchoring {
    /// The byte range, unless orphaned.
    pub fn range(self) -> Option<TextRange> {
        match self {
            Anchoring::InPlace(range) | Anchoring::Moved(range) => Some(range),
            Anchoring::Orphaned => None,
        }
    }
}

/// Finds `annotation` in `text`.
pub fn anchor(text: &str, annotation: &Annotation) -> Anchoring {
    let (position, quote) = &annotation.target.selector;
    let exact = quote.exact.as_str();
    if exact.is_empty() {
        return Anchoring::Orphaned;
    }
    let old_start = code_point_to_byte(text, position.start);
    if let Some(start) = old_start {
        if text.get(start..start + exact.len()) == Some(exact) {
            return Anchoring::InPlace(byte_range(start, start + exact.len()));
        }
    }
    // The text changed around the annotation: look for the quote. Without an old position (the
    // text got shorter than it), distance is measured from the end of the text.
    let anchor_byte = old_start.unwrap_or(text.len());
    // Every occurrence, overlapping ones included: in `Osan Osan Osan` the quote `Osan Osan`
    // occurs at 0 and at 5, and the annotation may be the second one.
    let occurrences = std::iter::successors(text.find(exact), |&previous| {
        let next = previous + text[previous..].chars().next().map_or(1, char::len_utf8);
        text[next..].find(exact).map(|index| next + index)
    });
    let best = occurrences
        .map(|start| {
            let end = start + exact.len();
            let context = common_suffix_chars(&text[..start], &quote.prefix)
                + common_prefix_chars(&text[end..], &quote.suffix);
            (
                context,
                std::cmp::Reverse(start.abs_diff(anchor_byte)),
                start,
            )
        })
        .max();
    match best {
        Some((_, _, start)) => Anchoring::Moved(byte_range(start, start + exact.len())),
        None => Anchoring::Orphaned,
    }
}

/// The result of re-anchoring a whole file against the current text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReanchoredFile {
    /// The file with refreshed selectors and hashes for annotations that moved; orphans are kept
    /// unchanged so that no decision is lost.
    pub file: AnnotationFile,
    /// One entry per annotation of `file`, in the same order.
    pub anchorings: Vec<Anchoring>,
    /// True when `file` differs from the input (something moved) and is worth saving.
    pub changed: bool,
}

/// Re-anchors every annotation of `file` in `text`.
pub fn reanchor_file(text: &str, file: &AnnotationFile) -> ReanchoredFile {
    let hash = text_hash(text);
    let mut updated = file.clone();
    let mut changed = false;
    let mut anchorings = Vec::with_capacity(file.annotations.len());
    for annotation in &mut updated.annotations {
        let anchoring = anchor(text, annotation);
        if let Anchoring::Moved(range) | Anchoring::InPlace(range) = anchoring {
            if annotation.target.text_hash != hash || matches!(anchoring, Anchoring::Moved(_)) {
                *annotation = rebase(text, annotation, range);
                changed = true;
            }
        }
        anchorings.push(anchoring);
    }
    if changed {
        // Sorting would desynchronise `anchorings`; keep both in the re-sorted order.
        let mut paired: Vec<_> = updated.annotations.into_iter().zip(anchorings).collect();
        paired.sort_by(|(a, _), (b, _)| a.order_key().cmp(&b.order_key()));
        let (annotations, sorted_anchorings) = paired.into_iter().unzip();
        updated.annotations = annotations;
        anchorings = sorted_anchorings;
    }
    ReanchoredFile {
        file: updated,
        anchorings,
        changed,
    }
}

/// The same annotation pointed at `range` of `text`: new selectors and hash, same decision.
pub fn rebase(text: &str, annotation: &Annotation, range: TextRange) -> Annotation {
    let bytes = range.to_usize();
    let start = text[..bytes.start].chars().count();
    let end = start + text[bytes.clone()].chars().count();
    let mut rebased = annotation.clone();
    rebased.target.selector.0.start = start;
    rebased.target.selector.0.end = end;
    rebased.target.selector.1 = quote_selector(text, bytes);
    rebased.target.text_hash = text_hash(text);
    rebased
}

fn byte_range(start: usize, end: usize) -> TextRange {
    TextRange::new(start as u32, end as u32)
}

fn common_suffix_chars(text: &str, prefix: &str) -> usize {
    text.chars()
        .rev()
        .zip(prefix.chars().rev())
        .take_while(|(a, b)| a == b)
        .count()
}

fn common_prefix_chars(text: &str, suffix: &str) -> usize {
    text.chars()
        .zip(suffix.chars())
        .take_while(|(a, b)| a == b)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::{AnnotationStatus, NewAnnotation};
    use crate::tag::EntityLabel;

    fn annotate(text: &str, needle: &str, nth: usize) -> Annotation {
        let start = text.match_indices(needle).nth(nth).unwrap().0 as u32;
        Annotation::new(
            text,
            NewAnnotation {
                range: TextRange::new(start, start + needle.len() as u32),
                label: EntityLabel::Loc,
                norm: None,
                status: AnnotationStatus::Accepted,
                creator: None,
                created: None,
            },
        )
        .unwrap()
    }

    fn check(before: &str, needle: &str, nth: usize, after: &str, expected: Option<&str>) {
        let annotation = annotate(before, needle, nth);
        let anchoring = anchor(after, &annotation);
        let found = anchoring.range().map(|range| {
            let range = range.to_usize();
            format!(
                "{}[{}]{}",
                &after[..range.start],
                &after[range.clone()],
                &after[range.end..]
            )
        });
        assert_eq!(found.as_deref(), expected, "anchoring {anchoring:?}");
    }

    #[test]
    fn unchanged_text_anchors_in_place() {
        let text = "Đà Nẵng and Daegu";
        let annotation = annotate(text, "Daegu", 0);
        assert!(matches!(anchor(text, &annotation), Anchoring::InPlace(_)));
    }

    #[test]
    fn an_edit_above_moves_the_annotation_with_its_text() {
        check(
            "Da Nang met Daegu.\nDaegu replied.",
            "Daegu",
            1,
            "A new first line about 😀 Korea.\nDa Nang met Daegu.\nDaegu replied.",
            Some("A new first line about 😀 Korea.\nDa Nang met Daegu.\n[Daegu] replied."),
        );
    }

    #[test]
    fn context_picks_the_right_copy_among_several() {
        check(
            "Osan city. Tam Ky and Osan. Osan again.",
            "Osan",
            1,
            "Osan city. Tam Ky and Osan. Osan again. Osan.",
            Some("Osan city. Tam Ky and [Osan]. Osan again. Osan."),
        );
    }

    #[test]
    fn overlapping_occurrences_of_the_quote_are_candidates_too() {
        // Found by tests/properties.rs: `match_indices` skipped the second, overlapping copy.
        let before = "Osan Osan Osan met.";
        let annotation = Annotation::new(
            before,
            NewAnnotation {
                range: TextRange::new(5, 14),
                label: EntityLabel::Loc,
                norm: None,
                status: AnnotationStatus::Accepted,
                creator: None,
                created: None,
            },
        )
        .unwrap();
        let after = "¡Osan Osan Osan met.";
        assert_eq!(
            anchor(after, &annotation),
            Anchoring::Moved(TextRange::new(7, 16))
        );
    }

    #[test]
    fn a_deleted_quote_is_orphaned_not_dropped() {
        check("Hue and Daegu.", "Hue", 0, "Only Daegu now.", None);
        let annotation = annotate("Hue and Daegu.", "Hue", 0);
        let file = AnnotationFile {
            annotations: vec![annotation],
            ..AnnotationFile::new("d.txt")
        };
        let result = reanchor_file("Only Daegu now.", &file);
        assert_eq!(result.file.annotations.len(), 1);
        assert_eq!(result.anchorings, vec![Anchoring::Orphaned]);
    }

    #[test]
    fn moved_annotations_get_fresh_selectors() {
        let before = "Hue and Daegu.";
        let after = "Xin chào. Hue and Daegu.";
        let file = AnnotationFile {
            annotations: vec![annotate(before, "Daegu", 0)],
            ..AnnotationFile::new("d.txt")
        };
        let result = reanchor_file(after, &file);
        assert!(result.changed);
        let moved = &result.file.annotations[0];
        assert_eq!(moved.target.selector.0.start, 18);
        assert_eq!(moved.target.text_hash, text_hash(after));
        assert_eq!(moved.id, file.annotations[0].id);
        // Re-anchoring the refreshed file again changes nothing.
        assert!(!reanchor_file(after, &result.file).changed);
    }
}
