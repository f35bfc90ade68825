//! `gazette check --fix`: applying fixes to files, atomically and only to unchanged files.
//!
//! A file is rewritten only when its bytes still match what was analysed (same size and xxh3
//! hash), through a temporary file in the same directory that is flushed to disk and renamed
//! over the original. A crash leaves either the old or the new file, never half of each.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use gazette_core::diagnostic::{Diagnostic, Edit};

use crate::commands::check::{CheckedDocument, is_applied};

/// The size and hash of the bytes Gazette analysed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStamp {
    len: u64,
    hash: u64,
}

impl FileStamp {
    /// The stamp of `bytes`.
    pub fn of(bytes: &[u8]) -> FileStamp {
        FileStamp {
            len: bytes.len() as u64,
            hash: xxhash_rust::xxh3::xxh3_64(bytes),
        }
    }
}

/// What `apply` did.
pub struct FixOutcome {
    /// Number of findings whose fix was applied.
    pub fixed: usize,
    /// Keys of the documents rewritten.
    pub changed: Vec<String>,
}

/// Applies the fixes of `diagnostics` that `--fix` (and `--unsafe-fixes`) allow. Overlapping
/// fixes are applied first come, first served; the rest wait for the next run.
pub fn apply(
    diagnostics: &[Diagnostic],
    documents: &HashMap<String, CheckedDocument>,
    unsafe_fixes: bool,
) -> Result<FixOutcome> {
    let mut by_document: BTreeMap<&str, Vec<&Edit>> = BTreeMap::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for diagnostic in diagnostics {
        let Some(fix) = &diagnostic.fix else { continue };
        if !is_applied(fix.applicability, unsafe_fixes) {
            continue;
        }
        // Fixes that edit other documents are left to the editor.
        if fix.edits.iter().any(|e| e.document != diagnostic.document) {
            continue;
        }
        let edits = by_document.entry(&diagnostic.document).or_default();
        let overlaps = fix.edits.iter().any(|new| {
            edits
                .iter()
                .any(|old| new.range.start < old.range.end && old.range.start < new.range.end)
        });
        if overlaps {
            continue;
        }
        edits.extend(fix.edits.iter());
        *counts.entry(&diagnostic.document).or_default() += 1;
    }
    let mut outcome = FixOutcome {
        fixed: 0,
        changed: Vec::new(),
    };
    for (key, mut edits) in by_document {
        if edits.is_empty() {
            continue;
        }
        let Some(document) = documents.get(key) else {
            continue;
        };
        let bytes = std::fs::read(&document.path)
            .with_context(|| format!("cannot read {}", document.path.display()))?;
        if Some(FileStamp::of(&bytes)) != document.stamp {
            eprintln!(
                "gazette: warning: {} changed while it was checked; not fixed",
                document.path.display()
            );
            continue;
        }
        edits.sort_by_key(|edit| std::cmp::Reverse(edit.range.start));
        let mut fixed = bytes;
        for edit in edits {
            let range = edit.range.to_usize();
            if range.end > fixed.len() {
                continue;
            }
            fixed.splice(range, edit.replacement.bytes());
        }
        write_atomically(&document.path, &fixed)?;
        outcome.fixed += counts.get(key).copied().unwrap_or(0);
        outcome.changed.push(key.to_owned());
    }
    Ok(outcome)
}

/// Replaces `path` with `bytes` through a flushed temporary file and a rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let directory = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "document".into(), |n| n.to_string_lossy().into_owned());
    let temporary = directory.join(format!(".{name}.gazette-{}.tmp", std::process::id()));
    let result = (|| -> Result<()> {
        let mut file = std::fs::File::create(&temporary)
            .with_context(|| format!("cannot create {}", temporary.display()))?;
        file.write_all(bytes)?;
        file.sync_all()?;
        if let Ok(metadata) = std::fs::metadata(path) {
            std::fs::set_permissions(&temporary, metadata.permissions())?;
        }
        std::fs::rename(&temporary, path)
            .with_context(|| format!("cannot replace {}", path.display()))?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}
