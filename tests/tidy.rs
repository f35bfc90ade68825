//! Tidy checks that keep the architecture invariants honest: file headers and core purity.

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if path.is_dir() {
            if name != "target" && name != "node_modules" && !name.starts_with('.') {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

fn all_rust_files() -> Vec<PathBuf> {
    let root = gazette_tests::repo_root();
    let mut files = Vec::new();
    for dir in ["server", "tests", "xtask", "fuzz"] {
        rust_files(&root.join(dir), &mut files);
    }
    files
}

/// Every Rust file opens with a `//!` line saying what it is for.
#[test]
fn every_rust_file_starts_with_a_module_doc() {
    let offenders: Vec<_> = all_rust_files()
        .into_iter()
        .filter(|path| {
            let text = fs::read_to_string(path).unwrap();
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            !first.starts_with("//!")
        })
        .collect();
    assert!(
        offenders.is_empty(),
        "files without a `//!` header: {offenders:#?}"
    );
}

/// The core stays pure: no filesystem, no printing, no async runtime, no LSP types.
#[test]
fn core_does_no_io() {
    let root = gazette_tests::repo_root();
    let mut files = Vec::new();
    rust_files(&root.join("server/core/src"), &mut files);
    let forbidden = [
        "std::fs",
        "println!",
        "eprintln!",
        "print!(",
        "tokio",
        "tower_lsp",
        "ls_types",
        "std::io::stdout",
    ];
    let mut offenders = Vec::new();
    for path in files {
        let text = fs::read_to_string(&path).unwrap();
        // Comments may name what the core avoids; only code counts.
        let code: String = text
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for word in forbidden {
            if code.contains(word) {
                offenders.push(format!("{}: {word}", path.display()));
            }
        }
    }
    assert!(offenders.is_empty(), "IO in the core: {offenders:#?}");
    let manifest = fs::read_to_string(root.join("server/core/Cargo.toml")).unwrap();
    for dep in ["tokio", "tower-lsp", "ropey"] {
        assert!(
            !manifest.contains(dep),
            "gazette-core must not depend on {dep}"
        );
    }
}
