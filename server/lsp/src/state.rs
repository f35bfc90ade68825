//! The server's view of the corpus: every document (open in the editor or read from disk), the
//! workspace roots with their configuration, and the settings.
//!
//! All mutations of this state happen synchronously, in the order messages arrive on the wire:
//! [`crate::OrderedService::call`] applies `didOpen`, `didChange`, `didClose`, `didSave`,
//! `didChangeWatchedFiles` and inline `didChangeConfiguration` here before tower-lsp-server gets a
//! chance to run handlers concurrently. The lock is a `std::sync::Mutex` that is never held across
//! an `.await`. Every mutation bumps the document's generation and marks it dirty; the analysis
//! worker ([`crate::analysis`]) later takes dirty documents in batches and drops results whose
//! generation is no longer current.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use gazette_core::config::PathRules;
use gazette_core::text::DecodeProblem;
use ropey::Rope;
use tower_lsp_server::ls_types::{
    ClientCapabilities, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams,
    FileChangeType, Uri,
};

use crate::convert::{self, PositionEncoding};
use crate::settings::Settings;

/// The name of a document inside the server and in the core's workspace: its URI, spelled the
/// way [`document_key`] normalises it.
pub type DocumentKey = String;

/// The name of the per-root configuration file.
pub const CONFIG_FILE_NAME: &str = "gazette.toml";

/// Normalises a URI into a document key. Clients spell file URIs differently (VS Code
/// percent-encodes `:` in drive letters and non-ASCII characters, Neovim does not), so file URIs
/// go through a path and back; other schemes (`untitled:`) are kept verbatim.
pub fn document_key(uri: &Uri) -> DocumentKey {
    uri.to_file_path()
        .and_then(|path| Uri::from_file_path(path))
        .map_or_else(|| uri.as_str().to_owned(), |uri| uri.as_str().to_owned())
}

/// One document of the corpus.
#[derive(Clone, Debug)]
pub struct Document {
    /// The URI to report the document under (as the client spelled it when it opened it).
    pub uri: Uri,
    /// The current text, with the editor's line endings. Kept while the document is open; a
    /// closed document's text is kept only until the analysis worker takes it (see
    /// [`crate::analysis`]), then read back from disk when needed ([`read_back`]).
    pub text: Option<Rope>,
    /// The editor's version while the document is open; `None` for documents read from disk.
    pub version: Option<i32>,
    /// Bumped (from a server-wide counter) on every change, to recognise stale analyses.
    pub generation: u64,
    /// The root the document belongs to (an index into [`State::roots`]), or `roots.len()` for
    /// documents outside every workspace folder.
    pub corpus: usize,
    /// Why the file on disk is not analysable text (then `text` is empty).
    pub problem: Option<DecodeProblem>,
    /// Identifies the text the document had when it was last read or opened (not updated by
    /// edits): a closed document's file is read back only when it still has this text.
    pub stamp: TextStamp,
}

/// Identifies a text without keeping it: its length and a hash of its bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TextStamp {
    len: usize,
    hash: u64,
}

impl TextStamp {
    /// The stamp of `text`.
    pub fn of(text: &str) -> TextStamp {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::hash::DefaultHasher::new();
        text.hash(&mut hasher);
        TextStamp {
            len: text.len(),
            hash: hasher.finish(),
        }
    }
}

impl Document {
    /// True while the editor has the document open.
    pub fn is_open(&self) -> bool {
        self.version.is_some()
    }
}

/// A workspace folder and the configuration found in it.
#[derive(Clone, Debug)]
pub struct Root {
    /// The folder on disk.
    pub path: PathBuf,
    /// The folder's configuration (defaults when `gazette.toml` is absent or broken).
    pub config: gazette_core::config::Config,
    /// Why `gazette.toml` could not be used, if it could not.
    pub config_error: Option<String>,
    /// The compiled `files` globs and `per-path-ignores` of the configuration.
    pub path_rules: Option<PathRules>,
    /// The user gazetteer the configuration names (`gazetteer`), when it could be read.
    pub gazetteer: Option<Arc<crate::user_gazetteer::UserGazetteer>>,
}

