//! The corpus entity index: every tagged mention of every document, grouped by entity, so that
//! front ends can answer "where else is this locality mentioned?" across documents and languages.
//!
//! An entity is a label plus a normalised value (`LOC` + `VN:da-nang`), so "Da Nang" in an
//! English article and "Đà Nẵng" in a Vietnamese one are the same entity. Mentions without a
//! normalised value are indexed under their folded surface form (case and diacritics removed).
//! The index is incremental like [`crate::workspace::Workspace`]: replacing a document touches
//! only that document's entries. Corpus order is the sorted order of document keys, then text
//! order.

use std::collections::{BTreeMap, HashMap};

use crate::tag::{EntityLabel, EntitySpan};
use crate::text::TextRange;

/// What a mention refers to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntityKey {
    /// The kind of entity.
    pub label: EntityLabel,
    /// The normalised value (gazetteer id, TIMEX3 value, name key), or the folded surface.
    pub norm: String,
}

/// One mention in one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// Byte range in the document.
    pub range: TextRange,
    /// The entity.
    pub entity: EntityKey,
    /// The text as written.
    pub surface: String,
    /// True when the tagger gave a normalised value (false: keyed by surface only).
    pub normalised: bool,
}

/// A mention somewhere in the corpus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The document key.
    pub document: String,
    /// Byte range in that document.
    pub range: TextRange,
}

/// How often an entity is mentioned.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntityStats {
    /// Mentions in the whole corpus.
    pub mentions: u32,
    /// Documents with at least one mention.
    pub documents: u32,
    /// The documents with the most mentions (most first, then corpus order), at most five.
    pub top_documents: Vec<(String, u32)>,
    /// The surface forms seen, with their counts, most frequent first.
    pub surfaces: Vec<(String, u32)>,
}

/// The index. See the module documentation.
#[derive(Clone, Debug, Default)]
pub struct EntityIndex {
    documents: HashMap<String, Vec<Mention>>,
    /// Entity → document → number of mentions (a `BTreeMap` keeps corpus order).
    by_entity: HashMap<EntityKey, BTreeMap<String, u32>>,
}

/// Folds a surface form for keys and search: lowercase without diacritics (đ → d).
pub fn fold(text: &str) -> String {
    crate::gazetteer::fold::fold_str(text)
}

impl EntityIndex {
    /// An empty index.
    pub fn new() -> EntityIndex {
        EntityIndex::default()
    }

    /// Number of documents indexed.
    pub fn len(&self) -> usize {
        self.documents.len()
    }

    /// True when no document is indexed.
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    /// Sets (adds or replaces) the mentions of a document from its tagged spans.
    pub fn set_document(&mut self, key: &str, text: &str, spans: &[EntitySpan]) {
        self.remove_document(key);
        let mut mentions: Vec<Mention> = spans
            .iter()
            .filter_map(|span| {
                let surface = text.get(span.range.to_usize())?.to_owned();
                let (norm, normalised) = match &span.norm {
                    Some(norm) if !norm.is_empty() => (norm.clone(), true),
                    _ => (fold(&surface), false),
                };
                Some(Mention {
                    range: span.range,
                    entity: EntityKey {
                        label: span.label,
                        norm,
                    },
                    surface,
                    normalised,
                })
            })
            .collect();
        mentions.sort_by_key(|m| (m.range.start, std::cmp::Reverse(m.range.end)));
        for mention in &mentions {
            *self
                .by_entity
                .entry(mention.entity.clone())
                .or_default()
                .entry(key.to_owned())
                .or_default() += 1;
        }
        self.documents.insert(key.to_owned(), mentions);
    }

    /// Removes a document.
    pub fn remove_document(&mut self, key: &str) {
        let Some(mentions) = self.documents.remove(key) else {
            return;
        };
        for mention in mentions {
            if let Some(documents) = self.by_entity.get_mut(&mention.entity) {
                documents.remove(key);
                if documents.is_empty() {
                    self.by_entity.remove(&mention.entity);
                }
            }
        }
    }

