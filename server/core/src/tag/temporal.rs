//! Date and duration tagging with TIMEX3 normalisation, in English, Vietnamese, Polish and Korean.
//!
//! [`analyse_temporal`] finds every date and duration of a document, detects the document
//! creation time (DCT: a `Published:` line, a dateline, or the `dct` setting) and resolves
//! year-less dates against it. Each [`TemporalMention`] carries what an editor needs for a hover
//! or an inlay hint: the TIMEX3 value, the granularity, the weekday of a full date and how the
//! value was obtained ([`Resolution`]). [`tag_temporal`] reduces the analysis to the pipeline's
//! common [`EntitySpan`]s.
//!
//! The rules live in `temporal/grammar.rs` and their words, per language, in
//! `temporal/lexicon.rs`. What is deliberately not a date: relative expressions without a
//! calendar anchor (`recently`, `in the coming time`), ordinals (`the 33rd Anniversary`), digit
//! runs that belong to codes, versions, phone numbers or URLs (`Covid-19`, `3.8.0`).

mod calendar;
mod grammar;
mod lexicon;
#[cfg(test)]
mod tests;

pub use calendar::{Granularity, PartialDate, Weekday};

use super::tokens::Tokens;
use super::{EntityLabel, EntitySpan, TaggingConfig};
use crate::text::TextRange;
use grammar::Found;

/// Whether a mention is a point in time or an amount of time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TemporalKind {
    /// A calendar date or a range of dates (TIMEX3 DATE).
    Date,
    /// An amount of time (TIMEX3 DURATION).
    Duration,
}

/// How a date's value was obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Resolution {
    /// Everything in the value is written in the text (`October 17, 2016`), or the mention is a
    /// duration.
    Explicit,
    /// The year was missing and taken from the document creation time (`September 17th` in an
    /// article published on 2016-10-17 → `2016-09-17`).
    FromDct,
    /// The year comes from an earlier date of the document (`the same year`).
    FromEarlierMention,
    /// The year is missing and there is no DCT: the value keeps `XXXX` (`XXXX-09-17`).
    Underspecified,
}

impl Resolution {
    /// A short English description for hovers.
    pub fn describe(self) -> &'static str {
        match self {
            Resolution::Explicit => "explicit",
            Resolution::FromDct => "year from the document creation time",
            Resolution::FromEarlierMention => "year from an earlier date",
            Resolution::Underspecified => "year unknown (no document creation time)",
        }
    }
}

/// One date or duration with everything a hover needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemporalMention {
    /// Byte range of the mention (leading prepositions excluded).
    pub range: TextRange,
    /// Date or duration.
    pub kind: TemporalKind,
    /// The TIMEX3 value: `2016-10-17`, `XXXX-01-14/XXXX-01-18`, `2015/2019`, `P5Y`.
    pub value: String,
    /// The finest unit of the value.
    pub granularity: Granularity,
    /// How the value was obtained.
    pub resolution: Resolution,
    /// The (first) point of a date, after resolution; `None` for durations.
    pub start: Option<PartialDate>,
    /// The last point of a date range.
    pub end: Option<PartialDate>,
}

impl TemporalMention {
    /// The weekday of a single, complete date (`2016-10-17` → Monday).
    pub fn weekday(&self) -> Option<Weekday> {
        match (self.start, self.end) {
            (Some(start), None) => start.weekday(),
            _ => None,
        }
    }
}

/// Where the document creation time came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DctSource {
    /// The `dct` setting of the tagging configuration.
    Config,
    /// A date the document states as its publication date (`Published: October 17, 2016`, a
    /// dateline, a date alone on one of the first lines).
    Document,
}

/// The document creation time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DocumentCreationTime {
    /// The date (always a complete day).
    pub date: PartialDate,
    /// The mention that states it, when it comes from the document.
    pub range: Option<TextRange>,
    /// Where it came from.
    pub source: DctSource,
}

