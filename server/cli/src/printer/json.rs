//! JSON output (`--format json`): one document, versioned, with byte ranges and human positions.

use std::io::Write;

use anyhow::Result;
use gazette_core::diagnostic::Diagnostic;
use gazette_core::text::TextRange;
use serde_json::{Value, json};

use super::{Positions, Report};

/// Prints `report` as JSON.
pub fn print(out: &mut dyn Write, report: &Report<'_>) -> Result<()> {
    let mut positions = Positions::new(report.documents);
    let diagnostics: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|diagnostic| diagnostic_json(&mut positions, diagnostic))
        .collect();
    let value = json!({
        "version": 1,
        "documents_checked": report.checked,
        "fixed": report.fixed,
        "accepted_by_baseline": report.accepted,
        "diagnostics": diagnostics,
    });
    serde_json::to_writer_pretty(&mut *out, &value)?;
    writeln!(out)?;
    Ok(())
}

fn location(positions: &mut Positions<'_>, document: &str, range: TextRange) -> Value {
    let start = positions.position(document, range.start);
    let end = positions.position(document, range.end);
    json!({
        "document": document,
        "range": { "start": range.start, "end": range.end },
        "start": { "line": start.line, "column": start.column },
        "end": { "line": end.line, "column": end.column },
    })
}

fn diagnostic_json(positions: &mut Positions<'_>, diagnostic: &Diagnostic) -> Value {
    let mut value = location(positions, &diagnostic.document, diagnostic.range);
    let object = value.as_object_mut().expect("location is an object");
    object.insert("code".into(), diagnostic.code.into());
    object.insert("rule".into(), diagnostic.rule.into());
    object.insert("severity".into(), diagnostic.severity.as_str().into());
    object.insert("message".into(), diagnostic.message.clone().into());
    let related: Vec<Value> = diagnostic
        .related
        .iter()
        .map(|related| {
            let mut value = location(positions, &related.document, related.range);
            value["message"] = related.message.clone().into();
            value
        })
        .collect();
    object.insert("related".into(), related.into());
    let fix = diagnostic.fix.as_ref().map(|fix| {
        let edits: Vec<Value> = fix
            .edits
            .iter()
            .map(|edit| {
                let mut value = location(positions, &edit.document, edit.range);
                value["replacement"] = edit.replacement.clone().into();
                value
            })
            .collect();
        json!({
            "title": fix.title,
            "applicability": fix.applicability.as_str(),
            "edits": edits,
        })
    });
    object.insert("fix".into(), fix.unwrap_or(Value::Null));
    value
}
