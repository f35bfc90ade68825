//! Person rules: names after titles, Vietnamese and romanised Korean name shapes, repeated full
//! names, and short mentions linked to the full name they abbreviate.

use std::collections::HashMap;

use crate::tag::tokens::LexiconHasher;

use super::lexicon::Role;
use super::{Context, IN_DATE, IN_LOCALITY, IN_ORGANISATION, IN_PERSON, Name};
use crate::tag::tokens::{TokenKind, slug};

/// Words before a name-shaped run that make it a place named after a person
/// (`Thành phố Hồ Chí Minh`, `đường Lê Lợi`).
const PLACE_WORDS: &[&str] = &[
    "phố",
    "tỉnh",
    "huyện",
    "quận",
    "xã",
    "phường",
    "tp",
    "đường",
    "thôn",
    "city",
    "province",
    "street",
    "district",
    "commune",
    "ward",
    "ulica",
    "ulicy",
    "miasto",
    "miasta",
];

/// At most this many words in a person's name.
const MAX_NAME_WORDS: usize = 4;

const BLOCKING: u8 = IN_DATE | IN_LOCALITY | IN_ORGANISATION | IN_PERSON;

/// Finds the persons and marks their tokens.
pub(super) fn find(context: &mut Context<'_, '_>) -> Vec<Name> {
    let mut found: Vec<Name> = Vec::new();
    // Titled names first: they are the most certain.
    let mut index = 0;
    while index < context.t.len() {
        match titled(context, index) {
            Some(next) => {
                if let Some((first, last)) = next.1 {
                    found.push(context.name(first, last));
                    context.mark(first, last, IN_PERSON);
                }
                index = next.0;
            }
            None => index += 1,
        }
    }
    // Name shapes without a title.
    for index in 0..context.t.len() {
        if let Some((first, last)) = name_shape(context, index) {
            found.push(context.name(first, last));
            context.mark(first, last, IN_PERSON);
        }
    }
    // Full names seen once are names everywhere.
    let mut full: HashMap<String, Vec<Vec<String>>, LexiconHasher> = HashMap::default();
    // The key hashes of their first words: most tokens are rejected without a map lookup.
    let mut first_hashes: Vec<u64> = Vec::new();
    for name in &found {
        if word_indices(context, name.first, name.last).len() >= 2 {
            first_hashes.push(context.t.key_hash(name.first));
            let words = keys(context, name.first, name.last);
            let list = full.entry(words[0].clone()).or_default();
            if !list.contains(&words) {
                list.push(words);
            }
        }
    }
    if !full.is_empty() {
        for index in 0..context.t.len() {
            let hash = context.t.key_hash(index);
            if hash == 0 || !first_hashes.contains(&hash) {
                continue;
            }
            let Some(candidates) = full.get(context.t.key(index)) else {
                continue;
            };
            for words in candidates {
                let last = index + words.len() - 1;
                if (index..=last).all(|i| !context.is_taken(i, BLOCKING))
                    && keys_match(context, index, words)
                    && !context.is_name_word(last + 1)
                    && (index == 0 || !context.is_name_word(index - 1))
                {
                    found.push(context.name(index, last));
                    context.mark(index, last, IN_PERSON);
                }
            }
        }
    }
    link_short_mentions(context, &mut found);
    found.sort_by_key(|n| n.first);
    found
}

/// The word tokens (not hyphens) between `first` and `last`.
fn word_indices(context: &Context<'_, '_>, first: usize, last: usize) -> Vec<usize> {
    (first..=last)
        .filter(|&i| context.t.tokens[i].kind == TokenKind::Word)
        .collect()
}

fn keys(context: &Context<'_, '_>, first: usize, last: usize) -> Vec<String> {
    (first..=last)
        .map(|i| context.t.key(i).to_owned())
        .collect()
}

fn keys_match(context: &Context<'_, '_>, index: usize, words: &[String]) -> bool {
    words.iter().enumerate().all(|(k, word)| {
        context.t.get(index + k).is_some() && context.t.key(index + k) == word.as_str()
    })
}

