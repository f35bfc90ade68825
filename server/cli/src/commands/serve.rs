//! `gazette serve`: run the language server over stdio.
//!
//! stdout carries only protocol messages. Logs go to stderr (level from `--log-level` or the
//! `GAZETTE_LOG` environment variable, in `tracing` filter syntax) and, at the level chosen in
//! the editor settings, to the editor's output through `window/logMessage`.

use anyhow::Result;
use clap::Args;

use crate::Outcome;

/// Arguments of `gazette serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Communicate over stdin/stdout (the default and only transport; accepted because editor
    /// clients pass it).
    #[arg(long)]
    pub stdio: bool,
    /// Minimum level of the logs written to stderr: error, warn, info, debug or trace. Overrides
    /// the `GAZETTE_LOG` environment variable.
    #[arg(long, value_name = "LEVEL")]
    pub log_level: Option<String>,
}

/// Runs the server until the client sends `exit` or closes the connection.
pub fn run(args: ServeArgs) -> Result<Outcome> {
    let filter = args
        .log_level
        .or_else(|| std::env::var("GAZETTE_LOG").ok())
        .unwrap_or_else(|| "info".to_owned());
    let filter = tracing_subscriber::EnvFilter::try_new(&filter)
        .map_err(|error| anyhow::anyhow!("invalid log level {filter:?}: {error}"))?;
    // Logging must never touch stdout, which belongs to the protocol.
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(gazette_lsp::serve(tokio::io::stdin(), tokio::io::stdout()));
    // Analysis tasks still blocking on a finished session must not keep the process alive.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    Ok(Outcome::Clean)
}