    /// The mentions of a document, in text order.
    pub fn mentions(&self, key: &str) -> &[Mention] {
        self.documents.get(key).map_or(&[], Vec::as_slice)
    }

    /// The innermost mention of a document that contains `offset` (a cursor right after a
    /// mention still counts, as editors place it there after a double click).
    pub fn mention_at(&self, key: &str, offset: u32) -> Option<&Mention> {
        self.mentions(key)
            .iter()
            .filter(|m| m.range.start <= offset && offset <= m.range.end)
            .min_by_key(|m| m.range.len())
    }

    /// Every mention of `entity`, in corpus order.
    pub fn references(&self, entity: &EntityKey) -> Vec<Location> {
        let Some(documents) = self.by_entity.get(entity) else {
            return Vec::new();
        };
        documents
            .keys()
            .flat_map(|document| {
                self.mentions(document)
                    .iter()
                    .filter(|m| &m.entity == entity)
                    .map(|m| Location {
                        document: document.clone(),
                        range: m.range,
                    })
            })
            .collect()
    }

    /// The first mention of `entity` in corpus order.
    pub fn first_mention(&self, entity: &EntityKey) -> Option<Location> {
        let (document, _) = self.by_entity.get(entity)?.iter().next()?;
        let mention = self
            .mentions(document)
            .iter()
            .find(|m| &m.entity == entity)?;
        Some(Location {
            document: document.clone(),
            range: mention.range,
        })
    }

    /// Mention counts of `entity`.
    pub fn stats(&self, entity: &EntityKey) -> EntityStats {
        let Some(documents) = self.by_entity.get(entity) else {
            return EntityStats::default();
        };
        let mut top: Vec<(String, u32)> = documents.iter().map(|(d, n)| (d.clone(), *n)).collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        top.truncate(5);
        let mut surfaces: BTreeMap<&str, u32> = BTreeMap::new();
        for document in documents.keys() {
            for mention in self
                .mentions(document)
                .iter()
                .filter(|m| &m.entity == entity)
            {
                *surfaces.entry(mention.surface.as_str()).or_default() += 1;
            }
        }
        let mut surfaces: Vec<(String, u32)> = surfaces
            .into_iter()
            .map(|(s, n)| (s.to_owned(), n))
            .collect();
        surfaces.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        EntityStats {
            mentions: documents.values().sum(),
            documents: documents.len() as u32,
            top_documents: top,
            surfaces,
        }
    }

    /// Entities whose normalised value or one of whose surface forms contains `query` (folded:
    /// "da nang" finds "Đà Nẵng"), with their first mention, most mentioned first. An empty
    /// query lists every entity. At most `limit` results.
    pub fn search(&self, query: &str, limit: usize) -> Vec<(EntityKey, String, Location)> {
        let query = fold(query);
        let mut found: Vec<(u32, EntityKey, String, Location)> = Vec::new();
        for (entity, documents) in &self.by_entity {
            let mut surface_match: Option<&str> = None;
            let mut first_surface: Option<&str> = None;
            'documents: for document in documents.keys() {
                for mention in self
                    .mentions(document)
                    .iter()
                    .filter(|m| &m.entity == entity)
                {
                    first_surface.get_or_insert(mention.surface.as_str());
                    if query.is_empty() || fold(&mention.surface).contains(&query) {
                        surface_match = Some(mention.surface.as_str());
                        break 'documents;
                    }
                }
            }
            let norm_match = !query.is_empty() && fold(&entity.norm).contains(&query);
            let Some(surface) = surface_match.or(norm_match.then_some(first_surface).flatten())
            else {
                continue;
            };
            let Some(first) = self.first_mention(entity) else {
                continue;
            };
            found.push((
                documents.values().sum(),
                entity.clone(),
                surface.to_owned(),
                first,
            ));
        }
        found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        found
            .into_iter()
            .take(limit)
            .map(|(_, entity, surface, first)| (entity, surface, first))
            .collect()
    }
}

#[cfg(test)]
mod tests;
