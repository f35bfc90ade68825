//! The `gazette` binary: `gazette check|tag|serve`. The only crate that touches the filesystem.

use clap::Parser;

/// Lint, tag and serve curated corpora of plain-text documents.
#[derive(Parser, Debug)]
#[command(name = "gazette", version, about)]
enum Command {}

fn main() {
    let _ = Command::parse();
}
