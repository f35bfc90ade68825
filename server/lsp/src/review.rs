//! Reviewing suggested tags from the editor: code actions and commands that record curators'
//! decisions in the annotation store, and the orphaned-annotation diagnostics.
//!
//! Decisions are written through `gazette-store` (atomic, conflict-checked), to the same files
//! `gazette tag` and `gazette export` read. Every command carries the text it was offered for
//! and is refused when the document no longer has that text there, so a stale code action can
//! never annotate the wrong words.

use std::path::PathBuf;
use std::sync::Arc;

use gazette_core::annotation::anchor::{reanchor_file, rebase};
use gazette_core::annotation::overlay::{ReviewedSpan, SpanOrigin, review_document};
use gazette_core::annotation::{Annotation, AnnotationFile, AnnotationStatus, NewAnnotation};
use gazette_core::rules::orphaned_annotation;
use gazette_core::tag::locality::LocalityTagger;
use gazette_core::tag::{EntityLabel, EntitySpan, TaggingConfig, tag_document_with};
use gazette_core::text::TextRange;
use gazette_store::AnnotationStore;
use ropey::Rope;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Command, Range, Uri,
};

use crate::convert::{self, PositionEncoding};
use crate::session::Session;
use crate::state::document_key;

/// Records one decision: `DecideArguments`.
pub const DECIDE_COMMAND: &str = "gazette.review.decide";
/// Accepts every suggestion of one label in a document: `AcceptAllArguments`.
pub const ACCEPT_ALL_COMMAND: &str = "gazette.review.acceptAll";
/// Deletes one stored annotation: `AnnotationIdArguments`.
pub const DELETE_COMMAND: &str = "gazette.review.delete";
/// Re-attaches an orphaned annotation to a new span: `ReattachArguments`.
pub const REATTACH_COMMAND: &str = "gazette.review.reattach";

/// Every command of this module, for the server's capabilities.
pub const COMMANDS: [&str; 4] = [
    DECIDE_COMMAND,
    ACCEPT_ALL_COMMAND,
    DELETE_COMMAND,
    REATTACH_COMMAND,
];

/// Arguments of [`DECIDE_COMMAND`]; also what an editor sends to annotate a selection with a
/// chosen label ("Gazette: annotate selection").
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DecideArguments {
    /// The document.
    pub uri: Uri,
    /// The span, in the negotiated position encoding.
    pub range: Range,
    /// The text the span must still hold; omitted, the span's current text is taken as is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The label.
    pub label: EntityLabel,
    /// The normalised value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub norm: Option<String>,
    /// Accept (or correct, or add) / reject.
    pub status: AnnotationStatus,
}

/// Arguments of [`ACCEPT_ALL_COMMAND`].
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AcceptAllArguments {
    /// The document.
    pub uri: Uri,
    /// The label whose suggestions to accept.
    pub label: EntityLabel,
}

/// Arguments of [`DELETE_COMMAND`].
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AnnotationIdArguments {
    /// The document.
    pub uri: Uri,
    /// The annotation's id.
    pub id: String,
}

/// Arguments of [`REATTACH_COMMAND`].
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReattachArguments {
    /// The document.
    pub uri: Uri,
    /// The annotation's id.
    pub id: String,
    /// The new span, in the negotiated position encoding.
    pub range: Range,
}

/// Where a document's annotations live: the store of its corpus and its relative path.
fn store_of(uri: &Uri) -> Option<(AnnotationStore, PathBuf)> {
    let path = uri.to_file_path()?.into_owned();
    let root = gazette_store::corpus_root_for(&path);
    let canonical = std::fs::canonicalize(&path).unwrap_or(path);
    let relative = canonical.strip_prefix(&root).ok()?.to_path_buf();
    Some((AnnotationStore::new(root), relative))
}

fn load_file(uri: &Uri) -> Option<AnnotationFile> {
    let (store, relative) = store_of(uri)?;
    store.load(&relative).ok().map(|loaded| loaded.file)
}

