//! GZ900 unreadable-document: a document that cannot be analysed as text.

use crate::diagnostic::{Diagnostic, Severity};
use crate::registry::RuleMeta;
use crate::rules::Context;
use crate::text::TextRange;

/// The rule's metadata and documentation.
pub const META: RuleMeta = RuleMeta {
    code: "GZ900",
    name: "unreadable-document",
    summary: "A document is not analysable text (invalid UTF-8, binary, or too large).",
    explanation: "\
## What it does
Reports, once per document, that its bytes are not valid UTF-8, contain NUL bytes (a binary
file), or exceed `files.max-size-bytes` (64 MiB by default). The document is skipped by every
other rule.

## Why is this bad?
A corpus of plain-text documents should contain only text; a Latin-1 file or a stray PDF means
a broken conversion step, and silently skipping it would hide the problem.

## Example
`old/article.txt` saved as Windows-1252: `not valid UTF-8 (first invalid byte at offset 212)`.

## Fix safety
No fix: converting the encoding needs a human to know what it was. Applicability, were a fix
added, would be display-only.
",
    default_enabled: true,
    default_severity: Severity::Error,
    fix: None,
};

pub(crate) fn check(context: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let (Some(problem), Some(severity)) = (context.summary.problem(), context.severity(&META))
    else {
        return;
    };
    diagnostics.push(Diagnostic {
        code: META.code,
        rule: META.name,
        document: context.key.to_owned(),
        range: TextRange::new(0, 0),
        severity,
        message: format!("cannot analyse this document: it is {problem}"),
        related: Vec::new(),
        fix: None,
    });
}
