//! Context evidence for locality mentions: the document's language, generic heads next to a
//! name (evidence of its kind), titles before a name (evidence of a person), and Polish case
//! endings for names the gazetteer has no inflected forms of.

use super::index::HashKeyed;
use crate::gazetteer::PlaceKind;
use crate::gazetteer::fold::{Token, fold_word_hash, phrase_key, tokenize};

/// The languages the context rules know about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// English.
    English,
    /// Vietnamese.
    Vietnamese,
    /// Polish.
    Polish,
    /// Korean.
    Korean,
    /// Japanese.
    Japanese,
    /// Anything else.
    Other,
}

impl Language {
    /// The country whose places a document in this language most likely mentions.
    pub fn home_country(self) -> Option<&'static str> {
        match self {
            Language::Vietnamese => Some("VN"),
            Language::Polish => Some("PL"),
            Language::Korean => Some("KR"),
            Language::Japanese => Some("JP"),
            Language::English | Language::Other => None,
        }
    }
}

const ENGLISH: &[&str] = &[
    "the", "and", "of", "to", "in", "is", "with", "for", "that", "has", "have", "was", "on",
];
const VIETNAMESE: &[&str] = &[
    "của", "và", "các", "là", "được", "với", "những", "trong", "một", "cho", "này", "đã", "có",
];
const POLISH: &[&str] = &[
    "się", "że", "nie", "jest", "oraz", "dla", "przez", "na", "do", "od", "jak", "w", "z", "i",
];

/// Slots in the function-word table (a power of two, many times the number of words).
const FUNCTION_SLOTS: usize = 1024;

/// Function words of each language, by folded hash: bit 0 English, 1 Vietnamese, 2 Polish.
/// A collision-free table: each word has a slot of its own, `(hash >> shift) % FUNCTION_SLOTS`
/// with a `shift` chosen when it is built, so that looking a token up is one load and one
/// comparison, without a branch (most tokens are no function word, and which ones are is
/// unpredictable: a branch per token would be mispredicted often).
pub(crate) struct FunctionWords {
    slots: Box<[(u64, u8); FUNCTION_SLOTS]>,
    shift: u32,
}

impl FunctionWords {
    fn new() -> FunctionWords {
        let mut words: Vec<(u64, u8)> = Vec::new();
        for (list, bit) in [(ENGLISH, 1u8), (VIETNAMESE, 2), (POLISH, 4)] {
            for word in list {
                let hash = fold_word_hash(word);
                match words.iter_mut().find(|(h, _)| *h == hash) {
                    Some((_, bits)) => *bits |= bit,
                    None => words.push((hash, bit)),
                }
            }
        }
        // Some shift spreads forty words over a thousand slots without a collision (each
        // shift does with a probability near one half).
        for shift in 0..54 {
            let mut slots = Box::new([(0u64, 0u8); FUNCTION_SLOTS]);
            let placed = words.iter().all(|&(hash, bits)| {
                let slot = &mut slots[(hash >> shift) as usize % FUNCTION_SLOTS];
                let free = slot.1 == 0;
                *slot = (hash, bits);
                free
            });
            if placed {
                return FunctionWords { slots, shift };
            }
        }
        unreachable!("no collision-free shift for the function words")
    }

    /// The languages (bits) of which the word with folded hash `hash` is a function word; 0
    /// for none.
    #[inline]
    fn get(&self, hash: u64) -> u8 {
        let (key, bits) = self.slots[(hash >> self.shift) as usize % FUNCTION_SLOTS];
        bits & 0u8.wrapping_sub(u8::from(key == hash))
    }
}

