//! GZ002 cross-document-duplicate: a paragraph repeated across documents.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, RelatedLocation, Severity};
use crate::registry::RuleMeta;
use crate::rules::{Context, lines_label};
use crate::text::TextRange;
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
pointing at the copies in the other documents. Consecutive paragraphs that repeat consecutive
paragraphs of the same document are reported as one block: `lines 10–14 repeat lines 5–9 of
a.txt`. Paragraphs with fewer than `paragraphs.min-words` words are ignored.

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

/// The occurrences of paragraph `index`'s text in documents before this one in corpus order.
pub(crate) fn earlier_copies<'a>(
    context: &'a Context<'_>,
    index: usize,
) -> impl Iterator<Item = Occurrence> + 'a {
    let counts = context.counts_as_duplicate(index);
    context
        .workspace
        .copies_of(&context.summary.paragraphs()[index])
        .filter(move |o| {
            counts
                && o.document != context.id
                && context.workspace.entry_key(o.document) < context.key
        })
}

/// True when paragraph `index` is reported by this rule: it repeats a paragraph of an earlier
/// document and is not already an in-document repeat (GZ001).
fn is_reported(context: &Context<'_>, index: usize) -> bool {
    context.first_copy[index].is_none() && earlier_copies(context, index).next().is_some()
}

pub(crate) fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let Some(severity) = context.severity(&META) else {
        return;
    };
    let paragraphs = context.summary.paragraphs();
    let mut index = 0;
    while index < paragraphs.len() {
        if !is_reported(context, index) {
            index += 1;
            continue;
        }
        let paragraph = &paragraphs[index];
        // The first copy in each other document, in corpus order.
        let mut copies: Vec<(&str, Occurrence)> = context
            .workspace
            .copies_of(paragraph)
            .filter(|o| o.document != context.id)
            .map(|o| (context.workspace.entry_key(o.document), o))
            .collect();
        copies.sort();
        copies.dedup_by(|a, b| a.0 == b.0);
        let (first_key, first) = copies[0];
        let Some(source) = context.workspace.entry_summary(first.document) else {
            index += 1;
            continue;
        };
        // Consecutive paragraphs that repeat consecutive paragraphs of the same source make
        // one finding, like GZ001's blocks: "lines 10–14 repeat lines 5–9 of a.txt".
        let mut last = index;
        while last + 1 < paragraphs.len() && is_reported(context, last + 1) {
            let wanted = first.paragraph as usize + (last + 1 - index);
            let continues = context
                .workspace
                .copies_of(&paragraphs[last + 1])
                .any(|o| o.document == first.document && o.paragraph as usize == wanted);
            if !continues {
                break;
            }
            last += 1;
        }
        let source_first = &source.paragraphs()[first.paragraph as usize];
        let source_last = &source.paragraphs()[first.paragraph as usize + (last - index)];
        let related: Vec<RelatedLocation> = copies
            .iter()
            .take(MAX_RELATED)
            .filter_map(|(key, occurrence)| {
                let summary = context.workspace.entry_summary(occurrence.document)?;
                let other = summary.paragraphs().get(occurrence.paragraph as usize)?;
                Some(if occurrence == &first {
                    RelatedLocation {
                        document: (*key).to_owned(),
                        range: TextRange::new(source_first.range.start, source_last.range.end),
                        message: format!(
                            "copy at {}",
                            lines_label(source_first.first_line, source_last.last_line)
                        ),
                    }
                } else {
                    RelatedLocation {
                        document: (*key).to_owned(),
                        range: other.range,
                        message: format!("copy at line {}", other.first_line + 1),
                    }
                })
            })
            .collect();
        let others = match copies.len() - 1 {
            0 => String::new(),
            1 => " and 1 other document".to_owned(),
            n => format!(" and {n} other documents"),
        };
        let message = if last == index {
            format!(
                "paragraph repeats line {} of {first_key}{others}",
                source_first.first_line + 1
            )
        } else {
            format!(
                "{} repeat {} of {first_key}{others}",
                lines_label(paragraph.first_line, paragraphs[last].last_line),
                lines_label(source_first.first_line, source_last.last_line)
            )
        };
        diagnostics.push(Diagnostic {
            code: META.code,
            rule: META.name,
            document: context.key.to_owned(),
            range: TextRange::new(paragraph.range.start, paragraphs[last].range.end),
            severity,
            message,
            related,
            fix: Some(Fix {
                title: if last == index {
                    "Delete this copy".to_owned()
                } else {
                    "Delete these copies".to_owned()
                },
                applicability: Applicability::Unsafe,
                edits: vec![Edit {
                    document: context.key.to_owned(),
                    range: context.summary.deletion_range(index, last),
                    replacement: String::new(),
                }],
            }),
        });
        index = last + 1;
    }
}

/// Related locations are capped: a boilerplate line in ten thousand files needs a few examples,
/// not ten thousand.
const MAX_RELATED: usize = 10;