/// The tagger's suggestions for `text` with the stored decisions applied: what tokens, hovers and
/// references should show.
pub fn reviewed_spans(uri: &Uri, text: &str) -> Vec<ReviewedSpan> {
    let suggestions =
        tag_document_with(text, &TaggingConfig::default(), LocalityTagger::builtin()).spans;
    review_suggestions(uri, text, &suggestions)
}

/// Applies the decisions stored for the document at `uri` over `suggestions`.
pub fn review_suggestions(uri: &Uri, text: &str, suggestions: &[EntitySpan]) -> Vec<ReviewedSpan> {
    let file = load_file(uri).unwrap_or_else(|| AnnotationFile::new(""));
    review_document(text, &file, suggestions).0
}

/// Brings the stored selectors of a saved document up to date with its text, so that the file on
/// disk describes the text on disk (other tools read the position selectors as they are). Writes
/// only when something moved, through the store (atomic, merged with concurrent writers); a
/// document without annotations never gets a file. Returns how many annotations were refreshed.
pub fn persist_reanchored(uri: &Uri, text: &str) -> std::result::Result<usize, String> {
    let Some((store, relative)) = store_of(uri) else {
        return Ok(0);
    };
    let loaded = store.load(&relative).map_err(|error| error.to_string())?;
    if loaded.file.annotations.is_empty() || !reanchor_file(text, &loaded.file).changed {
        return Ok(0);
    }
    let mut refreshed = 0;
    store
        .update(&relative, |file| {
            let reanchored = reanchor_file(text, file);
            refreshed = reanchored
                .file
                .annotations
                .iter()
                .filter(|annotation| !file.annotations.contains(annotation))
                .count();
            if reanchored.changed {
                *file = reanchored.file;
            }
        })
        .map_err(|error| error.to_string())?;
    Ok(refreshed)
}

/// The document an annotation file belongs to: `ROOT/.gazette/annotations/REL.json` is the
/// annotation file of `ROOT/REL`.
pub fn document_of_annotation_file(path: &std::path::Path) -> Option<PathBuf> {
    let components: Vec<_> = path.components().collect();
    let at = components.windows(2).rposition(|pair| {
        pair[0].as_os_str() == ".gazette" && pair[1].as_os_str() == "annotations"
    })?;
    let root: PathBuf = components[..at].iter().collect();
    let relative: PathBuf = components[at + 2..].iter().collect();
    let name = relative
        .file_name()?
        .to_str()?
        .strip_suffix(".json")?
        .to_owned();
    if name.is_empty() {
        return None;
    }
    Some(root.join(relative.with_file_name(name)))
}

/// Which directories' documents may have annotation files, remembered for one analysis run.
///
/// Finding a document's annotation file costs a `canonicalize`, a walk up the directories to its
/// corpus root and a read; the flush at the end of indexing asks for thousands of documents of
/// a few directories, where that cost more than the duplicate rules. A corpus root without an
/// annotations directory (or with a symbolic link there, which the store refuses) has no
/// annotation file for any document, so one look per directory answers for all of them.
#[derive(Debug, Default)]
pub struct AnnotationDirectories(std::sync::Mutex<std::collections::HashMap<PathBuf, bool>>);

impl AnnotationDirectories {
    /// False when the document at `uri` certainly has no annotation file.
    pub fn may_have_annotations(&self, uri: &Uri) -> bool {
        let Some(path) = uri.to_file_path() else {
            return true;
        };
        let Some(directory) = path.parent() else {
            return true;
        };
        let known = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(directory)
            .copied();
        if let Some(known) = known {
            return known;
        }
        let root = gazette_store::corpus_root_for(&path);
        let annotations = root.join(gazette_store::ANNOTATIONS_DIR);
        let found = std::fs::symlink_metadata(&annotations).is_ok_and(|metadata| metadata.is_dir());
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(directory.to_path_buf(), found);
        found
    }
}

