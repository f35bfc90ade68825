//! Replays the committed fuzz corpora (`fuzz/corpus/<target>/`) and regression inputs
//! (`fuzz/regressions/<target>/`) through the fuzz oracles in plain `cargo test`, so that every
//! crash cargo-fuzz once found stays fixed even where cargo-fuzz is not installed.

use std::path::Path;

use gazette_tests::oracles;

/// Runs `oracle` on every file of `fuzz/corpus/<target>` and `fuzz/regressions/<target>`;
/// fails when there is no input at all (a renamed directory must not silently test nothing).
fn check(target: &str, oracle: fn(&[u8])) {
    let root = gazette_tests::repo_root().join("fuzz");
    let mut inputs = 0;
    for kind in ["corpus", "regressions"] {
        let dir = root.join(kind).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<_> = entries.map(|entry| entry.unwrap().path()).collect();
        paths.sort();
        for path in paths {
            replay(&path, oracle);
            inputs += 1;
        }
    }
    assert!(
        inputs > 0,
        "no fuzz inputs for {target} under {}",
        root.display()
    );
}

fn replay(path: &Path, oracle: fn(&[u8])) {
    let bytes = std::fs::read(path).unwrap();
    let outcome = std::panic::catch_unwind(|| oracle(&bytes));
    assert!(outcome.is_ok(), "fuzz input {} fails again", path.display());
}

#[test]
fn segment() {
    check("segment", oracles::segment);
}

#[test]
fn locality() {
    check("locality", oracles::locality);
}

#[test]
fn dates() {
    check("dates", oracles::dates);
}

#[test]
fn reanchor() {
    check("reanchor", oracles::reanchor);
}

#[test]
fn config() {
    check("config", oracles::config);
}

#[test]
fn json_files() {
    check("json_files", oracles::json_files);
}

#[test]
fn incremental_edits() {
    check("incremental_edits", oracles::incremental_edits);
}
