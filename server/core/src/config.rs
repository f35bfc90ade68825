//! Configuration (`gazette.toml`, LSP settings): plain data, parsed from text, schema-generated.
//!
//! Parsing happens here from a `&str` so that the CLI and the language server report the same
//! errors; reading the file is the caller's job. Every section has defaults, so an empty file
//! (or no file) is a valid configuration.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostic::Severity;
use crate::paragraph::Layout;

/// The whole configuration of a corpus, as written in `gazette.toml`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Entity tagging (localities, dates, persons, organisations).
    pub tagging: crate::tag::TaggingConfig,
    /// Which files belong to the corpus.
    pub files: FilesConfig,
    /// How documents are cut into paragraphs and which paragraphs count.
    pub paragraphs: ParagraphsConfig,
    /// Per-rule settings.
    pub rules: RulesConfig,
    /// Rules to ignore in some files: a glob (relative to the directory holding `gazette.toml`)
    /// mapped to rule codes or names, e.g. `"archive/**" = ["GZ003"]`.
    pub per_path_ignores: BTreeMap<String, Vec<String>>,
    /// A baseline file (relative to `gazette.toml`) listing accepted findings: `gazette check`
    /// fails only on findings that are not in it. Written by `gazette check --write-baseline`.
    pub baseline: Option<String>,
    /// A user gazetteer file (JSON, schema in `schema/gazetteer.schema.json`), relative to
    /// `gazette.toml`: places added to the built-in gazetteer (communes such as Tam Ngọc), or
    /// replacing built-in entries with the same id. `gazette tag` and the language server link
    /// mentions to them (go to definition opens the entry); `gazette check` reports a file
    /// that cannot be read or parsed.
    pub gazetteer: Option<String>,
    /// Document creation times by path, for documents that do not state their date: the first
    /// entry whose globs match a document sets its `tagging.dct`, e.g.
    /// `[[document-dates]]` with `paths = ["archive/2016-10-17/**"]` and `dct = "2016-10-17"`.
    pub document_dates: Vec<DocumentDate>,
}

/// The document creation time of the documents matching some globs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DocumentDate {
    /// Globs relative to the directory holding `gazette.toml`.
    pub paths: Vec<String>,
    /// The date (`YYYY-MM-DD`) year-less dates of these documents are resolved against.
    pub dct: String,
}

/// Which files belong to the corpus.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct FilesConfig {
    /// Globs of documents to check, relative to the directory holding `gazette.toml`.
    pub include: Vec<String>,
    /// Globs of paths to skip (matched against files and directories).
    pub exclude: Vec<String>,
    /// Documents larger than this many bytes are reported as unreadable and skipped.
    pub max_size_bytes: u64,
}

impl Default for FilesConfig {
    fn default() -> Self {
        FilesConfig {
            include: vec!["**/*.txt".to_owned()],
            exclude: Vec::new(),
            max_size_bytes: crate::text::DEFAULT_MAX_DOCUMENT_BYTES,
        }
    }
}

/// How documents are cut into paragraphs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ParagraphsConfig {
    /// `auto` (decide per document), `blocks` (blank-line-separated blocks) or `lines` (one
    /// paragraph per line).
    pub layout: Layout,
    /// Paragraphs with fewer words are never exact duplicates (a lone ".", a one-word line).
    pub min_words: u32,
}

impl Default for ParagraphsConfig {
    fn default() -> Self {
        ParagraphsConfig {
            layout: Layout::Auto,
            min_words: 3,
        }
    }
}

/// Settings shared by every rule.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleConfig {
    /// Turns the rule on or off (each rule documents its default).
    pub enabled: Option<bool>,
    /// Overrides the rule's default severity.
    pub severity: Option<Severity>,
}

/// Settings of the near-duplicate rule (GZ003).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct NearDuplicateConfig {
    /// Turns the rule on or off (on by default).
    pub enabled: Option<bool>,
    /// Overrides the rule's default severity.
    pub severity: Option<Severity>,
    /// Minimum estimated Jaccard similarity of word shingles, between 0 and 1.
    pub threshold: f64,
    /// Paragraphs with fewer words are not compared.
    pub min_words: u32,
    /// Words per shingle.
    pub shingle_words: u32,
}

impl Default for NearDuplicateConfig {
    fn default() -> Self {
        NearDuplicateConfig {
            enabled: None,
            severity: None,
            threshold: 0.6,
            min_words: 8,
            shingle_words: 2,
        }
    }
}