/// Guesses the language of a document from its most frequent function words and scripts.
pub fn detect_language(text: &str, tokens: &[Token], words: &ContextWords) -> Language {
    let mut counts = [0usize; 5];
    // The first thousand words tell the language; long documents need not be read through.
    for token in tokens.iter().take(1000) {
        if token.ideographic {
            let c = text[token.start as usize..].chars().next().unwrap_or(' ');
            if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
                counts[3] += 1;
            } else if ('\u{3040}'..='\u{30FF}').contains(&c) {
                counts[4] += 1;
            }
            continue;
        }
        // Function words are short (the length test and the lookup are branch-free: whether
        // a token is a function word is unpredictable).
        let short = 0u8.wrapping_sub(u8::from(token.end - token.start <= 8));
        let bits = words.function_words.get(token.hash) & short;
        if bits == 0 {
            continue;
        }
        counts[0] += usize::from(bits & 1 != 0);
        counts[2] += usize::from(bits & 4 != 0);
        // Vietnamese function words fold to look-alikes of other languages' words ("la",
        // "va"): only their diacritic-bearing spelling counts.
        let word = &text[token.start as usize..token.end as usize];
        counts[1] += usize::from(bits & 2 != 0 && !word.is_ascii());
    }
    // Korean and Japanese characters are one token each: weigh them down.
    counts[3] /= 4;
    counts[4] /= 4;
    let (best, &count) = counts
        .iter()
        .enumerate()
        .max_by_key(|(i, c)| (**c, std::cmp::Reverse(*i)))
        .unwrap_or((0, &0));
    if count < 2 {
        return Language::Other;
    }
    [
        Language::English,
        Language::Vietnamese,
        Language::Polish,
        Language::Korean,
        Language::Japanese,
    ][best]
}

/// A set of place kinds, one bit each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KindSet(u8);

impl KindSet {
    /// The set plus `kind`.
    pub fn with(self, kind: PlaceKind) -> KindSet {
        KindSet(self.0 | 1 << kind as u8)
    }
    /// True when `kind` is in the set.
    pub fn contains(self, kind: PlaceKind) -> bool {
        self.0 & 1 << kind as u8 != 0
    }
    /// True when the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// The heads found next to a name.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Heads {
    /// The kinds the heads are evidence of.
    pub kinds: KindSet,
    /// A head stands before the name ("thành phố Daegu").
    pub before: bool,
    /// A head stands after the name ("Quang Nam province").
    pub after: bool,
}

/// Where a generic head stands relative to the name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeadPosition {
    /// "thành phố Daegu", "miasto Hue", "city of Osan".
    Before,
    /// "Daegu City", "Quang Nam province", "대구 시".
    After,
}

/// Generic heads: (words, where they stand, the kind they are evidence of).
const HEADS: &[(&str, HeadPosition, PlaceKind)] = {
    use HeadPosition::{After, Before};
    use PlaceKind::{City, Commune, District, Province, Region};
    &[
        ("city", After, City),
        ("town", After, City),
        ("municipality", After, City),
        ("province", After, Province),
        ("prefecture", After, Province),
        ("oblast", After, Province),
        ("state", After, Province),
        ("district", After, District),
        ("county", After, District),
        ("commune", After, Commune),
        ("ward", After, Commune),
        ("village", After, Commune),
        ("시", After, City),
        ("도", After, Province),
        ("군", After, District),
        ("구", After, District),
        ("市", After, City),
        ("県", After, Province),
        ("省", After, Province),
        ("city of", Before, City),
        ("cities of", Before, City),
        ("town of", Before, City),
        ("province of", Before, Province),
        ("thành phố", Before, City),
        ("tp", Before, City),
        ("thị xã", Before, City),
        ("tỉnh", Before, Province),
        ("huyện", Before, District),
        ("quận", Before, District),
        ("xã", Before, Commune),
        ("phường", Before, Commune),
        ("thị trấn", Before, Commune),
        ("khu vực", Before, Region),
        ("miasto", Before, City),
        ("miasta", Before, City),
        ("miastu", Before, City),
        ("miastem", Before, City),
        ("mieście", Before, City),
        ("prowincja", Before, Province),
        ("prowincji", Before, Province),
        ("prowincję", Before, Province),
        ("prowincją", Before, Province),
        ("województwo", Before, Province),
        ("województwa", Before, Province),
        ("województwie", Before, Province),
        ("gmina", Before, Commune),
        ("gminy", Before, Commune),
        ("gminie", Before, Commune),
    ]
};

/// Titles that make the next capitalised word a person's name ("Chairman Tho", "ông Thọ").
const TITLES: &[&str] = &[
    "chairman",
    "chairwoman",
    "mayor",
    "mr",
    "mrs",
    "ms",
    "dr",
    "president",
    "governor",
    "minister",
    "secretary",
    "director",
    "sir",
    "ông",
    "bà",
    "anh",
    "chị",
    "chủ tịch",
    "thị trưởng",
    "pan",
    "pani",
    "gubernator",
    "przewodniczący",
    "prezydent",
    "burmistrz",
];

