//! `gazette report`: one self-contained HTML page about a corpus (findings, duplicates,
//! localities on a map, dates, persons and organisations), plus its data as JSON for trends.
//!
//! This file is the IO edge: it walks and reads the corpus exactly as `gazette check` does (same
//! configuration, same findings), tags each document as `gazette tag` does (with the curators'
//! stored decisions applied), and hands everything to the pure aggregation and rendering in
//! `gazette_core::report`. Documents are read in parallel and each text is dropped once reduced
//! to its facts.

use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;
use gazette_core::annotation::overlay::SpanOrigin;
use gazette_core::report::{
    AggregateInput, ClusterPlan, DocumentFacts, DocumentInput, REPORT_FORMAT_VERSION, ReportData,
    aggregate, html, plan_duplicate_clusters,
};
use gazette_core::tag::locality::LocalityTagger;
use gazette_core::tag::locality::context::ContextWords;
use gazette_core::tag::{TaggingConfig, tag_document_with};
use gazette_core::text::decode;
use gazette_store::{AnnotationStore, atomic_write};
use rayon::prelude::*;

use crate::Outcome;
use crate::baseline::Baseline;
use crate::commands::annotations::{corpus_root_for, relative_to, review_overlay};
use crate::commands::check;
use crate::config_file;

/// Arguments of `gazette report`.
#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Files or directories to report on (walked like `gazette check`).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// The HTML file to write.
    #[arg(long, default_value = "gazette-report.html")]
    pub out: PathBuf,
    /// Where to write the report's data as JSON (default: the HTML path with `.json`). Give it
    /// to a later run's `--previous` to see trends.
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// The JSON data of an earlier report: the overview shows what changed since.
    #[arg(long, value_name = "FILE")]
    pub previous: Option<PathBuf>,
    /// Use this configuration file instead of searching for `gazette.toml`.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Baseline file: accepted findings are left out, as in `gazette check`.
    #[arg(long)]
    pub baseline: Option<PathBuf>,
}

/// Runs `gazette report`.
pub fn run(args: ReportArgs) -> Result<Outcome> {
    let previous = match &args.previous {
        Some(path) => Some(read_previous(path)?),
        None => None,
    };
    let data_path = args
        .data
        .clone()
        .unwrap_or_else(|| args.out.with_extension("json"));
    if data_path == args.out {
        bail!("--data and --out are the same file: {}", args.out.display());
    }

    // Findings exactly as `gazette check` computes them.
    let loaded = config_file::load(args.config.as_deref(), &args.paths)?;
    let paths = check::collect(&args.paths, &loaded)?;
    let (workspace, documents) =
        check::build_workspace(check::summarise(&paths, &loaded.config)?, &loaded);
    let mut diagnostics = check::all_diagnostics(&workspace, &documents, &loaded);
    let baseline_path = args.baseline.clone().or_else(|| {
        let configured = loaded.config.baseline.as_ref()?;
        Some(loaded.root.join(configured))
    });
    if let Some(path) = baseline_path {
        diagnostics = Baseline::read(&path)?.filter_new(&workspace, &documents, diagnostics);
    }
    let clusters = plan_duplicate_clusters(&diagnostics, &workspace);

    // Entities and dates, document by document, as `gazette tag` finds them.
    let page_dir = absolute_dir_of(&args.out)?;
    let keys = workspace.keys();
    let context = ContextWords::new();
    // The places of the user's gazetteer (`gazetteer` in gazette.toml) are tagged, counted and
    // mapped like built-in ones, as in `gazette tag` and the editor.
    let user_tagger = match loaded.gazetteer_path() {
        Some(path) => Some(
            crate::commands::tag::load_user_tagger(&path)
                .context("the `gazetteer` of gazette.toml")?,
        ),
        None => None,
    };
    let tagger = user_tagger.as_ref().unwrap_or(LocalityTagger::builtin());
    let facts: Vec<DocumentFacts> = keys
        .par_iter()
        .map(|key| {
            let document = &documents[key];
            let summary = workspace.summary(key).expect("every key has a summary");
            let href = href_from(&page_dir, &document.path)?;
            let bytes = match summary.problem() {
                Some(_) => None,
                None => Some(
                    std::fs::read(&document.path)
                        .with_context(|| format!("cannot read {}", document.path.display()))?,
                ),
            };
            let text = bytes
                .as_deref()
                .and_then(|b| decode(b, loaded.config.files.max_size_bytes).ok());
            // Per-path creation times (`[[document-dates]]`) apply as in `gazette tag`.
            let tagging = loaded
                .path_rules
                .tagging_for(&loaded.config.tagging, &document.relative);
            let (spans, reviewed_spans) = match text {
                Some(text) => reviewed_spans(&document.path, text, &tagging, tagger)?,
                None => (Vec::new(), 0),
            };
            let wanted = ClusterPlan::wanted(&clusters, key);
            let input = DocumentInput {
                key,
                href: &href,
                text,
                summary,
                spans: &spans,
                reviewed_spans,
                tagging: &tagging,
                wanted: &wanted,
            };
            Ok(DocumentFacts::analyse(&input, &context))
        })
        .collect::<Result<_>>()?;

    let title = args
        .paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" ");
    let generated = now_utc();
    let data = aggregate(
        &facts,
        &AggregateInput {
            title: &title,
            generated: Some(&generated),
            diagnostics: &diagnostics,
            clusters: &clusters,
            gazetteer: tagger.gazetteer(),
            previous: previous.as_ref(),
        },
    );
    let page = html::render(&data);
    let json = serde_json::to_string_pretty(&data)? + "\n";
    write_file(&args.out, page.as_bytes())?;
    write_file(&data_path, json.as_bytes())?;
    eprintln!(
        "gazette: wrote {} ({} KiB) and {}: {} documents, {} findings, {} duplicate clusters, {} localities",
        args.out.display(),
        page.len().div_ceil(1024),
        data_path.display(),
        data.overview.documents,
        data.overview.findings,
        data.duplicates.len(),
        data.overview.distinct_localities
    );
    Ok(Outcome::Clean)
}