impl Root {
    /// Reads the root's `gazette.toml`. A missing file means the defaults; a broken one means the
    /// defaults plus an error to show, never a server that refuses to start.
    pub fn load(path: PathBuf) -> Root {
        let file = path.join(CONFIG_FILE_NAME);
        let (config, config_error) = match std::fs::read_to_string(&file) {
            Ok(text) => match parse_config(&text) {
                Ok(config) => (config, None),
                Err(error) => (
                    gazette_core::config::Config::default(),
                    Some(format!("{}: {error}", file.display())),
                ),
            },
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                (gazette_core::config::Config::default(), None)
            }
            Err(error) => (
                gazette_core::config::Config::default(),
                Some(format!("{}: {error}", file.display())),
            ),
        };
        let (path_rules, mut config_error) = match PathRules::new(&config) {
            Ok(rules) => (Some(rules), config_error),
            Err(error) => (
                None,
                config_error.or_else(|| Some(format!("{}: {error}", file.display()))),
            ),
        };
        let gazetteer = match &config.gazetteer {
            Some(relative) => {
                match crate::user_gazetteer::UserGazetteer::load(path.join(relative)) {
                    Ok(gazetteer) => Some(Arc::new(gazetteer)),
                    Err(error) => {
                        config_error
                            .get_or_insert(format!("{}: gazetteer: {error}", file.display()));
                        None
                    }
                }
            }
            None => None,
        };
        Root {
            path,
            config,
            config_error,
            path_rules,
            gazetteer,
        }
    }

    /// The user gazetteer file the configuration names, whether or not it could be read.
    pub fn gazetteer_path(&self) -> Option<PathBuf> {
        self.config
            .gazetteer
            .as_ref()
            .map(|relative| self.path.join(relative))
    }

    /// The tagging settings of a document of this root: the `tagging` section, with the creation
    /// time of the first `document-dates` entry matching the document's path.
    pub fn tagging_for(&self, uri: &Uri) -> gazette_core::tag::TaggingConfig {
        let relative = uri.to_file_path().and_then(|path| self.relative(&path));
        match (&self.path_rules, relative) {
            (Some(rules), Some(relative)) => rules.tagging_for(&self.config.tagging, &relative),
            _ => self.config.tagging.clone(),
        }
    }

    /// The path of `path` relative to the root, with `/` separators (the form globs, the CLI and
    /// the core's document keys use), or `None` outside the root.
    pub fn relative(&self, path: &Path) -> Option<String> {
        let relative = path.strip_prefix(&self.path).ok()?;
        let text = relative.to_string_lossy();
        Some(if std::path::MAIN_SEPARATOR == '/' {
            text.into_owned()
        } else {
            text.replace(std::path::MAIN_SEPARATOR, "/")
        })
    }

    /// True when the configuration makes `path` a document of this root (`files.include` and
    /// `files.exclude`, like `gazette check`).
    pub fn accepts(&self, path: &Path) -> bool {
        let Some(relative) = self.relative(path) else {
            return false;
        };
        match &self.path_rules {
            Some(rules) => {
                rules.is_included(&relative)
                    && !rules.is_excluded(&relative)
                    && !excluded_directory(rules, &relative)
            }
            None => is_document_path(path),
        }
    }
}

/// True when a directory on the way to `relative` is excluded (`exclude = ["archive"]`).
fn excluded_directory(rules: &PathRules, relative: &str) -> bool {
    relative
        .match_indices('/')
        .any(|(index, _)| rules.is_excluded(&relative[..index]))
}

/// Parses `gazette.toml` text the way the CLI does.
fn parse_config(text: &str) -> Result<gazette_core::config::Config, String> {
    gazette_core::config::Config::from_toml(text).map_err(|error| error.to_string())
}

/// What the client told us it can do, reduced to the questions the server asks.
#[derive(Clone, Copy, Debug, Default)]
pub struct ClientSupport {
    /// `textDocument/diagnostic` (pull diagnostics).
    pub pull_diagnostics: bool,
    /// `workspace/diagnostic/refresh`.
    pub diagnostic_refresh: bool,
    /// `window/workDoneProgress/create`.
    pub work_done_progress: bool,
    /// Dynamic registration of `workspace/didChangeWatchedFiles`.
    pub dynamic_file_watchers: bool,
    /// `workspace/configuration`.
    pub configuration: bool,
    /// `related_information` on diagnostics.
    pub related_information: bool,
    /// `workspace/semanticTokens/refresh`.
    pub semantic_tokens_refresh: bool,
    /// `workspace/inlayHint/refresh`.
    pub inlay_hint_refresh: bool,
}

