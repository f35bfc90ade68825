//! The rules, one per file, and the driver that runs the enabled ones on a document.
//!
//! Each rule file holds its [`crate::registry::RuleMeta`] (code, name, defaults and the What /
//! Why / Example / Fix safety documentation) and a `check` function over a [`Context`].

pub mod cross_document_duplicate;
pub mod duplicate_paragraph;
pub mod lone_punctuation;
pub mod near_duplicate;
pub mod orphaned_annotation;
pub mod unreadable_document;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::registry::RuleMeta;
use crate::workspace::{DocumentSummary, Workspace};

/// What a rule sees of the workspace while checking one document.
pub(crate) struct Context<'a> {
    pub(crate) workspace: &'a Workspace,
    pub(crate) id: u32,
    pub(crate) key: &'a str,
    pub(crate) summary: &'a DocumentSummary,
    pub(crate) config: &'a Config,
    /// For each paragraph, the first earlier paragraph of the same document with the same
    /// fingerprint (only paragraphs of at least `paragraphs.min-words` words).
    pub(crate) first_copy: Vec<Option<u32>>,
}

impl Context<'_> {
    /// True when paragraph `index` is long enough to be an exact duplicate.
    pub(crate) fn counts_as_duplicate(&self, index: usize) -> bool {
        self.summary.paragraphs()[index].words >= self.config.paragraphs.min_words.max(1)
    }

    /// True when paragraph `index` repeats another paragraph exactly and an exact rule reports it
    /// (so the near-duplicate rule stays quiet about it).
    pub(crate) fn is_exact_duplicate(&self, index: usize) -> bool {
        self.first_copy[index].is_some() || cross_document_duplicate::has_earlier_copy(self, index)
    }

    /// The severity of `rule` when it is enabled.
    pub(crate) fn severity(&self, rule: &RuleMeta) -> Option<Severity> {
        let settings = self.config.rules.get(rule.name);
        if settings.enabled.unwrap_or(rule.default_enabled) {
            Some(settings.severity.unwrap_or(rule.default_severity))
        } else {
            None
        }
    }
}

/// Runs every enabled rule on document `id`.
pub(crate) fn check_document(workspace: &Workspace, id: u32) -> Vec<Diagnostic> {
    let Some(summary) = workspace.entry_summary(id) else {
        return Vec::new();
    };
    let key = workspace.entry_key(id);
    let mut context = Context {
        workspace,
        id,
        key,
        summary,
        config: workspace.config(),
        first_copy: Vec::new(),
    };
    context.first_copy = duplicate_paragraph::first_copies(&context);
    let mut diagnostics = Vec::new();
    unreadable_document::check(&context, &mut diagnostics);
    duplicate_paragraph::check(&context, &mut diagnostics);
    cross_document_duplicate::check(&context, &mut diagnostics);
    near_duplicate::check(&context, &mut diagnostics);
    lone_punctuation::check(&context, &mut diagnostics);
    diagnostics
}

/// "line 11" or "lines 10–14" for 0-based lines.
pub(crate) fn lines_label(first_line: u32, last_line: u32) -> String {
    if first_line == last_line {
        format!("line {}", first_line + 1)
    } else {
        format!("lines {}–{}", first_line + 1, last_line + 1)
    }
}

#[cfg(test)]
mod tests;