/// Per-rule settings, by rule name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RulesConfig {
    /// GZ001: a paragraph repeated inside one document.
    pub duplicate_paragraph: RuleConfig,
    /// GZ002: a paragraph repeated across documents.
    pub cross_document_duplicate: RuleConfig,
    /// GZ003: a paragraph nearly equal to another one.
    pub near_duplicate: NearDuplicateConfig,
    /// GZ004: a line holding only punctuation.
    pub lone_punctuation: RuleConfig,
    /// GZ900: a document that cannot be read as text.
    pub unreadable_document: RuleConfig,
}

impl RulesConfig {
    /// The shared settings of the rule named `name`.
    pub fn get(&self, name: &str) -> RuleConfig {
        match name {
            "duplicate-paragraph" => self.duplicate_paragraph.clone(),
            "cross-document-duplicate" => self.cross_document_duplicate.clone(),
            "near-duplicate" => RuleConfig {
                enabled: self.near_duplicate.enabled,
                severity: self.near_duplicate.severity,
            },
            "lone-punctuation" => self.lone_punctuation.clone(),
            "unreadable-document" => self.unreadable_document.clone(),
            _ => RuleConfig::default(),
        }
    }
}

/// A configuration that cannot be used, with the position of the problem when known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// 1-based line of the problem, when known.
    pub line: Option<u32>,
    /// 1-based column of the problem, when known.
    pub column: Option<u32>,
    /// What is wrong, as a sentence fragment without a trailing period.
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "{line}:{column}: {}", self.message),
            (Some(line), None) => write!(f, "{line}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Parses and validates the text of a `gazette.toml`.
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|error| {
            let (line, column) = match error.span() {
                Some(span) => {
                    let position = line_column(text, span.start);
                    (Some(position.0), Some(position.1))
                }
                None => (None, None),
            };
            ConfigError {
                line,
                column,
                message: error.message().trim_end_matches('\n').to_owned(),
            }
        })?;
        config.validate(text)?;
        Ok(config)
    }

    /// Checks the values serde cannot check: ranges, globs and rule names. `text` is the source,
    /// used to point at the offending line.
    pub fn validate(&self, text: &str) -> Result<(), ConfigError> {
        let error_at = |needle: &str, message: String| {
            let line = text.find(needle).map(|offset| line_column(text, offset).0);
            ConfigError {
                line,
                column: None,
                message,
            }
        };
        let near = &self.rules.near_duplicate;
        if !(near.threshold > 0.0 && near.threshold <= 1.0) {
            return Err(error_at(
                "threshold",
                format!(
                    "`rules.near-duplicate.threshold` must be in (0, 1], not {}",
                    near.threshold
                ),
            ));
        }
        if near.shingle_words == 0 || near.shingle_words > 8 {
            return Err(error_at(
                "shingle-words",
                "`rules.near-duplicate.shingle-words` must be between 1 and 8".to_owned(),
            ));
        }
        let dcts = self
            .tagging
            .dct
            .iter()
            .chain(self.document_dates.iter().map(|entry| &entry.dct));
        for dct in dcts {
            if crate::tag::temporal::parse_iso_date(dct).is_none() {
                return Err(error_at(
                    dct,
                    format!("`{dct}` is not a date: write a day as YYYY-MM-DD"),
                ));
            }
        }
        let globs = self
            .files
            .include
            .iter()
            .chain(&self.files.exclude)
            .chain(self.per_path_ignores.keys())
            .chain(self.document_dates.iter().flat_map(|entry| &entry.paths));
        for glob in globs {
            // Compiled here, not only parsed: a glob whose automaton exceeds globset's size
            // limit must be a configuration error, not a failure later.
            if let Err(error) = compile_glob(glob) {
                return Err(error_at(glob, error.message));
            }
        }
        for codes in self.per_path_ignores.values() {
            for code in codes {
                if crate::registry::rule(code).is_none() {
                    return Err(error_at(
                        code,
                        format!("unknown rule `{code}` in `per-path-ignores`"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// True when the settings that shape document summaries differ, so that every document
    /// must be summarised again after switching from `self` to `other`.
    pub fn summaries_differ(&self, other: &Config) -> bool {
        self.paragraphs.layout != other.paragraphs.layout
            || self.rules.near_duplicate.min_words != other.rules.near_duplicate.min_words
            || self.rules.near_duplicate.shingle_words != other.rules.near_duplicate.shingle_words
    }
}

/// The path-based parts of a configuration, compiled: which files are documents and which rules
/// are ignored where. Paths are relative to the configuration's directory, with `/` separators.
#[derive(Clone, Debug)]
pub struct PathRules {
    include: globset::GlobSet,
    exclude: globset::GlobSet,
    ignores: Vec<(globset::GlobSet, Vec<&'static str>)>,
    document_dates: Vec<(globset::GlobSet, String)>,
}

impl PathRules {
    /// Compiles the globs of `config` (already validated by [`Config::from_toml`]).
    pub fn new(config: &Config) -> Result<PathRules, ConfigError> {
        let build = |globs: &[String]| {
            let mut builder = globset::GlobSetBuilder::new();
            for glob in globs {
                builder.add(parse_glob(glob)?);
            }
            builder.build().map_err(|_| ConfigError {
                line: None,
                column: None,
                message: format!(
                    "the globs {} are too large to compile together",
                    shown(&globs.join(", "))
                ),
            })
        };
        let mut ignores = Vec::new();
        for (glob, codes) in &config.per_path_ignores {
            let codes = codes
                .iter()
                .filter_map(|code| crate::registry::rule(code).map(|rule| rule.code))
                .collect();
            ignores.push((compile_glob(glob)?, codes));
        }
        let document_dates = config
            .document_dates
            .iter()
            .map(|entry| Ok((build(&entry.paths)?, entry.dct.clone())))
            .collect::<Result<_, ConfigError>>()?;
        Ok(PathRules {
            include: build(&config.files.include)?,
            exclude: build(&config.files.exclude)?,
            ignores,
            document_dates,
        })
    }

    /// The tagging settings of the document at `relative_path`: `tagging` with the creation time
    /// of the first `document-dates` entry that matches it.
    pub fn tagging_for(
        &self,
        tagging: &crate::tag::TaggingConfig,
        relative_path: &str,
    ) -> crate::tag::TaggingConfig {
        let mut config = tagging.clone();
        if let Some((_, dct)) = self
            .document_dates
            .iter()
            .find(|(globs, _)| globs.is_match(relative_path))
        {
            config.dct = Some(dct.clone());
        }
        config
    }

    /// True when `relative_path` matches an include glob.
    pub fn is_included(&self, relative_path: &str) -> bool {
        self.include.is_match(relative_path)
    }

    /// True when `relative_path` (a file or directory) matches an exclude glob.
    pub fn is_excluded(&self, relative_path: &str) -> bool {
        self.exclude.is_match(relative_path)
    }

    /// True when findings of rule `code` are ignored in `relative_path`.
    pub fn is_ignored(&self, relative_path: &str, code: &str) -> bool {
        self.ignores
            .iter()
            .any(|(glob, codes)| codes.contains(&code) && glob.is_match(relative_path))
    }
}

fn parse_glob(glob: &str) -> Result<globset::Glob, ConfigError> {
    globset::GlobBuilder::new(glob)
        .literal_separator(true)
        .build()
        .map_err(|error| ConfigError {
            line: None,
            column: None,
            message: format!("invalid glob {}: {}", shown(glob), error.kind()),
        })
}

/// Compiles one glob. `Glob::compile_matcher` panics when the automaton exceeds globset's size
/// limit (10 MiB); a one-glob set reports it as an error instead.
fn compile_glob(glob: &str) -> Result<globset::GlobSet, ConfigError> {
    let mut builder = globset::GlobSetBuilder::new();
    builder.add(parse_glob(glob)?);
    builder.build().map_err(|_| ConfigError {
        line: None,
        column: None,
        message: format!("glob {} is too large to compile", shown(glob)),
    })
}

/// A glob quoted for a message, cut after 60 characters.
fn shown(glob: &str) -> String {
    match glob.char_indices().nth(60) {
        Some((cut, _)) => format!("`{}…`", &glob[..cut]),
        None => format!("`{glob}`"),
    }
}

/// The 1-based line and character column of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let offset = crate::text::floor_char_boundary(text, offset);
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line as u32, column as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_config_is_the_default() {
        assert_eq!(Config::from_toml(""), Ok(Config::default()));
    }

    #[test]
    fn full_config_parses() {
        let config = Config::from_toml(
            r#"
baseline = "gazette-baseline.json"
[files]
include = ["articles/**/*.txt"]
exclude = ["drafts/**"]
[paragraphs]
layout = "lines"
min-words = 4
[rules.near-duplicate]
threshold = 0.8
[rules.lone-punctuation]
enabled = false
severity = "info"
[per-path-ignores]
"archive/**" = ["GZ003", "cross-document-duplicate"]
"#,
        )
        .unwrap();
        assert_eq!(config.paragraphs.layout, Layout::Lines);
        assert_eq!(config.rules.lone_punctuation.severity, Some(Severity::Info));
        let rules = PathRules::new(&config).unwrap();
        assert!(rules.is_included("articles/2016/a.txt"));
        assert!(!rules.is_included("a.txt"));
        assert!(rules.is_ignored("archive/x/a.txt", "GZ002"));
        assert!(!rules.is_ignored("archive/x/a.txt", "GZ001"));
    }

    #[test]
    fn errors_point_at_the_problem() {
        let error = Config::from_toml("[paragraphs]\nlayot = \"lines\"\n").unwrap_err();
        assert_eq!((error.line, error.column), (Some(2), Some(1)));
        assert!(
            error.message.contains("unknown field `layot`"),
            "{}",
            error.message
        );
        let error = Config::from_toml("[paragraphs]\nlayout = \"pages\"\n").unwrap_err();
        assert_eq!(error.line, Some(2));
        let error = Config::from_toml("[rules.near-duplicate]\n\nthreshold = 1.5\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "3: `rules.near-duplicate.threshold` must be in (0, 1], not 1.5"
        );
        let error = Config::from_toml("[per-path-ignores]\n\"a/**\" = [\"GZ777\"]\n").unwrap_err();
        assert_eq!(error.line, Some(2));
    }

    /// A glob past globset's size limit used to panic inside `compile_matcher` (found by
    /// tests/hostile.rs); it is now a configuration error on its line.
    #[test]
    fn a_glob_too_large_to_compile_is_an_error_not_a_panic() {
        let glob = "[!a]".repeat(300_000);
        let text = format!("[files]\n\nexclude = [\"{glob}\"]\n");
        let error = Config::from_toml(&text).unwrap_err();
        assert_eq!(error.line, Some(3));
        assert!(
            error.message.starts_with("glob `[!a][!a]")
                && error.message.ends_with("…` is too large to compile"),
            "{}",
            error.message
        );
        let mut config = Config::default();
        config
            .per_path_ignores
            .insert(glob, vec!["GZ001".to_owned()]);
        assert!(PathRules::new(&config).is_err());
    }

    #[test]
    fn document_dates_set_the_dct_of_matching_documents() {
        let config = Config::from_toml(
            r#"
[tagging]
dct = "2020-01-01"
[[document-dates]]
paths = ["archive/2016/**"]
dct = "2016-10-17"
[[document-dates]]
paths = ["archive/**", "old.txt"]
dct = "2004-03-10"
"#,
        )
        .unwrap();
        let rules = PathRules::new(&config).unwrap();
        let dct = |path: &str| rules.tagging_for(&config.tagging, path).dct;
        // The first matching entry wins; documents matching none keep `tagging.dct`.
        assert_eq!(dct("archive/2016/a.txt").as_deref(), Some("2016-10-17"));
        assert_eq!(dct("archive/2015/a.txt").as_deref(), Some("2004-03-10"));
        assert_eq!(dct("old.txt").as_deref(), Some("2004-03-10"));
        assert_eq!(dct("news/a.txt").as_deref(), Some("2020-01-01"));
    }

    #[test]
    fn a_dct_that_is_not_a_day_is_an_error_on_its_line() {
        let error =
            Config::from_toml("[[document-dates]]\npaths = [\"a/**\"]\ndct = \"2016-13-01\"\n")
                .unwrap_err();
        assert_eq!(
            error.to_string(),
            "3: `2016-13-01` is not a date: write a day as YYYY-MM-DD"
        );
        let error = Config::from_toml("[tagging]\ndct = \"October 2016\"\n").unwrap_err();
        assert_eq!(error.line, Some(2));
    }
}

/// The JSON Schema of `gazette.toml`, as committed in `schema/config.schema.json` (pretty JSON
/// with a final newline). Regenerate with `cargo xtask schema`.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Config);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