/// The orphaned-annotation findings of a document, for the analysis worker to publish with the
/// duplicate findings.
///
/// `text` gives the document's text; it is called only when the document has stored
/// annotations (a closed document's text is then read back from disk), and no text means no
/// findings.
pub fn orphan_diagnostics(
    uri: &Uri,
    text: impl FnOnce() -> Option<String>,
) -> Vec<gazette_core::diagnostic::Diagnostic> {
    let Some(file) = load_file(uri).filter(|file| !file.annotations.is_empty()) else {
        return Vec::new();
    };
    let Some(text) = text() else {
        return Vec::new();
    };
    orphaned_annotation::check(uri.as_str(), &text, &file)
        .into_iter()
        .map(|orphan| orphan.diagnostic)
        .collect()
}

/// A code action that runs `name` with `arguments` when chosen.
fn command_action<T: Serialize>(
    title: String,
    kind: CodeActionKind,
    name: &str,
    arguments: &T,
) -> CodeActionOrCommand {
    action(title.clone(), kind, command(title, name, arguments))
}

fn command<T: Serialize>(title: String, name: &str, arguments: &T) -> Command {
    Command {
        title,
        command: name.to_owned(),
        arguments: Some(vec![
            serde_json::to_value(arguments).expect("arguments serialize"),
        ]),
    }
}

fn action(title: String, kind: CodeActionKind, command: Command) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(kind),
        command: Some(command),
        ..CodeAction::default()
    })
}

