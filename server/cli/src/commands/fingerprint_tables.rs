//! The Parquet tables of `gazette fingerprint` and of the global pass, and how to read findings.
//!
//! The layout of a shard directory (`--out DIR`), one file per shard in each table so that any
//! engine that reads a directory of Parquet files (Spark, DataFusion, DuckDB) sees one table:
//!
//! ```text
//! DIR/paragraphs/part-00003-of-00008.parquet   one row per paragraph that can be a duplicate
//! DIR/bands/part-00003-of-00008.parquet        one row per (paragraph, LSH band)
//! DIR/local_findings/part-...parquet           complete findings of the local rules
//! DIR/mentions/part-...parquet                 entity mentions (document, span, label, norm)
//! DIR/meta/part-00003-of-00008.json            shard number, corpus identity, rule settings
//! ```
//!
//! Files are written with the low-level column writer of the `parquet` crate (no Arrow: it
//! would triple the build) and renamed into place when complete, so a reader never sees half a
//! shard. Findings (`local_findings` and the output of the global pass) share one schema; their
//! related locations and fix are JSON strings, which keeps the schema flat and the same whether
//! Rust or Spark wrote it.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, anyhow, bail};
use gazette_core::diagnostic::{Applicability, Diagnostic, Edit, Fix, RelatedLocation};
use gazette_core::text::TextRange;
use parquet::basic::Compression;
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::reader::FileReader;
use parquet::file::serialized_reader::SerializedFileReader;
use parquet::file::writer::SerializedFileWriter;
use parquet::record::Field;
use serde::{Deserialize, Serialize};

/// Schema of `paragraphs/`. `ordinal` is the document's position in the walk of all paths
/// (the order `gazette check` indexes documents in); `signature` holds the 80 b-bit MinHash
/// values when the paragraph is signed.
pub const PARAGRAPHS_SCHEMA: &str = "message paragraph {
  REQUIRED BYTE_ARRAY document (STRING);
  REQUIRED INT64 ordinal;
  REQUIRED INT32 paragraph;
  REQUIRED INT64 range_start;
  REQUIRED INT64 range_end;
  REQUIRED INT32 first_line;
  REQUIRED INT32 last_line;
  REQUIRED INT64 delete_start;
  REQUIRED INT64 delete_end;
  REQUIRED INT64 fingerprint;
  REQUIRED INT32 words;
  REQUIRED BOOLEAN counts;
  REQUIRED BOOLEAN repeat;
  OPTIONAL group signature (LIST) {
    REPEATED group list {
      REQUIRED INT32 element;
    }
  }
}";

/// Schema of `bands/`: the LSH band keys of signed paragraphs.
pub const BANDS_SCHEMA: &str = "message band {
  REQUIRED INT64 band_key;
  REQUIRED INT32 band;
  REQUIRED INT64 ordinal;
  REQUIRED INT32 paragraph;
}";

/// Schema of findings: `local_findings/` and the global pass's output.
pub const FINDINGS_SCHEMA: &str = "message finding {
  REQUIRED BYTE_ARRAY document (STRING);
  REQUIRED BYTE_ARRAY code (STRING);
  REQUIRED INT64 range_start;
  REQUIRED INT64 range_end;
  REQUIRED BYTE_ARRAY message (STRING);
  REQUIRED BYTE_ARRAY related (STRING);
  OPTIONAL BYTE_ARRAY fix (STRING);
}";

/// Schema of `mentions/`: entity mentions with byte offsets.
pub const MENTIONS_SCHEMA: &str = "message mention {
  REQUIRED BYTE_ARRAY document (STRING);
  REQUIRED INT64 range_start;
  REQUIRED INT64 range_end;
  REQUIRED BYTE_ARRAY label (STRING);
  OPTIONAL BYTE_ARRAY norm (STRING);
  REQUIRED BYTE_ARRAY text (STRING);
}";