/// Heads and titles as token-hash sequences, ready to compare with the text's tokens.
pub struct ContextWords {
    heads: Vec<(Vec<u64>, HeadPosition, PlaceKind)>,
    titles: Vec<Vec<u64>>,
    function_words: FunctionWords,
    /// Heads by the word that touches the name: indices into `heads` of the heads after a
    /// name by their first word, of the heads before a name by their last word.
    heads_after: HashKeyed<Vec<usize>>,
    heads_before: HashKeyed<Vec<usize>>,
    /// Titles by their last word: indices into `titles`.
    titles_by_last: HashKeyed<Vec<usize>>,
    /// A 256-bit filter over the hashes of the words that touch a name in some head or title
    /// (one bit each): most words next to a name are neither, and skip the map lookups.
    touching: [u64; 4],
}

impl ContextWords {
    /// Tokenises the word lists once.
    pub fn new() -> ContextWords {
        let hashes = |words: &str| tokenize(words).iter().map(|t| t.hash).collect::<Vec<_>>();
        let heads: Vec<_> = HEADS
            .iter()
            .map(|&(words, position, kind)| (hashes(words), position, kind))
            .collect();
        let titles: Vec<_> = TITLES.iter().map(|w| hashes(w)).collect();
        let mut heads_after: HashKeyed<Vec<usize>> = HashKeyed::default();
        let mut heads_before: HashKeyed<Vec<usize>> = HashKeyed::default();
        for (index, (words, position, _)) in heads.iter().enumerate() {
            match position {
                HeadPosition::After => words.first().map(|&w| heads_after.entry(w)),
                HeadPosition::Before => words.last().map(|&w| heads_before.entry(w)),
            }
            .map(|entry| entry.or_default().push(index));
        }
        let mut titles_by_last: HashKeyed<Vec<usize>> = HashKeyed::default();
        for (index, words) in titles.iter().enumerate() {
            if let Some(&last) = words.last() {
                titles_by_last.entry(last).or_default().push(index);
            }
        }
        let mut touching = [0u64; 4];
        for &hash in heads_after
            .keys()
            .chain(heads_before.keys())
            .chain(titles_by_last.keys())
        {
            let bit = (hash & 0xFF) as usize;
            touching[bit / 64] |= 1 << (bit % 64);
        }
        ContextWords {
            heads,
            titles,
            touching,
            function_words: FunctionWords::new(),
            heads_after,
            heads_before,
            titles_by_last,
        }
    }

    /// False when the word with folded hash `hash` surely touches a name in no head or title.
    #[inline]
    fn may_touch(&self, hash: u64) -> bool {
        let bit = (hash & 0xFF) as usize;
        self.touching[bit / 64] & (1 << (bit % 64)) != 0
    }

    /// Heads next to tokens `first..=last`: the kinds they are evidence of (a [`KindSet`]),
    /// and whether one stands before and one after the name.
    pub fn heads(&self, text: &str, tokens: &[Token], first: usize, last: usize) -> Heads {
        let mut found = Heads::default();
        // Only the heads whose touching word is next to the name can match; the others are
        // not looked at.
        let before = first
            .checked_sub(1)
            .filter(|&i| self.may_touch(tokens[i].hash))
            .and_then(|i| self.heads_before.get(&tokens[i].hash));
        let after = tokens
            .get(last + 1)
            .filter(|t| self.may_touch(t.hash))
            .and_then(|t| self.heads_after.get(&t.hash));
        for &index in before.into_iter().chain(after).flatten() {
            let (words, position, kind) = &self.heads[index];
            let matched = match position {
                HeadPosition::After => {
                    sequence_at(text, tokens, last + 1, words, Some(tokens[last].end))
                }
                HeadPosition::Before => first.checked_sub(words.len()).is_some_and(|start| {
                    sequence_at(text, tokens, start, words, None)
                        && joined(text, tokens[first - 1].end, tokens[first].start)
                }),
            };
            if matched {
                found.kinds = found.kinds.with(*kind);
                match position {
                    HeadPosition::Before => found.before = true,
                    HeadPosition::After => found.after = true,
                }
            }
        }
        found
    }

    /// True when a title stands right before token `first`.
    pub fn title_before(&self, text: &str, tokens: &[Token], first: usize) -> bool {
        let Some(titles) = first
            .checked_sub(1)
            .filter(|&i| self.may_touch(tokens[i].hash))
            .and_then(|i| self.titles_by_last.get(&tokens[i].hash))
        else {
            return false;
        };
        titles.iter().map(|&i| &self.titles[i]).any(|words| {
            first.checked_sub(words.len()).is_some_and(|start| {
                sequence_at(text, tokens, start, words, None)
                    && joined(text, tokens[first - 1].end, tokens[first].start)
            })
        })
    }
}

