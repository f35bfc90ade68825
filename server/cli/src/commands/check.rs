//! `gazette check`: find duplicated paragraphs (and the other rules) in a corpus, print them,
//! optionally fix them, compare them with a baseline.
//!
//! The pipeline streams: documents are read and summarised in parallel (rayon), and each text is
//! dropped as soon as its summary exists, so memory follows the number of paragraphs, not the
//! corpus size. Once every document is indexed, findings are final: they are computed a batch of
//! documents at a time ([`DiagnosticStream`]) and written as they come, so that the findings of a
//! large corpus are never all in memory (unless `--fix` or a baseline needs them together). Only
//! the printer and `--fix` read documents again, and only those with findings.

use std::cell::RefCell;
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
use crate::progress::{Progress, ProgressMode};

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
    /// Print the findings of a distributed run (the output directory of
    /// `scale/spark/global_pass.py`) instead of analysing PATHS; PATHS must be the paths given
    /// to `gazette fingerprint`, and are read only to show positions and source lines.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["fix", "write_baseline"])]
    pub findings: Option<PathBuf>,
    /// Progress on stderr: a bar on a terminal, a plain line every few seconds otherwise
    /// (`auto`), or always one of them, or nothing.
    #[arg(long, value_enum, default_value_t = ProgressMode::Auto)]
    pub progress: ProgressMode,
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
    if let Some(findings) = &args.findings {
        return run_with_findings(&args, findings, &loaded, paths);
    }
    let progress = Progress::start(args.progress, "checking", paths.len() as u64);
    let summaries = summarise_with_progress(&paths, &loaded.config, Some(&progress))?;
    progress.finish();
    let (mut workspace, mut documents) = build_workspace(summaries, &loaded);
    if !args.fix && !args.write_baseline && baseline_path(&args, &loaded).is_none() {
        // Nothing needs the findings together: write each as soon as it is computed.
        let mut stream = DiagnosticStream::new(&workspace, &documents, &loaded);
        return print(&args, &documents, &mut stream, 0, 0);
    }

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

    finish(&args, &loaded, &workspace, &documents, diagnostics, fixed)
}

/// Applies the baseline (or writes it), prints the findings and decides the exit code.
fn finish(
    args: &CheckArgs,
    loaded: &LoadedConfig,
    workspace: &Workspace,
    documents: &HashMap<String, CheckedDocument>,
    mut diagnostics: Vec<Diagnostic>,
    fixed: usize,
) -> Result<Outcome> {
    let baseline_path = baseline_path(args, loaded);
    if args.write_baseline {
        let path = baseline_path.unwrap_or_else(|| loaded.root.join("gazette-baseline.json"));
        let baseline = Baseline::from_findings(workspace, documents, &diagnostics);
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
        diagnostics = baseline.filter_new(workspace, documents, diagnostics);
        accepted = before - diagnostics.len();
    }

    print(
        args,
        documents,
        &mut diagnostics.into_iter(),
        fixed,
        accepted,
    )
}

/// The baseline file in use: `--baseline`, else the configuration's `baseline`.
fn baseline_path(args: &CheckArgs, loaded: &LoadedConfig) -> Option<PathBuf> {
    args.baseline.clone().or_else(|| {
        loaded
            .config
            .baseline
            .as_ref()
            .map(|path| loaded.root.join(path))
    })
}

