//! GitHub Actions annotations (`--format github`): one workflow command per finding.
//!
//! See "Workflow commands for GitHub Actions": `::warning file=F,line=L,col=C,endLine=..,
//! title=T::message`. Property values escape `%`, CR, LF, `:` and `,`; the message escapes
//! `%`, CR and LF.

use std::io::Write;

use anyhow::Result;
use gazette_core::diagnostic::Severity;

use super::{Positions, Printed, Report};

/// Prints `report` as GitHub workflow commands.
pub fn print(out: &mut dyn Write, report: &Report<'_>) -> Result<Printed> {
    let mut positions = Positions::new(report.documents);
    let mut printed = Printed::default();
    let mut findings = report.diagnostics.borrow_mut();
    for diagnostic in &mut **findings {
        printed.findings += 1;
        let start = positions.position(&diagnostic.document, diagnostic.range.start);
        let end = positions.position(&diagnostic.document, diagnostic.range.end);
        let command = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info | Severity::Hint => "notice",
        };
        let mut message = diagnostic.message.clone();
        for related in &diagnostic.related {
            let at = positions.position(&related.document, related.range.start);
            message.push_str(&format!(
                "\n{}: {}:{}",
                related.message, related.document, at.line
            ));
        }
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&diagnostic.document),
            start.line,
            start.column,
            end.line,
            end.column,
            escape_property(&format!("{} ({})", diagnostic.code, diagnostic.rule)),
            escape_data(&message),
        )?;
    }
    Ok(printed)
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
