//! Locality tagging against the gazetteer: finds every mention of a known place and links it
//! to one gazetteer entry.
//!
//! Scanning is one hash probe per token into the [`NameIndex`] (folded names: case, diacritics,
//! NFC/NFD and tone placement do not matter), leftmost-longest. Each match then has candidate
//! places; the [`LocalityTagger`] picks one with document-level evidence: kind heads next to the
//! name ("Quang Nam province", "thành phố Daegu"), places and countries mentioned elsewhere in
//! the document (Tam Ky makes An Phu the ward of Tam Ky), the document's language, population.
//! Names that are also common words ("Tam", "Mission") need such evidence to be tagged at all,
//! and a single word after a title is a person ("Chairman Tho").

pub mod context;
pub mod index;

use std::borrow::Cow;
use std::collections::HashSet;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use self::context::{ContextWords, KindSet, Language, detect_language, joined, polish_bases};
use self::index::{Candidate, HashKeyed, IdentityHasher, NameIndex};
use super::{EntityLabel, EntitySpan, TaggingConfig};
use crate::gazetteer::fold::{Token, fold_str, folded_word_hash, marks_hashes, tokenize};
use crate::gazetteer::{Gazetteer, Place, PlaceKind, builtin};
use crate::text::TextRange;

/// Finds locality mentions with the built-in gazetteer. `earlier` holds the spans of taggers
/// that ran before (dates), which localities never overlap.
pub fn tag_localities(
    text: &str,
    earlier: &[EntitySpan],
    _config: &TaggingConfig,
) -> Vec<EntitySpan> {
    LocalityTagger::builtin().tag(text, earlier)
}

/// A locality tagger over one gazetteer: the gazetteer, its name index and the context words.
/// Build it once (it indexes every name) and share it.
pub struct LocalityTagger {
    /// Borrowed for the built-in gazetteer (no copy of half a million names), owned for a
    /// user's.
    gazetteer: Cow<'static, Gazetteer>,
    index: NameIndex,
    /// Folded hashes of words that are also place names, keyed by the hash itself (they are
    /// well mixed already; SipHash would cost more than the lookup).
    common_words: HashSet<u64, BuildHasherDefault<IdentityHasher>>,
    context: ContextWords,
    /// What choosing between candidates reads of each place, in one compact record per place:
    /// a candidate costs one cache line instead of one per array (and the [`Place`] itself,
    /// with its names and strings, is read only for the place chosen or for a dated document).
    facts: Vec<PlaceFacts>,
    /// The country codes (`VN`), by number.
    country_codes: Vec<String>,
}

/// One place mention found in the text, before disambiguation.
struct Mention {
    first: usize,
    last: usize,
    /// The mention's candidates: a range of the document's candidate pool (one vector for all
    /// mentions instead of one per mention).
    candidates: std::ops::Range<usize>,
}

