//! Shared helpers for Gazette's end-to-end tests: locating the repository and its fixtures.

use std::path::PathBuf;

pub mod lsp_client;
pub mod oracles;
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

/// The `gazette` binary, built once per test process with the same profile as the tests.
///
/// The tests crate cannot name another package's binary (`CARGO_BIN_EXE_*` only covers its own
/// package), so it asks cargo to build it; when it is already up to date this takes a moment.
pub fn gazette_binary() -> PathBuf {
    static BINARY: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BINARY
        .get_or_init(|| {
            // The test executable lives in target/<profile>/deps/.
            let executable = std::env::current_exe().expect("test executable path");
            let profile_dir = executable
                .parent()
                .and_then(|deps| deps.parent())
                .expect("target/<profile>/deps")
                .to_path_buf();
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
            let mut command = std::process::Command::new(cargo);
            command
                .current_dir(repo_root())
                .args(["build", "--quiet", "-p", "gazette"]);
            if profile_dir
                .file_name()
                .is_some_and(|name| name == "release")
            {
                command.arg("--release");
            }
            if let Some(target_dir) = profile_dir.parent() {
                command.arg("--target-dir").arg(target_dir);
            }
            let status = command.status().expect("run cargo build -p gazette");
            assert!(status.success(), "cargo build -p gazette failed");
            profile_dir.join(format!("gazette{}", std::env::consts::EXE_SUFFIX))
        })
        .clone()
}

/// Checks that the committed file at `relative` (from the repository root) equals `generated`.
/// Like rust-analyzer's `ensure_file_contents`: a stale file is rewritten, then the test fails so
/// that the change is noticed and committed. `regenerate` says how to regenerate it by hand.
pub fn ensure_file_contents(relative: &str, generated: &str, regenerate: &str) {
    let path = repo_root().join(relative);
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated {
        std::fs::write(&path, generated).expect("rewrite the stale file");
        panic!("{relative} was stale and has been regenerated ({regenerate}); commit it");
    }
}

/// A scratch directory removed when dropped (tests must not leave files behind).
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    /// Creates a fresh, empty directory under the system temporary directory.
    pub fn new() -> TempDir {
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("gazette-test-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create temporary directory");
        TempDir { path }
    }

    /// The directory.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Writes `bytes` to `relative` inside the directory, creating parent directories.
    pub fn write(&self, relative: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent directories");
        }
        std::fs::write(&path, bytes).expect("write fixture file");
        path
    }

    /// Reads `relative` inside the directory as text.
    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path.join(relative)).expect("read file")
    }
}

impl Default for TempDir {
    fn default() -> Self {
        TempDir::new()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
