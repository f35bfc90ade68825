//! Entity tagging: localities, persons, organisations, dates and durations, inline in plain text.
//!
//! Each tagger lives in its own module and returns [`EntitySpan`]s with byte ranges; this module
//! runs them in order and merges their output into one sorted list per document. Nested spans of
//! different labels are allowed (a locality inside an organisation name); spans of the same label
//! never nest.
//!
//! The pipeline order matters: dates first (so that "October" in a date is never a place), then
//! localities, then persons and organisations, which see the earlier spans as evidence (a
//! locality inside an organisation name, a person name that is not a commune).

pub mod locality;
pub mod names;
pub mod temporal;
mod tokens;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::text::TextRange;

/// The entity labels Gazette produces, as written in `gazette tag` output and in annotation files.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum EntityLabel {
    /// A locality: country, region, province, city, district, commune.
    Loc,
    /// A person.
    Per,
    /// An organisation.
    Org,
    /// A calendar date or range of dates (TIMEX3 DATE).
    Date,
    /// A duration (TIMEX3 DURATION).
    Duration,
}

impl EntityLabel {
    /// The label as written in output (`LOC`, `PER`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            EntityLabel::Loc => "LOC",
            EntityLabel::Per => "PER",
            EntityLabel::Org => "ORG",
            EntityLabel::Date => "DATE",
            EntityLabel::Duration => "DURATION",
        }
    }
}

/// One tagged mention.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EntitySpan {
    /// Byte range of the mention in the document text.
    pub range: TextRange,
    /// What the mention is.
    pub label: EntityLabel,
    /// The normalised value: a gazetteer id for `LOC` (`VN:da-nang`), a TIMEX3 value for `DATE`
    /// and `DURATION` (`2016-10-17`, `2015/2019`, `P5Y`), a slug key for `PER` and `ORG`.
    pub norm: Option<String>,
}

/// Settings for the taggers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct TaggingConfig {
    /// The document creation time (`2016-10-17`) used to resolve year-less dates such as
    /// `September 17th`. When unset, the date taggers detect it from the document (a
    /// `Published:` line, a dateline). Callers set it per document (e.g. from a glob in
    /// `gazette.toml`).
    pub dct: Option<String>,
}

/// Everything the taggers found in one document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocumentTags {
    /// All spans, sorted by start, then by longer first, then by label.
    pub spans: Vec<EntitySpan>,
}

/// Tags one document with the built-in gazetteer. Never fails: text the taggers do not
/// understand yields fewer spans.
pub fn tag_document(text: &str, config: &TaggingConfig) -> DocumentTags {
    tag_document_with(text, config, locality::LocalityTagger::builtin())
}

/// Tags one document with a given locality tagger (the built-in gazetteer plus a user's
/// entries: build the [`locality::LocalityTagger`] once and reuse it for every document).
pub fn tag_document_with(
    text: &str,
    config: &TaggingConfig,
    localities: &locality::LocalityTagger,
) -> DocumentTags {
    // One scan of the text serves all three taggers (the localities' tokens are derived from it).
    let tokens = tokens::Tokens::with_folded(text);
    let temporal = temporal::analyse_tokens(&tokens, config);
    // Places are linked in the form they had on the document's date (Quảng Nam before and
    // after the 2025 reform).
    let dct = temporal.dct.map(|dct| dct.date.timex());
    let mut spans = temporal::spans_of(temporal);
    let localities = localities.tag_tokens(text, &tokens.folded, &spans, dct.as_deref());
    spans.extend(localities);
    let names = names::tag_names_in(&tokens, &spans, config);
    spans.extend(names);
    spans.sort_by(|a, b| {
        (a.range.start, std::cmp::Reverse(a.range.end), a.label).cmp(&(
            b.range.start,
            std::cmp::Reverse(b.range.end),
            b.label,
        ))
    });
    spans.dedup();
    DocumentTags { spans }
}
