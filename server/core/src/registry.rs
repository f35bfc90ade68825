//! The rule table: stable codes, names, defaults and documentation of every rule.
//!
//! Codes never change meaning once released; a retired rule keeps its code reserved. A rule name
//! reads as the pattern it flags ("duplicate-paragraph"), not as the fix.

use crate::diagnostic::{Applicability, Severity};
use crate::rules;

/// Everything front ends need to know about a rule without running it.
#[derive(Debug, PartialEq, Eq)]
pub struct RuleMeta {
    /// The stable code, such as `GZ001`.
    pub code: &'static str,
    /// The kebab-case name, such as `duplicate-paragraph` (also the key in `[rules.*]`).
    pub name: &'static str,
    /// One sentence saying what the rule flags.
    pub summary: &'static str,
    /// Markdown documentation with the sections What it does / Why / Example / Fix safety.
    pub explanation: &'static str,
    /// Whether the rule runs when the configuration says nothing.
    pub default_enabled: bool,
    /// The severity when the configuration says nothing.
    pub default_severity: Severity,
    /// The applicability of the rule's fix, when it has one.
    pub fix: Option<Applicability>,
}

impl RuleMeta {
    /// The documentation URL of the rule (used in SARIF `helpUri`).
    pub fn help_uri(&self) -> String {
        format!(
            "https://example.invalid/gazette/blob/main/README.md#{}-{}",
            self.code.to_ascii_lowercase(),
            self.name
        )
    }
}

/// Every rule, in code order.
pub const RULES: [&RuleMeta; 6] = [
    &rules::duplicate_paragraph::META,
    &rules::cross_document_duplicate::META,
    &rules::near_duplicate::META,
    &rules::lone_punctuation::META,
    &rules::unreadable_document::META,
    &rules::orphaned_annotation::META,
];

/// The rule with this code (`GZ001`, case-insensitive) or name (`duplicate-paragraph`).
pub fn rule(code_or_name: &str) -> Option<&'static RuleMeta> {
    RULES
        .iter()
        .copied()
        .find(|rule| rule.code.eq_ignore_ascii_case(code_or_name) || rule.name == code_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_documented() {
        for (i, a) in RULES.iter().enumerate() {
            for b in &RULES[i + 1..] {
                assert_ne!(a.code, b.code);
                assert_ne!(a.name, b.name);
            }
            for section in ["## What it does", "## Why", "## Example", "## Fix safety"] {
                assert!(
                    a.explanation.contains(section),
                    "{} lacks {section}",
                    a.code
                );
            }
        }
        assert_eq!(rule("gz003").map(|r| r.name), Some("near-duplicate"));
        assert_eq!(rule("lone-punctuation").map(|r| r.code), Some("GZ004"));
    }
}
