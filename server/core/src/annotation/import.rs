//! Reading spans back from exchange formats: JSONL (Gazette, spaCy/doccano styles) and brat.
//!
//! Offsets in these formats are code points; they are checked against the document text and
//! converted to byte ranges. A span that does not fit the text is an error naming the line, not
//! a silently shifted annotation.

use std::collections::HashMap;

use serde_json::Value;

use super::CodePointIndex;
use crate::tag::{EntityLabel, EntitySpan};
use crate::text::TextRange;

/// Why an import failed: the line of the input and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    /// 1-based line of the input file.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ImportError {}

/// Parses a label name as written by Gazette, brat or common NER tools (`LOC`, `GPE`, `PERSON`...).
pub fn parse_label(name: &str) -> Option<EntityLabel> {
    match name.to_ascii_uppercase().as_str() {
        "LOC" | "LOCATION" | "GPE" | "PLACE" | "PLACENAME" => Some(EntityLabel::Loc),
        "PER" | "PERSON" | "PERSNAME" => Some(EntityLabel::Per),
        "ORG" | "ORGANIZATION" | "ORGANISATION" | "ORGNAME" => Some(EntityLabel::Org),
        "DATE" | "TIMEX" | "TIMEX3" => Some(EntityLabel::Date),
        "DURATION" => Some(EntityLabel::Duration),
        _ => None,
    }
}

fn span_from_code_points(
    index: &CodePointIndex,
    start: usize,
    end: usize,
    label: EntityLabel,
    norm: Option<String>,
    line: usize,
) -> Result<EntitySpan, ImportError> {
    let error = |message: String| ImportError { line, message };
    if start > end {
        return Err(error(format!("span {start}..{end} ends before it starts")));
    }
    let (Some(start_byte), Some(end_byte)) = (index.to_byte(start), index.to_byte(end)) else {
        return Err(error(format!(
            "span {start}..{end} lies outside the document text"
        )));
    };
    Ok(EntitySpan {
        range: TextRange::new(start_byte as u32, end_byte as u32),
        label,
        norm,
    })
}

/// Reads one JSONL line: Gazette's `spans` objects, doccano's `label: [[s, e, "LOC"]]` or
/// `entities: [{start_offset, end_offset, label}]`. Returns the `doc` field when present.
pub fn from_jsonl_line(
    line_text: &str,
    text: &str,
    line: usize,
) -> Result<(Option<String>, Vec<EntitySpan>), ImportError> {
    let error = |message: String| ImportError { line, message };
    let value: Value =
        serde_json::from_str(line_text).map_err(|e| error(format!("not JSON: {e}")))?;
    let document = value.get("doc").and_then(Value::as_str).map(str::to_owned);
    let index = CodePointIndex::new(text);
    let mut spans = Vec::new();
    let label_of = |name: Option<&str>| -> Result<EntityLabel, ImportError> {
        let name = name.ok_or_else(|| error("a span has no label".into()))?;
        parse_label(name).ok_or_else(|| error(format!("unknown label `{name}`")))
    };
    let offset = |v: Option<&Value>, what: &str| -> Result<usize, ImportError> {
        v.and_then(Value::as_u64)
            .map(|n| n as usize)
            .ok_or_else(|| error(format!("a span has no numeric `{what}`")))
    };
    if let Some(items) = value.get("spans").and_then(Value::as_array) {
        for item in items {
            let norm = item.get("norm").and_then(Value::as_str).map(str::to_owned);
            let label = label_of(item.get("label").and_then(Value::as_str))?;
            spans.push(span_from_code_points(
                &index,
                offset(item.get("start"), "start")?,
                offset(item.get("end"), "end")?,
                label,
                norm,
                line,
            )?);
        }
    } else if let Some(items) = value.get("entities").and_then(Value::as_array) {
        for item in items {
            let label = label_of(item.get("label").and_then(Value::as_str))?;
            spans.push(span_from_code_points(
                &index,
                offset(item.get("start_offset"), "start_offset")?,
                offset(item.get("end_offset"), "end_offset")?,
                label,
                None,
                line,
            )?);
        }
    } else if let Some(items) = value.get("label").and_then(Value::as_array) {
        for item in items {
            let triple = item
                .as_array()
                .filter(|t| t.len() >= 3)
                .ok_or_else(|| error("a `label` entry is not [start, end, label]".into()))?;
            let label = label_of(triple[2].as_str())?;
            spans.push(span_from_code_points(
                &index,
                offset(triple.first(), "start")?,
                offset(triple.get(1), "end")?,
                label,
                None,
                line,
            )?);
        }
    }
    Ok((document, spans))
}