/// A chain of titles at `index` (`Mr. Mayor`, `Phó Phó Thủ tướng`) and the name after it.
/// Returns where scanning resumes and the name, if any.
fn titled(context: &Context<'_, '_>, index: usize) -> Option<(usize, Option<(usize, usize)>)> {
    let t = context.t;
    if context.is_taken(index, BLOCKING) {
        return None;
    }
    let mut at = index;
    let mut has_title = false;
    while let Some((role, length)) = context.phrase_at(at, &[Role::Title, Role::TitleModifier]) {
        has_title |= role == Role::Title;
        at += length;
        if t.is_punct(at, '.') && !t.tokens[at].space_before() {
            at += 1;
        }
    }
    if !has_title {
        return None;
    }
    let mut start = at;
    // An affiliation between title and name: a locality (`Gubernator Chungcheongnam, Kim Tae
    // Heum`) or an organisation (`Przewodniczący Miejskiego Komitetu Ludowego Nguyen Van Phuong`).
    let affiliation = match context.locality_from(start) {
        Some(end) => Some(end),
        None if context.is_taken(start, IN_ORGANISATION) => {
            let mut end = start;
            while context.is_taken(end + 1, IN_ORGANISATION) {
                end += 1;
            }
            Some(end)
        }
        None => None,
    };
    if let Some(end) = affiliation {
        start = end + 1;
        if t.is_punct(start, ',') {
            start += 1;
        }
    }
    let Some(last) = name_run(context, start) else {
        return Some((at, None));
    };
    if t.is_punct(last + 1, ',')
        && word_indices(context, start, last).len() <= 2
        && let Some(apposition) = name_run(context, last + 2)
        && word_indices(context, last + 2, apposition).len() >= 2
        && t.get(apposition + 1).is_none_or(|next| {
            next.newline_before() || [",", ".", ")", ";"].contains(&t.text_of(apposition + 1))
        })
    {
        return Some((apposition + 1, Some((last + 2, apposition))));
    }
    Some((last + 1, Some((start, last))))
}

/// A run of capitalised words that can be a name: at most four words, hyphenated parts allowed
/// (`Kim Jung-ki`), none already tagged, none a title or a head word.
fn name_run(context: &Context<'_, '_>, index: usize) -> Option<usize> {
    let usable = |i: usize| {
        context.is_name_word(i)
            && !context.is_taken(i, BLOCKING)
            && !context.t.tokens[i].newline_before()
            && context
                .phrase_at(
                    i,
                    &[
                        Role::Title,
                        Role::TitleModifier,
                        Role::FinalHead,
                        Role::InitialHead,
                    ],
                )
                .is_none()
    };
    if !usable(index) {
        return None;
    }
    let mut last = index;
    let mut words = 1;
    loop {
        if context.is_joining_hyphen(last + 1) && !context.is_taken(last + 2, BLOCKING) {
            last += 2;
            continue;
        }
        if usable(last + 1) {
            words += 1;
            last += 1;
            continue;
        }
        break;
    }
    (words <= MAX_NAME_WORDS).then_some(last)
}

/// A whole capitalised run shaped like a Vietnamese name (surname + 2-3 syllables) or a
/// romanised Korean one (surname + a two-syllable given name).
fn name_shape(context: &Context<'_, '_>, index: usize) -> Option<(usize, usize)> {
    let t = context.t;
    if !context.is_name_word(index) {
        return None;
    }
    // (The cheapest test first: a surname lookup stops at a filter for most words.)
    let vietnamese_surname = context.phrases.vietnamese_surnames.contains_token(t, index);
    let korean_surname = context.phrases.korean_surnames.contains_token(t, index);
    if !vietnamese_surname && !korean_surname {
        return None;
    }
    if index > 0 && (context.is_name_word(index - 1) || context.is_joining_hyphen(index - 1)) {
        return None;
    }
    if index > 0 && t.is_word_in(index - 1, PLACE_WORDS) {
        return None;
    }
    let last = name_run(context, index)?;
    if context.is_name_word(last + 1) {
        return None;
    }
    let words: Vec<String> = word_indices(context, index, last)
        .into_iter()
        .map(|i| slug(t.text_of(i)))
        .collect();
    if t.is_word_in(last + 1, PLACE_WORDS) {
        return None;
    }
    let vietnamese = (3..=4).contains(&words.len())
        && vietnamese_surname
        && words.iter().all(|w| is_vietnamese_syllable(w));
    let korean = korean_surname && is_korean_given_name(&words[1..]);
    (vietnamese || korean).then_some((index, last))
}