impl ClientSupport {
    /// Reads the capabilities sent with `initialize`.
    pub fn from_capabilities(capabilities: &ClientCapabilities) -> ClientSupport {
        let text_document = capabilities.text_document.as_ref();
        let workspace = capabilities.workspace.as_ref();
        ClientSupport {
            pull_diagnostics: text_document.is_some_and(|t| t.diagnostic.is_some()),
            diagnostic_refresh: workspace
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            work_done_progress: capabilities
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
            dynamic_file_watchers: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            configuration: workspace.and_then(|w| w.configuration).unwrap_or(false),
            related_information: text_document
                .and_then(|t| t.publish_diagnostics.as_ref())
                .and_then(|p| p.related_information)
                .unwrap_or(false)
                || text_document.is_some_and(|t| t.diagnostic.is_some()),
            semantic_tokens_refresh: workspace
                .and_then(|w| w.semantic_tokens.as_ref())
                .and_then(|s| s.refresh_support)
                .unwrap_or(false),
            inlay_hint_refresh: workspace
                .and_then(|w| w.inlay_hint.as_ref())
                .and_then(|s| s.refresh_support)
                .unwrap_or(false),
        }
    }
}

/// Everything mutable about the session, behind one `std::sync::Mutex`.
#[derive(Debug, Default)]
pub struct State {
    /// The negotiated position encoding.
    pub encoding: PositionEncoding,
    /// The client's abilities.
    pub client: ClientSupport,
    /// Editor settings.
    pub settings: Settings,
    /// Workspace folders, in the order the client listed them.
    pub roots: Vec<Root>,
    /// Every known document.
    pub documents: HashMap<DocumentKey, Document>,
    /// Documents changed (or removed: absent from `documents`) since the worker last saw them.
    pub dirty: BTreeSet<DocumentKey>,
    /// Set when the configuration changed: every document must be re-analysed.
    pub reconfigured: bool,
    /// True between `initialize` and `shutdown`: notifications outside that window are ignored.
    pub initialized: bool,
    /// The file-watcher globs last registered with the client (`None` before the first).
    pub registered_watchers: Option<Vec<String>>,
    next_generation: u64,
}

/// Files every corpus may have that the server follows on disk: documents, configurations and
/// annotation files (decisions written by `gazette import`, scripts or git show up in tokens,
/// hovers and orphan diagnostics without a restart).
const WATCHED_EVERYWHERE: [&str; 3] = [
    "**/*.txt",
    "**/gazette.toml",
    "**/.gazette/annotations/**/*.json",
];

/// Escapes the characters a client's glob syntax treats specially.
fn glob_literal(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        if matches!(character, '*' | '?' | '[' | ']' | '{' | '}' | '\\') {
            escaped.push('[');
            escaped.push(character);
            escaped.push(']');
        } else {
            escaped.push(character);
        }
    }
    escaped
}

/// What applying a notification asks the caller to do next.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Wake the analysis worker.
    pub wake: bool,
    /// Messages worth showing in the editor's log (and on stderr), with their level.
    pub messages: Vec<(tower_lsp_server::ls_types::MessageType, String)>,
}

impl Applied {
    fn warn(&mut self, message: String) {
        self.messages
            .push((tower_lsp_server::ls_types::MessageType::WARNING, message));
    }
}

impl State {
    fn next_generation(&mut self) -> u64 {
        self.next_generation += 1;
        self.next_generation
    }

    /// Marks a document for re-analysis although its text did not change (its stored annotations
    /// did): a new generation makes requests wait for results that include the change.
    pub fn touch(&mut self, key: &str) {
        let generation = self.next_generation();
        if let Some(document) = self.documents.get_mut(key) {
            document.generation = generation;
            self.dirty.insert(key.to_owned());
        }
    }

    /// The tagging settings of a document (defaults for loose documents).
    pub fn tagging_config(&self, document: &Document) -> gazette_core::tag::TaggingConfig {
        self.roots
            .get(document.corpus)
            .map(|root| root.tagging_for(&document.uri))
            .unwrap_or_default()
    }

