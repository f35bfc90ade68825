//! `gazette check`: find duplicated paragraphs (and the other rules) in a corpus, print them,
//! optionally fix them, compare them with a baseline.
//!
//! The pipeline streams: documents are read and summarised in parallel (rayon), and each text is
//! dropped as soon as its summary exists, so memory follows the number of paragraphs, not the
//! corpus size. Only the printer and `--fix` read documents again, and only those with findings.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use gazette_core::config::Config;
use gazette_core::diagnostic::{Applicability, Diagnostic};
use gazette_core::normalize::Normalizer;
use gazette_core::text::{DecodeProblem, decode};
use gazette_core::workspace::{DocumentSummary, Workspace};
use rayon::prelude::*;

use crate::Outcome;
use crate::baseline::Baseline;
use crate::config_file::{self, LoadedConfig};
use crate::fix;
use crate::printer::{self, Report};

/// Arguments of `gazette check`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to check (directories are walked for documents matching
    /// `files.include`, `**/*.txt` by default).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Apply safe fixes (delete in-document duplicate copies and punctuation-only lines).
    #[arg(long)]
    pub fix: bool,
    /// With `--fix`, also apply unsafe fixes (delete cross-document and near duplicates).
    #[arg(long, requires = "fix")]
    pub unsafe_fixes: bool,
    /// Use this configuration file instead of searching for `gazette.toml`.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Baseline file: findings listed in it are accepted and do not fail the run.
    #[arg(long)]
    pub baseline: Option<PathBuf>,
    /// Record every current finding in the baseline file and exit 0.
    #[arg(long)]
    pub write_baseline: bool,
}

/// Output formats of `gazette check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// `path:line:column: CODE message` lines in the style of ruff and rustc.
    Human,
    /// One JSON document with every finding (`version: 1`).
    Json,
    /// SARIF 2.1.0 for code-scanning dashboards.
    Sarif,
    /// GitHub Actions workflow commands (`::warning file=...,line=...::message`).
    Github,
}

/// What `gazette check` knows about a document on disk.
pub struct CheckedDocument {
    /// The path as walked.
    pub path: PathBuf,
    /// The path relative to the configuration root (globs, baseline).
    pub relative: String,
    /// Size and xxh3 hash of the bytes that were analysed, to detect later changes.
    pub stamp: Option<fix::FileStamp>,
}