fn is_korean_given_name(parts: &[String]) -> bool {
    parts.len() == 2 && parts.iter().all(|p| is_korean_syllable(p))
}

/// A romanised Korean syllable (Revised or McCune-Reischauer habits): initial, vowel, final.
fn is_korean_syllable(syllable: &str) -> bool {
    const INITIALS: &[&str] = &[
        "", "g", "k", "kk", "n", "d", "t", "tt", "r", "l", "m", "b", "p", "pp", "s", "ss", "j",
        "jj", "ch", "h", "w", "y", "sh",
    ];
    const VOWELS: &[&str] = &[
        "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo",
        "we", "wi", "yu", "eu", "ui", "i", "oo", "ee", "ou", "ay", "ey", "eui",
    ];
    const FINALS: &[&str] = &["", "n", "ng", "m", "k", "l", "p", "t"];
    split_syllable(syllable, INITIALS, VOWELS, FINALS)
}

/// A Vietnamese syllable written without its tone marks: initial, vowel nucleus, final.
fn is_vietnamese_syllable(syllable: &str) -> bool {
    const INITIALS: &[&str] = &[
        "", "b", "c", "ch", "d", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh",
        "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
    ];
    const FINALS: &[&str] = &["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];
    if syllable.len() > 7 {
        return false;
    }
    INITIALS.iter().any(|initial| {
        let Some(rest) = syllable.strip_prefix(initial) else {
            return false;
        };
        let vowels = rest.bytes().take_while(|b| b"aeiouy".contains(b)).count();
        (1..=3).contains(&vowels) && FINALS.contains(&&rest[vowels..])
    })
}

fn split_syllable(syllable: &str, initials: &[&str], vowels: &[&str], finals: &[&str]) -> bool {
    initials.iter().any(|initial| {
        syllable.strip_prefix(initial).is_some_and(|rest| {
            vowels.iter().any(|vowel| {
                rest.strip_prefix(vowel)
                    .is_some_and(|tail| finals.contains(&tail))
            })
        })
    })
}

/// Links one-word mentions to a full name of the document: the surname of a Korean name
/// (`Kwon` → Kwon Young Jin), the given name of a Vietnamese one (`Tho` → Huynh Duc Tho), the
/// last name otherwise. A titled one-word name takes the full name's norm; an untitled one is
/// tagged only when it stands alone (not inside a longer capitalised run or a locality).
fn link_short_mentions(context: &mut Context<'_, '_>, found: &mut Vec<Name>) {
    let t = context.t;
    let mut short: HashMap<String, Option<String>, LexiconHasher> = HashMap::default();
    for name in found.iter() {
        let words = word_indices(context, name.first, name.last);
        if words.len() < 2 {
            continue;
        }
        let slugs: Vec<String> = words.iter().map(|&i| slug(t.text_of(i))).collect();
        let korean = context.phrases.korean_surnames.contains_token(t, words[0])
            && slugs[1..].iter().all(|s| is_korean_syllable(s));
        let key_word = if korean {
            words[0]
        } else {
            words[words.len() - 1]
        };
        let key = t.key(key_word).to_owned();
        let entry = short.entry(key).or_insert_with(|| Some(name.norm.clone()));
        if entry.as_deref() != Some(name.norm.as_str()) {
            *entry = None;
        }
    }
    // Titled one-word names take the norm of the full name they abbreviate.
    for name in found.iter_mut() {
        if name.first == name.last
            && let Some(Some(norm)) = short.get(t.key(name.first))
        {
            name.norm = norm.clone();
        }
    }
    if short.is_empty() {
        return;
    }
    let mut extra = Vec::new();
    for index in 0..t.len() {
        if context.is_taken(index, BLOCKING) || !context.is_name_word(index) {
            continue;
        }
        let alone = (index == 0 || !context.is_name_word(index - 1))
            && !context.is_name_word(index + 1)
            && !context.is_joining_hyphen(index + 1)
            && (index == 0 || !context.is_joining_hyphen(index - 1));
        if !alone {
            continue;
        }
        if let Some(Some(norm)) = short.get(t.key(index)) {
            extra.push(Name {
                first: index,
                last: index,
                norm: norm.clone(),
            });
        }
    }
    for name in &extra {
        context.mark(name.first, name.last, IN_PERSON);
    }
    found.extend(extra);
}
