//! SARIF 2.1.0 output (`--format sarif`) for code-scanning dashboards.
//!
//! Regions use 1-based lines and columns counted in Unicode code points (`columnKind`), plus
//! byte offsets. Artifact URIs are the document paths, percent-encoded, relative to the
//! directory `gazette check` ran in.

use std::io::Write;

use anyhow::Result;
use gazette_core::diagnostic::{Diagnostic, Severity};
use gazette_core::registry::RULES;
use gazette_core::text::TextRange;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Value, json};

use super::{Positions, Printed, Report, StreamedFindings, write_pretty_json};

/// Prints `report` as a SARIF 2.1.0 log.
pub fn print(out: &mut dyn Write, report: &Report<'_>) -> Result<Printed> {
    let results = StreamedFindings::new(report, result);
    write_pretty_json(out, &SarifLog(&results))?;
    Ok(results.printed())
}

/// The log, written field by field with its keys in sorted order (as a `Value` map has them),
/// so that results are converted one at a time as they arrive instead of as one tree.
struct SarifLog<'a, 'r, F>(&'a StreamedFindings<'a, 'r, F>);

impl<F: Fn(&mut Positions<'_>, &Diagnostic) -> Value> Serialize for SarifLog<'_, '_, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("$schema", "https://json.schemastore.org/sarif-2.1.0.json")?;
        map.serialize_entry("runs", &[SarifRun(self.0)])?;
        map.serialize_entry("version", "2.1.0")?;
        map.end()
    }
}

struct SarifRun<'a, 'r, F>(&'a StreamedFindings<'a, 'r, F>);

impl<F: Fn(&mut Positions<'_>, &Diagnostic) -> Value> Serialize for SarifRun<'_, '_, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("columnKind", "unicodeCodePoints")?;
        map.serialize_entry("results", self.0)?;
        map.serialize_entry("tool", &tool())?;
        map.end()
    }
}

/// The `tool` object: Gazette and every rule it has.
fn tool() -> Value {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|rule| {
            json!({
                "id": rule.code,
                "name": rule.name,
                "shortDescription": { "text": rule.summary },
                "fullDescription": { "text": rule.summary },
                "help": { "text": rule.explanation, "markdown": rule.explanation },
                "helpUri": rule.help_uri(),
                "defaultConfiguration": {
                    "enabled": rule.default_enabled,
                    "level": level(rule.default_severity),
                },
                "properties": {
                    "fixApplicability": rule.fix.map(|a| a.as_str()),
                },
            })
        })
        .collect();
    json!({
        "driver": {
            "name": "gazette",
            "version": env!("CARGO_PKG_VERSION"),
            "informationUri": "https://example.invalid/gazette",
            "rules": rules,
        }
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

fn region(positions: &mut Positions<'_>, document: &str, range: TextRange) -> Value {
    let start = positions.position(document, range.start);
    let end = positions.position(document, range.end);
    json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
        "byteOffset": range.start,
        "byteLength": range.len(),
    })
}

fn physical(positions: &mut Positions<'_>, document: &str, range: TextRange) -> Value {
    json!({
        "artifactLocation": { "uri": uri(document) },
        "region": region(positions, document, range),
    })
}

fn result(positions: &mut Positions<'_>, diagnostic: &Diagnostic) -> Value {
    let rule_index = RULES.iter().position(|rule| rule.code == diagnostic.code);
    let related: Vec<Value> = diagnostic
        .related
        .iter()
        .enumerate()
        .map(|(id, related)| {
            json!({
                "id": id,
                "physicalLocation": physical(positions, &related.document, related.range),
                "message": { "text": related.message },
            })
        })
        .collect();
    let mut value = json!({
        "ruleId": diagnostic.code,
        "ruleIndex": rule_index,
        "level": level(diagnostic.severity),
        "message": { "text": diagnostic.message },
        "locations": [{
            "physicalLocation": physical(positions, &diagnostic.document, diagnostic.range),
        }],
        "relatedLocations": related,
    });
    if let Some(fix) = &diagnostic.fix {
        let changes: Vec<Value> = fix
            .edits
            .iter()
            .map(|edit| {
                json!({
                    "artifactLocation": { "uri": uri(&edit.document) },
                    "replacements": [{
                        "deletedRegion": region(positions, &edit.document, edit.range),
                        "insertedContent": { "text": edit.replacement },
                    }],
                })
            })
            .collect();
        value["fixes"] = json!([{
            "description": { "text": format!("{} ({})", fix.title, fix.applicability.as_str()) },
            "artifactChanges": changes,
        }]);
    }
    value
}

/// A document key as a relative URI reference: unreserved characters and `/` stay, every other
/// byte (spaces, non-ASCII letters) is percent-encoded.
pub fn uri(document: &str) -> String {
    let mut encoded = String::with_capacity(document.len());
    for byte in document.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}
