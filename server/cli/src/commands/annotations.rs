//! `gazette export` and `gazette import`: reviewed annotations in exchange formats.
//!
//! Export writes, for each document, the tagger's suggestions with the curators' decisions applied
//! (accepted annotations replace suggestions, rejected ones remove them), or only the reviewed
//! annotations with `--reviewed-only`. Import stores spans from brat or JSONL files as accepted
//! annotations in `.gazette/annotations/`, through the same atomic store the editor uses.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use gazette_core::annotation::export::{
    brat_annotation_conf, to_brat, to_conll, to_jsonl_line, to_tei, to_w3c,
};
use gazette_core::annotation::import::{from_brat, from_jsonl_line};
use gazette_core::annotation::overlay::{ReviewedSpan, SpanOrigin, review_document};
use gazette_core::annotation::{Annotation, AnnotationStatus, NewAnnotation};
use gazette_core::tag::{EntitySpan, TaggingConfig, tag_document};
pub use gazette_store::corpus_root_for;
use gazette_store::{AnnotationStore, atomic_write};

use crate::Outcome;

/// Arguments of `gazette export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Documents or directories to export.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Exchange format.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Output directory (created when missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Corpus root holding `.gazette/annotations` (default: found from the paths).
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// Export only reviewed (accepted) annotations, not the tagger's suggestions.
    #[arg(long)]
    pub reviewed_only: bool,
}

/// Exchange formats for export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One JSON line per document (spaCy/doccano style, code-point offsets): `annotations.jsonl`.
    Jsonl,
    /// brat standoff: a `.txt` and `.ann` per document and an `annotation.conf`.
    Brat,
    /// CoNLL-IOB2 with a norm column, a `.conll` per document.
    Conll,
    /// W3C Web Annotation JSON-LD, a `.jsonld` per document.
    W3c,
    /// TEI-style inline markup, an `.xml` per document.
    Tei,
}

/// Arguments of `gazette import`.
#[derive(Args, Debug)]
pub struct ImportArgs {
    /// A brat directory (with `.ann` files mirroring the corpus paths) or a JSONL file.
    pub from: PathBuf,
    /// Input format.
    #[arg(long, value_enum)]
    pub format: ImportFormat,
    /// Corpus root whose documents the annotations belong to.
    #[arg(long)]
    pub corpus: PathBuf,
    /// Who to record as the annotations' creator.
    #[arg(long, default_value = "import")]
    pub creator: String,
}

/// Formats `gazette import` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// JSONL with `doc` and `spans` (Gazette) or doccano `label`/`entities`.
    Jsonl,
    /// brat `.ann` files.
    Brat,
}

/// The path of `document` relative to the corpus `root`.
pub fn relative_to(root: &Path, document: &Path) -> Result<PathBuf> {
    let absolute = std::fs::canonicalize(document)
        .with_context(|| format!("cannot read {}", document.display()))?;
    absolute
        .strip_prefix(root)
        .map(Path::to_path_buf)
        .with_context(|| {
            format!(
                "{} is outside the corpus root {}",
                document.display(),
                root.display()
            )
        })
}

fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("{} is not valid UTF-8", path.display()))
}

/// Applies the curators' decisions stored for `relative` over `suggestions`, warning once per
/// orphaned annotation (kept in its file, never dropped).
pub fn review_overlay(
    store: &AnnotationStore,
    relative: &Path,
    text: &str,
    suggestions: &[EntitySpan],
) -> Result<Vec<ReviewedSpan>> {
    let loaded = store.load(relative)?;
    let (reviewed, orphans) = review_document(text, &loaded.file, suggestions);
    for annotation in orphans {
        eprintln!(
            "gazette: warning: {}: annotation {} ({} `{}`) no longer matches the text; kept in its file",
            relative.display(),
            annotation.id,
            annotation.label.as_str(),
            annotation.exact()
        );
    }
    Ok(reviewed)
}

/// The spans of one document after review (only the accepted ones with `reviewed_only`).
fn reviewed_spans(
    store: &AnnotationStore,
    relative: &Path,
    text: &str,
    reviewed_only: bool,
) -> Result<Vec<EntitySpan>> {
    let suggestions = if reviewed_only {
        Vec::new()
    } else {
        tag_document(text, &TaggingConfig::default()).spans
    };
    Ok(review_overlay(store, relative, text, &suggestions)?
        .into_iter()
        .filter(|reviewed| !reviewed_only || reviewed.origin == SpanOrigin::Accepted)
        .map(|reviewed| reviewed.span)
        .collect())
}

fn with_extension(relative: &Path, extension: &str) -> PathBuf {
    let mut name = relative
        .file_stem()
        .map(|s| s.to_os_string())
        .unwrap_or_default();
    name.push(".");
    name.push(extension);
    relative.with_file_name(name)
}