/// The values of one column of a row group, in schema order.
pub enum Column {
    /// `REQUIRED BYTE_ARRAY (STRING)`.
    Text(Vec<String>),
    /// `OPTIONAL BYTE_ARRAY (STRING)`.
    OptionalText(Vec<Option<String>>),
    /// `REQUIRED INT64`.
    Long(Vec<i64>),
    /// `REQUIRED INT32`.
    Int(Vec<i32>),
    /// `REQUIRED BOOLEAN`.
    Bool(Vec<bool>),
    /// `OPTIONAL group (LIST) { REPEATED group list { REQUIRED INT32 element } }`.
    OptionalIntList(Vec<Option<Vec<i32>>>),
}

/// One Parquet file being written: row groups are appended, and the file appears under its
/// final name only when [`TableWriter::finish`] succeeds.
pub struct TableWriter {
    writer: SerializedFileWriter<File>,
    temporary: PathBuf,
    path: PathBuf,
}

impl TableWriter {
    /// Starts `path` with the schema `message_type`.
    pub fn create(path: &Path, message_type: &str) -> Result<TableWriter> {
        let schema = parquet::schema::parser::parse_message_type(message_type)
            .map_err(|error| anyhow!("invalid Parquet schema: {error}"))?;
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("gazette {}", env!("CARGO_PKG_VERSION")))
            .build();
        let directory = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(directory)
            .with_context(|| format!("cannot create {}", directory.display()))?;
        // A dot name: Spark and other readers skip hidden files, so a crashed run leaves
        // nothing that looks like data.
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let temporary = directory.join(format!(".{name}.tmp"));
        let file = File::create(&temporary)
            .with_context(|| format!("cannot create {}", temporary.display()))?;
        let writer = SerializedFileWriter::new(file, Arc::new(schema), Arc::new(properties))?;
        Ok(TableWriter {
            writer,
            temporary,
            path: path.to_path_buf(),
        })
    }

    /// Appends one row group; `columns` follow the schema's order and have equal lengths.
    pub fn write_row_group(&mut self, columns: Vec<Column>) -> Result<()> {
        let mut row_group = self.writer.next_row_group()?;
        for column in columns {
            let mut writer = row_group
                .next_column()?
                .ok_or_else(|| anyhow!("more columns than the schema has"))?;
            match column {
                Column::Text(values) => {
                    let values: Vec<ByteArray> = values
                        .into_iter()
                        .map(|v| ByteArray::from(v.into_bytes()))
                        .collect();
                    writer
                        .typed::<ByteArrayType>()
                        .write_batch(&values, None, None)?;
                }
                Column::OptionalText(values) => {
                    let levels: Vec<i16> = values.iter().map(|v| i16::from(v.is_some())).collect();
                    let values: Vec<ByteArray> = values
                        .into_iter()
                        .flatten()
                        .map(|v| ByteArray::from(v.into_bytes()))
                        .collect();
                    writer
                        .typed::<ByteArrayType>()
                        .write_batch(&values, Some(&levels), None)?;
                }
                Column::Long(values) => {
                    writer
                        .typed::<Int64Type>()
                        .write_batch(&values, None, None)?;
                }
                Column::Int(values) => {
                    writer
                        .typed::<Int32Type>()
                        .write_batch(&values, None, None)?;
                }
                Column::Bool(values) => {
                    writer
                        .typed::<BoolType>()
                        .write_batch(&values, None, None)?;
                }
                Column::OptionalIntList(lists) => {
                    // Definition level 0: no list; 1: an empty list; 2: an element.
                    // Repetition level 0 starts a row, 1 continues its list.
                    let (mut values, mut definitions, mut repetitions) =
                        (Vec::new(), Vec::new(), Vec::new());
                    for list in lists {
                        match list {
                            None => {
                                definitions.push(0);
                                repetitions.push(0);
                            }
                            Some(list) if list.is_empty() => {
                                definitions.push(1);
                                repetitions.push(0);
                            }
                            Some(list) => {
                                for (index, value) in list.into_iter().enumerate() {
                                    values.push(value);
                                    definitions.push(2);
                                    repetitions.push(i16::from(index > 0));
                                }
                            }
                        }
                    }
                    writer.typed::<Int32Type>().write_batch(
                        &values,
                        Some(&definitions),
                        Some(&repetitions),
                    )?;
                }
            }
            writer.close()?;
        }
        if row_group.next_column()?.is_some() {
            bail!("fewer columns than the schema has");
        }
        row_group.close()?;
        Ok(())
    }

    /// Completes the file and moves it to its final name.
    pub fn finish(self) -> Result<()> {
        let file = self.writer.into_inner()?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&self.temporary, &self.path)
            .with_context(|| format!("cannot write {}", self.path.display()))
    }
}

