//! Findings produced by the rules, with their fixes and the safety of each fix.
//!
//! These types are shared by every front end: the CLI renders them as text, JSON, SARIF or
//! GitHub annotations, and the language server turns them into LSP diagnostics and code actions.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::text::TextRange;

/// How serious a finding is. The configuration can change a rule's default severity.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A hint: shown discreetly in editors, never fails CI on its own.
    Hint,
    /// Informational.
    Info,
    /// A warning (the default for duplicate rules).
    Warning,
    /// An error.
    Error,
}

/// Whether a fix may be applied without a human looking at it (ruff's applicability levels).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// Offered for display only; never applied automatically.
    DisplayOnly,
    /// Changes meaning or touches other files: applied only on request (`--unsafe-fixes`, a quick fix).
    Unsafe,
    /// Removes only redundant text inside the same document: `gazette check --fix` applies it.
    Safe,
}

/// One text replacement in one document.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    /// The document the edit applies to (the document key, see [`crate::diagnostic::Diagnostic::document`]).
    pub document: String,
    /// The byte range replaced.
    pub range: TextRange,
    /// The replacement text (empty to delete).
    pub replacement: String,
}

/// A suggested change that resolves a finding.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fix {
    /// Short imperative title ("Delete the repeated copy").
    pub title: String,
    /// How safe the fix is.
    pub applicability: Applicability,
    /// The edits, possibly across several documents; they never overlap.
    pub edits: Vec<Edit>,
}

/// A secondary location that explains a finding (the first copy of a duplicated paragraph).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RelatedLocation {
    /// The document key.
    pub document: String,
    /// The byte range in that document.
    pub range: TextRange,
    /// What this location is ("first copy").
    pub message: String,
}

/// One finding of one rule in one document.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// Stable rule code, such as `GZ001`.
    pub code: &'static str,
    /// The rule's kebab-case name, such as `duplicate-paragraph`.
    pub rule: &'static str,
    /// The document key: whatever the front end uses to name documents (a relative path in the
    /// CLI, a URI in the language server). Corpus order is the sorted order of these keys.
    pub document: String,
    /// The byte range the finding is about.
    pub range: TextRange,
    /// Severity after configuration.
    pub severity: Severity,
    /// A complete sentence for humans.
    pub message: String,
    /// Other places that explain the finding.
    pub related: Vec<RelatedLocation>,
    /// The fix, when there is one.
    pub fix: Option<Fix>,
}

impl Severity {
    /// The severity as written in configuration and output (`warning`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl Applicability {
    /// The applicability as written in output (`safe`, `unsafe`, `display-only`).
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::DisplayOnly => "display-only",
            Applicability::Unsafe => "unsafe",
            Applicability::Safe => "safe",
        }
    }
}
