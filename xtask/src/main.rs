//! `cargo run -p xtask -- <task>`: developer tasks (corpus generation, schemas, benchmarks).

mod bench;
mod gen_corpus;

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "xtask")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerate schema/config.schema.json and schema/gazetteer.schema.json from the Rust types.
    Schema,
    /// Generate a deterministic corpus with known duplication (see BENCHMARKS.md).
    GenCorpus(gen_corpus::GenCorpusArgs),
    /// Print MiB/s of the exact and near-duplicate passes on a corpus (build with --release).
    Bench(bench::BenchArgs),
}

fn main() -> Result<()> {
    match Cli::parse().task {
        Task::Schema => {
            for (relative, schema) in [
                (
                    "schema/config.schema.json",
                    gazette_core::config::json_schema(),
                ),
                (
                    "schema/gazetteer.schema.json",
                    gazette_core::gazetteer::json_schema(),
                ),
                (
                    "schema/annotations.schema.json",
                    gazette_core::annotation::json_schema(),
                ),
            ] {
                let path = repo_root().join(relative);
                std::fs::write(&path, schema)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                eprintln!("wrote {}", path.display());
            }
            Ok(())
        }
        Task::GenCorpus(args) => gen_corpus::run(args),
        Task::Bench(args) => bench::run(args),
    }
}

/// The repository root (xtask lives in `<root>/xtask`).
fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent directory")
        .to_path_buf()
}