    /// The user gazetteer of a document's root, if it has one.
    pub fn gazetteer_of(
        &self,
        document: &Document,
    ) -> Option<std::sync::Arc<crate::user_gazetteer::UserGazetteer>> {
        self.roots
            .get(document.corpus)
            .and_then(|root| root.gazetteer.clone())
    }

    /// The globs to watch: [`WATCHED_EVERYWHERE`] plus the file name of each root's user
    /// gazetteer, which may have any name and live anywhere in the folder (the server checks the
    /// full path of each event).
    pub fn watcher_globs(&self) -> Vec<String> {
        let mut globs: Vec<String> = WATCHED_EVERYWHERE.map(str::to_owned).to_vec();
        for root in &self.roots {
            if let Some(name) = root.gazetteer_path().as_deref().and_then(Path::file_name) {
                globs.push(format!("**/{}", glob_literal(&name.to_string_lossy())));
            }
        }
        globs.sort();
        globs.dedup();
        globs
    }

    /// The user gazetteers that can define a place seen in the document at `uri`: its own root's
    /// first, then the other roots' in folder order (a place is one place whichever folder
    /// mentions it).
    pub fn user_gazetteers_for(
        &self,
        uri: &Uri,
    ) -> Vec<std::sync::Arc<crate::user_gazetteer::UserGazetteer>> {
        let own = self
            .documents
            .get(&document_key(uri))
            .map_or_else(|| self.corpus_of(uri), |document| document.corpus);
        let mut gazetteers: Vec<_> = self
            .roots
            .get(own)
            .and_then(|root| root.gazetteer.clone())
            .into_iter()
            .collect();
        for (index, root) in self.roots.iter().enumerate() {
            if index != own {
                gazetteers.extend(root.gazetteer.clone());
            }
        }
        gazetteers
    }

    /// The corpus (root index) a document belongs to: the deepest root containing it, or
    /// `roots.len()` for loose documents.
    pub fn corpus_of(&self, uri: &Uri) -> usize {
        let Some(path) = uri.to_file_path() else {
            return self.roots.len();
        };
        self.roots
            .iter()
            .enumerate()
            .filter(|(_, root)| path.starts_with(&root.path))
            .max_by_key(|(_, root)| root.path.components().count())
            .map_or(self.roots.len(), |(index, _)| index)
    }

    /// Inserts or replaces a document and marks it dirty.
    fn put(&mut self, key: DocumentKey, uri: Uri, content: FileContent, version: Option<i32>) {
        let generation = self.next_generation();
        let corpus = self.corpus_of(&uri);
        self.documents.insert(
            key.clone(),
            Document {
                uri,
                text: Some(Rope::from_str(&content.text)),
                version,
                generation,
                corpus,
                stamp: TextStamp::of(&content.text),
                problem: content.problem,
            },
        );
        self.dirty.insert(key);
    }

    /// `textDocument/didOpen`: the editor's text replaces whatever was read from disk.
    pub fn did_open(&mut self, params: DidOpenTextDocumentParams) -> Applied {
        let document = params.text_document;
        let key = document_key(&document.uri);
        let problem = too_large(document.text.len(), self.max_bytes(&document.uri));
        self.put(
            key,
            document.uri,
            FileContent {
                text: document.text,
                problem,
            },
            Some(document.version),
        );
        Applied {
            wake: true,
            ..Applied::default()
        }
    }

    /// `textDocument/didChange`: applies the content changes in order. Changes to unopened
    /// documents and versions that do not increase are rejected (and logged) rather than guessed
    /// at: applying them would corrupt the server's copy.
    pub fn did_change(&mut self, params: DidChangeTextDocumentParams) -> Applied {
        let mut applied = Applied::default();
        let key = document_key(&params.text_document.uri);
        let new_version = params.text_document.version;
        let encoding = self.encoding;
        let generation = self.next_generation();
        let limit = self.max_bytes(&params.text_document.uri);
        let Some(document) = self.documents.get_mut(&key).filter(|d| d.is_open()) else {
            applied.warn(format!(
                "ignored a change to {}, which is not open",
                params.text_document.uri.as_str()
            ));
            return applied;
        };
        if document
            .version
            .is_some_and(|current| new_version <= current)
        {
            applied.warn(format!(
                "ignored a stale change to {} (version {new_version}, current {:?})",
                params.text_document.uri.as_str(),
                document.version
            ));
            return applied;
        }
        let text = document.text.get_or_insert_with(Rope::new);
        for change in &params.content_changes {
            convert::apply_change(text, change, encoding);
        }
        document.problem = too_large(text.len_bytes(), limit);
        document.version = Some(new_version);
        document.generation = generation;
        self.dirty.insert(key);
        applied.wake = true;
        applied
    }

