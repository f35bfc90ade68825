//! `gazette fingerprint PATHS --shard i/n --out DIR`: one shard's records for a distributed
//! global pass (see `scale/spark/README.md`).
//!
//! Every shard walks all of PATHS exactly as `gazette check` does, so that each document gets
//! the same key and the same ordinal (its position in the walk, the order in which `check`
//! indexes documents) on every machine; it then reads only the documents whose key hashes to
//! its shard. Documents are processed in parallel, a batch at a time, and each batch becomes one
//! row group of each table, so memory stays bounded by the batch, whatever the shard's size.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::{Context, Result, bail};
use clap::Args;
use gazette_core::diagnostic::Diagnostic;
use gazette_core::normalize::Normalizer;
use gazette_core::shard::{DocumentRecords, ShardRecorder, shard_of};
use gazette_core::tag::locality::LocalityTagger;
use gazette_core::tag::{EntitySpan, TaggingConfig, tag_document_with};
use gazette_core::workspace::DocumentSummary;
use rayon::prelude::*;
use serde_json::json;

use crate::Outcome;
use crate::commands::check::{collect, read_document};
use crate::commands::fingerprint_tables::{
    BANDS_SCHEMA, Column, FINDINGS_SCHEMA, MENTIONS_SCHEMA, PARAGRAPHS_SCHEMA, TableWriter,
    findings_columns,
};
use crate::config_file::{self, slash_path};
use crate::progress::{Progress, ProgressMode};

/// Arguments of `gazette fingerprint`.
#[derive(Args, Debug)]
pub struct FingerprintArgs {
    /// Files or directories of the whole corpus (the same on every shard; walked like `check`).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Which shard to write, `i/n` with 0 ≤ i < n: the documents whose key hashes to i mod n.
    #[arg(long, default_value = "0/1")]
    pub shard: ShardSpec,
    /// Output directory (tables as subdirectories; see `scale/spark/README.md`).
    #[arg(long)]
    pub out: PathBuf,
    /// Use this configuration file instead of searching for `gazette.toml`.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Do not tag entities (skips the `mentions` table, which costs most of the time).
    #[arg(long)]
    pub no_entities: bool,
    /// Progress on stderr.
    #[arg(long, value_enum, default_value_t = ProgressMode::Auto)]
    pub progress: ProgressMode,
}

/// A shard `i/n`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShardSpec {
    /// This shard, below `count`.
    pub index: u32,
    /// The number of shards.
    pub count: u32,
}

impl FromStr for ShardSpec {
    type Err = String;

    fn from_str(text: &str) -> Result<ShardSpec, String> {
        let parsed = text
            .split_once('/')
            .and_then(|(i, n)| Some((i.trim().parse().ok()?, n.trim().parse().ok()?)));
        match parsed {
            Some((index, count)) if index < count => Ok(ShardSpec { index, count }),
            _ => Err(format!(
                "expected i/n with 0 <= i < n (such as 0/8), got `{text}`"
            )),
        }
    }
}

/// Documents per row group: large enough for efficient Parquet, small enough to bound memory.
const BATCH: usize = 4096;

/// One document's contribution, before it is written.
struct Processed {
    key: String,
    ordinal: u64,
    records: DocumentRecords,
    mentions: Vec<(EntitySpan, String)>,
}