/// Columns of [`FINDINGS_SCHEMA`] for `diagnostics`.
pub fn findings_columns(diagnostics: &[Diagnostic]) -> Vec<Column> {
    let related = |diagnostic: &Diagnostic| {
        let related: Vec<RelatedRow> = diagnostic
            .related
            .iter()
            .map(|related| RelatedRow {
                document: related.document.clone(),
                start: i64::from(related.range.start),
                end: i64::from(related.range.end),
                message: related.message.clone(),
            })
            .collect();
        serde_json::to_string(&related).expect("plain data serialises")
    };
    let fix = |diagnostic: &Diagnostic| {
        diagnostic.fix.as_ref().map(|fix| {
            let row = FixRow {
                title: fix.title.clone(),
                applicability: fix.applicability.as_str().to_owned(),
                edits: fix
                    .edits
                    .iter()
                    .map(|edit| EditRow {
                        document: edit.document.clone(),
                        start: i64::from(edit.range.start),
                        end: i64::from(edit.range.end),
                        replacement: edit.replacement.clone(),
                    })
                    .collect(),
            };
            serde_json::to_string(&row).expect("plain data serialises")
        })
    };
    vec![
        Column::Text(diagnostics.iter().map(|d| d.document.clone()).collect()),
        Column::Text(diagnostics.iter().map(|d| d.code.to_owned()).collect()),
        Column::Long(
            diagnostics
                .iter()
                .map(|d| i64::from(d.range.start))
                .collect(),
        ),
        Column::Long(diagnostics.iter().map(|d| i64::from(d.range.end)).collect()),
        Column::Text(diagnostics.iter().map(|d| d.message.clone()).collect()),
        Column::Text(diagnostics.iter().map(related).collect()),
        Column::OptionalText(diagnostics.iter().map(fix).collect()),
    ]
}

/// A related location as stored in the `related` column (a JSON array of these).
#[derive(Debug, Serialize, Deserialize)]
struct RelatedRow {
    document: String,
    start: i64,
    end: i64,
    message: String,
}

/// A fix as stored in the `fix` column.
#[derive(Debug, Serialize, Deserialize)]
struct FixRow {
    title: String,
    applicability: String,
    edits: Vec<EditRow>,
}

#[derive(Debug, Serialize, Deserialize)]
struct EditRow {
    document: String,
    start: i64,
    end: i64,
    replacement: String,
}

/// Reads every finding of a findings table: `dir` itself or `dir/findings`, every `*.parquet`
/// file in it (Spark writes `part-*.parquet` plus marker files). Severity and rule name come
/// from the registry and `config`; findings of disabled rules are dropped.
pub fn read_findings(dir: &Path, config: &gazette_core::config::Config) -> Result<Vec<Diagnostic>> {
    let nested = dir.join("findings");
    let dir = if nested.is_dir() { nested } else { dir.into() };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot read the findings table {}", dir.display()))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.retain(|path| {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        name.ends_with(".parquet") && !name.starts_with(['.', '_'])
    });
    files.sort();
    if files.is_empty() {
        bail!(
            "{} holds no .parquet files: pass the output directory of scale/spark/global_pass.py",
            dir.display()
        );
    }
    let mut diagnostics = Vec::new();
    for path in files {
        let reader = File::open(&path)
            .map_err(anyhow::Error::from)
            .and_then(|file| Ok(SerializedFileReader::new(file)?))
            .with_context(|| format!("cannot read {}", path.display()))?;
        for row in reader.get_row_iter(None)? {
            let row = row?;
            let finding = finding_from_row(&row)
                .with_context(|| format!("{}: not a Gazette findings table", path.display()))?;
            if let Some(diagnostic) = finding.into_diagnostic(config)? {
                diagnostics.push(diagnostic);
            }
        }
    }
    Ok(diagnostics)
}