    /// `textDocument/didClose`: the document falls back to its content on disk (unsaved edits
    /// are gone), or leaves the corpus when it has no file or lies outside every root.
    pub fn did_close(&mut self, params: DidCloseTextDocumentParams) -> Applied {
        let uri = params.text_document.uri;
        let key = document_key(&uri);
        if !self.documents.get(&key).is_some_and(Document::is_open) {
            let mut applied = Applied::default();
            applied.warn(format!(
                "ignored closing {}, which is not open",
                uri.as_str()
            ));
            return applied;
        }
        let on_disk = uri
            .to_file_path()
            .filter(|path| self.root_accepting(path).is_some())
            .and_then(|path| read_document_file(&path, self.max_bytes(&uri)).ok());
        match on_disk {
            Some(content) => self.put(key, uri, content, None),
            None => {
                self.documents.remove(&key);
                self.dirty.insert(key);
            }
        }
        Applied {
            wake: true,
            ..Applied::default()
        }
    }

    /// `textDocument/didSave`: re-analyses (and so re-publishes) the document.
    pub fn did_save(&mut self, params: DidSaveTextDocumentParams) -> Applied {
        let key = document_key(&params.text_document.uri);
        if !self.documents.contains_key(&key) {
            return Applied::default();
        }
        let generation = self.next_generation();
        if let Some(document) = self.documents.get_mut(&key) {
            document.generation = generation;
        }
        self.dirty.insert(key);
        Applied {
            wake: true,
            ..Applied::default()
        }
    }

    /// Reads a root's `gazette.toml` (and the user gazetteer it names) again; every document is
    /// re-analysed with the new configuration.
    fn reload_root(&mut self, index: usize, applied: &mut Applied) {
        let root = &mut self.roots[index];
        *root = Root::load(root.path.clone());
        if let Some(error) = &root.config_error {
            applied.warn(error.clone());
        }
        self.reconfigured = true;
        applied.wake = true;
    }

    /// `workspace/didChangeWatchedFiles`: closed documents follow the disk; open ones belong to
    /// the editor and are left alone. A changed `gazette.toml` reloads its root's configuration; a
    /// changed user gazetteer reloads it and re-tags its root's documents.
    pub fn did_change_watched_files(&mut self, params: DidChangeWatchedFilesParams) -> Applied {
        let mut applied = Applied::default();
        for event in params.changes {
            let Some(path) = event.uri.to_file_path().map(|p| p.into_owned()) else {
                continue;
            };
            if path
                .file_name()
                .is_some_and(|name| name == CONFIG_FILE_NAME)
            {
                if let Some(index) = self
                    .roots
                    .iter()
                    .position(|r| path.parent() == Some(&r.path))
                {
                    self.reload_root(index, &mut applied);
                }
                continue;
            }
            let gazetteer_of: Vec<usize> = (0..self.roots.len())
                .filter(|&index| self.roots[index].gazetteer_path().as_deref() == Some(&*path))
                .collect();
            if !gazetteer_of.is_empty() {
                // A user gazetteer changed on disk: read it again and re-tag the root's documents
                // (their tags may name places that were added, renamed or removed).
                for index in gazetteer_of {
                    self.reload_root(index, &mut applied);
                    let keys: Vec<DocumentKey> = self
                        .documents
                        .iter()
                        .filter(|(_, document)| document.corpus == index)
                        .map(|(key, _)| key.clone())
                        .collect();
                    for key in keys {
                        self.touch(&key);
                    }
                }
                continue;
            }
            if let Some(document) = crate::review::document_of_annotation_file(&path) {
                // Someone else changed the document's decisions: re-tag and re-check it.
                if let Some(uri) = Uri::from_file_path(&document) {
                    let key = document_key(&uri);
                    if self.documents.contains_key(&key) {
                        self.touch(&key);
                        applied.wake = true;
                    }
                }
                continue;
            }
            let key = document_key(&event.uri);
            if self.documents.get(&key).is_some_and(Document::is_open) {
                continue;
            }
            if event.typ == FileChangeType::DELETED {
                if self.documents.remove(&key).is_some() {
                    self.dirty.insert(key);
                    applied.wake = true;
                }
                continue;
            }
            if self.root_accepting(&path).is_none() {
                continue;
            }
            match read_document_file(&path, self.max_bytes(&event.uri)) {
                Ok(content) => {
                    self.put(key, event.uri, content, None);
                    applied.wake = true;
                }
                Err(error) => applied.warn(format!("cannot read {}: {error}", path.display())),
            }
        }
        applied
    }