/// Runs `gazette check`.
pub fn run(args: CheckArgs) -> Result<Outcome> {
    let loaded = config_file::load(args.config.as_deref(), &args.paths)?;
    // Check does not tag, but a gazetteer the configuration names must be usable: CI is where
    // a broken file should surface, not the next `gazette tag` or editor session.
    if let Some(path) = loaded.gazetteer_path() {
        crate::commands::tag::read_user_gazetteer(&path)
            .context("the `gazetteer` of gazette.toml")?;
    }
    let paths = collect(&args.paths, &loaded)?;
    let mut documents: HashMap<String, CheckedDocument> = HashMap::with_capacity(paths.len());
    let summaries = summarise(&paths, &loaded.config)?;
    let mut workspace = Workspace::new(loaded.config.clone());
    let mut batch = Vec::with_capacity(summaries.len());
    for (path, summary, stamp) in summaries {
        let key = config_file::slash_path(&path);
        let relative = loaded.relative(&path);
        batch.push((key.clone(), summary));
        documents.insert(
            key,
            CheckedDocument {
                path,
                relative,
                stamp,
            },
        );
    }
    workspace.extend(batch);

    let mut diagnostics = all_diagnostics(&workspace, &documents, &loaded);
    let mut fixed = 0;
    if args.fix {
        let outcome = fix::apply(&diagnostics, &documents, args.unsafe_fixes)?;
        fixed = outcome.fixed;
        if !outcome.changed.is_empty() {
            // The fixed documents changed: summarise them again so that what is printed
            // describes the files as they are now.
            let changed: Vec<PathBuf> = outcome
                .changed
                .iter()
                .map(|key| documents[key].path.clone())
                .collect();
            for (path, summary, stamp) in summarise(&changed, &loaded.config)? {
                let key = config_file::slash_path(&path);
                workspace.set_summary(&key, summary);
                if let Some(document) = documents.get_mut(&key) {
                    document.stamp = stamp;
                }
            }
            diagnostics = all_diagnostics(&workspace, &documents, &loaded);
        }
    }

    let baseline_path = args.baseline.clone().or_else(|| {
        loaded
            .config
            .baseline
            .as_ref()
            .map(|path| loaded.root.join(path))
    });
    if args.write_baseline {
        let path = baseline_path.unwrap_or_else(|| loaded.root.join("gazette-baseline.json"));
        let baseline = Baseline::from_findings(&workspace, &documents, &diagnostics);
        baseline.write(&path)?;
        eprintln!(
            "gazette: wrote {} finding(s) to the baseline {}",
            diagnostics.len(),
            path.display()
        );
        return Ok(Outcome::Clean);
    }
    let mut accepted = 0;
    if let Some(path) = baseline_path {
        let baseline = Baseline::read(&path)?;
        let before = diagnostics.len();
        diagnostics = baseline.filter_new(&workspace, &documents, diagnostics);
        accepted = before - diagnostics.len();
    }

    let report = Report {
        diagnostics: &diagnostics,
        documents: &documents,
        checked: documents.len(),
        fixed,
        accepted,
        show_unsafe_hint: !args.unsafe_fixes,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        CheckFormat::Human => printer::human::print(&mut out, &report)?,
        CheckFormat::Json => printer::json::print(&mut out, &report)?,
        CheckFormat::Sarif => printer::sarif::print(&mut out, &report)?,
        CheckFormat::Github => printer::github::print(&mut out, &report)?,
    }
    std::io::Write::flush(&mut out)?;
    Ok(if diagnostics.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

/// The documents to check: walked, filtered by `files.include` and `files.exclude`.
pub fn collect(paths: &[PathBuf], loaded: &LoadedConfig) -> Result<Vec<PathBuf>> {
    let rules = Arc::new(loaded.path_rules.clone());
    let root = loaded.root.clone();
    let relative_to_root = move |path: &Path| {
        let absolute = std::env::current_dir().unwrap_or_default().join(path);
        config_file::slash_path(absolute.strip_prefix(&root).unwrap_or(&absolute))
    };
    let keep = move |path: &Path, is_dir: bool| {
        let relative = relative_to_root(path);
        if rules.is_excluded(&relative) {
            return false;
        }
        is_dir || rules.is_included(&relative)
    };
    crate::walk::collect_documents_with(paths, Arc::new(keep))
}

/// Reads and summarises documents in parallel. Unreadable documents get an unreadable summary;
/// IO errors (permissions, a file that vanished) stop the run.
pub fn summarise(
    paths: &[PathBuf],
    config: &Config,
) -> Result<Vec<(PathBuf, DocumentSummary, Option<fix::FileStamp>)>> {
    let limit = config.files.max_size_bytes;
    paths
        .par_iter()
        .map_init(Normalizer::new, |normalizer, path| {
            let size = std::fs::metadata(path)
                .with_context(|| format!("cannot read {}", path.display()))?
                .len();
            if size > limit {
                let problem = DecodeProblem::TooLarge { size, limit };
                return Ok((path.clone(), DocumentSummary::unreadable(problem), None));
            }
            let bytes =
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            let stamp = fix::FileStamp::of(&bytes);
            let summary = match decode(&bytes, limit) {
                Ok(text) => DocumentSummary::with_normalizer(text, config, normalizer),
                Err(problem) => DocumentSummary::unreadable(problem),
            };
            Ok((path.clone(), summary, Some(stamp)))
        })
        .collect()
}

/// Every diagnostic in corpus order, minus the per-path ignores.
pub fn all_diagnostics(
    workspace: &Workspace,
    documents: &HashMap<String, CheckedDocument>,
    loaded: &LoadedConfig,
) -> Vec<Diagnostic> {
    let keys = workspace.keys();
    let per_document: Vec<Vec<Diagnostic>> = keys
        .par_iter()
        .map(|key| {
            let relative = documents.get(key).map_or(key.as_str(), |d| &d.relative);
            workspace
                .diagnostics(key)
                .into_iter()
                .filter(|d| !loaded.path_rules.is_ignored(relative, d.code))
                .collect()
        })
        .collect();
    per_document.into_iter().flatten().collect()
}

/// True when `--fix` would apply this fix.
pub fn is_applied(applicability: Applicability, unsafe_fixes: bool) -> bool {
    applicability == Applicability::Safe || (unsafe_fixes && applicability == Applicability::Unsafe)
}
