//! The user gazetteer of a workspace root (the `gazetteer` key of `gazette.toml`): the locality
//! tagger over the built-in gazetteer plus the user's places, and where each place is written
//! in the file, for go to definition.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use gazette_core::gazetteer::{Gazetteer, Place, UserGazetteer as UserPlaces, entry_id_ranges};
use gazette_core::tag::locality::LocalityTagger;
use gazette_core::text::TextRange;
use ropey::Rope;
use tower_lsp_server::ls_types::{self as lsp, Uri};

use crate::convert::{self, PositionEncoding};

/// A root's user gazetteer, read when the configuration is loaded.
pub struct UserGazetteer {
    /// The file.
    pub path: PathBuf,
    uri: Uri,
    text: Rope,
    /// The range of each entry's id in the file.
    entries: HashMap<String, TextRange>,
    places: UserPlaces,
    /// Index of each id in `places`: hovers look places up by id, and a user file may hold
    /// a million entries.
    by_id: HashMap<String, usize>,
    /// Indexing half a million names takes a second or two: done on first use, in the tagging
    /// worker, never while the configuration is applied.
    tagger: OnceLock<LocalityTagger>,
}

impl std::fmt::Debug for UserGazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserGazetteer")
            .field("path", &self.path)
            .field("places", &self.places.places.len())
            .finish_non_exhaustive()
    }
}

impl UserGazetteer {
    /// Reads and checks the file; the error says what is wrong, with the file's path.
    pub fn load(path: PathBuf) -> Result<UserGazetteer, String> {
        let text = std::fs::read_to_string(&path)
            .map_err(|error| format!("cannot read gazetteer file {}: {error}", path.display()))?;
        let places =
            UserPlaces::parse(&text).map_err(|error| format!("{}: {error}", path.display()))?;
        let uri = Uri::from_file_path(&path)
            .ok_or_else(|| format!("{}: not a file path", path.display()))?;
        let entries = entry_id_ranges(&text).into_iter().collect();
        let by_id = places
            .places
            .iter()
            .enumerate()
            .map(|(index, place)| (place.id.clone(), index))
            .collect();
        Ok(UserGazetteer {
            path,
            uri,
            text: Rope::from_str(&text),
            entries,
            places,
            by_id,
            tagger: OnceLock::new(),
        })
    }

    /// The locality tagger over the built-in gazetteer plus these places.
    pub fn tagger(&self) -> &LocalityTagger {
        self.tagger.get_or_init(|| {
            LocalityTagger::new(Gazetteer::builtin().with_user_entries(self.places.clone()))
        })
    }

    /// The user's entry with this id, if the file defines it (it replaces a built-in entry with
    /// the same id).
    pub fn place(&self, id: &str) -> Option<&Place> {
        self.by_id.get(id).map(|&index| &self.places.places[index])
    }

    /// The file's name, for messages.
    pub fn file_name(&self) -> String {
        self.path.file_name().map_or_else(
            || self.path.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        )
    }

    /// Where the entry with this id is written, if the file defines it.
    pub fn location(&self, id: &str, encoding: PositionEncoding) -> Option<lsp::Location> {
        let range = *self.entries.get(id)?;
        Some(lsp::Location::new(
            self.uri.clone(),
            convert::range_to_lsp(&self.text, range, encoding),
        ))
    }
}