/// The temporal analysis of one document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TemporalAnalysis {
    /// The document creation time, when known.
    pub dct: Option<DocumentCreationTime>,
    /// All dates and durations, in text order.
    pub mentions: Vec<TemporalMention>,
}

impl TemporalAnalysis {
    /// The mention covering byte `offset` (for hovers).
    pub fn mention_at(&self, offset: u32) -> Option<&TemporalMention> {
        self.mentions
            .iter()
            .find(|m| m.range.start <= offset && offset < m.range.end)
    }
}

/// Finds dates and durations as the pipeline's common spans.
pub fn tag_temporal(text: &str, config: &TaggingConfig) -> Vec<EntitySpan> {
    tag_temporal_in(&Tokens::new(text), config)
}

/// [`tag_temporal`] over tokens the pipeline shares between taggers.
pub(crate) fn tag_temporal_in(tokens: &Tokens<'_>, config: &TaggingConfig) -> Vec<EntitySpan> {
    spans_of(analyse_tokens(tokens, config))
}

/// The pipeline's common spans of a temporal analysis.
pub(crate) fn spans_of(analysis: TemporalAnalysis) -> Vec<EntitySpan> {
    analysis
        .mentions
        .into_iter()
        .map(|mention| EntitySpan {
            range: mention.range,
            label: match mention.kind {
                TemporalKind::Date => EntityLabel::Date,
                TemporalKind::Duration => EntityLabel::Duration,
            },
            norm: Some(mention.value),
        })
        .collect()
}

/// Finds dates and durations with their TIMEX3 values, and the document creation time.
pub fn analyse_temporal(text: &str, config: &TaggingConfig) -> TemporalAnalysis {
    analyse_tokens(&Tokens::new(text), config)
}

/// Parses an ISO date (`2016-10-17`) as given in the `dct` setting.
pub fn parse_iso_date(text: &str) -> Option<PartialDate> {
    let mut parts = text.trim().splitn(3, '-');
    let year: u16 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    calendar::valid_day(Some(year), month, day).then(|| PartialDate::ymd(year, month, day))
}

pub(crate) fn analyse_tokens(tokens: &Tokens<'_>, config: &TaggingConfig) -> TemporalAnalysis {
    let matches = grammar::scan(tokens);
    let range_of = |m: &grammar::Match| {
        TextRange::new(tokens.tokens[m.first].start, tokens.tokens[m.last].end)
    };
    let dct = match config.dct.as_deref().and_then(parse_iso_date) {
        Some(date) => Some(DocumentCreationTime {
            date,
            range: None,
            source: DctSource::Config,
        }),
        None => detect_dct(tokens, &matches).map(|m| {
            let Found::Date { start, .. } = m.found else {
                unreachable!("detect_dct returns dates")
            };
            DocumentCreationTime {
                date: start,
                range: Some(range_of(m)),
                source: DctSource::Document,
            }
        }),
    };
    let mut mentions = Vec::with_capacity(matches.len());
    let mut last_year: Option<u16> = None;
    for m in &matches {
        let range = range_of(m);
        let mention = match &m.found {
            Found::Duration { value, granularity } => TemporalMention {
                range,
                kind: TemporalKind::Duration,
                value: value.clone(),
                granularity: *granularity,
                resolution: Resolution::Explicit,
                start: None,
                end: None,
            },
            Found::SameYear { offset } => {
                let Some(year) = last_year.and_then(|y| u16::try_from(y as i32 + offset).ok())
                else {
                    continue;
                };
                let start = PartialDate::year(year);
                TemporalMention {
                    range,
                    kind: TemporalKind::Date,
                    value: start.timex(),
                    granularity: Granularity::Year,
                    resolution: Resolution::FromEarlierMention,
                    start: Some(start),
                    end: None,
                }
            }
            Found::Date { start, end } => {
                let (start, end, resolution) = resolve(*start, *end, dct.map(|d| d.date));
                let value = match end {
                    Some(end) => format!("{}/{}", start.timex(), end.timex()),
                    None => start.timex(),
                };
                if !start.decade
                    && let Some(year) = end.and_then(|e| e.year).or(start.year)
                {
                    last_year = Some(year);
                }
                TemporalMention {
                    range,
                    kind: TemporalKind::Date,
                    value,
                    granularity: start.granularity(),
                    resolution,
                    start: Some(start),
                    end,
                }
            }
        };
        mentions.push(mention);
    }
    TemporalAnalysis { dct, mentions }
}

