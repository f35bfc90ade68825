//! Entity tagging: localities, persons, organisations, dates and durations, inline in plain text.
//!
//! Each tagger lives in its own module and returns [`EntitySpan`]s with byte ranges; this module
//! merges them into one sorted list for a document. Nested spans of different labels are allowed
//! (a locality inside an organisation name), spans of the same label never nest.

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
pub struct TaggingConfig {}
