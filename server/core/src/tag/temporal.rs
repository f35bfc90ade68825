//! Date and duration tagging with TIMEX3 normalisation (placeholder until the date grammar lands).

use super::{EntitySpan, TaggingConfig};

/// Finds dates and durations.
pub fn tag_temporal(_text: &str, _config: &TaggingConfig) -> Vec<EntitySpan> {
    Vec::new()
}
