//! Human output in the style of ruff and rustc: `path:line:column: CODE message`, the source
//! line, the related locations, and a summary line.

use std::io::Write;

use anyhow::Result;
use gazette_core::diagnostic::Applicability;

use super::{Positions, Printed, Report, Tally, plural};

/// Source lines longer than this many characters are shortened in the excerpt.
const EXCERPT_CHARS: usize = 100;

/// Prints `report` for humans.
pub fn print(out: &mut dyn Write, report: &Report<'_>) -> Result<Printed> {
    let mut positions = Positions::new(report.documents);
    let mut safe = 0;
    let mut unsafe_only = 0;
    let mut tally = Tally::default();
    let mut findings = report.diagnostics.borrow_mut();
    for diagnostic in &mut **findings {
        tally.count(&diagnostic);
        let start = positions.position(&diagnostic.document, diagnostic.range.start);
        let marker = match diagnostic.fix.as_ref().map(|fix| fix.applicability) {
            Some(Applicability::Safe) => {
                safe += 1;
                "[*] "
            }
            Some(Applicability::Unsafe) => {
                unsafe_only += 1;
                ""
            }
            _ => "",
        };
        writeln!(
            out,
            "{}:{}:{}: {} {marker}{}",
            diagnostic.document, start.line, start.column, diagnostic.code, diagnostic.message
        )?;
        // An unreadable document (GZ900) has no source line to show, and may be huge.
        let source = (diagnostic.code != "GZ900")
            .then(|| positions.line_text(&diagnostic.document, start.line))
            .flatten();
        if let Some(line) = source {
            let gutter = " ".repeat(start.line.to_string().len());
            writeln!(out, "{gutter} |")?;
            writeln!(out, "{} | {}", start.line, excerpt(&line))?;
            writeln!(out, "{gutter} |")?;
        }
        for related in &diagnostic.related {
            let at = positions.position(&related.document, related.range.start);
            writeln!(
                out,
                "  = {}: {}:{}:{}",
                related.message, related.document, at.line, at.column
            )?;
        }
        if let Some(fix) = &diagnostic.fix {
            writeln!(
                out,
                "  = help ({} fix): {}",
                fix.applicability.as_str(),
                fix.title
            )?;
        }
        writeln!(out)?;
    }
    let documents = plural(report.checked, "document");
    if tally.findings == 0 {
        writeln!(out, "All checks passed: no findings in {documents}.")?;
    } else {
        writeln!(
            out,
            "Found {} in {} ({documents} checked).",
            plural(tally.findings, "finding"),
            plural(tally.documents, "document"),
        )?;
        if safe > 0 {
            writeln!(out, "[*] {safe} fixable with `gazette check --fix`.")?;
        }
        if unsafe_only > 0 && report.show_unsafe_hint {
            writeln!(
                out,
                "{unsafe_only} more fixable with `gazette check --fix --unsafe-fixes` (review first)."
            )?;
        }
    }
    if report.fixed > 0 {
        writeln!(out, "Fixed {}.", plural(report.fixed, "finding"))?;
    }
    if report.accepted > 0 {
        writeln!(
            out,
            "{} accepted by the baseline.",
            plural(report.accepted, "finding")
        )?;
    }
    Ok(Printed {
        findings: tally.findings,
    })
}

fn excerpt(line: &str) -> String {
    if line.chars().count() <= EXCERPT_CHARS {
        return line.to_owned();
    }
    let mut short: String = line.chars().take(EXCERPT_CHARS).collect();
    short.push('…');
    short
}
