//! Locality tagging against the gazetteer (placeholder until the gazetteer lands).

use super::{EntitySpan, TaggingConfig};

/// Finds locality mentions. `earlier` holds the spans of taggers that ran before (dates).
pub fn tag_localities(
    _text: &str,
    _earlier: &[EntitySpan],
    _config: &TaggingConfig,
) -> Vec<EntitySpan> {
    Vec::new()
}