    /// Adds a document read from disk by the indexer, unless the editor has it open (the
    /// editor's text wins). A closed document already known is replaced only when its content
    /// changed (re-indexing), so that an unchanged corpus costs no analysis.
    pub fn add_indexed(&mut self, uri: Uri, content: FileContent) -> bool {
        let key = document_key(&uri);
        if let Some(existing) = self.documents.get(&key) {
            let unchanged = existing.problem == content.problem
                && existing.stamp == TextStamp::of(&content.text);
            if existing.is_open() || unchanged {
                return false;
            }
        }
        self.put(key, uri, content, None);
        true
    }

    /// Adopts what the file of a closed document holds now, found changed on disk without a
    /// watcher event (see [`read_back`]): like a watched-file change, the document gets the new
    /// content and is analysed again; gone or unreadable, it leaves the corpus. Returns whether
    /// anything changed (then the worker must be woken).
    pub fn adopt_disk_content(
        &mut self,
        key: &str,
        seen: &Document,
        content: Option<FileContent>,
    ) -> bool {
        let current = self.documents.get(key);
        if current.is_none_or(|current| current.is_open() || current.generation != seen.generation)
        {
            // Opened or changed meanwhile: the newer state wins.
            return false;
        }
        match content {
            Some(content) => self.put(key.to_owned(), seen.uri.clone(), content, None),
            None => {
                self.documents.remove(key);
                self.dirty.insert(key.to_owned());
            }
        }
        true
    }

    /// Forgets closed documents of the roots at `scanned` that are not in `keep` (files deleted
    /// while nobody watched); returns how many were forgotten.
    pub fn forget_closed_except(
        &mut self,
        keep: &std::collections::HashSet<DocumentKey>,
        scanned: &[PathBuf],
    ) -> usize {
        let gone: Vec<DocumentKey> = self
            .documents
            .iter()
            .filter(|(key, document)| {
                !document.is_open()
                    && self
                        .roots
                        .get(document.corpus)
                        .is_some_and(|root| scanned.contains(&root.path))
                    && !keep.contains(*key)
            })
            .map(|(key, _)| key.clone())
            .collect();
        for key in &gone {
            self.documents.remove(key);
            self.dirty.insert(key.clone());
        }
        gone.len()
    }

    /// `workspace/didChangeWorkspaceFolders`: removes and adds roots, then places every document
    /// again. Closed documents that no root accepts any more leave the corpus (their diagnostics
    /// are cleared); open ones stay, as loose documents when no root contains them. The caller
    /// indexes the added roots.
    pub fn change_roots(&mut self, added: Vec<PathBuf>, removed: &[PathBuf]) -> Applied {
        let mut applied = Applied::default();
        self.roots.retain(|root| !removed.contains(&root.path));
        for path in added {
            if self.roots.iter().any(|root| root.path == path) {
                continue;
            }
            let root = Root::load(path);
            if let Some(error) = &root.config_error {
                applied.warn(error.clone());
            }
            self.roots.push(root);
        }
        let keys: Vec<DocumentKey> = self.documents.keys().cloned().collect();
        for key in keys {
            let Some(document) = self.documents.get(&key) else {
                continue;
            };
            let corpus = self.corpus_of(&document.uri);
            let accepted = document
                .uri
                .to_file_path()
                .is_some_and(|path| self.root_accepting(&path).is_some());
            if !document.is_open() && !accepted {
                self.documents.remove(&key);
                self.dirty.insert(key);
                continue;
            }
            if document.corpus != corpus {
                let generation = self.next_generation();
                if let Some(document) = self.documents.get_mut(&key) {
                    document.corpus = corpus;
                    document.generation = generation;
                }
                self.dirty.insert(key);
            }
        }
        self.reconfigured = true;
        applied.wake = true;
        applied
    }

