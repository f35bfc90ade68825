//! The report's dates: a timeline of the dates the documents mention (by year), the ranges they
//! span, every distinct TIMEX3 value, and the documents ordered by creation date (DCT).

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use super::DocumentFacts;
use crate::tag::EntityLabel;

/// Dates mentioned and documents by creation date.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatesSection {
    /// DATE mentions.
    pub mentions: u32,
    /// Those whose year is unknown (`XXXX-09-17`): not on the timeline.
    pub underspecified: u32,
    /// Mentions per year of their start, oldest first (years with mentions only).
    pub years: Vec<YearCount>,
    /// Dates that span several years (`2015/2019`), by start.
    pub ranges: Vec<YearRange>,
    /// Every distinct value, in chronological order of the value's text.
    pub values: Vec<DateValue>,
    /// Documents by creation date (oldest first; documents without one last).
    pub creation: Vec<DocumentDate>,
}

/// Date mentions starting in one year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearCount {
    /// The year.
    pub year: u16,
    /// Mentions starting in it.
    pub mentions: u32,
    /// Documents with such a mention.
    pub documents: u32,
}

/// A mentioned date that spans several years.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearRange {
    /// The TIMEX3 value (`2015/2019`).
    pub value: String,
    /// First year.
    pub start: u16,
    /// Last year.
    pub end: u16,
    /// Mentions of this value.
    pub mentions: u32,
}

/// One distinct date value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateValue {
    /// The TIMEX3 value.
    pub value: String,
    /// How it was written, first form seen.
    pub example: String,
    /// Mentions.
    pub mentions: u32,
    /// Documents.
    pub documents: u32,
}

/// A document's creation date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentDate {
    /// Document key.
    pub document: String,
    /// Link to the file.
    pub href: String,
    /// The DCT (`2016-10-17`), when known.
    pub date: Option<String>,
    /// True when the configuration set it rather than the text.
    pub from_config: bool,
}

/// The first and last year of a TIMEX3 date value (`2015/2019` → 2015, 2019; `199` → 1990,
/// 1999; `XXXX-09-17` → none).
pub fn years_of(value: &str) -> Option<(u16, u16)> {
    let mut parts = value.split('/');
    let start = parts.next().and_then(point_years)?;
    let end = parts.next().and_then(point_years).unwrap_or(start);
    Some((start.0.min(end.0), start.1.max(end.1)))
}

/// The years one TIMEX3 point covers.
fn point_years(point: &str) -> Option<(u16, u16)> {
    let digits: String = point.chars().take_while(char::is_ascii_digit).collect();
    match digits.len() {
        n if n >= 4 => {
            let year: u16 = digits[..4].parse().ok()?;
            Some((year, year))
        }
        3 if point.len() == 3 => {
            let decade: u16 = digits.parse().ok()?;
            Some((decade * 10, decade * 10 + 9))
        }
        _ => None,
    }
}

/// Builds the dates section from every document's facts.
pub fn section(facts: &[DocumentFacts]) -> DatesSection {
    let mut section = DatesSection::default();
    let mut years: BTreeMap<u16, (u32, HashSet<usize>)> = BTreeMap::new();
    let mut values: BTreeMap<&str, (&str, u32, HashSet<usize>)> = BTreeMap::new();
    let mut ranges: BTreeMap<(u16, u16, &str), u32> = BTreeMap::new();
    for (i, fact) in facts.iter().enumerate() {
        for mention in fact
            .mentions
            .iter()
            .filter(|m| m.label == EntityLabel::Date)
        {
            section.mentions += 1;
            let value = values
                .entry(mention.norm.as_str())
                .or_insert_with(|| (mention.surface.as_str(), 0, HashSet::new()));
            value.1 += 1;
            value.2.insert(i);
            match years_of(&mention.norm) {
                Some((start, end)) => {
                    let year = years.entry(start).or_default();
                    year.0 += 1;
                    year.1.insert(i);
                    if end > start {
                        *ranges
                            .entry((start, end, mention.norm.as_str()))
                            .or_default() += 1;
                    }
                }
                None => section.underspecified += 1,
            }
        }
    }
    section.years = years
        .into_iter()
        .map(|(year, (mentions, documents))| YearCount {
            year,
            mentions,
            documents: documents.len() as u32,
        })
        .collect();
    section.ranges = ranges
        .into_iter()
        .map(|((start, end, value), mentions)| YearRange {
            value: value.to_owned(),
            start,
            end,
            mentions,
        })
        .collect();
    section.values = values
        .into_iter()
        .map(|(value, (example, mentions, documents))| DateValue {
            value: value.to_owned(),
            example: example.to_owned(),
            mentions,
            documents: documents.len() as u32,
        })
        .collect();
    let mut creation: Vec<DocumentDate> = facts
        .iter()
        .filter(|fact| fact.problem.is_none())
        .map(|fact| DocumentDate {
            document: fact.key.clone(),
            href: fact.href.clone(),
            date: fact.dct.as_ref().map(|(date, _)| date.clone()),
            from_config: fact.dct.as_ref().is_some_and(|(_, config)| *config),
        })
        .collect();
    creation.sort_by(|a, b| {
        (a.date.is_none(), &a.date, &a.document).cmp(&(b.date.is_none(), &b.date, &b.document))
    });
    section.creation = creation;
    section
}
