//! `textDocument/codeAction`: quick fixes for duplicated paragraphs.
//!
//! For each finding under the cursor the server offers:
//! - the finding's own fix from the core ("Delete this copy"), marked preferred when it is safe;
//! - "Delete all repeated copies in this file" when the file has several fixable findings of
//!   the same rule;
//! - "Keep this copy, delete the others" when copies live in other documents: one workspace edit
//!   that applies, in every other document, the fix of that document's own finding.
//!
//! Display-only fixes are listed but disabled, with the reason, so that they are never applied.

use std::collections::HashMap;
use std::sync::Arc;

use gazette_core::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionDisabled, CodeActionKind, CodeActionOrCommand, CodeActionParams,
    CodeActionResponse, Range, TextEdit, Uri, WorkspaceEdit,
};

use crate::analysis::Analyzed;
use crate::convert::{self, PositionEncoding};
use crate::session::Session;
use crate::state::document_key;

/// Handles the request.
pub async fn handle(
    session: &Arc<Session>,
    params: CodeActionParams,
) -> Result<Option<CodeActionResponse>> {
    let key = document_key(&params.text_document.uri);
    let Some(analyzed) = session
        .fresh_analysis(&key, super::diagnostic::FRESHNESS_TIMEOUT)
        .await
    else {
        return Ok(None);
    };
    let encoding = session.state().encoding;
    // The document's text, to read the requested range: a closed document's is read back, and
    // must be the text the analysis saw.
    let text = match analyzed.view.text() {
        Some(text) => text.clone(),
        None => match session.current_text(&key) {
            Some((document, text)) if document.generation == analyzed.generation => text,
            _ => return Ok(None),
        },
    };
    let requested = convert::range_from_lsp(&text, params.range, encoding);
    let mut actions = Vec::new();
    for (index, diagnostic) in analyzed.diagnostics.iter().enumerate() {
        let touches =
            diagnostic.range.start <= requested.end && requested.start <= diagnostic.range.end;
        if !touches {
            continue;
        }
        let lsp_diagnostic = analyzed.lsp_diagnostics.get(index).cloned();
        let diagnostics = lsp_diagnostic.into_iter().collect::<Vec<_>>();
        if let Some(fix) = &diagnostic.fix {
            actions.push(action(session, &fix.title, fix, &diagnostics, encoding));
        }
        if let Some(fix) = delete_all_in_document(&key, &analyzed, diagnostic) {
            actions.push(action(session, &fix.title, &fix, &diagnostics, encoding));
        }
        if let Some(fix) = keep_this_copy(session, &key, diagnostic) {
            actions.push(action(session, &fix.title, &fix, &diagnostics, encoding));
        }
    }
    actions.extend(crate::review::code_actions(
        &params.text_document.uri,
        &text,
        requested,
        encoding,
    ));
    Ok((!actions.is_empty()).then_some(actions))
}

/// Edits that stay inside `key`.
fn edits_only_in(fix: &Fix, key: &str) -> bool {
    fix.edits.iter().all(|edit| edit.document == key)
}

/// Sorts edits and drops any that overlaps an earlier one, so that merged fixes stay valid.
fn merge_edits(mut edits: Vec<Edit>) -> Vec<Edit> {
    edits.sort_by_key(|edit| (edit.document.clone(), edit.range.start, edit.range.end));
    let mut merged: Vec<Edit> = Vec::with_capacity(edits.len());
    for edit in edits {
        let overlaps = merged.last().is_some_and(|last| {
            last.document == edit.document && edit.range.start < last.range.end
        });
        if !overlaps && !merged.contains(&edit) {
            merged.push(edit);
        }
    }
    merged
}

/// "Delete all repeated copies in this file": every in-document fix of the same rule.
fn delete_all_in_document(key: &str, analyzed: &Analyzed, diagnostic: &Diagnostic) -> Option<Fix> {
    let fixes: Vec<&Fix> = analyzed
        .diagnostics
        .iter()
        .filter(|other| other.code == diagnostic.code)
        .filter_map(|other| other.fix.as_ref())
        .filter(|fix| edits_only_in(fix, key))
        .collect();
    if fixes.len() < 2 {
        return None;
    }
    let applicability = fixes.iter().map(|fix| fix.applicability).min()?;
    Some(Fix {
        title: "Delete all repeated copies in this file".to_owned(),
        applicability,
        edits: merge_edits(
            fixes
                .into_iter()
                .flat_map(|fix| fix.edits.clone())
                .collect(),
        ),
    })
}

/// "Keep this copy, delete the others": for every related location in another document, the fix
/// of that document's finding over the same text.
fn keep_this_copy(session: &Session, key: &str, diagnostic: &Diagnostic) -> Option<Fix> {
    let mut edits = Vec::new();
    let mut applicability = Applicability::Safe;
    for related in diagnostic.related.iter().filter(|r| r.document != key) {
        let other = session.analyzed(&related.document)?;
        let fix = other
            .diagnostics
            .iter()
            .filter(|d| d.code == diagnostic.code && d.range.contains_range(related.range))
            .chain(
                other
                    .diagnostics
                    .iter()
                    .filter(|d| d.code == diagnostic.code && related.range.contains_range(d.range)),
            )
            .find_map(|d| {
                d.fix
                    .as_ref()
                    .filter(|fix| edits_only_in(fix, &related.document))
            });
        match fix {
            Some(fix) => {
                applicability = applicability.min(fix.applicability);
                edits.extend(fix.edits.iter().cloned());
            }
            None => {
                // The first copy in corpus order has no finding to borrow a fix from: delete
                // its paragraph with the core's deletion range (which takes the line break too).
                let range = session
                    .analysis()
                    .paragraph_deletion_range(&related.document, related.range)
                    .unwrap_or(related.range);
                applicability = Applicability::Unsafe;
                edits.push(Edit {
                    document: related.document.clone(),
                    range,
                    replacement: String::new(),
                });
            }
        }
    }
    if edits.is_empty() {
        return None;
    }
    Some(Fix {
        title: "Keep this copy, delete the others".to_owned(),
        // Deleting text from other files is never applied without a human asking.
        applicability: applicability.min(Applicability::Unsafe),
        edits: merge_edits(edits),
    })
}

/// Turns a fix into a code action; edits in documents the server no longer knows are skipped.
fn action(
    session: &Session,
    title: &str,
    fix: &Fix,
    diagnostics: &[tower_lsp_server::ls_types::Diagnostic],
    encoding: PositionEncoding,
) -> CodeActionOrCommand {
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for edit in &fix.edits {
        let Some(target) = session.analyzed(&edit.document) else {
            continue;
        };
        let range: Range = target.view.range_to_lsp(edit.range, encoding);
        changes
            .entry(target.uri.clone())
            .or_default()
            .push(TextEdit::new(range, edit.replacement.clone()));
    }
    let disabled = (fix.applicability == Applicability::DisplayOnly).then(|| CodeActionDisabled {
        reason: "this fix is shown for information and cannot be applied automatically".to_owned(),
    });
    CodeActionOrCommand::CodeAction(CodeAction {
        title: title.to_owned(),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: (!diagnostics.is_empty()).then(|| diagnostics.to_vec()),
        edit: Some(WorkspaceEdit::new(changes)),
        command: None,
        is_preferred: Some(fix.applicability == Applicability::Safe),
        disabled,
        data: None,
    })
}
