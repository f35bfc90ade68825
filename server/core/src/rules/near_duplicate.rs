//! GZ003 near-duplicate: a paragraph nearly equal to an earlier one (MinHash/LSH).

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, RelatedLocation, Severity};
use crate::minhash;
use crate::registry::RuleMeta;
use crate::rules::Context;

/// The rule's metadata and documentation.
pub const META: RuleMeta = RuleMeta {
    code: "GZ003",
    name: "near-duplicate",
    summary: "A paragraph is nearly the same as an earlier paragraph.",
    explanation: "\
## What it does
Flags a paragraph whose word shingles (pairs of consecutive normalised words by default) are
similar to those of an earlier paragraph, in the same or an earlier document in corpus order.
Similarity is the Jaccard index estimated with an 80-hash MinHash signature; candidates are found
with 20 LSH bands of 4 rows. The message gives the similarity; related locations point at the
similar paragraphs. Exact duplicates are left to GZ001 and GZ002. Settings:
`rules.near-duplicate.threshold` (default 0.6), `min-words` (default 8), `shingle-words`
(default 2).

## Why is this bad?
Re-published articles come back with a corrected date, a changed number or a reworded opening;
exact matching misses them.

## Example
`Over the past 5 years, the Da Nang branches ...` and `Over the past five years, the Da Nang
branches ...`: the second is reported as about 80% similar.

## Fix safety
Unsafe: the fix deletes this paragraph, which loses whatever words differ from the similar
one. It is never applied by `gazette check --fix`.
",
    default_enabled: true,
    default_severity: Severity::Warning,
    fix: Some(Applicability::Unsafe),
};

/// At most this many similar paragraphs are listed as related locations.
const MAX_RELATED: usize = 5;

/// At most this many candidates are compared per paragraph. Boilerplate repeated with small
/// variations in thousands of documents would otherwise make the pass quadratic; the first
/// candidates (in indexing order) are enough to report the paragraph.
const MAX_CANDIDATES: usize = 256;

pub(crate) fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let Some(severity) = context.severity(&META) else {
        return;
    };
    let settings = &context.config.rules.near_duplicate;
    let workspace = context.workspace;
    for (index, paragraph) in context.summary.paragraphs().iter().enumerate() {
        let Some(signature) = context.summary.signature(index) else {
            continue;
        };
        if paragraph.words < settings.min_words
            || !paragraph.may_have_near_candidates()
            || context.is_exact_duplicate(index)
        {
            continue;
        }
        let mut similar = Vec::new();
        for occurrence in workspace.near_candidates(context.id, index, MAX_CANDIDATES) {
            let other_key = workspace.entry_key(occurrence.document);
            let earlier = (other_key, occurrence.paragraph as usize) < (context.key, index);
            if !earlier {
                continue;
            }
            let Some(other_summary) = workspace.entry_summary(occurrence.document) else {
                continue;
            };
            let other = &other_summary.paragraphs()[occurrence.paragraph as usize];
            if other.fingerprint == paragraph.fingerprint || other.words < settings.min_words {
                continue;
            }
            let Some(other_signature) = other_summary.signature(occurrence.paragraph as usize)
            else {
                continue;
            };
            let similarity = minhash::similarity(signature, other_signature);
            if similarity >= settings.threshold {
                similar.push((similarity, other_key, *other));
            }
        }
        if similar.is_empty() {
            continue;
        }
        // Most similar first, then corpus order.
        similar.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| (a.1, a.2.range.start).cmp(&(b.1, b.2.range.start)))
        });
        let (best, best_key, best_paragraph) = similar[0];
        let place = if best_key == context.key {
            format!("line {}", best_paragraph.first_line + 1)
        } else {
            format!("line {} of {best_key}", best_paragraph.first_line + 1)
        };
        diagnostics.push(Diagnostic {
            code: META.code,
            rule: META.name,
            document: context.key.to_owned(),
            range: paragraph.range,
            severity,
            message: format!("paragraph is {}% similar to {place}", percent(best)),
            related: similar
                .iter()
                .take(MAX_RELATED)
                .map(|(similarity, key, other)| RelatedLocation {
                    document: (*key).to_owned(),
                    range: other.range,
                    message: format!("{}% similar", percent(*similarity)),
                })
                .collect(),
            fix: Some(Fix {
                title: "Delete this near-duplicate paragraph".to_owned(),
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

fn percent(similarity: f64) -> u32 {
    (similarity * 100.0).round() as u32
}