/// Gives year-less dates the year closest to the DCT.
fn resolve(
    start: PartialDate,
    end: Option<PartialDate>,
    dct: Option<PartialDate>,
) -> (PartialDate, Option<PartialDate>, Resolution) {
    if start.year.is_some() || start.decade {
        return (start, end, Resolution::Explicit);
    }
    let Some(dct) = dct else {
        return (start, end, Resolution::Underspecified);
    };
    let Some(year) = calendar::closest_year(start, dct) else {
        return (start, end, Resolution::Underspecified);
    };
    let start = PartialDate {
        year: Some(year),
        ..start
    };
    let end = end.map(|end| {
        let mut end = PartialDate {
            year: end.year.or(Some(year)),
            ..end
        };
        // A range that crosses New Year (`December 28 to January 3`).
        if (end.month, end.day) < (start.month, start.day) {
            end.year = end.year.map(|y| y + 1);
        }
        end
    });
    (start, end, Resolution::FromDct)
}

/// Cue words of a publication line, as token key sequences.
fn dct_cues() -> &'static [Vec<Box<str>>] {
    static CUES: std::sync::OnceLock<Vec<Vec<Box<str>>>> = std::sync::OnceLock::new();
    CUES.get_or_init(|| {
        lexicon::DCT_CUES
            .iter()
            .map(|cue| super::tokens::entry_words(cue))
            .collect()
    })
}

/// The first complete date the document states as its own: after a publication cue at the start
/// of its line (`Published: October 17, 2016`), alone on one of the first lines, or in a
/// dateline (`HANOI, October 17, 2016 —`).
fn detect_dct<'m>(
    tokens: &Tokens<'_>,
    matches: &'m [grammar::Match],
) -> Option<&'m grammar::Match> {
    const FIRST_LINES: usize = 10;
    let mut lines_seen = 0usize;
    let mut line_start = 0usize;
    let mut cursor = 0usize;
    for m in matches {
        // Advance the line count to the mention.
        while cursor <= m.first {
            if tokens.tokens[cursor].newline_before() {
                lines_seen += 1;
                line_start = cursor;
            }
            cursor += 1;
        }
        let Found::Date { start, end: None } = m.found else {
            continue;
        };
        if !start.is_complete_day() {
            continue;
        }
        let before: Vec<_> = (line_start..m.first).map(|i| tokens.key(i)).collect();
        let words: Vec<&str> = before
            .iter()
            .map(|k| k.as_ref())
            .filter(|k| !matches!(*k, ":" | "-" | "|" | "–"))
            .collect();
        let cue = dct_cues().iter().any(|cue| {
            cue.len() == words.len() && cue.iter().zip(&words).all(|(a, b)| a.as_ref() == *b)
        });
        let line_ends_after = tokens.get(m.last + 1).is_none_or(|t| t.newline_before());
        let alone = words.is_empty() && line_ends_after && lines_seen <= FIRST_LINES;
        let dash_after = ['-', '—', '–', '(']
            .iter()
            .any(|&ch| tokens.is_punct(m.last + 1, ch));
        let dateline = lines_seen <= FIRST_LINES
            && before.len() >= 2
            && before.last().is_some_and(|k| *k == ",")
            && (line_start..m.first - 1).all(|i| tokens.tokens[i].is_all_caps())
            && dash_after;
        if cue || alone || dateline {
            return Some(m);
        }
    }
    None
}
