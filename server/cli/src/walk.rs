//! Finding the documents of a corpus on disk: the only filesystem walking in Gazette.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Collects the `.txt` documents under `paths` (files are taken as given), sorted by path so
/// that corpus order is stable across runs and machines.
pub fn collect_documents(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut documents = Vec::new();
    for path in paths {
        let metadata =
            std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
        if metadata.is_file() {
            documents.push(path.clone());
            continue;
        }
        for entry in ignore::WalkBuilder::new(path)
            .hidden(true)
            .sort_by_file_name(Ord::cmp)
            .build()
        {
            let entry = entry.with_context(|| format!("cannot walk {}", path.display()))?;
            if entry.file_type().is_some_and(|t| t.is_file()) && is_document(entry.path()) {
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
