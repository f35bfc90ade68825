//! Person and organisation tagging from titles, head words and name shapes, per language.
//!
//! Organisations come first (`names/organisations.rs`): a capitalised run ending at an English
//! head word (`... Friendship Association`), starting at a Vietnamese one (`Trung tâm ...`),
//! built around a Polish one (`Miejskiego Komitetu Ludowego`), a newspaper masthead, or an
//! acronym of an organisation of the same document (`PPC`). Persons come second
//! (`names/persons.rs`): the capitalised name after a title (`Chairman`, `Quyền Thị trưởng`,
//! `Gubernator`), Vietnamese and romanised Korean name shapes, and short mentions (`Kwon`,
//! `Tho`) linked to a full name of the same document, whose norm they share.
//!
//! Both use the spans found before them: nothing is tagged inside a date; a person is never
//! inside a locality (`Tien Tho`); an organisation may contain a locality, which stays tagged.
//! The words the rules need are per-language tables in `names/lexicon.rs`.

mod lexicon;
mod organisations;
mod persons;
#[cfg(test)]
mod tests;

use super::tokens::{TokenKind, Tokens, slug};
use super::{EntityLabel, EntitySpan, TaggingConfig};
use crate::text::TextRange;
use lexicon::{Phrases, Role};

/// Finds persons and organisations; `earlier` holds dates and localities already found.
pub fn tag_names(text: &str, earlier: &[EntitySpan], config: &TaggingConfig) -> Vec<EntitySpan> {
    tag_names_in(&Tokens::new(text), earlier, config)
}

/// [`tag_names`] over tokens the pipeline shares between taggers.
pub(crate) fn tag_names_in(
    tokens: &Tokens<'_>,
    earlier: &[EntitySpan],
    config: &TaggingConfig,
) -> Vec<EntitySpan> {
    let _ = config;
    let mut context = Context::new(tokens, earlier);
    let organisations = organisations::find(&mut context);
    let persons = persons::find(&mut context);
    let mut spans = Vec::with_capacity(organisations.len() + persons.len());
    for (label, found) in [
        (EntityLabel::Org, organisations),
        (EntityLabel::Per, persons),
    ] {
        for name in found {
            spans.push(EntitySpan {
                range: TextRange::new(
                    tokens.tokens[name.first].start,
                    tokens.tokens[name.last].end,
                ),
                label,
                norm: Some(name.norm),
            });
        }
    }
    spans
}

/// A name found by a rule: first and last token (inclusive) and its norm.
#[derive(Clone, Debug)]
struct Name {
    first: usize,
    last: usize,
    norm: String,
}

const IN_DATE: u8 = 1;
const IN_LOCALITY: u8 = 2;
const IN_ORGANISATION: u8 = 4;
const IN_PERSON: u8 = 8;

/// The tokens with what earlier rules made of them.
struct Context<'a, 't> {
    t: &'a Tokens<'t>,
    phrases: &'static Phrases,
    /// Per token: `IN_*` flags.
    taken: Vec<u8>,
    /// Token ranges (first, last) of the localities.
    localities: Vec<(usize, usize)>,
    /// Per token: the lexicon phrases starting with its word (looked up once).
    entries: Vec<Option<&'static [(Vec<Box<str>>, Role)]>>,
    /// Per token: a capitalised word that can be part of a name.
    name_words: Vec<bool>,
}

impl<'a, 't> Context<'a, 't> {
    fn new(t: &'a Tokens<'t>, earlier: &[EntitySpan]) -> Context<'a, 't> {
        let mut context = Context {
            t,
            phrases: lexicon::phrases(),
            taken: vec![0; t.len()],
            localities: Vec::new(),
            entries: Vec::with_capacity(t.len()),
            name_words: Vec::with_capacity(t.len()),
        };
        for (index, token) in t.tokens.iter().enumerate() {
            let word = token.kind == TokenKind::Word && !token.in_url();
            context.entries.push(if word {
                context
                    .phrases
                    .by_first
                    .get_token(t, index)
                    .map(Vec::as_slice)
            } else {
                None
            });
            context.name_words.push(
                word && token.is_capitalised()
                    && !context.phrases.not_name_start.contains_token(t, index),
            );
        }
        for span in earlier {
            let flag = match span.label {
                EntityLabel::Date | EntityLabel::Duration => IN_DATE,
                EntityLabel::Loc => IN_LOCALITY,
                EntityLabel::Org => IN_ORGANISATION,
                EntityLabel::Per => IN_PERSON,
            };
            if let Some((first, last)) = context.token_range(span.range) {
                context.mark(first, last, flag);
                if flag == IN_LOCALITY {
                    context.localities.push((first, last));
                }
            }
        }
        context.localities.sort_unstable();
        context
    }

    /// The tokens lying inside a byte range, if any.
    fn token_range(&self, range: TextRange) -> Option<(usize, usize)> {
        let tokens = &self.t.tokens;
        let first = tokens.partition_point(|t| t.start < range.start);
        let end = tokens.partition_point(|t| t.end <= range.end);
        (first < end).then(|| (first, end - 1))
    }

    fn mark(&mut self, first: usize, last: usize, flag: u8) {
        for taken in &mut self.taken[first..=last] {
            *taken |= flag;
        }
    }

    fn is_taken(&self, index: usize, flags: u8) -> bool {
        self.taken.get(index).is_some_and(|t| t & flags != 0)
    }

    /// The locality starting at token `index`, as its last token.
    fn locality_from(&self, index: usize) -> Option<usize> {
        self.localities
            .iter()
            .find(|(first, _)| *first == index)
            .map(|(_, last)| *last)
    }

    /// The longest lexicon phrase with one of `roles` starting at token `index`: its role and
    /// its number of tokens.
    fn phrase_at(&self, index: usize, roles: &[Role]) -> Option<(Role, usize)> {
        let candidates = (*self.entries.get(index)?)?;
        candidates
            .iter()
            .filter(|(_, role)| roles.contains(role))
            .find(|(words, _)| {
                words.iter().enumerate().skip(1).all(|(k, word)| {
                    let at = index + k;
                    self.t
                        .get(at)
                        .is_some_and(|t| t.kind == TokenKind::Word && !t.newline_before())
                        && self.t.key(at) == word.as_ref()
                })
            })
            .map(|(words, role)| (*role, words.len()))
    }

    /// A capitalised word that can be part of a name.
    fn is_name_word(&self, index: usize) -> bool {
        self.name_words.get(index).copied().unwrap_or(false)
    }

    /// `word-word` with no spaces (`Jung-ki`, `Viet Nam-Laos`): the hyphen at `index` joins.
    fn is_joining_hyphen(&self, index: usize) -> bool {
        let joined = |i: usize| self.t.get(i).is_some_and(|t| !t.space_before());
        (self.t.is_punct(index, '-') || self.t.is_punct(index, '‑'))
            && joined(index)
            && joined(index + 1)
            && self
                .t
                .get(index + 1)
                .is_some_and(|t| t.kind == TokenKind::Word)
    }

    fn text(&self, first: usize, last: usize) -> &'t str {
        let tokens = &self.t.tokens;
        &self.t.text[tokens[first].start as usize..tokens[last].end as usize]
    }

    fn name(&self, first: usize, last: usize) -> Name {
        Name {
            first,
            last,
            norm: slug(self.text(first, last)),
        }
    }
}