impl LocalityTagger {
    /// The tagger over the built-in gazetteer, built on first use and shared by the process.
    pub fn builtin() -> &'static LocalityTagger {
        static BUILTIN: OnceLock<LocalityTagger> = OnceLock::new();
        BUILTIN.get_or_init(|| LocalityTagger::with_gazetteer(Cow::Borrowed(Gazetteer::builtin())))
    }

    /// A tagger over any gazetteer (the built-in one plus a user's entries, or a test's).
    pub fn new(gazetteer: Gazetteer) -> LocalityTagger {
        LocalityTagger::with_gazetteer(Cow::Owned(gazetteer))
    }

    fn with_gazetteer(gazetteer: Cow<'static, Gazetteer>) -> LocalityTagger {
        let index = NameIndex::build(&gazetteer);
        let common_words = builtin::COMMON_WORDS
            .lines()
            .filter(|w| !w.is_empty())
            .map(|w| folded_word_hash(&fold_str(w)))
            .collect();
        let mut country_codes: Vec<String> = Vec::new();
        let mut numbers: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
        let facts = gazetteer
            .places()
            .iter()
            .map(|p| PlaceFacts {
                prior: kind_prior(p),
                parent: p
                    .parent
                    .as_deref()
                    .and_then(|id| gazetteer.index_of(id))
                    .unwrap_or(u32::MAX),
                country: *numbers.entry(p.country.as_str()).or_insert_with(|| {
                    country_codes.push(p.country.clone());
                    (country_codes.len() - 1) as u32
                }),
                kind: p.kind,
                small: is_small(p),
                has_end: p.valid_to.is_some(),
            })
            .collect();
        LocalityTagger {
            gazetteer,
            index,
            common_words,
            context: ContextWords::new(),
            facts,
            country_codes,
        }
    }

    /// The gazetteer the tagger links to (to look up a mention's `norm`).
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The name index (for lookups by name).
    pub fn index(&self) -> &NameIndex {
        &self.index
    }

    /// Finds and links the locality mentions of one document.
    pub fn tag(&self, text: &str, earlier: &[EntitySpan]) -> Vec<EntitySpan> {
        self.tag_dated(text, earlier, None)
    }

    /// [`LocalityTagger::tag`] for a document written on `date` (its creation time, an ISO
    /// date such as `2016-10-17`): a place that no longer existed on that date, or did not
    /// exist yet, loses to one that did; and a mention of a place that had ceased to exist
    /// links to its successor (Quảng Nam in a 2026 article is the Đà Nẵng of the 2025
    /// reform, in a 2016 article the province as it was). Without a date, validity only
    /// breaks ties in favour of places that still exist.
    pub fn tag_dated(
        &self,
        text: &str,
        earlier: &[EntitySpan],
        date: Option<&str>,
    ) -> Vec<EntitySpan> {
        self.tag_tokens(text, &tokenize(text), earlier, date)
    }

    /// [`LocalityTagger::tag_dated`] over the text's [`tokenize`] tokens, when the pipeline has
    /// them already.
    pub(crate) fn tag_tokens(
        &self,
        text: &str,
        tokens: &[Token],
        earlier: &[EntitySpan],
        date: Option<&str>,
    ) -> Vec<EntitySpan> {
        let language = detect_language(text, tokens, &self.context);
        let (mentions, pool) = self.scan(text, tokens, language, earlier);
        self.resolve(text, tokens, language, mentions, &pool, date)
    }

    /// The form of a place on `date`: the place itself while it exists, else its successor
    /// (followed through at most eight reorganisations, so that a cycle in a user's file
    /// cannot loop).
    fn form_on(&self, place: u32, date: Option<&str>) -> u32 {
        let Some(date) = date else { return place };
        let mut current = place;
        for _ in 0..8 {
            let entry = self.place(current);
            if validity_on(entry, date) != Validity::Ceased {
                break;
            }
            match entry
                .successor
                .as_deref()
                .and_then(|id| self.gazetteer.index_of(id))
            {
                Some(next) => current = next,
                None => break,
            }
        }
        current
    }

    /// Leftmost-longest matching of names over the token stream.
    fn scan(
        &self,
        text: &str,
        tokens: &[Token],
        language: Language,
        earlier: &[EntitySpan],
    ) -> (Vec<Mention>, Vec<Candidate>) {
        // Sized for dense text (the seed articles have a mention every six tokens and a
        // few candidates each), so that neither grows in most documents.
        let mut mentions = Vec::with_capacity(tokens.len() / 4 + 1);
        let mut pool = Vec::with_capacity(tokens.len() + 1);
        let mut i = 0;
        while i < tokens.len() {
            if !tokens[i].capitalised {
                i += 1;
                continue;
            }
            // The longest match so far: a node of the index (its candidates are copied only
            // for the match kept) or the candidates of a Polish inflected form.
            let mut best: Option<(usize, Result<index::Node, Vec<Candidate>>)> = None;
            let mut key = 0u64;
            let mut j = i;
            while j < tokens.len() && j - i < self.index.max_tokens {
                if j > i {
                    let adjacent = if tokens[j].ideographic || tokens[j - 1].ideographic {
                        tokens[j - 1].end == tokens[j].start
                    } else {
                        joined(text, tokens[j - 1].end, tokens[j].start)
                    };
                    if !adjacent {
                        break;
                    }
                }
                let previous = key;
                key = if j == i {
                    tokens[j].hash
                } else {
                    crate::gazetteer::fold::extend_key(key, tokens[j].hash)
                };
                let node = self.index.node(key);
                let ends_well = tokens[j].capitalised;
                if let Some(node) = node.filter(|n| n.count > 0) {
                    if ends_well {
                        best = Some((j, Ok(node)));
                    }
                } else if language == Language::Polish && ends_well && !tokens[j].ideographic {
                    if let Some(found) = self.polish_lookup(text, tokens[j], j == i, previous) {
                        best = Some((j, Err(found)));
                    }
                }
                if !node.is_some_and(|n| n.continues) {
                    break;
                }
                j += 1;
            }
            match best {
                Some((last, candidates))
                    if !overlaps(earlier, tokens[i].start, tokens[last].end) =>
                {
                    let start = pool.len();
                    match candidates {
                        Ok(node) => pool.extend_from_slice(self.index.candidates(node)),
                        Err(inflected) => pool.extend(inflected),
                    }
                    mentions.push(Mention {
                        first: i,
                        last,
                        candidates: start..pool.len(),
                    });
                    i = last + 1;
                }
                _ => i += 1,
            }
        }
        (mentions, pool)
    }

    /// Candidates of a Polish inflected word by undoing its case ending.
    fn polish_lookup(
        &self,
        text: &str,
        token: Token,
        first: bool,
        previous: u64,
    ) -> Option<Vec<Candidate>> {
        let folded = fold_str(&text[token.start as usize..token.end as usize]);
        for base in polish_bases(&folded) {
            let hash = folded_word_hash(&base);
            let key = if first {
                hash
            } else {
                crate::gazetteer::fold::extend_key(previous, hash)
            };
            if let Some(node) = self.index.node(key).filter(|n| n.count > 0) {
                let candidates: Vec<Candidate> = self
                    .index
                    .candidates(node)
                    .iter()
                    .map(|c| Candidate {
                        inflected: true,
                        ..*c
                    })
                    .collect();
                return Some(candidates);
            }
        }
        None
    }

    /// Picks one place per mention, or drops the mention.
    fn resolve(
        &self,
        text: &str,
        tokens: &[Token],
        language: Language,
        mut mentions: Vec<Mention>,
        pool: &[Candidate],
        date: Option<&str>,
    ) -> Vec<EntitySpan> {
        // The candidates kept, copied into a new pool.
        let mut kept: Vec<Candidate> = Vec::with_capacity(pool.len());
        mentions.retain_mut(|mention| {
            let surface =
                &text[tokens[mention.first].start as usize..tokens[mention.last].end as usize];
            let (marks, flat_marks) = marks_hashes(surface);
            let start = kept.len();
            for c in &pool[mention.candidates.clone()] {
                // Diacritics written in the text must be those of the name ("Tại" is not
                // "Tai").
                if marks != 0 && !(c.marks == marks || (c.inflected && c.flat_marks == flat_marks))
                {
                    continue;
                }
                // One candidate per place (a place may be there under several spellings; the
                // index keeps a place's candidates together).
                if kept.len() > start && kept[kept.len() - 1].place == c.place {
                    continue;
                }
                kept.push(*c);
            }
            mention.candidates = start..kept.len();
            start < kept.len()
        });
        let pool = kept;
        // Document-level evidence: the countries named by mentions that may be countries.
        let mut countries: Vec<u32> = Vec::new();
        let mut in_mention = vec![false; tokens.len()];
        if let Some(home) = language.home_country() {
            // (A home country the gazetteer does not know is evidence for no place.)
            if let Some(number) = self.country_codes.iter().position(|c| c == home) {
                countries.push(number as u32);
            }
        }
        for mention in &mentions {
            // Only a mention that may be a well-known place shields its neighbours: "Kim" in
            // "Kim Jung-ki" may be a hamlet, which makes "Jung" part of a name, not a place.
            if pool[mention.candidates.clone()]
                .iter()
                .any(|c| !self.facts[c.place as usize].small)
            {
                in_mention[mention.first..=mention.last].fill(true);
            }
            for c in pool[mention.candidates.clone()]
                .iter()
                .filter(|c| c.kind == PlaceKind::Country)
            {
                let country = self.facts[c.place as usize].country;
                if !countries.contains(&country) {
                    countries.push(country);
                }
            }
        }
        let contexts: Vec<MentionContext> = mentions
            .iter()
            .map(|mention| self.mention_context(text, tokens, mention, &in_mention))
            .collect();
        // Choose once without, then once with, the places chosen for the other mentions as
        // evidence for what they contain ("An Phu" next to "Tam Ky" is Tam Ky's ward).
        let mut chosen: Vec<Option<Choice>> = vec![None; mentions.len()];
        for round in 0..2 {
            let mut mentioned: HashKeyed<Mentioned> = HashKeyed::default();
            if round > 0 {
                for (m, choice) in chosen.iter().enumerate() {
                    if let Some(choice) = choice {
                        let entry = mentioned
                            .entry(place_key(choice.place))
                            .or_insert(Mentioned { first: m, count: 0 });
                        entry.count += 1;
                    }
                }
            }
            chosen = mentions
                .iter()
                .zip(&contexts)
                .enumerate()
                .map(|(m, (mention, context))| {
                    let candidates = &pool[mention.candidates.clone()];
                    self.choose(
                        candidates, m, context, &countries, &mentioned, language, date,
                    )
                })
                .collect();
        }
        let mut spans = Vec::with_capacity(mentions.len());
        for ((mention, context), choice) in mentions.iter().zip(&contexts).zip(chosen) {
            let Some(choice) = choice else { continue };
            if context.rejected {
                continue;
            }
            let place = &self.facts[choice.place as usize];
            let (first, last) = (mention.first, mention.last);
            // Small places (communes, districts, towns) have names shared by hundreds of others
            // and by people: they need evidence, and lose to a title or a neighbouring name.
            if place.small
                && (context.title || context.left_name || context.right_name)
                && !choice.head_match
            {
                continue;
            }
            let strong = choice.head_match || choice.ancestor_mentioned;
            if matches!(place.kind, PlaceKind::Commune | PlaceKind::District) && !strong {
                continue;
            }
            let common = first == last
                && self.common_words.contains(&tokens[first].hash)
                && !matches!(place.kind, PlaceKind::Country | PlaceKind::Region);
            let country_evidence =
                place.kind == PlaceKind::Province && countries.contains(&place.country);
            if common && !strong && !country_evidence {
                continue;
            }
            let linked = self.place(self.form_on(choice.place, date));
            spans.push(EntitySpan {
                range: TextRange::new(tokens[first].start, tokens[last].end),
                label: EntityLabel::Loc,
                norm: Some(linked.id.clone()),
            });
        }
        spans
    }

    /// What surrounds a mention: kind heads, glued capitalised words, a title.
    fn mention_context(
        &self,
        text: &str,
        tokens: &[Token],
        mention: &Mention,
        in_mention: &[bool],
    ) -> MentionContext {
        let (first, last) = (mention.first, mention.last);
        let heads = self.context.heads(text, tokens, first, last);
        let (head_before, head_after) = (heads.before, heads.after);
        // A capitalised word glued to the mention that is neither a head nor another place
        // makes it part of a longer proper name ("Huynh Duc Tho", "Vũ Đức Đam").
        let left_name = !head_before
            && first > 0
            && tokens[first - 1].capitalised
            && !in_mention[first - 1]
            && joined(text, tokens[first - 1].end, tokens[first].start);
        let right_name = !head_after
            && last + 1 < tokens.len()
            && tokens[last + 1].capitalised
            && !in_mention[last + 1]
            && joined(text, tokens[last].end, tokens[last + 1].start);
        let acronym = first == last && is_acronym(text, tokens, first);
        MentionContext {
            head_kinds: heads.kinds,
            left_name,
            right_name,
            title: self.context.title_before(text, tokens, first),
            rejected: acronym || (left_name && right_name),
        }
    }

    /// The best-scoring candidate of a mention.
    fn choose(
        &self,
        candidates: &[Candidate],
        this: usize,
        context: &MentionContext,
        countries: &[u32],
        mentioned: &HashKeyed<Mentioned>,
        language: Language,
        date: Option<&str>,
    ) -> Option<Choice> {
        let mut best: Option<(f64, Choice)> = None;
        // A mention's candidates come from the index sorted by place (checked once here, so
        // that a parent is found by binary search instead of a scan per candidate).
        let sorted = candidates.is_sorted_by_key(|c| c.place);
        for candidate in candidates {
            let facts = &self.facts[candidate.place as usize];
            let ancestor_mentioned = !mentioned.is_empty()
                && self.ancestors(candidate.place).any(|ancestor| {
                    mentioned
                        .get(&place_key(ancestor))
                        .is_some_and(|ms| ms.count > 1 || ms.first != this)
                });
            let head_match = kind_fits(context.head_kinds, facts.kind);
            let mut score = facts.prior;
            if countries.contains(&facts.country) {
                score += 3.0;
            }
            if ancestor_mentioned {
                score += 4.0;
            }
            if head_match {
                score += 6.0;
            }
            if candidate.primary {
                score += 2.0;
            }
            if candidate.inflected && language != Language::Polish {
                score -= 4.0;
            }
            if facts.has_end {
                score -= 0.25;
            }
            // On the document's date, a place that existed beats one that did not.
            if date.is_some_and(|date| {
                validity_on(self.place(candidate.place), date) != Validity::Valid
            }) {
                score -= 5.0;
            }
            // A city named like the province it is the seat of is what a bare name means
            // ("Daegu", "Yaroslavl") unless a head says otherwise.
            // (`parent` is the index of the place with the parent's id, ids being unique.)
            let parent = facts.parent;
            let seat = facts.kind == PlaceKind::City
                && parent != u32::MAX
                && if sorted {
                    candidates
                        .binary_search_by_key(&parent, |c| c.place)
                        .is_ok()
                } else {
                    candidates.iter().any(|c| c.place == parent)
                };
            if seat {
                score += 1.5;
            }
            let choice = Choice {
                place: candidate.place,
                head_match,
                ancestor_mentioned,
            };
            if best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, choice));
            }
        }
        best.map(|(_, choice)| choice)
    }

    /// Indices of the containing places, nearest first (at most eight levels, so that a
    /// cycle in a user's file cannot loop).
    fn ancestors(&self, index: u32) -> impl Iterator<Item = u32> + '_ {
        let mut current = self.facts[index as usize].parent;
        (0..8).map_while(move |_| {
            let found = (current != u32::MAX).then_some(current)?;
            current = self.facts[found as usize].parent;
            Some(found)
        })
    }

    fn place(&self, index: u32) -> &Place {
        &self.gazetteer.places()[index as usize]
    }
}