/// Runs `gazette fingerprint`.
pub fn run(args: FingerprintArgs) -> Result<Outcome> {
    let loaded = config_file::load(args.config.as_deref(), &args.paths)?;
    let config = loaded.config.clone();
    let paths = collect(&args.paths, &loaded)?;
    let keys: Vec<String> = paths.iter().map(|path| slash_path(path)).collect();
    let shard = args.shard;
    let mine: Vec<(u64, &PathBuf, &String)> = paths
        .iter()
        .zip(&keys)
        .enumerate()
        .filter(|(_, (_, key))| shard_of(key, shard.count) == shard.index)
        .map(|(ordinal, (path, key))| (ordinal as u64, path, key))
        .collect();

    let part = format!("part-{:05}-of-{:05}", shard.index, shard.count);
    let table = |name: &str, schema: &str| {
        TableWriter::create(&args.out.join(name).join(format!("{part}.parquet")), schema)
    };
    let mut paragraphs = table("paragraphs", PARAGRAPHS_SCHEMA)?;
    let mut bands = table("bands", BANDS_SCHEMA)?;
    let mut local = table("local_findings", FINDINGS_SCHEMA)?;
    let mut mentions = match args.no_entities {
        true => None,
        false => Some(table("mentions", MENTIONS_SCHEMA)?),
    };
    let tagger = (!args.no_entities).then(LocalityTagger::builtin);
    let tagging = TaggingConfig::default();
    let limit = config.files.max_size_bytes;

    let progress = Progress::start(args.progress, "fingerprinting", mine.len() as u64);
    let mut counts = [0usize; 4];
    for batch in mine.chunks(BATCH) {
        let processed: Vec<Processed> = batch
            .par_iter()
            .map_init(
                || (Normalizer::new(), ShardRecorder::new(config.clone())),
                |(normalizer, recorder), &(ordinal, path, key)| {
                    let document = read_document(path, limit)?;
                    let (summary, spans) = match document.text(limit) {
                        Ok(text) => {
                            let summary =
                                DocumentSummary::with_normalizer(text, &config, normalizer);
                            let spans = tagger.map_or_else(Vec::new, |tagger| {
                                tag_document_with(text, &tagging, tagger)
                                    .spans
                                    .into_iter()
                                    .map(|span| {
                                        let surface = text[span.range.to_usize()].to_owned();
                                        (span, surface)
                                    })
                                    .collect()
                            });
                            (summary, spans)
                        }
                        Err(problem) => (DocumentSummary::unreadable(problem), Vec::new()),
                    };
                    progress.file_done(document.bytes.len() as u64);
                    Ok(Processed {
                        key: key.clone(),
                        ordinal,
                        records: recorder.record(key, summary),
                        mentions: spans,
                    })
                },
            )
            .collect::<Result<_>>()?;
        counts[0] += processed.len();
        counts[1] += processed
            .iter()
            .map(|p| p.records.paragraphs.len())
            .sum::<usize>();
        counts[2] += processed
            .iter()
            .map(|p| p.records.local.len())
            .sum::<usize>();
        counts[3] += processed.iter().map(|p| p.mentions.len()).sum::<usize>();
        paragraphs.write_row_group(paragraph_columns(&processed))?;
        bands.write_row_group(band_columns(&processed))?;
        let findings: Vec<Diagnostic> = processed
            .iter()
            .flat_map(|p| p.records.local.iter().cloned())
            .collect();
        local.write_row_group(findings_columns(&findings))?;
        if let Some(mentions) = &mut mentions {
            mentions.write_row_group(mention_columns(&processed))?;
        }
    }
    progress.finish();
    paragraphs.finish()?;
    bands.finish()?;
    local.finish()?;
    if let Some(mentions) = mentions {
        mentions.finish()?;
    }
    write_meta(&args.out, &part, shard, &keys, &config, counts)?;
    eprintln!(
        "gazette: shard {}/{}: {} of {} documents, {} paragraphs, {} local findings, {} mentions \
         written to {}",
        shard.index,
        shard.count,
        counts[0],
        keys.len(),
        counts[1],
        counts[2],
        counts[3],
        args.out.display()
    );
    Ok(Outcome::Clean)
}

fn paragraph_columns(processed: &[Processed]) -> Vec<Column> {
    let rows: Vec<(&Processed, &gazette_core::shard::ParagraphRecord)> = processed
        .iter()
        .flat_map(|p| p.records.paragraphs.iter().map(move |record| (p, record)))
        .collect();
    let long = |f: &dyn Fn(&gazette_core::shard::ParagraphRecord) -> u32| {
        Column::Long(rows.iter().map(|(_, r)| i64::from(f(r))).collect())
    };
    let int = |f: &dyn Fn(&gazette_core::shard::ParagraphRecord) -> u32| {
        Column::Int(rows.iter().map(|(_, r)| f(r) as i32).collect())
    };
    vec![
        Column::Text(rows.iter().map(|(p, _)| p.key.clone()).collect()),
        Column::Long(rows.iter().map(|(p, _)| p.ordinal as i64).collect()),
        int(&|r| r.paragraph),
        long(&|r| r.range.start),
        long(&|r| r.range.end),
        int(&|r| r.first_line),
        int(&|r| r.last_line),
        long(&|r| r.deletion.start),
        long(&|r| r.deletion.end),
        // Fingerprints and band keys are u64 hashes stored bit for bit in INT64.
        Column::Long(rows.iter().map(|(_, r)| r.fingerprint.0 as i64).collect()),
        int(&|r| r.words),
        Column::Bool(rows.iter().map(|(_, r)| r.counts_as_duplicate).collect()),
        Column::Bool(rows.iter().map(|(_, r)| r.repeats_in_document).collect()),
        Column::OptionalIntList(
            rows.iter()
                .map(|(_, r)| {
                    r.near
                        .as_ref()
                        .map(|near| near.signature.iter().map(|&v| i32::from(v)).collect())
                })
                .collect(),
        ),
    ]
}

