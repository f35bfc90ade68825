//! GZ901 orphaned-annotation: a reviewed annotation whose text can no longer be found.

use crate::annotation::AnnotationFile;
use crate::annotation::anchor::{Anchoring, reanchor_file};
use crate::annotation::code_point_to_byte;
use crate::diagnostic::{Diagnostic, Severity};
use crate::registry::RuleMeta;
use crate::text::TextRange;

/// The rule's metadata and documentation.
pub const META: RuleMeta = RuleMeta {
    code: "GZ901",
    name: "orphaned-annotation",
    summary: "A reviewed annotation's text no longer occurs in its document.",
    explanation: "\
## What it does
Reports an annotation stored in `.gazette/annotations/` whose quoted text cannot be found in the
document any more (the text was deleted or rewritten). The annotation is kept in its file; the
diagnostic sits where it used to be.

## Why is this bad?
A curator's decision that points at nothing is lost work waiting to happen: it no longer
overrides the tagger, and nobody notices unless it is reported.

## Example
`Đà Nẵng` was accepted as `VN:da-nang`, then the sentence was rewritten with `Da Nang`:
`annotation a1b2… (LOC “Đà Nẵng”) no longer matches the text`.

## Fix safety
The editor offers two commands, neither of which edits the document: re-attach the decision to
the text that now stands between its recorded context, or delete it. Both only change the
annotation file, so there is no text fix to apply in `gazette check --fix`.
",
    default_enabled: true,
    default_severity: Severity::Warning,
    fix: None,
};

/// One orphan, with where the editor should show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Orphan {
    /// The annotation's id.
    pub id: String,
    /// The diagnostic.
    pub diagnostic: Diagnostic,
    /// The text now standing between the annotation's recorded prefix and suffix, when both
    /// are still there close together: the likely new form of the annotated text.
    pub reattach: Option<TextRange>,
}

/// Reports the orphaned annotations of `file` in `text`.
pub fn check(document: &str, text: &str, file: &AnnotationFile) -> Vec<Orphan> {
    let reanchored = reanchor_file(text, file);
    reanchored
        .file
        .annotations
        .iter()
        .zip(&reanchored.anchorings)
        .filter(|(_, anchoring)| **anchoring == Anchoring::Orphaned)
        .map(|(annotation, _)| {
            let old = code_point_to_byte(text, annotation.target.selector.0.start).unwrap_or(text.len());
            let line_end = text[old..].find('\n').map_or(text.len(), |n| old + n);
            let reattach = between_context(text, &annotation.target.selector.1.prefix, &annotation.target.selector.1.suffix, annotation.exact().len());
            Orphan {
                id: annotation.id.clone(),
                reattach,
                diagnostic: Diagnostic {
                    code: META.code,
                    rule: META.name,
                    document: document.to_owned(),
                    range: TextRange::new(old as u32, line_end as u32),
                    severity: META.default_severity,
                    message: format!(
                        "annotation {} ({} “{}”) no longer matches the text; it is kept in its file",
                        annotation.id,
                        annotation.label.as_str(),
                        annotation.exact()
                    ),
                    related: Vec::new(),
                    fix: None,
                },
            }
        })
        .collect()
}

/// The text between the nearest pair of `prefix` and `suffix` occurrences, when it is non-empty,
/// on one line and not much longer than the original quote.
fn between_context(text: &str, prefix: &str, suffix: &str, exact_len: usize) -> Option<TextRange> {
    if prefix.is_empty() || suffix.is_empty() {
        return None;
    }
    text.match_indices(prefix).find_map(|(at, _)| {
        let start = at + prefix.len();
        let window_end = (start + exact_len * 4 + 16).min(text.len());
        let window_end = (window_end..=text.len()).find(|&i| text.is_char_boundary(i))?;
        let end = start + text[start..window_end].find(suffix)?;
        let between = &text[start..end];
        (!between.trim().is_empty() && !between.contains('\n'))
            .then(|| TextRange::new(start as u32, end as u32))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::{Annotation, AnnotationStatus, NewAnnotation};
    use crate::tag::EntityLabel;

    #[test]
    fn a_rewritten_name_is_an_orphan_with_a_reattach_target() {
        let before = "The delegation from Đà Nẵng visited Daegu in October.";
        let start = before.find("Đà Nẵng").unwrap() as u32;
        let annotation = Annotation::new(
            before,
            NewAnnotation {
                range: TextRange::new(start, start + "Đà Nẵng".len() as u32),
                label: EntityLabel::Loc,
                norm: Some("VN:da-nang".into()),
                status: AnnotationStatus::Accepted,
                creator: None,
                created: None,
            },
        )
        .unwrap();
        let file = AnnotationFile {
            annotations: vec![annotation],
            ..AnnotationFile::new("a.txt")
        };
        let after = "The delegation from Da Nang visited Daegu in October.";
        let orphans = check("a.txt", after, &file);
        assert_eq!(orphans.len(), 1);
        let reattach = orphans[0].reattach.unwrap();
        assert_eq!(&after[reattach.to_usize()], "Da Nang");
        assert!(orphans[0].diagnostic.message.contains("“Đà Nẵng”"));
        assert!(
            check("a.txt", before, &file).is_empty(),
            "an anchored annotation is no orphan"
        );
        let gone = check("a.txt", "Nothing left.", &file);
        assert_eq!(gone.len(), 1);
        assert_eq!(gone[0].reattach, None);
    }
}