/// The review actions for `requested` (a byte range) in a document.
pub fn code_actions(
    uri: &Uri,
    rope: &Rope,
    requested: TextRange,
    encoding: PositionEncoding,
) -> Vec<CodeActionOrCommand> {
    let text = rope.to_string();
    let mut actions = Vec::new();
    if store_of(uri).is_none() {
        return actions;
    }
    let to_lsp = |range: TextRange| convert::range_to_lsp(rope, range, encoding);
    let quote = |range: TextRange| text[range.to_usize()].to_owned();
    let review = CodeActionKind::new("refactor.gazette.review");
    let all_spans = reviewed_spans(uri, &text);
    let touching: Vec<&ReviewedSpan> = all_spans
        .iter()
        .filter(|r| r.span.range.start <= requested.end && requested.start <= r.span.range.end)
        .collect();
    for reviewed in &touching {
        let span = &reviewed.span;
        let surface = quote(span.range);
        let norm_text = span
            .norm
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        let decide = |label: EntityLabel, norm: Option<String>, status| DecideArguments {
            uri: uri.clone(),
            range: to_lsp(span.range),
            text: Some(surface.clone()),
            label,
            norm,
            status,
        };
        if reviewed.origin == SpanOrigin::Suggested {
            let title = format!("Accept {} “{surface}”{norm_text}", span.label.as_str());
            actions.push(command_action(
                title,
                review.clone(),
                DECIDE_COMMAND,
                &decide(span.label, span.norm.clone(), AnnotationStatus::Accepted),
            ));
        }
        let title = format!("Reject {} “{surface}”", span.label.as_str());
        actions.push(command_action(
            title,
            review.clone(),
            DECIDE_COMMAND,
            &decide(span.label, span.norm.clone(), AnnotationStatus::Rejected),
        ));
        for label in gazette_core::annotation::export::ALL_LABELS
            .into_iter()
            .filter(|l| *l != span.label)
        {
            let title = format!("Change “{surface}” to {}", label.as_str());
            actions.push(command_action(
                title,
                review.clone(),
                DECIDE_COMMAND,
                &decide(label, None, AnnotationStatus::Accepted),
            ));
        }
        if span.label == EntityLabel::Loc {
            for place in link_candidates(&surface)
                .into_iter()
                .filter(|p| Some(p.as_str()) != span.norm.as_deref())
                .take(5)
            {
                let title = format!("Link “{surface}” to {place}");
                actions.push(command_action(
                    title,
                    review.clone(),
                    DECIDE_COMMAND,
                    &decide(EntityLabel::Loc, Some(place), AnnotationStatus::Accepted),
                ));
            }
        }
        if reviewed.origin == SpanOrigin::Suggested {
            let pending = all_spans
                .iter()
                .filter(|r| r.origin == SpanOrigin::Suggested && r.span.label == span.label)
                .count();
            if pending > 1 {
                let title = format!(
                    "Accept all {pending} {} suggestions in this document",
                    span.label.as_str()
                );
                actions.push(command_action(
                    title,
                    review.clone(),
                    ACCEPT_ALL_COMMAND,
                    &AcceptAllArguments {
                        uri: uri.clone(),
                        label: span.label,
                    },
                ));
            }
        }
    }
    // A selection that is not a tagged span can be annotated by hand.
    let exact_match = touching.iter().any(|r| r.span.range == requested);
    if !requested.is_empty()
        && !exact_match
        && text
            .get(requested.to_usize())
            .is_some_and(|s| !s.trim().is_empty() && !s.contains('\n'))
    {
        let surface = quote(requested);
        for label in gazette_core::annotation::export::ALL_LABELS {
            let title = format!("Annotate “{surface}” as {}", label.as_str());
            let arguments = DecideArguments {
                uri: uri.clone(),
                range: to_lsp(requested),
                text: Some(surface.clone()),
                label,
                norm: None,
                status: AnnotationStatus::Accepted,
            };
            actions.push(command_action(
                title,
                review.clone(),
                DECIDE_COMMAND,
                &arguments,
            ));
        }
    }
    // Quick fixes for orphaned annotations under the cursor.
    if let Some(file) = load_file(uri) {
        for orphan in orphaned_annotation::check(uri.as_str(), &text, &file) {
            let range = orphan.diagnostic.range;
            if !(range.start <= requested.end && requested.start <= range.end) {
                continue;
            }
            if let Some(target) = orphan.reattach {
                let title = format!("Re-attach the annotation to “{}”", quote(target));
                let arguments = ReattachArguments {
                    uri: uri.clone(),
                    id: orphan.id.clone(),
                    range: to_lsp(target),
                };
                actions.push(command_action(
                    title,
                    CodeActionKind::QUICKFIX,
                    REATTACH_COMMAND,
                    &arguments,
                ));
            }
            let title = format!("Delete the orphaned annotation {}", orphan.id);
            actions.push(command_action(
                title,
                CodeActionKind::QUICKFIX,
                DELETE_COMMAND,
                &AnnotationIdArguments {
                    uri: uri.clone(),
                    id: orphan.id,
                },
            ));
        }
    }
    actions
}

/// Gazetteer entries a curator may want to link `surface` to, best first: entries with exactly
/// this name (up to case and diacritics), then entries named by a part of it ("Da Nang" for "Da
/// Nang Today"), then entries whose name is one edit away (typos and OCR slips: "Da Nag",
/// "Quang Nma"). Within a group, bigger places come first.
fn link_candidates(surface: &str) -> Vec<String> {
    const ENOUGH: usize = 8;
    let tagger = LocalityTagger::builtin();
    let places = tagger.gazetteer().places();
    let index = tagger.index();
    let mut ranked: Vec<(u8, std::cmp::Reverse<u64>, u32)> = Vec::new();
    let add = |rank: u8, phrase: &str, ranked: &mut Vec<_>| {
        for candidate in index.lookup(phrase) {
            let population = places[candidate.place as usize].population.unwrap_or(0);
            ranked.push((rank, std::cmp::Reverse(population), candidate.place));
        }
    };
    add(0, surface, &mut ranked);
    let folded = gazette_core::gazetteer::fold::fold_str(surface);
    let words: Vec<&str> = folded.split_whitespace().collect();
    for length in (1..words.len()).rev() {
        for window in words.windows(length) {
            add(1, &window.join(" "), &mut ranked);
        }
    }
    if ranked.len() < ENOUGH && folded.chars().count() >= 4 {
        for variant in one_edit_variants(&words.join(" ")) {
            add(2, &variant, &mut ranked);
        }
    }
    ranked.sort();
    let mut seen = std::collections::HashSet::new();
    ranked
        .into_iter()
        .filter(|&(_, _, place)| seen.insert(place))
        .map(|(_, _, place)| places[place as usize].id.clone())
        .collect()
}