    /// The root whose configuration makes `path` one of its documents.
    pub fn root_accepting(&self, path: &Path) -> Option<usize> {
        let uri = Uri::from_file_path(path)?;
        let corpus = self.corpus_of(&uri);
        self.roots
            .get(corpus)
            .filter(|root| root.accepts(path))
            .map(|_| corpus)
    }

    /// The size limit for a document (`files.max-size-bytes` of its root).
    pub fn max_bytes(&self, uri: &Uri) -> u64 {
        self.roots
            .get(self.corpus_of(uri))
            .map_or(gazette_core::text::DEFAULT_MAX_DOCUMENT_BYTES, |root| {
                root.config.files.max_size_bytes
            })
    }

    /// Replaces the settings; returns whether anything the analysis depends on changed.
    pub fn set_settings(&mut self, settings: Settings) {
        self.settings = settings;
        self.reconfigured = true;
    }

    /// Re-reads every root's `gazette.toml`; returns the errors to report.
    pub fn reload_configs(&mut self) -> Vec<String> {
        for root in &mut self.roots {
            *root = Root::load(root.path.clone());
        }
        self.reconfigured = true;
        self.roots
            .iter()
            .filter_map(|root| root.config_error.clone())
            .collect()
    }
}

/// The problem of an open document larger than its root's `files.max-size-bytes`: it is kept
/// (edits keep applying to it) but reported as GZ900 and not analysed, like the same file on
/// disk, so that an editor opening a huge file cannot make the server tag it on every keystroke.
fn too_large(size: usize, limit: u64) -> Option<DecodeProblem> {
    let size = size as u64;
    (size > limit).then_some(DecodeProblem::TooLarge { size, limit })
}

/// True for the files Gazette treats as corpus documents.
pub fn is_document_path(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "txt")
}

/// A document's content as read from disk.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileContent {
    /// The text (empty when the file is not text).
    pub text: String,
    /// Why the file is not analysable text, as the core judges it (reported as GZ900, like
    /// `gazette check` does).
    pub problem: Option<DecodeProblem>,
}

/// Reads a closed document's text back from disk: `Ok` with the text when the file still holds
/// the text the server knows (same stamp), `Err` with what the file holds now (its content, or
/// `None` when it cannot be read) when it changed behind the server's back. Call it without the
/// state lock: it reads a file.
pub fn read_back(document: &Document, max_bytes: u64) -> Result<Rope, Option<FileContent>> {
    if let Some(text) = &document.text {
        return Ok(text.clone());
    }
    let path = document.uri.to_file_path().ok_or(None)?;
    let content = read_document_file(&path, max_bytes).map_err(|_| None)?;
    if content.problem == document.problem && TextStamp::of(&content.text) == document.stamp {
        Ok(Rope::from_str(&content.text))
    } else {
        Err(Some(content))
    }
}

/// Reads a document from disk the way editors load it: a UTF-8 byte order mark is dropped (VS
/// Code and Neovim do not show it as text, so positions must not count it). Files that are
/// binary, not UTF-8 or larger than `max_bytes` come back with their problem and no text.
pub fn read_document_file(path: &Path, max_bytes: u64) -> std::io::Result<FileContent> {
    let size = std::fs::metadata(path)?.len();
    if size > max_bytes {
        return Ok(FileContent {
            text: String::new(),
            problem: Some(DecodeProblem::TooLarge {
                size,
                limit: max_bytes,
            }),
        });
    }
    let bytes = std::fs::read(path)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    Ok(match gazette_core::text::decode(bytes, max_bytes) {
        Ok(text) => FileContent {
            text: text.to_owned(),
            problem: None,
        },
        Err(problem) => FileContent {
            text: String::new(),
            problem: Some(problem),
        },
    })
}
