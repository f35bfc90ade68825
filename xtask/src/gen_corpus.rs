//! `cargo xtask gen-corpus`: a deterministic corpus with known duplication, for benchmarks.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

/// Arguments of `gen-corpus`.
#[derive(Args)]
pub struct GenCorpusArgs {
    /// Output directory.
    #[arg(long, default_value = "bench-data/corpus")]
    pub out: PathBuf,
}

/// Generates the corpus.
pub fn run(_args: GenCorpusArgs) -> Result<()> {
    anyhow::bail!("gen-corpus is not implemented yet")
}
