//! The `gazette` binary: `gazette check|tag|serve`. The only crate that touches the filesystem.
//!
//! Exit codes follow ruff and ripgrep: 0 when nothing was found, 1 when findings were reported,
//! 2 for usage, IO or configuration errors. A closed stdout (`gazette check | head`) is not an
//! error.

mod baseline;
mod commands;
mod config_file;
mod fix;
mod printer;
mod progress;
mod walk;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Lint, tag and serve curated corpora of plain-text documents.
#[derive(Parser, Debug)]
#[command(name = "gazette", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Find duplicated paragraphs and other problems; exit 1 when anything is found.
    Check(commands::check::CheckArgs),
    /// Write one shard of paragraph fingerprints, band keys and entity mentions (Parquet) for a
    /// distributed global pass (see scale/spark/README.md).
    Fingerprint(commands::fingerprint::FingerprintArgs),
    /// Tag localities, persons, organisations, dates and durations.
    Tag(commands::tag::TagArgs),
    /// Run the language server over stdio (for editors).
    Serve(commands::serve::ServeArgs),
    /// Export reviewed annotations (and suggestions) as JSONL, brat, CoNLL, W3C JSON-LD or TEI.
    Export(commands::annotations::ExportArgs),
    /// Import annotations from brat or JSONL into `.gazette/annotations`.
    Import(commands::annotations::ImportArgs),
    /// Write a self-contained HTML report on the corpus (findings, duplicates, map, dates, names).
    Report(commands::report::ReportArgs),
}

/// What a command asks `main` to exit with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing found (exit 0).
    Clean,
    /// Findings reported (exit 1).
    Findings,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => commands::check::run(args),
        Command::Fingerprint(args) => commands::fingerprint::run(args),
        Command::Tag(args) => commands::tag::run(args),
        Command::Serve(args) => commands::serve::run(args),
        Command::Export(args) => commands::annotations::run_export(args),
        Command::Import(args) => commands::annotations::run_import(args),
        Command::Report(args) => commands::report::run(args),
    };
    match result {
        Ok(Outcome::Clean) => ExitCode::from(0),
        Ok(Outcome::Findings) => ExitCode::from(1),
        Err(error) => {
            if is_broken_pipe(&error) {
                return ExitCode::from(0);
            }
            eprintln!("gazette: error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// A reader that went away (`gazette tag | head`) ends the run quietly, like ripgrep.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