#[derive(Default)]
struct FindingRow {
    document: Option<String>,
    code: Option<String>,
    start: Option<i64>,
    end: Option<i64>,
    message: Option<String>,
    related: Option<String>,
    fix: Option<String>,
}

fn finding_from_row(row: &parquet::record::Row) -> Result<FindingRow> {
    let mut finding = FindingRow::default();
    for (name, field) in row.get_column_iter() {
        let text = || match field {
            Field::Str(value) => Some(value.clone()),
            _ => None,
        };
        let number = || match field {
            Field::Long(value) => Some(*value),
            Field::Int(value) => Some(i64::from(*value)),
            _ => None,
        };
        match name.as_str() {
            "document" => finding.document = text(),
            "code" => finding.code = text(),
            "range_start" => finding.start = number(),
            "range_end" => finding.end = number(),
            "message" => finding.message = text(),
            "related" => finding.related = text(),
            "fix" => finding.fix = text(),
            _ => {}
        }
    }
    Ok(finding)
}

impl FindingRow {
    fn into_diagnostic(self, config: &gazette_core::config::Config) -> Result<Option<Diagnostic>> {
        let missing = |column: &str| anyhow!("missing or mistyped column `{column}`");
        let code = self.code.ok_or_else(|| missing("code"))?;
        let meta = gazette_core::registry::rule(&code)
            .ok_or_else(|| anyhow!("unknown rule code {code}"))?;
        let settings = config.rules.get(meta.name);
        if !settings.enabled.unwrap_or(meta.default_enabled) {
            return Ok(None);
        }
        let related: Vec<RelatedRow> =
            serde_json::from_str(&self.related.ok_or_else(|| missing("related"))?)
                .context("column `related`")?;
        let fix = match self.fix {
            None => None,
            Some(json) => {
                let row: FixRow = serde_json::from_str(&json).context("column `fix`")?;
                let applicability = match row.applicability.as_str() {
                    "safe" => Applicability::Safe,
                    "unsafe" => Applicability::Unsafe,
                    "display-only" => Applicability::DisplayOnly,
                    other => bail!("unknown fix applicability `{other}`"),
                };
                Some(Fix {
                    title: row.title,
                    applicability,
                    edits: row
                        .edits
                        .into_iter()
                        .map(|edit| {
                            Ok(Edit {
                                document: edit.document,
                                range: range(edit.start, edit.end)?,
                                replacement: edit.replacement,
                            })
                        })
                        .collect::<Result<_>>()?,
                })
            }
        };
        Ok(Some(Diagnostic {
            code: meta.code,
            rule: meta.name,
            document: self.document.ok_or_else(|| missing("document"))?,
            range: range(
                self.start.ok_or_else(|| missing("range_start"))?,
                self.end.ok_or_else(|| missing("range_end"))?,
            )?,
            severity: settings.severity.unwrap_or(meta.default_severity),
            message: self.message.ok_or_else(|| missing("message"))?,
            related: related
                .into_iter()
                .map(|row| {
                    Ok(RelatedLocation {
                        document: row.document,
                        range: range(row.start, row.end)?,
                        message: row.message,
                    })
                })
                .collect::<Result<_>>()?,
            fix,
        }))
    }
}

fn range(start: i64, end: i64) -> Result<TextRange> {
    match (u32::try_from(start), u32::try_from(end)) {
        (Ok(start), Ok(end)) if start <= end => Ok(TextRange::new(start, end)),
        _ => bail!("invalid byte range {start}..{end}"),
    }
}