impl Default for ContextWords {
    fn default() -> Self {
        ContextWords::new()
    }
}

/// True when `words` occur at token `start`, each separated by spacing only; with `after`, the
/// first word must also follow that byte offset by spacing only.
fn sequence_at(
    text: &str,
    tokens: &[Token],
    start: usize,
    words: &[u64],
    after: Option<u32>,
) -> bool {
    if start + words.len() > tokens.len() {
        return false;
    }
    if let Some(end) = after {
        if !joined(text, end, tokens[start].start) {
            return false;
        }
    }
    words.iter().enumerate().all(|(i, &hash)| {
        tokens[start + i].hash == hash
            && (i == 0 || joined(text, tokens[start + i - 1].end, tokens[start + i].start))
    })
}

/// True when only a little spacing (or hyphen, or nothing) separates two tokens on one line.
pub fn joined(text: &str, end: u32, start: u32) -> bool {
    let gap = &text[end as usize..start as usize];
    gap.len() <= 3
        && gap
            .chars()
            .all(|c| c == ' ' || c == '\u{a0}' || c == '-' || c == '\t')
}

/// Polish case endings, as (folded ending, replacement): `Nangu` → `Nang`, `Osanie` → `Osan`,
/// `Nagoi` → `Nagoja`, `Korei` → `Korea`. Applied to the last word of a name in Polish text
/// when the gazetteer has no generated form.
const POLISH_ENDINGS: &[(&str, &str)] = &[
    ("owi", ""),
    ("iem", ""),
    ("em", ""),
    ("ie", ""),
    ("iu", ""),
    ("u", ""),
    ("a", ""),
    ("i", "a"),
    ("i", "ja"),
    ("y", "a"),
    ("e", "a"),
];

/// Candidate base forms of a folded Polish word.
pub fn polish_bases(folded: &str) -> impl Iterator<Item = String> + '_ {
    POLISH_ENDINGS
        .iter()
        .filter_map(move |(ending, replacement)| {
            let stem = folded.strip_suffix(ending)?;
            (stem.chars().count() >= 3).then(|| format!("{stem}{replacement}"))
        })
}

/// Hash of a phrase, for heads given as text.
pub fn key_of(text: &str) -> Option<u64> {
    phrase_key(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_language_of_each_seed_article_style() {
        let check = |text: &str, expected: Language| {
            let tokens = tokenize(text);
            let words = ContextWords::new();
            assert_eq!(detect_language(text, &tokens, &words), expected, "{text}");
        };
        check(
            "The mayor of Daegu met the chairman of Da Nang and the delegation.",
            Language::English,
        );
        check(
            "Đoàn đại biểu của thành phố Daegu và các doanh nghiệp đã có mặt.",
            Language::Vietnamese,
        );
        check(
            "Miasto Hue utrzymuje stosunki współpracy z wieloma partnerami, że nie jest.",
            Language::Polish,
        );
        check(
            "대구광역시는 다낭시와 협력을 강화하기로 했다고 밝혔다",
            Language::Korean,
        );
    }

    #[test]
    fn function_word_table_finds_every_word_and_no_other() {
        let table = FunctionWords::new();
        for (list, bit) in [(ENGLISH, 1u8), (VIETNAMESE, 2), (POLISH, 4)] {
            for word in list {
                assert_ne!(table.get(fold_word_hash(word)) & bit, 0, "{word}");
            }
        }
        // "na" is Polish only; "và" folds to "va", Vietnamese only.
        assert_eq!(table.get(fold_word_hash("na")), 4);
        assert_eq!(table.get(fold_word_hash("VA")), 2);
        for word in [
            "nang", "daegu", "province", "thành", "miasto", "a", "then", "ze2",
        ] {
            assert_eq!(table.get(fold_word_hash(word)), 0, "{word}");
        }
    }

    #[test]
    fn polish_bases_undo_case_endings() {
        let bases: Vec<_> = polish_bases("nangu").collect();
        assert!(bases.contains(&"nang".to_owned()));
        let bases: Vec<_> = polish_bases("nagoi").collect();
        assert!(bases.contains(&"nagoja".to_owned()));
        let bases: Vec<_> = polish_bases("osanie").collect();
        assert!(bases.contains(&"osan".to_owned()));
    }
}