fn band_columns(processed: &[Processed]) -> Vec<Column> {
    let (mut keys, mut band_numbers, mut ordinals, mut numbers) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for p in processed {
        for record in &p.records.paragraphs {
            let Some(near) = &record.near else { continue };
            for (band, &key) in near.band_keys.iter().enumerate() {
                keys.push(key as i64);
                band_numbers.push(band as i32);
                ordinals.push(p.ordinal as i64);
                numbers.push(record.paragraph as i32);
            }
        }
    }
    vec![
        Column::Long(keys),
        Column::Int(band_numbers),
        Column::Long(ordinals),
        Column::Int(numbers),
    ]
}

fn mention_columns(processed: &[Processed]) -> Vec<Column> {
    let rows: Vec<(&str, &EntitySpan, &str)> = processed
        .iter()
        .flat_map(|p| {
            p.mentions
                .iter()
                .map(move |(span, text)| (p.key.as_str(), span, text.as_str()))
        })
        .collect();
    vec![
        Column::Text(rows.iter().map(|(key, _, _)| (*key).to_owned()).collect()),
        Column::Long(
            rows.iter()
                .map(|(_, s, _)| i64::from(s.range.start))
                .collect(),
        ),
        Column::Long(
            rows.iter()
                .map(|(_, s, _)| i64::from(s.range.end))
                .collect(),
        ),
        Column::Text(
            rows.iter()
                .map(|(_, s, _)| s.label.as_str().to_owned())
                .collect(),
        ),
        Column::OptionalText(rows.iter().map(|(_, s, _)| s.norm.clone()).collect()),
        Column::Text(rows.iter().map(|(_, _, text)| (*text).to_owned()).collect()),
    ]
}

/// `meta/<part>.json`: what the global pass checks before joining shards (all shards present,
/// made from the same walk and the same rule settings) and the settings it applies.
fn write_meta(
    out: &Path,
    part: &str,
    shard: ShardSpec,
    keys: &[String],
    config: &gazette_core::config::Config,
    counts: [usize; 4],
) -> Result<()> {
    let mut corpus = xxhash_rust::xxh3::Xxh3::new();
    for key in keys {
        corpus.update(key.as_bytes());
        corpus.update(b"\n");
    }
    let near = &config.rules.near_duplicate;
    let near_enabled = near
        .enabled
        .unwrap_or(gazette_core::rules::near_duplicate::META.default_enabled);
    if !(near.threshold > 0.0 && near.threshold <= 1.0) {
        bail!("rules.near-duplicate.threshold must be in (0, 1]");
    }
    let meta = json!({
        "format": 1,
        "shard": shard.index,
        "shards": shard.count,
        "corpus_documents": keys.len(),
        "corpus_hash": format!("{:016x}", corpus.digest()),
        "documents": counts[0],
        "paragraphs": counts[1],
        "local_findings": counts[2],
        "mentions": counts[3],
        "settings": {
            "near_enabled": near_enabled,
            "near_threshold": near.threshold,
            "near_min_words": near.min_words,
        },
    });
    let directory = out.join("meta");
    std::fs::create_dir_all(&directory)
        .with_context(|| format!("cannot create {}", directory.display()))?;
    let mut text = meta.to_string();
    text.push('\n');
    crate::fix::write_atomically(&directory.join(format!("{part}.json")), text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_specs_parse() {
        assert_eq!(
            "3/8".parse::<ShardSpec>(),
            Ok(ShardSpec { index: 3, count: 8 })
        );
        for bad in ["8/8", "1", "a/b", "0/0", "-1/2"] {
            assert!(bad.parse::<ShardSpec>().is_err(), "{bad}");
        }
    }
}
