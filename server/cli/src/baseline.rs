//! Baselines: the findings a team accepted when adopting Gazette on a dirty corpus.
//!
//! A baseline lists findings by document (relative to the configuration root), rule code and a
//! content key (the fingerprints of the paragraphs involved), never by line, so that edits
//! elsewhere in a document do not resurrect accepted findings. It is a multiset: two accepted
//! copies of the same duplicate accept two findings, and a third copy is new.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use gazette_core::diagnostic::Diagnostic;
use gazette_core::workspace::Workspace;
use serde::{Deserialize, Serialize};

use crate::commands::check::CheckedDocument;

/// The baseline file format (`version: 1`).
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    version: u32,
    findings: Vec<BaselineEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineEntry {
    document: String,
    code: String,
    key: String,
    /// For humans reading the file; not used for matching.
    message: String,
}

impl Baseline {
    /// A baseline accepting every finding in `diagnostics`.
    pub fn from_findings(
        workspace: &Workspace,
        documents: &HashMap<String, CheckedDocument>,
        diagnostics: &[Diagnostic],
    ) -> Baseline {
        let findings = diagnostics
            .iter()
            .map(|diagnostic| entry(workspace, documents, diagnostic))
            .collect();
        Baseline {
            version: 1,
            findings,
        }
    }

    /// Reads a baseline file.
    pub fn read(path: &Path) -> Result<Baseline> {
        let text = std::fs::read_to_string(path).with_context(|| {
            format!(
                "cannot read the baseline {} (create it with `gazette check --write-baseline`)",
                path.display()
            )
        })?;
        let baseline: Baseline = serde_json::from_str(&text)
            .with_context(|| format!("{}: not a Gazette baseline", path.display()))?;
        if baseline.version != 1 {
            bail!(
                "{}: unsupported baseline version {}",
                path.display(),
                baseline.version
            );
        }
        Ok(baseline)
    }

    /// Writes the baseline as pretty JSON, atomically.
    pub fn write(&self, path: &Path) -> Result<()> {
        let mut text = serde_json::to_string_pretty(self)?;
        text.push('\n');
        crate::fix::write_atomically(path, text.as_bytes())
    }

    /// The findings of `diagnostics` that the baseline does not accept.
    pub fn filter_new(
        &self,
        workspace: &Workspace,
        documents: &HashMap<String, CheckedDocument>,
        diagnostics: Vec<Diagnostic>,
    ) -> Vec<Diagnostic> {
        let mut remaining: HashMap<(String, String, String), usize> = HashMap::new();
        for entry in &self.findings {
            *remaining
                .entry((
                    entry.document.clone(),
                    entry.code.clone(),
                    entry.key.clone(),
                ))
                .or_default() += 1;
        }
        diagnostics
            .into_iter()
            .filter(|diagnostic| {
                let entry = entry(workspace, documents, diagnostic);
                match remaining.get_mut(&(entry.document, entry.code, entry.key)) {
                    Some(count) if *count > 0 => {
                        *count -= 1;
                        false
                    }
                    _ => true,
                }
            })
            .collect()
    }
}

fn entry(
    workspace: &Workspace,
    documents: &HashMap<String, CheckedDocument>,
    diagnostic: &Diagnostic,
) -> BaselineEntry {
    let document = documents
        .get(&diagnostic.document)
        .map_or_else(|| diagnostic.document.clone(), |d| d.relative.clone());
    BaselineEntry {
        document,
        code: diagnostic.code.to_owned(),
        key: format!("{:016x}", workspace.finding_key(diagnostic)),
        message: diagnostic.message.clone(),
    }
}
