//! JSON output (`--format json`): one document, versioned, with byte ranges and human positions.

use std::io::Write;

use anyhow::Result;
use gazette_core::diagnostic::Diagnostic;
use gazette_core::text::TextRange;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Value, json};

use super::{Positions, Report};

/// Prints `report` as JSON.
pub fn print(out: &mut dyn Write, report: &Report<'_>) -> Result<()> {
    // `io::Error::from` keeps the kind of an IO failure, so that a reader that went away
    // (`gazette check --format json | head`) is recognised as a broken pipe, not an error.
    serde_json::to_writer_pretty(&mut *out, &JsonReport(report)).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

/// The whole report, written field by field (keys in sorted order, as a `Value` map would have
/// them) so that diagnostics are converted to JSON one at a time: building one `Value` tree of
/// 100,000 findings took 2 GB (tests/hostile.rs).
struct JsonReport<'a, 'r>(&'a Report<'r>);

impl Serialize for JsonReport<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        let mut map = serializer.serialize_map(Some(5))?;
        map.serialize_entry("accepted_by_baseline", &report.accepted)?;
        map.serialize_entry("diagnostics", &JsonDiagnostics(report))?;
        map.serialize_entry("documents_checked", &report.checked)?;
        map.serialize_entry("fixed", &report.fixed)?;
        map.serialize_entry("version", &1)?;
        map.end()
    }
}

struct JsonDiagnostics<'a, 'r>(&'a Report<'r>);

impl Serialize for JsonDiagnostics<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut positions = Positions::new(self.0.documents);
        serializer.collect_seq(
            self.0
                .diagnostics
                .iter()
                .map(|diagnostic| diagnostic_json(&mut positions, diagnostic)),
        )
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
