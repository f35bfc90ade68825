//! `gazette tag`: print the entities of each document, one JSON line per document.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use gazette_core::annotation::CodePointIndex;
use gazette_core::annotation::overlay::SpanOrigin;
use gazette_core::gazetteer::{Gazetteer, UserGazetteer};
use gazette_core::tag::locality::LocalityTagger;
use gazette_core::tag::tag_document_with;
use gazette_store::AnnotationStore;

use crate::commands::annotations::{corpus_root_for, relative_to, review_overlay};
use crate::config_file;

use crate::Outcome;

/// Arguments of `gazette tag`.
#[derive(Args, Debug)]
pub struct TagArgs {
    /// Files or directories to tag.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TagFormat::Jsonl)]
    pub format: TagFormat,
    /// A JSON file of places to add to the built-in gazetteer, or to replace built-in entries
    /// with the same id (schema: schema/gazetteer.schema.json). Overrides the `gazetteer` key
    /// of `gazette.toml`.
    #[arg(long, value_name = "FILE")]
    pub gazetteer: Option<PathBuf>,
    /// Configuration file (default: the nearest `gazette.toml` above the first path). Its
    /// `tagging` section and `document-dates` give each document its creation time, its
    /// `gazetteer` the user's places.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// Output formats of `gazette tag`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum TagFormat {
    /// One `{"doc", "spans": [{"start", "end", "label", "norm", "text"}]}` line per document,
    /// offsets in Unicode code points, end exclusive.
    Jsonl,
}

/// Runs `gazette tag`.
pub fn run(args: TagArgs) -> Result<Outcome> {
    let documents = crate::walk::collect_documents(&args.paths)?;
    let loaded = config_file::load(args.config.as_deref(), &args.paths)?;
    let current = std::env::current_dir().context("cannot determine the current directory")?;
    let user_tagger = match args.gazetteer.clone().or_else(|| loaded.gazetteer_path()) {
        Some(path) => Some(load_user_tagger(&path)?),
        None => None,
    };
    let localities = user_tagger
        .as_ref()
        .unwrap_or_else(|| LocalityTagger::builtin());
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for path in documents {
        // Refuse an oversized file from its size, before reading it into memory.
        let size = std::fs::metadata(&path)
            .with_context(|| format!("cannot read {}", path.display()))?
            .len();
        let limit = gazette_core::text::DEFAULT_MAX_DOCUMENT_BYTES;
        if size > limit {
            let problem = gazette_core::text::DecodeProblem::TooLarge { size, limit };
            eprintln!("gazette: warning: {} is {problem}; skipped", path.display());
            continue;
        }
        let bytes =
            std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let text = match gazette_core::text::decode(
            &bytes,
            gazette_core::text::DEFAULT_MAX_DOCUMENT_BYTES,
        ) {
            Ok(text) => text,
            Err(problem) => {
                eprintln!("gazette: warning: {} is {problem}; skipped", path.display());
                continue;
            }
        };
        let relative = crate::config_file::slash_path(
            current
                .join(&path)
                .strip_prefix(&loaded.root)
                .unwrap_or(&path),
        );
        let config = loaded
            .path_rules
            .tagging_for(&loaded.config.tagging, &relative);
        let tags = tag_document_with(text, &config, localities);
        // Curators' decisions stored next to the corpus override the suggestions. The corpus
        // root is searched from the absolute path: a bare file name (`gazette tag doc.txt`) has
        // an empty parent, from which no `gazette.toml` can be found.
        let located = std::path::absolute(&path).unwrap_or_else(|_| path.clone());
        let root = corpus_root_for(&located);
        let reviewed = review_overlay(
            &AnnotationStore::new(&root),
            &relative_to(&root, &located)?,
            text,
            &tags.spans,
        )?;
        let code_points = CodePointIndex::new(text);
        let spans: Vec<_> = reviewed
            .iter()
            .map(|reviewed| {
                let span = &reviewed.span;
                let mut rendered = serde_json::json!({
                    "start": code_points.to_code_point(span.range.start as usize),
                    "end": code_points.to_code_point(span.range.end as usize),
                    "label": span.label.as_str(),
                    "norm": span.norm,
                    "text": &text[span.range.to_usize()],
                });
                if reviewed.origin == SpanOrigin::Accepted {
                    rendered["reviewed"] = serde_json::Value::Bool(true);
                }
                rendered
            })
            .collect();
        let line = serde_json::json!({ "doc": path.to_string_lossy(), "spans": spans });
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(Outcome::Clean)
}

/// The built-in gazetteer plus the places of a user's file, indexed for tagging.
pub fn load_user_tagger(path: &std::path::Path) -> Result<LocalityTagger> {
    let user = read_user_gazetteer(path)?;
    Ok(LocalityTagger::new(
        Gazetteer::builtin().with_user_entries(user),
    ))
}

/// Reads and checks a user gazetteer file.
pub fn read_user_gazetteer(path: &std::path::Path) -> Result<UserGazetteer> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read gazetteer file {}", path.display()))?;
    UserGazetteer::parse(&text).with_context(|| format!("{}", path.display()))
}
