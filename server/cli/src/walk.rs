//! Finding the documents of a corpus on disk: the only filesystem walking in Gazette.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Collects the `.txt` documents under `paths` (files are taken as given), sorted by path so
/// that corpus order is stable across runs and machines.
pub fn collect_documents(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    collect_documents_with(
        paths,
        std::sync::Arc::new(|path: &Path, is_dir| is_dir || is_document(path)),
    )
}

/// Like [`collect_documents`] with a caller's filter: `keep(path, is_dir)` decides for every
/// walked file and directory (a rejected directory is not entered). Files named explicitly in
/// `paths` are always kept, like ruff and ripgrep do.
pub fn collect_documents_with(
    paths: &[PathBuf],
    keep: std::sync::Arc<dyn Fn(&Path, bool) -> bool + Send + Sync>,
) -> Result<Vec<PathBuf>> {
    let mut documents = Vec::new();
    for path in paths {
        let metadata =
            std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
        if metadata.is_file() {
            documents.push(path.clone());
            continue;
        }
        let root = path.clone();
        let keep = keep.clone();
        for entry in ignore::WalkBuilder::new(path)
            .hidden(true)
            .sort_by_file_name(Ord::cmp)
            .filter_entry(move |entry| {
                entry.path() == root
                    || keep(entry.path(), entry.file_type().is_some_and(|t| t.is_dir()))
            })
            .build()
        {
            let entry = entry.with_context(|| format!("cannot walk {}", path.display()))?;
            if entry.file_type().is_some_and(|t| t.is_file()) {
                documents.push(entry.into_path());
            }
        }
    }
    documents.sort();
    documents.dedup();
    Ok(documents)
}

fn is_document(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "txt")
}
