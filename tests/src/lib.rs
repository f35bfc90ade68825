//! Shared helpers for Gazette's end-to-end tests: locating the repository and its fixtures.

use std::path::PathBuf;

pub mod score;

/// The repository root (the directory holding the workspace `Cargo.toml`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The bundled sample corpus: the five seed articles.
pub fn sample_corpus() -> PathBuf {
    repo_root().join("examples/sample-corpus")
}

/// The gold annotations of the sample corpus.
pub fn gold_dir() -> PathBuf {
    repo_root().join("tests/fixtures/gold")
}