/// Prints `findings` in the chosen format and decides the exit code.
fn print(
    args: &CheckArgs,
    documents: &HashMap<String, CheckedDocument>,
    findings: &mut dyn Iterator<Item = Diagnostic>,
    fixed: usize,
    accepted: usize,
) -> Result<Outcome> {
    let report = Report {
        diagnostics: RefCell::new(findings),
        documents,
        checked: documents.len(),
        fixed,
        accepted,
        show_unsafe_hint: !args.unsafe_fixes,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let printed = match args.format {
        CheckFormat::Human => printer::human::print(&mut out, &report)?,
        CheckFormat::Json => printer::json::print(&mut out, &report)?,
        CheckFormat::Sarif => printer::sarif::print(&mut out, &report)?,
        CheckFormat::Github => printer::github::print(&mut out, &report)?,
    };
    std::io::Write::flush(&mut out)?;
    Ok(if printed.findings == 0 {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

/// `check --findings DIR`: the findings of a distributed run, printed like a local run's. Only
/// documents with findings are read (for positions, and summarised for the baseline).
fn run_with_findings(
    args: &CheckArgs,
    findings: &Path,
    loaded: &LoadedConfig,
    paths: Vec<PathBuf>,
) -> Result<Outcome> {
    let mut documents: HashMap<String, CheckedDocument> = HashMap::with_capacity(paths.len());
    for path in paths {
        let relative = loaded.relative(&path);
        documents.insert(
            config_file::slash_path(&path),
            CheckedDocument {
                path,
                relative,
                stamp: None,
            },
        );
    }
    let mut diagnostics =
        crate::commands::fingerprint_tables::read_findings(findings, &loaded.config)?;
    if let Some(stranger) = diagnostics
        .iter()
        .find(|d| !documents.contains_key(&d.document))
    {
        anyhow::bail!(
            "{}: a finding names {}, which is not among the documents under the given paths; \
             give `check --findings` the same paths (from the same directory) as `gazette fingerprint`",
            findings.display(),
            stranger.document
        );
    }
    diagnostics.retain(|d| {
        !loaded
            .path_rules
            .is_ignored(&documents[&d.document].relative, d.code)
    });
    // Corpus order, then the order `Workspace::diagnostics` gives within a document.
    diagnostics.sort_by(|a, b| {
        (&a.document, a.range.start, a.code, a.range.end).cmp(&(
            &b.document,
            b.range.start,
            b.code,
            b.range.end,
        ))
    });
    // Baselines match findings by the fingerprints of the paragraphs they cover: summarise the
    // documents that have findings (only those).
    let mut workspace = Workspace::new(loaded.config.clone());
    let has_baseline = args.baseline.is_some() || loaded.config.baseline.is_some();
    if has_baseline {
        let mut with_findings: Vec<PathBuf> = diagnostics
            .iter()
            .map(|d| documents[&d.document].path.clone())
            .collect();
        with_findings.dedup();
        let summaries = summarise(&with_findings, &loaded.config)?;
        workspace.extend(
            summaries
                .into_iter()
                .map(|(path, summary, _)| (config_file::slash_path(&path), summary)),
        );
    }
    finish(args, loaded, &workspace, &documents, diagnostics, 0)
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
    summarise_with_progress(paths, config, None)
}

/// [`summarise`], counting each document in `progress`.
pub fn summarise_with_progress(
    paths: &[PathBuf],
    config: &Config,
    progress: Option<&Progress>,
) -> Result<Vec<(PathBuf, DocumentSummary, Option<fix::FileStamp>)>> {
    let limit = config.files.max_size_bytes;
    paths
        .par_iter()
        .map_init(Normalizer::new, |normalizer, path| {
            let document = read_document(path, limit)?;
            let summary = match document.text(limit) {
                Ok(text) => DocumentSummary::with_normalizer(text, config, normalizer),
                Err(problem) => DocumentSummary::unreadable(problem),
            };
            if let Some(progress) = progress {
                progress.file_done(document.bytes.len() as u64);
            }
            Ok((path.clone(), summary, document.stamp))
        })
        .collect()
}

/// A document's bytes as read for analysis.
pub struct ReadDocument {
    /// The bytes (empty when the file is over the size limit and was not read).
    pub bytes: Vec<u8>,
    /// Size and hash of the bytes, `None` when the file was not read.
    pub stamp: Option<fix::FileStamp>,
    too_large: Option<DecodeProblem>,
}

impl ReadDocument {
    /// The text, or why the document is not analysable text.
    pub fn text(&self, limit: u64) -> Result<&str, DecodeProblem> {
        match &self.too_large {
            Some(problem) => Err(problem.clone()),
            None => decode(&self.bytes, limit),
        }
    }
}

/// Reads one document, without reading files larger than `limit` (they are unreadable).
pub fn read_document(path: &Path, limit: u64) -> Result<ReadDocument> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    if size > limit {
        return Ok(ReadDocument {
            bytes: Vec::new(),
            stamp: None,
            too_large: Some(DecodeProblem::TooLarge { size, limit }),
        });
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let stamp = Some(fix::FileStamp::of(&bytes));
    Ok(ReadDocument {
        bytes,
        stamp,
        too_large: None,
    })
}

/// Every diagnostic in corpus order, minus the per-path ignores.
pub fn all_diagnostics(
    workspace: &Workspace,
    documents: &HashMap<String, CheckedDocument>,
    loaded: &LoadedConfig,
) -> Vec<Diagnostic> {
    diagnostics_of(&workspace.keys(), workspace, documents, loaded)
}

/// Number of documents whose findings [`DiagnosticStream`] computes at once (in parallel):
/// enough to keep every core busy, few enough that a batch's findings stay small.
const STREAM_BATCH_DOCUMENTS: usize = 512;

/// The findings of an indexed corpus in corpus order, computed a batch of documents at a time
/// as they are consumed: the same findings, in the same order, as [`all_diagnostics`].
pub struct DiagnosticStream<'a> {
    workspace: &'a Workspace,
    documents: &'a HashMap<String, CheckedDocument>,
    loaded: &'a LoadedConfig,
    keys: Vec<String>,
    next_key: usize,
    batch: std::vec::IntoIter<Diagnostic>,
}

impl<'a> DiagnosticStream<'a> {
    /// A stream over every document of `workspace`.
    pub fn new(
        workspace: &'a Workspace,
        documents: &'a HashMap<String, CheckedDocument>,
        loaded: &'a LoadedConfig,
    ) -> DiagnosticStream<'a> {
        DiagnosticStream {
            workspace,
            documents,
            loaded,
            keys: workspace.keys(),
            next_key: 0,
            batch: Vec::new().into_iter(),
        }
    }
}

impl Iterator for DiagnosticStream<'_> {
    type Item = Diagnostic;

    fn next(&mut self) -> Option<Diagnostic> {
        loop {
            if let Some(diagnostic) = self.batch.next() {
                return Some(diagnostic);
            }
            if self.next_key >= self.keys.len() {
                return None;
            }
            let end = (self.next_key + STREAM_BATCH_DOCUMENTS).min(self.keys.len());
            let keys = &self.keys[self.next_key..end];
            self.batch =
                diagnostics_of(keys, self.workspace, self.documents, self.loaded).into_iter();
            self.next_key = end;
        }
    }
}

/// The diagnostics of the documents `keys`, in that order, minus the per-path ignores.
fn diagnostics_of(
    keys: &[String],
    workspace: &Workspace,
    documents: &HashMap<String, CheckedDocument>,
    loaded: &LoadedConfig,
) -> Vec<Diagnostic> {
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

/// Indexes summarised documents in one workspace, keyed as `gazette check` names them, with what
/// the printers and fixes need to know of each file. Shared by `check` and `report`, so both see
/// the same findings.
pub fn build_workspace(
    summaries: Vec<(PathBuf, DocumentSummary, Option<fix::FileStamp>)>,
    loaded: &LoadedConfig,
) -> (Workspace, HashMap<String, CheckedDocument>) {
    let mut documents: HashMap<String, CheckedDocument> = HashMap::with_capacity(summaries.len());
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
    (workspace, documents)
}
