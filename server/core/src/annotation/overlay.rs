//! Applying reviewed annotations over the tagger's suggestions.
//!
//! A curator's decision always wins: an accepted annotation replaces any suggestion on the same
//! span (whatever its label) and a rejected one removes the suggestion with the same span and
//! label, so it stops appearing in tokens, hovers, references and `gazette tag` output.

use super::anchor::Anchoring;
use super::{Annotation, AnnotationStatus};
use crate::tag::{EntityLabel, EntitySpan};
use crate::text::TextRange;

/// Where a span shown to the user came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SpanOrigin {
    /// The tagger suggested it and nobody reviewed it yet.
    Suggested,
    /// A curator accepted it (or added it by hand).
    Accepted,
}

/// A span after review, with its origin.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReviewedSpan {
    /// The span.
    pub span: EntitySpan,
    /// Where it came from.
    pub origin: SpanOrigin,
}

/// Merges suggestions and anchored annotations. `annotations` pairs each annotation with where it
/// was found; orphans are ignored here (they are reported separately).
pub fn apply_review(
    suggestions: &[EntitySpan],
    annotations: &[(&Annotation, Anchoring)],
) -> Vec<ReviewedSpan> {
    let anchored: Vec<(&Annotation, TextRange)> = annotations
        .iter()
        .filter_map(|(annotation, anchoring)| anchoring.range().map(|range| (*annotation, range)))
        .collect();
    let is_rejected = |range: TextRange, label: EntityLabel| {
        anchored
            .iter()
            .any(|(a, r)| a.status == AnnotationStatus::Rejected && *r == range && a.label == label)
    };
    let is_replaced = |range: TextRange| {
        anchored
            .iter()
            .any(|(a, r)| a.status == AnnotationStatus::Accepted && *r == range)
    };
    let mut reviewed: Vec<ReviewedSpan> = suggestions
        .iter()
        .filter(|span| !is_rejected(span.range, span.label) && !is_replaced(span.range))
        .map(|span| ReviewedSpan {
            span: span.clone(),
            origin: SpanOrigin::Suggested,
        })
        .collect();
    for (annotation, range) in &anchored {
        if annotation.status == AnnotationStatus::Accepted {
            reviewed.push(ReviewedSpan {
                span: EntitySpan {
                    range: *range,
                    label: annotation.label,
                    norm: annotation.norm.clone(),
                },
                origin: SpanOrigin::Accepted,
            });
        }
    }
    reviewed.sort_by(|a, b| {
        let key = |x: &ReviewedSpan| {
            (
                x.span.range.start,
                std::cmp::Reverse(x.span.range.end),
                x.span.label,
            )
        };
        key(a).cmp(&key(b))
    });
    reviewed.dedup_by(|a, b| a.span == b.span);
    reviewed
}

/// Re-anchors the decisions of `file` in `text` and applies them over `suggestions`. Also returns
/// the annotations that could not be anchored (orphans), for the caller to report: they are never
/// dropped from the file.
pub fn review_document(
    text: &str,
    file: &super::AnnotationFile,
    suggestions: &[EntitySpan],
) -> (Vec<ReviewedSpan>, Vec<Annotation>) {
    let reanchored = super::anchor::reanchor_file(text, file);
    let pairs: Vec<(&Annotation, Anchoring)> = reanchored
        .file
        .annotations
        .iter()
        .zip(reanchored.anchorings.iter().copied())
        .collect();
    let orphans = pairs
        .iter()
        .filter(|(_, anchoring)| *anchoring == Anchoring::Orphaned)
        .map(|(annotation, _)| (*annotation).clone())
        .collect();
    (apply_review(suggestions, &pairs), orphans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::NewAnnotation;
    use crate::annotation::anchor::anchor;

    const TEXT: &str = "Tam Ky and Tam Dai met in Hue.";

    fn span(needle: &str, label: EntityLabel, norm: &str) -> EntitySpan {
        let start = TEXT.find(needle).unwrap() as u32;
        EntitySpan {
            range: TextRange::new(start, start + needle.len() as u32),
            label,
            norm: Some(norm.into()),
        }
    }

    fn decision(
        needle: &str,
        label: EntityLabel,
        norm: &str,
        status: AnnotationStatus,
    ) -> Annotation {
        Annotation::new(
            TEXT,
            NewAnnotation {
                range: span(needle, label, norm).range,
                label,
                norm: Some(norm.into()),
                status,
                creator: None,
                created: None,
            },
        )
        .unwrap()
    }

    #[test]
    fn decisions_override_suggestions() {
        let suggestions = vec![
            span("Tam Ky", EntityLabel::Loc, "VN:tam-ky"),
            span("Tam Dai", EntityLabel::Per, "tam-dai"),
            span("Hue", EntityLabel::Loc, "VN:hue"),
        ];
        let rejected = decision(
            "Hue",
            EntityLabel::Loc,
            "VN:hue",
            AnnotationStatus::Rejected,
        );
        let corrected = decision(
            "Tam Dai",
            EntityLabel::Loc,
            "VN:tam-dai",
            AnnotationStatus::Accepted,
        );
        let anchored = vec![
            (&rejected, anchor(TEXT, &rejected)),
            (&corrected, anchor(TEXT, &corrected)),
        ];
        let reviewed = apply_review(&suggestions, &anchored);
        let shown: Vec<_> = reviewed
            .iter()
            .map(|r| {
                format!(
                    "{} {} {:?}",
                    &TEXT[r.span.range.to_usize()],
                    r.span.label.as_str(),
                    r.origin
                )
            })
            .collect();
        assert_eq!(shown, ["Tam Ky LOC Suggested", "Tam Dai LOC Accepted"]);
    }
}
