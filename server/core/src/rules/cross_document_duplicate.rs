//! GZ002 cross-document-duplicate: a paragraph repeated across documents.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, RelatedLocation, Severity};
use crate::registry::RuleMeta;
use crate::rules::Context;
use crate::workspace::Occurrence;

/// The rule's metadata and documentation.
pub const META: RuleMeta = RuleMeta {
    code: "GZ002",
    name: "cross-document-duplicate",
    summary: "A paragraph repeats a paragraph of another document.",
    explanation: "\
## What it does
Flags a paragraph that also appears, after normalisation, in another document. It is reported in
every copy after the first in corpus order (the sorted order of paths), with related locations
pointing at the copies in the other documents. Paragraphs with fewer than
`paragraphs.min-words` words are ignored.

## Why is this bad?
The same article scraped twice, or boilerplate pasted into many articles, inflates the corpus
and leaks test data into training data.

## Example
`a.txt` and `b.txt` both contain `Da Nang is now home to 120 Japanese companies.`: the copy in
`b.txt` is reported.

## Fix safety
Unsafe: the fix deletes the copy in this document, but which document should keep the
paragraph is an editorial decision. `gazette check --fix` shows it and never applies it; the
editor offers it as a quick fix.
",
    default_enabled: true,
    default_severity: Severity::Warning,
    fix: Some(Applicability::Unsafe),
};

/// True when paragraph `index` counts as a duplicate and a copy of it comes earlier in corpus
/// order, in another document.
pub(crate) fn has_earlier_copy(context: &Context<'_>, index: usize) -> bool {
    context.counts_as_duplicate(index)
        && context
            .workspace
            .copy_group(&context.summary.paragraphs()[index])
            .is_some_and(|group| group.head.first().is_some_and(|o| o.document != context.id))
}

pub(crate) fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let Some(severity) = context.severity(&META) else {
        return;
    };
    for (index, paragraph) in context.summary.paragraphs().iter().enumerate() {
        if context.first_copy[index].is_some() || !context.counts_as_duplicate(index) {
            continue;
        }
        // One group per fingerprint, shared by all its copies: the work per copy does not
        // grow with the number of documents holding the paragraph.
        let Some(group) = context.workspace.copy_group(paragraph) else {
            continue;
        };
        if group.head.first().is_none_or(|o| o.document == context.id) {
            continue;
        }
        // The first copy in each other document, in corpus order.
        let copies: Vec<(&str, Occurrence)> = group
            .head
            .iter()
            .filter(|o| o.document != context.id)
            .map(|&o| (context.workspace.entry_key(o.document), o))
            .collect();
        let related: Vec<RelatedLocation> = copies
            .iter()
            .take(MAX_RELATED)
            .filter_map(|(key, occurrence)| {
                let summary = context.workspace.entry_summary(occurrence.document)?;
                let other = summary.paragraphs().get(occurrence.paragraph as usize)?;
                Some(RelatedLocation {
                    document: (*key).to_owned(),
                    range: other.range,
                    message: format!("copy at line {}", other.first_line + 1),
                })
            })
            .collect();
        let (first_key, first) = copies[0];
        let first_line = context
            .workspace
            .entry_summary(first.document)
            .and_then(|summary| summary.paragraphs().get(first.paragraph as usize))
            .map_or(0, |p| p.first_line);
        // The documents other than this one and the first.
        let others = match group.documents.saturating_sub(2) {
            0 => String::new(),
            1 => " and 1 other document".to_owned(),
            n => format!(" and {n} other documents"),
        };
        diagnostics.push(Diagnostic {
            code: META.code,
            rule: META.name,
            document: context.key.to_owned(),
            range: paragraph.range,
            severity,
            message: format!(
                "paragraph repeats line {} of {first_key}{others}",
                first_line + 1
            ),
            related,
            fix: Some(Fix {
                title: "Delete this copy".to_owned(),
                applicability: Applicability::Unsafe,
                edits: vec![Edit {
                    document: context.key.to_owned(),
                    range: context.summary.deletion_range(index, index),
                    replacement: String::new(),
                }],
            }),
        });
    }
}

/// Related locations are capped: a boilerplate line in ten thousand files needs a few examples,
/// not ten thousand.
pub(crate) const MAX_RELATED: usize = 10;
