//! Person and organisation tagging (placeholder until the name taggers land).

use super::{EntitySpan, TaggingConfig};

/// Finds persons and organisations; `earlier` holds dates and localities already found.
pub fn tag_names(_text: &str, _earlier: &[EntitySpan], _config: &TaggingConfig) -> Vec<EntitySpan> {
    Vec::new()
}