/// The facts about a place that choosing a candidate reads (see [`LocalityTagger::facts`]).
#[derive(Clone, Copy, Debug)]
struct PlaceFacts {
    /// The place's [`kind_prior`], computed once (it takes a logarithm).
    prior: f64,
    /// Index of the place's parent (`u32::MAX` when none), for cheap ancestor walks.
    parent: u32,
    /// The place's country as a small number (an index into `country_codes`), so that the
    /// countries of a document are compared as numbers rather than as strings.
    country: u32,
    kind: PlaceKind,
    /// [`is_small`].
    small: bool,
    /// The place has a `valid_to` date (it ceased to exist, or will).
    has_end: bool,
}

/// A well-mixed map key for a place index (the maps use the identity hash).
fn place_key(place: u32) -> u64 {
    (place as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// How likely a place of this kind and size is to be meant, before context.
fn kind_prior(place: &Place) -> f64 {
    let population = place.population.unwrap_or(0) as f64;
    match place.kind {
        PlaceKind::Country => 6.0,
        PlaceKind::Region => 5.0,
        PlaceKind::Province => 4.0 + (population + 1.0).log10() * 0.1,
        PlaceKind::City => 2.0 + (population + 1.0).log10() * 0.4,
        PlaceKind::District => 1.5,
        PlaceKind::Commune => 1.0,
    }
}

/// Whether a head of one of the kinds `heads` fits a place of kind `place` (a "province" head
/// also fits a region).
fn kind_fits(heads: KindSet, place: PlaceKind) -> bool {
    heads.contains(place) || (place == PlaceKind::Region && heads.contains(PlaceKind::Province))
}

/// What surrounds one mention.
struct MentionContext {
    /// Kinds the heads next to the mention are evidence of.
    head_kinds: KindSet,
    /// A capitalised word that is not a place is glued to the left.
    left_name: bool,
    /// ... or to the right.
    right_name: bool,
    /// A title (Chairman, ông, Pan) stands before the mention.
    title: bool,
    /// The mention is an acronym or sits inside a longer name: never a place.
    rejected: bool,
}

/// The mentions whose chosen place is a given place: the first of them and how many.
#[derive(Clone, Copy, Debug)]
struct Mentioned {
    first: usize,
    count: usize,
}

/// The place chosen for a mention and the evidence for it.
#[derive(Clone, Copy, Debug)]
struct Choice {
    place: u32,
    head_match: bool,
    ancestor_mentioned: bool,
}

/// Whether a place existed on a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Validity {
    /// It existed in this form.
    Valid,
    /// It had ceased to exist (after its `valid_to`).
    Ceased,
    /// It did not exist yet (before its `valid_from`).
    NotYet,
}

/// The validity of `place` on `date` (ISO dates compare as strings; a bound given as a year or
/// a month covers all of it).
fn validity_on(place: &Place, date: &str) -> Validity {
    let prefix = |bound: &str| &date[..bound.len().min(date.len())];
    if let Some(to) = place.valid_to.as_deref()
        && prefix(to) > to
    {
        return Validity::Ceased;
    }
    if let Some(from) = place.valid_from.as_deref()
        && prefix(from) < from
    {
        return Validity::NotYet;
    }
    Validity::Valid
}

/// Communes, districts and towns under 100,000 people.
fn is_small(place: &Place) -> bool {
    match place.kind {
        PlaceKind::Commune | PlaceKind::District => true,
        PlaceKind::City => place.population.unwrap_or(0) < 100_000,
        _ => false,
    }
}

/// A short all-capitals word outside an all-capitals line ("ODA", "ICT") is an acronym.
fn is_acronym(text: &str, tokens: &[Token], index: usize) -> bool {
    let token = tokens[index];
    let word = &text[token.start as usize..token.end as usize];
    let all_caps =
        |w: &str| w.chars().all(|c| !c.is_lowercase()) && w.chars().any(|c| c.is_uppercase());
    if !all_caps(word) || word.chars().count() > 4 {
        return false;
    }
    let neighbour_caps = |i: usize| {
        let t = tokens[i];
        let w = &text[t.start as usize..t.end as usize];
        all_caps(w)
            && !text[t.end.min(token.end) as usize..t.start.max(token.start) as usize]
                .contains('\n')
    };
    let before = index > 0 && neighbour_caps(index - 1);
    let after = index + 1 < tokens.len() && neighbour_caps(index + 1);
    !(before || after)
}

fn overlaps(spans: &[EntitySpan], start: u32, end: u32) -> bool {
    spans
        .iter()
        .any(|s| s.range.start < end && start < s.range.end)
}

#[cfg(test)]
mod tests;