/// The tagged spans of one document with the stored review decisions applied, and how many of
/// them come from accepted annotations.
fn reviewed_spans(
    path: &Path,
    text: &str,
    tagging: &TaggingConfig,
    tagger: &LocalityTagger,
) -> Result<(Vec<gazette_core::tag::EntitySpan>, u32)> {
    let tags = tag_document_with(text, tagging, tagger);
    let root = corpus_root_for(path);
    let reviewed = review_overlay(
        &AnnotationStore::new(&root),
        &relative_to(&root, path)?,
        text,
        &tags.spans,
    )?;
    let accepted = reviewed
        .iter()
        .filter(|r| r.origin == SpanOrigin::Accepted)
        .count() as u32;
    Ok((reviewed.into_iter().map(|r| r.span).collect(), accepted))
}

/// Reads an earlier report's JSON data.
fn read_previous(path: &Path) -> Result<ReportData> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the previous report {}", path.display()))?;
    let version = serde_json::from_str::<serde_json::Value>(&text)
        .with_context(|| format!("{} is not JSON", path.display()))?
        .get("version")
        .and_then(serde_json::Value::as_u64);
    if version != Some(u64::from(REPORT_FORMAT_VERSION)) {
        bail!(
            "{} is not report data of format version {REPORT_FORMAT_VERSION} (the `.json` file `gazette report` writes next to the page)",
            path.display()
        );
    }
    serde_json::from_str(&text)
        .with_context(|| format!("{} is not valid report data", path.display()))
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    atomic_write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// The absolute directory the page will live in.
fn absolute_dir_of(out: &Path) -> Result<PathBuf> {
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty());
    let dir = std::env::current_dir()?.join(parent.unwrap_or(Path::new(".")));
    Ok(normalise(&dir))
}

/// Removes `.` and resolves `..` lexically (the page's directory may not exist yet).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A relative, percent-encoded link from the page's directory to a document.
fn href_from(page_dir: &Path, document: &Path) -> Result<String> {
    let target = normalise(&std::env::current_dir()?.join(document));
    Ok(relative_href(page_dir, &target))
}

/// The link from directory `from` to file `to`, both absolute and normalised.
fn relative_href(from: &Path, to: &Path) -> String {
    let from: Vec<Component<'_>> = from.components().collect();
    let to: Vec<Component<'_>> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| percent_encode(&c.as_os_str().to_string_lossy())),
    );
    parts.join("/")
}

/// Percent-encodes what a URL path segment cannot hold as is.
fn percent_encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The current time in UTC as RFC 3339 (`2026-12-02T09:30:00Z`), or `SOURCE_DATE_EPOCH` when
/// set, for reproducible pages.
fn now_utc() -> String {
    match std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
    {
        Some(seconds) => gazette_store::clock::format_rfc3339(seconds),
        None => gazette_store::clock::now_rfc3339(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_go_from_the_page_to_the_document() {
        let href = |to: &str| relative_href(Path::new("/corpus/out"), Path::new(to));
        assert_eq!(href("/corpus/news/a b#1.txt"), "../news/a%20b%231.txt");
        assert_eq!(href("/corpus/out/x.txt"), "x.txt");
        assert_eq!(href("/elsewhere/x.txt"), "../../elsewhere/x.txt");
        assert_eq!(
            percent_encode("Đà Nẵng.txt"),
            "%C4%90%C3%A0%20N%E1%BA%B5ng.txt"
        );
    }
}