/// Every string one deletion, transposition, substitution or insertion away from `folded` (a
/// folded name: lower-case letters without diacritics and spaces), as in Norvig's corrector.
/// A few hundred index lookups, each a hash: cheap enough for a code action.
fn one_edit_variants(folded: &str) -> Vec<String> {
    const LETTERS: &str = "abcdefghijklmnopqrstuvwxyz ";
    let chars: Vec<char> = folded.chars().collect();
    let at = |i: usize| chars[..i].iter().collect::<String>();
    let from = |i: usize| chars[i..].iter().collect::<String>();
    let mut variants = Vec::new();
    for i in 0..=chars.len() {
        let (head, tail) = (at(i), from(i));
        if i < chars.len() {
            variants.push(format!("{head}{}", from(i + 1)));
            if i + 1 < chars.len() {
                variants.push(format!("{head}{}{}{}", chars[i + 1], chars[i], from(i + 2)));
            }
            for letter in LETTERS.chars().filter(|&l| l != chars[i]) {
                variants.push(format!("{head}{letter}{}", from(i + 1)));
            }
        }
        for letter in LETTERS.chars() {
            variants.push(format!("{head}{letter}{tail}"));
        }
    }
    variants
}

/// Runs one of [`COMMANDS`].
pub fn execute(session: &Arc<Session>, name: &str, arguments: Vec<Value>) -> Result<Option<Value>> {
    let argument = arguments
        .into_iter()
        .next()
        .ok_or_else(|| Error::invalid_params(format!("{name} needs one argument object")))?;
    let parse = |what: &str| Error::invalid_params(format!("{name}: bad arguments ({what})"));
    let uri = match name {
        DECIDE_COMMAND => {
            let arguments: DecideArguments =
                serde_json::from_value(argument).map_err(|e| parse(&e.to_string()))?;
            let (text, range) = current_span(session, &arguments.uri, arguments.range)?;
            if let Some(expected) = &arguments.text {
                if &text[range.to_usize()] != expected {
                    return Err(Error::invalid_params(
                        "the document changed since this action was offered; try again",
                    ));
                }
            }
            let annotation = new_annotation(
                &text,
                range,
                arguments.label,
                arguments.norm,
                arguments.status,
            )?;
            update(&arguments.uri, |file| file.upsert(annotation.clone()))?;
            arguments.uri
        }
        ACCEPT_ALL_COMMAND => {
            let arguments: AcceptAllArguments =
                serde_json::from_value(argument).map_err(|e| parse(&e.to_string()))?;
            let text = document_text(session, &arguments.uri)?;
            let annotations: Vec<Annotation> = reviewed_spans(&arguments.uri, &text)
                .into_iter()
                .filter(|r| r.origin == SpanOrigin::Suggested && r.span.label == arguments.label)
                .map(|r| {
                    new_annotation(
                        &text,
                        r.span.range,
                        r.span.label,
                        r.span.norm,
                        AnnotationStatus::Accepted,
                    )
                })
                .collect::<Result<_>>()?;
            update(&arguments.uri, |file| {
                annotations.iter().for_each(|a| file.upsert(a.clone()))
            })?;
            arguments.uri
        }
        DELETE_COMMAND => {
            let arguments: AnnotationIdArguments =
                serde_json::from_value(argument).map_err(|e| parse(&e.to_string()))?;
            update(&arguments.uri, |file| {
                file.annotations.retain(|a| a.id != arguments.id)
            })?;
            arguments.uri
        }
        REATTACH_COMMAND => {
            let arguments: ReattachArguments =
                serde_json::from_value(argument).map_err(|e| parse(&e.to_string()))?;
            let (text, range) = current_span(session, &arguments.uri, arguments.range)?;
            update(&arguments.uri, |file| {
                for annotation in &mut file.annotations {
                    if annotation.id == arguments.id {
                        *annotation = rebase(&text, annotation, range);
                    }
                }
            })?;
            arguments.uri
        }
        other => return Err(Error::invalid_params(format!("unknown command {other}"))),
    };
    // Re-publish the document's findings (orphans may have come or gone).
    session.state().touch(&document_key(&uri));
    session.wake.notify_one();
    Ok(None)
}

