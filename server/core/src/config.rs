//! Configuration (`gazette.toml`, LSP settings): plain data, parsed from text, schema-generated.
//!
//! Parsing happens here from a `&str` so that the CLI and the language server report the same
//! errors; reading the file is the caller's job.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The whole configuration of a corpus, as written in `gazette.toml`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Entity tagging (localities, dates, persons, organisations).
    pub tagging: crate::tag::TaggingConfig,
}