fn write_output(path: &Path, contents: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    atomic_write(path, contents.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Runs `gazette export`.
pub fn run_export(args: ExportArgs) -> Result<Outcome> {
    let documents = crate::walk::collect_documents(&args.paths)?;
    let root = match &args.corpus {
        Some(root) => std::fs::canonicalize(root)
            .with_context(|| format!("cannot read {}", root.display()))?,
        None => corpus_root_for(args.paths.first().context("no path given")?),
    };
    let store = AnnotationStore::new(&root);
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let mut jsonl = String::new();
    for document in &documents {
        let relative = relative_to(&root, document)?;
        let text = read_text(document)?;
        let spans = reviewed_spans(&store, &relative, &text, args.reviewed_only)?;
        let key = AnnotationStore::document_key(&relative);
        match args.format {
            ExportFormat::Jsonl => {
                jsonl.push_str(&to_jsonl_line(&key, &text, &spans));
                jsonl.push('\n');
            }
            ExportFormat::Brat => {
                write_output(&args.out.join(with_extension(&relative, "txt")), &text)?;
                write_output(
                    &args.out.join(with_extension(&relative, "ann")),
                    &to_brat(&text, &spans),
                )?;
            }
            ExportFormat::Conll => write_output(
                &args.out.join(with_extension(&relative, "conll")),
                &to_conll(&key, &text, &spans),
            )?,
            ExportFormat::W3c => {
                let rendered = serde_json::to_string_pretty(&to_w3c(&key, &text, &spans))? + "\n";
                write_output(
                    &args.out.join(with_extension(&relative, "jsonld")),
                    &rendered,
                )?;
            }
            ExportFormat::Tei => write_output(
                &args.out.join(with_extension(&relative, "xml")),
                &to_tei(&key, &text, &spans),
            )?,
        }
    }
    match args.format {
        ExportFormat::Jsonl => write_output(&args.out.join("annotations.jsonl"), &jsonl)?,
        ExportFormat::Brat => {
            write_output(&args.out.join("annotation.conf"), &brat_annotation_conf())?
        }
        _ => {}
    }
    eprintln!(
        "gazette: exported {} document(s) to {}",
        documents.len(),
        args.out.display()
    );
    Ok(Outcome::Clean)
}

/// Runs `gazette import`.
pub fn run_import(args: ImportArgs) -> Result<Outcome> {
    let root = std::fs::canonicalize(&args.corpus)
        .with_context(|| format!("cannot read {}", args.corpus.display()))?;
    let store = AnnotationStore::new(&root);
    let created = gazette_store::clock::now_rfc3339();
    let mut imported: Vec<(PathBuf, Vec<EntitySpan>)> = Vec::new();
    match args.format {
        ImportFormat::Brat => {
            if !args.from.is_dir() {
                bail!(
                    "{}: brat import reads a directory of .ann files",
                    args.from.display()
                );
            }
            let mut ann_files = Vec::new();
            collect_with_extension(&args.from, "ann", &mut ann_files)?;
            ann_files.sort();
            for ann_path in ann_files {
                let relative = ann_path
                    .strip_prefix(&args.from)
                    .expect("found under it")
                    .with_extension("txt");
                let text = read_text(&root.join(&relative))?;
                let ann = read_text(&ann_path)?;
                let spans = from_brat(&ann, &text)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", ann_path.display()))?;
                imported.push((relative, spans));
            }
        }
        ImportFormat::Jsonl => {
            let input = read_text(&args.from)?;
            for (number, line) in input
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
            {
                let document: serde_json::Value = serde_json::from_str(line).map_err(|e| {
                    anyhow::anyhow!("{}:{}: not JSON: {e}", args.from.display(), number + 1)
                })?;
                let Some(key) = document.get("doc").and_then(|d| d.as_str()) else {
                    bail!(
                        "{}:{}: a line needs a `doc` field naming the document",
                        args.from.display(),
                        number + 1
                    );
                };
                let relative = PathBuf::from(key);
                let text = read_text(&root.join(&relative))?;
                let (_, spans) = from_jsonl_line(line, &text, number + 1)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", args.from.display()))?;
                imported.push((relative, spans));
            }
        }
    }
    let mut count = 0;
    for (relative, spans) in imported {
        let text = read_text(&root.join(&relative))?;
        let annotations: Vec<Annotation> = spans
            .iter()
            .filter_map(|span| {
                Annotation::new(
                    &text,
                    NewAnnotation {
                        range: span.range,
                        label: span.label,
                        norm: span.norm.clone(),
                        status: AnnotationStatus::Accepted,
                        creator: Some(&args.creator),
                        created: Some(&created),
                    },
                )
            })
            .collect();
        count += annotations.len();
        store.update(&relative, |file| {
            for annotation in &annotations {
                file.upsert(annotation.clone());
            }
        })?;
    }
    eprintln!(
        "gazette: imported {count} annotation(s) into {}",
        root.join(gazette_store::ANNOTATIONS_DIR).display()
    );
    Ok(Outcome::Clean)
}

fn collect_with_extension(dir: &Path, extension: &str, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect_with_extension(&path, extension, out)?;
        } else if path.extension().is_some_and(|e| e == extension) {
            out.push(path);
        }
    }
    Ok(())
}
