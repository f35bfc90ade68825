//! JSON output (`--format json`): one document, versioned, with byte ranges and human positions.

use std::io::Write;

use anyhow::Result;
use gazette_core::diagnostic::Diagnostic;
use gazette_core::text::TextRange;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Value, json};

use super::{Positions, Printed, Report, StreamedFindings, write_pretty_json};

/// Prints `report` as JSON.
pub fn print(out: &mut dyn Write, report: &Report<'_>) -> Result<Printed> {
    let findings = StreamedFindings::new(report, diagnostic_json);
    write_pretty_json(out, &JsonReport(report, &findings))?;
    Ok(findings.printed())
}

/// The whole report, written field by field (keys in sorted order, as a `Value` map would have
/// them) so that diagnostics are converted to JSON one at a time as they arrive: building one
/// `Value` tree of 100,000 findings took 2 GB (tests/hostile.rs).
struct JsonReport<'a, 'r, F>(&'a Report<'r>, &'a StreamedFindings<'a, 'r, F>);

impl<F: Fn(&mut Positions<'_>, &Diagnostic) -> Value> Serialize for JsonReport<'_, '_, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        let mut map = serializer.serialize_map(Some(5))?;
        map.serialize_entry("accepted_by_baseline", &report.accepted)?;
        map.serialize_entry("diagnostics", self.1)?;
        map.serialize_entry("documents_checked", &report.checked)?;
        map.serialize_entry("fixed", &report.fixed)?;
        map.serialize_entry("version", &1)?;
        map.end()
    }
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