/// Reads a brat `.ann` file against its text: `T` lines (discontinuous fragments are joined into
/// one span from the first start to the last end) and `N` lines as norms (`DB:ID`, the `Gazette`
/// database prefix is removed). Other lines (relations, events, attributes, notes) are skipped.
pub fn from_brat(ann: &str, text: &str) -> Result<Vec<EntitySpan>, ImportError> {
    let index = CodePointIndex::new(text);
    let mut spans: Vec<(String, EntitySpan, usize)> = Vec::new();
    let mut norms: HashMap<String, String> = HashMap::new();
    for (number, raw) in ann.lines().enumerate() {
        let line = number + 1;
        let error = |message: String| ImportError { line, message };
        let raw = raw.trim_end_matches('\r');
        if raw.starts_with('T') {
            let mut columns = raw.splitn(3, '\t');
            let id = columns.next().unwrap_or_default().to_owned();
            let middle = columns
                .next()
                .ok_or_else(|| error("a `T` line needs a tab-separated type and offsets".into()))?;
            let surface = columns.next();
            let (kind, offsets) = middle
                .split_once(' ')
                .ok_or_else(|| error("a `T` line needs `TYPE START END`".into()))?;
            let label =
                parse_label(kind).ok_or_else(|| error(format!("unknown entity type `{kind}`")))?;
            let mut numbers = offsets
                .split([' ', ';'])
                .filter(|s| !s.is_empty())
                .map(|s| s.parse::<usize>());
            let first = numbers.next().and_then(Result::ok);
            let last = numbers.last().and_then(Result::ok);
            let (Some(start), Some(end)) = (first, last) else {
                return Err(error(format!("bad offsets `{offsets}`")));
            };
            let span = span_from_code_points(&index, start, end, label, None, line)?;
            if let Some(surface) = surface {
                let actual = text[span.range.to_usize()].replace(['\n', '\r'], " ");
                if actual != surface && !surface.is_empty() {
                    return Err(error(format!(
                        "text `{surface}` does not match the document at {start}..{end} (`{actual}`)"
                    )));
                }
            }
            spans.push((id, span, line));
        } else if raw.starts_with('N') {
            let columns: Vec<&str> = raw.split('\t').collect();
            let reference = columns
                .get(1)
                .ok_or_else(|| error("an `N` line needs `Reference T<n> DB:ID`".into()))?;
            let parts: Vec<&str> = reference.split(' ').collect();
            if parts.len() < 3 {
                return Err(error("an `N` line needs `Reference T<n> DB:ID`".into()));
            }
            let id = parts[2].strip_prefix("Gazette:").unwrap_or(parts[2]);
            norms.insert(parts[1].to_owned(), id.to_owned());
        }
    }
    Ok(spans
        .into_iter()
        .map(|(id, mut span, _)| {
            span.norm = norms.remove(&id);
            span
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::export::{to_brat, to_jsonl_line};

    /// Astral characters and NFD text are where other tools get offsets wrong.
    const TEXT: &str = "👋🏽 Đa\u{300} Nă\u{303}ng and 대구 on 2016년 10월 17일.\nHue.";

    fn spans() -> Vec<EntitySpan> {
        let at = |needle: &str, label, norm: Option<&str>| {
            let start = TEXT.find(needle).unwrap() as u32;
            EntitySpan {
                range: TextRange::new(start, start + needle.len() as u32),
                label,
                norm: norm.map(str::to_owned),
            }
        };
        vec![
            at(
                "Đa\u{300} Nă\u{303}ng",
                EntityLabel::Loc,
                Some("VN:da-nang"),
            ),
            at("대구", EntityLabel::Loc, Some("KR:daegu")),
            at("2016년 10월 17일", EntityLabel::Date, Some("2016-10-17")),
            at("Hue", EntityLabel::Loc, None),
        ]
    }

    #[test]
    fn brat_round_trips_with_astral_and_nfd_text() {
        let ann = to_brat(TEXT, &spans());
        assert_eq!(from_brat(&ann, TEXT).unwrap(), spans());
    }

    #[test]
    fn jsonl_round_trips_with_astral_and_nfd_text() {
        let line = to_jsonl_line("d.txt", TEXT, &spans());
        let (document, imported) = from_jsonl_line(&line, TEXT, 1).unwrap();
        assert_eq!(document.as_deref(), Some("d.txt"));
        assert_eq!(imported, spans());
    }

    #[test]
    fn doccano_label_triples_are_read() {
        let (_, imported) =
            from_jsonl_line(r#"{"text": "Hue x", "label": [[0, 3, "GPE"]]}"#, "Hue x", 1).unwrap();
        assert_eq!(
            imported,
            vec![EntitySpan {
                range: TextRange::new(0, 3),
                label: EntityLabel::Loc,
                norm: None
            }]
        );
    }

    #[test]
    fn bad_input_is_reported_with_its_line() {
        let error = from_brat("T1\tLOC 0 3\tHue\nT2\tLOC 5 900\tfar", "Hue x").unwrap_err();
        assert_eq!(error.line, 2);
        let error = from_brat("T1\tLOC 0 3\tNot", "Hue x").unwrap_err();
        assert!(error.message.contains("does not match"), "{error}");
        let error = from_jsonl_line("{", "x", 7).unwrap_err();
        assert_eq!(error.line, 7);
        let error = from_jsonl_line(
            r#"{"spans": [{"start": 0, "end": 1, "label": "FOOD"}]}"#,
            "x",
            1,
        )
        .unwrap_err();
        assert!(error.message.contains("unknown label"));
    }
}
