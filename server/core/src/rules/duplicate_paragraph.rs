//! GZ001 duplicate-paragraph: a paragraph repeated inside one document.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, RelatedLocation, Severity};
use crate::registry::RuleMeta;
use crate::rules::{Context, lines_label};
use crate::text::TextRange;

/// The rule's metadata and documentation.
pub const META: RuleMeta = RuleMeta {
    code: "GZ001",
    name: "duplicate-paragraph",
    summary: "A paragraph repeats an earlier paragraph of the same document.",
    explanation: "\
## What it does
Flags paragraphs that repeat an earlier paragraph of the same document, after normalisation
(Unicode NFC, case, whitespace, punctuation and quote variants). Consecutive repeated paragraphs
are reported as one block: `lines 10–14 repeat lines 5–9`. The related location is the first copy.
Paragraphs with fewer than `paragraphs.min-words` words (default 3) are ignored.

## Why is this bad?
Scrapers and copy-paste editing duplicate captions and whole passages. Repeated text skews
counts, n-gram statistics and training data drawn from the corpus.

## Example
```text
Mayor Kwon (left) and Chairman Tho
Mayor Kwon (left) and Chairman Tho
```
Use instead:
```text
Mayor Kwon (left) and Chairman Tho
```

## Fix safety
Safe: the fix deletes the repeated copy (and the line break or blank lines that joined it to
the next paragraph); the first copy stays, so no content is lost.
",
    default_enabled: true,
    default_severity: Severity::Warning,
    fix: Some(Applicability::Safe),
};

/// For each paragraph, the first earlier paragraph of the document with the same fingerprint.
///
/// One pass over the document's own paragraphs: asking the workspace index for every paragraph
/// scanned all copies each time, quadratic in the number of copies (a paragraph repeated 30,000
/// times in one document took 150 s; tests/hostile.rs has 100,000).
pub(crate) fn first_copies(context: &Context<'_>) -> Vec<Option<u32>> {
    let paragraphs = context.summary.paragraphs();
    // Fingerprints are uniform hashes already: hashing them again (SipHash) was a tenth of the
    // exact pass.
    let mut first_by_fingerprint: std::collections::HashMap<
        _,
        _,
        std::hash::BuildHasherDefault<crate::workspace::PassThroughHasher>,
    > = std::collections::HashMap::with_capacity_and_hasher(paragraphs.len(), Default::default());
    (0..paragraphs.len())
        .map(|index| {
            if !context.counts_as_duplicate(index) {
                return None;
            }
            let first = *first_by_fingerprint
                .entry(paragraphs[index].fingerprint)
                .or_insert(index as u32);
            (first as usize != index).then_some(first)
        })
        .collect()
}

pub(crate) fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let Some(severity) = context.severity(&META) else {
        return;
    };
    let paragraphs = context.summary.paragraphs();
    let mut index = 0;
    while index < paragraphs.len() {
        let Some(source) = context.first_copy[index] else {
            index += 1;
            continue;
        };
        // Extend the block while the next paragraph repeats the next paragraph of the source
        // and the source block stays before the repeated block.
        let mut last = index;
        while last + 1 < paragraphs.len()
            && context.first_copy[last + 1] == Some(source + (last + 1 - index) as u32)
            && (source as usize + (last + 1 - index)) < index
        {
            last += 1;
        }
        let source_last = source as usize + (last - index);
        let (first_paragraph, last_paragraph) = (&paragraphs[index], &paragraphs[last]);
        let (source_first, source_end) = (&paragraphs[source as usize], &paragraphs[source_last]);
        let repeated = lines_label(first_paragraph.first_line, last_paragraph.last_line);
        let verb = if repeated.starts_with("lines") {
            "repeat"
        } else {
            "repeats"
        };
        let original = lines_label(source_first.first_line, source_end.last_line);
        diagnostics.push(Diagnostic {
            code: META.code,
            rule: META.name,
            document: context.key.to_owned(),
            range: TextRange::new(first_paragraph.range.start, last_paragraph.range.end),
            severity,
            message: format!("{repeated} {verb} {original}"),
            related: vec![RelatedLocation {
                document: context.key.to_owned(),
                range: TextRange::new(source_first.range.start, source_end.range.end),
                message: "first copy".to_owned(),
            }],
            fix: Some(Fix {
                title: "Delete the repeated copy".to_owned(),
                applicability: Applicability::Safe,
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
