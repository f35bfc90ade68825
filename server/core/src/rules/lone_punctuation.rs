//! GZ004 lone-punctuation: a line or paragraph holding nothing but punctuation.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::registry::RuleMeta;
use crate::rules::{Context, lines_label};
use crate::text::TextRange;

/// The rule's metadata and documentation.
pub const META: RuleMeta = RuleMeta {
    code: "GZ004",
    name: "lone-punctuation",
    summary: "A paragraph holds only punctuation.",
    explanation: "\
## What it does
Flags paragraphs (lines, in one-paragraph-per-line documents) made only of punctuation and
separators: a stray `.`, `...`, `* * *`, `———`. Consecutive ones are reported as one block.
On by default: in news corpora these lines are scraping debris (the trailing `.` lines of seed
`000_9c21d3f726678668.txt`). Turn it off with `[rules.lone-punctuation] enabled = false` for
literary text that uses `* * *` as a section break.

## Why is this bad?
Such lines carry no content, break sentence and paragraph statistics, and often mark where a
scraper dropped an image or a widget.

## Example
```text
In reply, Mayor Kwon said his locality wants to learn from Da Nang.
.
.
```
Use instead:
```text
In reply, Mayor Kwon said his locality wants to learn from Da Nang.
```

## Fix safety
Safe: the fix deletes only punctuation and the line breaks around it; no word is lost.
",
    default_enabled: true,
    default_severity: Severity::Warning,
    fix: Some(Applicability::Safe),
};

pub(crate) fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let Some(severity) = context.severity(&META) else {
        return;
    };
    let paragraphs = context.summary.paragraphs();
    let mut index = 0;
    while index < paragraphs.len() {
        if paragraphs[index].words > 0 {
            index += 1;
            continue;
        }
        let mut last = index;
        while last + 1 < paragraphs.len() && paragraphs[last + 1].words == 0 {
            last += 1;
        }
        let label = lines_label(paragraphs[index].first_line, paragraphs[last].last_line);
        let verb = if label.starts_with("lines") {
            "hold"
        } else {
            "holds"
        };
        diagnostics.push(Diagnostic {
            code: META.code,
            rule: META.name,
            document: context.key.to_owned(),
            range: TextRange::new(paragraphs[index].range.start, paragraphs[last].range.end),
            severity,
            message: format!("{label} {verb} only punctuation"),
            related: Vec::new(),
            fix: Some(Fix {
                title: "Delete the punctuation-only lines".to_owned(),
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
