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

#[cfg(test)]
mod tests {
    use super::*;
    use gazette_core::diagnostic::{Applicability, Fix, Severity};
    use gazette_core::text::TextRange;

    /// A file edited after Gazette read it is left alone (the user's edit wins over the fix);
    /// the same fix applies to the unchanged file, leaving no temporary file behind.
    #[test]
    fn a_file_changed_since_it_was_read_is_not_fixed() {
        let dir = std::env::temp_dir().join(format!("gazette-fix-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.txt");
        let analysed = "Same line here\nSame line here\n";
        let edited = "Same line here\nSame line here\nThe user typed this meanwhile.\n";
        std::fs::write(&path, edited).unwrap();
        let documents = HashMap::from([(
            "a.txt".to_owned(),
            CheckedDocument {
                path: path.clone(),
                relative: "a.txt".to_owned(),
                stamp: Some(FileStamp::of(analysed.as_bytes())),
            },
        )]);
        let diagnostic = Diagnostic {
            code: "GZ001",
            rule: "duplicate-paragraph",
            document: "a.txt".to_owned(),
            range: TextRange::new(15, 29),
            severity: Severity::Warning,
            message: "line 2 repeats line 1".to_owned(),
            related: Vec::new(),
            fix: Some(Fix {
                title: "Delete the repeated copy".to_owned(),
                applicability: Applicability::Safe,
                edits: vec![Edit {
                    document: "a.txt".to_owned(),
                    range: TextRange::new(15, 30),
                    replacement: String::new(),
                }],
            }),
        };
        let outcome = apply(std::slice::from_ref(&diagnostic), &documents, false).unwrap();
        assert!(outcome.changed.is_empty());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), edited);

        std::fs::write(&path, analysed).unwrap();
        let outcome = apply(&[diagnostic], &documents, false).unwrap();
        assert_eq!(outcome.changed, ["a.txt"]);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "Same line here\n");
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.txt"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