fn document_rope(session: &Session, uri: &Uri) -> Result<Rope> {
    session
        .current_text(&document_key(uri))
        .map(|(_, text)| text)
        .ok_or_else(|| Error::invalid_params(format!("unknown document {}", uri.as_str())))
}

fn document_text(session: &Session, uri: &Uri) -> Result<String> {
    Ok(document_rope(session, uri)?.to_string())
}

fn current_span(session: &Session, uri: &Uri, range: Range) -> Result<(String, TextRange)> {
    let text = document_rope(session, uri)?;
    let byte_range = convert::range_from_lsp(&text, range, session.state().encoding);
    Ok((text.to_string(), byte_range))
}

fn new_annotation(
    text: &str,
    range: TextRange,
    label: EntityLabel,
    norm: Option<String>,
    status: AnnotationStatus,
) -> Result<Annotation> {
    let created = gazette_store::clock::now_rfc3339();
    let creator = std::env::var("USER").ok();
    Annotation::new(
        text,
        NewAnnotation {
            range,
            label,
            norm,
            status,
            creator: creator.as_deref(),
            created: Some(&created),
        },
    )
    .ok_or_else(|| Error::invalid_params("the span is outside the document"))
}

fn update(uri: &Uri, change: impl FnMut(&mut AnnotationFile)) -> Result<()> {
    let (store, relative) = store_of(uri)
        .ok_or_else(|| Error::invalid_params("annotations can only be stored for files on disk"))?;
    store
        .update(&relative, change)
        .map(|_| ())
        .map_err(|error| {
            let mut rpc = Error::internal_error();
            rpc.message = error.to_string().into();
            rpc
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(ids: &[String]) -> Vec<&str> {
        let gazetteer = LocalityTagger::builtin().gazetteer();
        ids.iter()
            .filter_map(|id| gazetteer.get(id))
            .map(|place| place.canonical_name())
            .collect()
    }

    #[test]
    fn link_candidates_start_with_exact_names() {
        let candidates = link_candidates("Đà Nẵng");
        assert!(
            candidates.iter().any(|id| id == "VN:da-nang"),
            "{candidates:?}"
        );
    }

    #[test]
    fn link_candidates_forgive_a_typo() {
        // One letter dropped and two swapped: no exact name, but the city is offered.
        for typo in ["Da Nag", "Daeug"] {
            let candidates = link_candidates(typo);
            assert!(!candidates.is_empty(), "no candidates for {typo}");
            let offered = names(&candidates);
            assert!(
                offered
                    .iter()
                    .any(|name| name.contains("Nẵng") || name.contains("Daegu")),
                "{typo}: {offered:?}"
            );
        }
    }

    #[test]
    fn link_candidates_find_a_name_inside_a_longer_surface() {
        let candidates = link_candidates("Da Nang Today");
        assert!(
            candidates.iter().any(|id| id == "VN:da-nang"),
            "{candidates:?}"
        );
    }

    #[test]
    fn annotation_files_map_back_to_their_documents() {
        let path = std::path::Path::new("/corpus/.gazette/annotations/news/2016/a b.txt.json");
        assert_eq!(
            document_of_annotation_file(path),
            Some(PathBuf::from("/corpus/news/2016/a b.txt"))
        );
        assert_eq!(
            document_of_annotation_file(std::path::Path::new("/corpus/news/a.txt")),
            None
        );
    }
}
