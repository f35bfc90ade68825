//! The name index: a hashed word trie over the folded names and inflected forms of every
//! gazetteer entry.
//!
//! Each key is the hash of a folded token sequence (`da`, `da nang`); a node says whether
//! longer names continue from it and which places the sequence names. Scanning text is then
//! one hash-map probe per token, which keeps tagging above 100 MB/s without building a
//! character automaton over half a million names at start-up.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::gazetteer::fold::{extend_key, marks_hashes, phrase_key, tokenize};
use crate::gazetteer::{Gazetteer, PlaceKind};

/// Keys are already well-mixed hashes; hashing them again would only cost time.
#[derive(Default)]
pub struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

/// A map keyed by precomputed hashes.
pub type HashKeyed<V> = HashMap<u64, V, BuildHasherDefault<IdentityHasher>>;

/// One place a token sequence may name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// Index into [`Gazetteer::places`].
    pub place: u32,
    /// The entry's kind (copied here to keep scoring cache-friendly).
    pub kind: PlaceKind,
    /// Matched through an inflected form (Polish) rather than a name.
    pub inflected: bool,
    /// Matched through a primary name: the canonical one or one with a known language (not an
    /// unlabelled GeoNames alternate name, which are often another place's old names).
    pub primary: bool,
    /// Diacritics of the matched name, per word ([`marks_hashes`]; 0 for none).
    pub marks: u64,
    /// Diacritics of the matched name, flattened.
    pub flat_marks: u64,
}

/// A node of the hashed trie.
#[derive(Clone, Copy, Debug, Default)]
pub struct Node {
    /// Some name is longer than this sequence and starts with it.
    pub continues: bool,
    /// Candidates are `candidates[first..first + count]`.
    pub first: u32,
    /// Number of candidates; zero for a pure prefix.
    pub count: u32,
}

/// Whether a name is worth matching: it has letters ("Phường 17" is stored as "17", which
/// only its head makes a name), and a one-word name in an alphabetic script has at least three
/// letters unless it names a country (Vietnamese `Mỹ`), since two-letter words are mostly
/// function words somewhere.
fn matchable(name: &str, tokens: &[crate::gazetteer::fold::Token], kind: PlaceKind) -> bool {
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    if letters == 0 {
        return false;
    }
    let single = tokens.len() == 1 && !tokens[0].ideographic;
    !(single && letters < 3 && kind != PlaceKind::Country)
}

/// Bits in the name index's key filter (a power of two): about ten per key of the built-in
/// gazetteer, so that nine probes in ten for a word that starts no name stop at the filter.
const FILTER_BITS: usize = 1 << 23;

/// The filter bit of a key: bits from its middle (the map's buckets use its low and high ones).
#[inline]
fn filter_bit(key: u64) -> usize {
    (key >> 20) as usize & (FILTER_BITS - 1)
}

/// The name index of one gazetteer.
pub struct NameIndex {
    nodes: HashKeyed<Node>,
    /// One bit per key (a one-hash Bloom filter of [`FILTER_BITS`] bits, 1 MiB): most
    /// capitalised words of running text start no name, and the filter, small enough to stay
    /// in the cache, rejects them without touching the map, whose probes miss the cache.
    filter: Vec<u64>,
    candidates: Vec<Candidate>,
    /// Longest name, in tokens.
    pub max_tokens: usize,
}

impl NameIndex {
    /// Indexes every name and form of every place.
    pub fn build(gazetteer: &Gazetteer) -> NameIndex {
        let mut entries: Vec<(u64, Candidate)> = Vec::with_capacity(gazetteer.places().len() * 8);
        let mut prefixes: Vec<u64> = Vec::new();
        let mut max_tokens = 1;
        for (index, place) in gazetteer.places().iter().enumerate() {
            let names = place
                .names
                .iter()
                .enumerate()
                .map(|(i, n)| (n, false, i == 0 || !n.lang.is_empty()));
            let forms = place.forms.iter().map(|n| (n, true, true));
            for (name, inflected, primary) in names.chain(forms) {
                let tokens = tokenize(&name.name);
                if tokens.is_empty()
                    || tokens.len() > 8
                    || !matchable(&name.name, &tokens, place.kind)
                {
                    continue;
                }
                max_tokens = max_tokens.max(tokens.len());
                let mut key = tokens[0].hash;
                for token in &tokens[1..] {
                    prefixes.push(key);
                    key = extend_key(key, token.hash);
                }
                let (marks, flat_marks) = marks_hashes(&name.name);
                entries.push((
                    key,
                    Candidate {
                        place: index as u32,
                        kind: place.kind,
                        inflected,
                        primary,
                        marks,
                        flat_marks,
                    },
                ));
            }
        }
        // Group candidates by key; a place named twice under one key with the same diacritics
        // (two languages spelling it alike) is one candidate, preferring the uninflected,
        // primary reading. "Hue" and "Huế" stay two candidates: the text's diacritics choose.
        entries.sort_unstable_by_key(|(key, c)| (*key, c.place, c.marks, c.inflected, !c.primary));
        entries.dedup_by_key(|(key, c)| (*key, c.place, c.marks));
        let mut nodes: HashKeyed<Node> = HashKeyed::default();
        nodes.reserve(entries.len() + prefixes.len() / 2);
        let mut candidates = Vec::with_capacity(entries.len());
        let mut i = 0;
        while i < entries.len() {
            let key = entries[i].0;
            let first = candidates.len() as u32;
            while i < entries.len() && entries[i].0 == key {
                candidates.push(entries[i].1);
                i += 1;
            }
            let node = nodes.entry(key).or_default();
            node.first = first;
            node.count = candidates.len() as u32 - first;
        }
        for key in prefixes {
            nodes.entry(key).or_default().continues = true;
        }
        let mut filter = vec![0u64; FILTER_BITS / 64];
        for &key in nodes.keys() {
            let bit = filter_bit(key);
            filter[bit / 64] |= 1 << (bit % 64);
        }
        NameIndex {
            nodes,
            filter,
            candidates,
            max_tokens,
        }
    }

    /// The node for a key.
    #[inline]
    pub fn node(&self, key: u64) -> Option<Node> {
        if !self.may_contain(key) {
            return None;
        }
        self.nodes.get(&key).copied()
    }

    /// False when `key` is surely not in the index (the filter's answer).
    #[inline]
    pub(crate) fn may_contain(&self, key: u64) -> bool {
        let bit = filter_bit(key);
        self.filter[bit / 64] & (1 << (bit % 64)) != 0
    }

    /// The candidates of a node.
    pub fn candidates(&self, node: Node) -> &[Candidate] {
        &self.candidates[node.first as usize..(node.first + node.count) as usize]
    }

    /// The candidates of a whole phrase (for lookups by name, e.g. workspace symbols).
    pub fn lookup(&self, phrase: &str) -> &[Candidate] {
        phrase_key(phrase)
            .and_then(|key| self.node(key))
            .map_or(&[], |node| self.candidates(node))
    }

    /// Every key of the index (names and prefixes), for tests.
    #[cfg(test)]
    pub(crate) fn keys(&self) -> impl Iterator<Item = u64> + '_ {
        self.nodes.keys().copied()
    }

    /// Number of distinct keys (names and prefixes).
    pub fn key_count(&self) -> usize {
        self.nodes.len()
    }
}
