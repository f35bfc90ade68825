//! Shared helpers for Gazette's end-to-end tests: locating the repository, its fixtures and the
//! `gazette` binary, and a small LSP client.

pub mod lsp_client;

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

/// The `gazette` binary of the current build, built on first use.
///
/// `CARGO_BIN_EXE_gazette` only exists for tests of the package that owns the binary, so the
/// path is derived from this test executable (`target/<profile>/deps/…` → `target/<profile>/`)
/// and `cargo build` is run once per test process to make sure the binary exists and is fresh
/// (a no-op when it is; cargo releases its build lock before running tests).
pub fn gazette_binary() -> PathBuf {
    static BINARY: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BINARY
        .get_or_init(|| {
            let exe = std::env::current_exe().expect("test executable path");
            let profile_dir = exe
                .parent()
                .and_then(|deps| deps.parent())
                .expect("test executable lives in target/<profile>/deps")
                .to_path_buf();
            let target_dir = profile_dir
                .parent()
                .expect("target directory")
                .to_path_buf();
            let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
            let mut command = std::process::Command::new(cargo);
            command
                .current_dir(repo_root())
                .args(["build", "--quiet", "-p", "gazette", "--bin", "gazette"])
                .env("CARGO_TARGET_DIR", &target_dir);
            if profile_dir
                .file_name()
                .is_some_and(|name| name == "release")
            {
                command.arg("--release");
            }
            let status = command.status().expect("cargo runs");
            assert!(status.success(), "cargo build -p gazette failed");
            let binary = profile_dir.join(format!("gazette{}", std::env::consts::EXE_SUFFIX));
            assert!(binary.exists(), "{} was not built", binary.display());
            binary
        })
        .clone()
}
