//! Word tokens for the rule-based taggers (dates, persons, organisations), with lexicon lookup.
//!
//! The taggers work on a flat list of tokens (words, digit runs, single punctuation characters)
//! with byte ranges and a few flags (capitalised, preceded by a space or a line break, inside a
//! URL). Tokenising once and matching rules over tokens keeps the taggers fast (one pass over the
//! bytes with an ASCII fast path) and makes their rules read like the patterns they implement.
//!
//! Lexicons (month names, titles, organisation head words) are keyed by the NFC, lower-cased form
//! of a word, so that NFD input and capitalised forms find the same entry.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::gazetteer::fold;

/// What a token is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// Letters (any script) and combining marks, with internal apostrophes (`People’s`).
    Word,
    /// A run of ASCII digits.
    Number,
    /// One character that is neither a letter, a digit nor white space.
    Punct,
}

/// One token with its byte range in the document.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Token {
    pub start: u32,
    pub end: u32,
    pub kind: TokenKind,
    flags: u16,
}

const CAPITALISED: u16 = 1;
const ALL_CAPS: u16 = 2;
const SPACE_BEFORE: u16 = 4;
const NEWLINE_BEFORE: u16 = 8;
const IN_URL: u16 = 16;
const NON_ASCII: u16 = 32;
const HAS_MARK: u16 = 64;
/// Some letter is upper case (not only the first).
const HAS_UPPER: u16 = 128;
/// The word's folded hash was not computed while scanning (an apostrophe, a letter outside the
/// Latin folding table, a leading combining mark): the locality tokens of its stretch of text
/// come from [`fold::tokenize`].
const FOLD_SLOW: u16 = 256;
/// A punctuation token whose character the locality tokenizer counts as part of a word (a
/// digit of another script).
const FOLD_PART: u16 = 512;

impl Token {
    /// The first letter is upper case (`Da`, `DA`, `Đà`).
    pub fn is_capitalised(&self) -> bool {
        self.flags & CAPITALISED != 0
    }
    /// Two or more letters, all upper case (`PPC`, `DA`).
    pub fn is_all_caps(&self) -> bool {
        self.flags & ALL_CAPS != 0
    }
    /// White space (or the start of the text) separates this token from the previous one.
    pub fn space_before(&self) -> bool {
        self.flags & SPACE_BEFORE != 0
    }
    /// A line break (or the start of the text) comes between this token and the previous one.
    pub fn newline_before(&self) -> bool {
        self.flags & NEWLINE_BEFORE != 0
    }
    /// The token belongs to a URL or an e-mail address, which is never running text.
    pub fn in_url(&self) -> bool {
        self.flags & IN_URL != 0
    }
    /// Length in bytes.
    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }
}

/// A tokenised document: the text and its tokens.
pub(crate) struct Tokens<'a> {
    pub text: &'a str,
    pub tokens: Vec<Token>,
    /// The lexicon key of each token (borrowed from the text unless it had to be lower-cased
    /// or composed), computed once because every rule looks words up.
    keys: Vec<(u32, u32)>,
    /// Lower-cased or composed keys, back to back; a key range with the high bit of its start
    /// set points here instead of into the text.
    lowered: String,
    /// The [`key_hash`] of each word token's key (0 for other tokens), so that lexicon lookups
    /// of words that are in no lexicon stop at a filter without hashing the word again.
    hashes: Vec<u64>,
    /// The same text split as the locality tagger splits it ([`fold::tokenize`]), when asked
    /// for ([`Tokens::with_folded`]): one scan of the text serves every tagger.
    pub folded: Vec<fold::Token>,
}

const IN_LOWERED: u32 = 1 << 31;

impl<'a> Tokens<'a> {
    /// Splits `text` into tokens in one pass.
    pub fn new(text: &'a str) -> Tokens<'a> {
        Tokens::scan(text, false)
    }

    /// [`Tokens::new`], plus the locality tagger's tokens ([`Tokens::folded`]), identical to
    /// [`fold::tokenize`]'s but derived from this scan: a word of ASCII or Latin letters standing
    /// alone (most words) gets its folded hash from the scan itself, and only stretches the
    /// two tokenizers split differently (apostrophes, digits glued to letters, Hangul, other
    /// scripts) are tokenised again.
    pub fn with_folded(text: &'a str) -> Tokens<'a> {
        Tokens::scan(text, true)
    }

    fn scan(text: &'a str, with_folded: bool) -> Tokens<'a> {
        let bytes = text.as_bytes();
        let capacity = text.len() / 5 + 1;
        let mut tokens: Vec<Token> = Vec::with_capacity(capacity);
        // The folded hash (before its final mixing) of each word and number token.
        let mut fold_hashes: Vec<u64> = Vec::with_capacity(capacity);
        let mut keys = Vec::with_capacity(capacity);
        let mut hashes = Vec::with_capacity(capacity);
        // Lower-cased keys of capitalised words; sized for a text of many capitalised words so
        // that it rarely grows.
        let mut lowered = String::with_capacity(text.len() / 4);
        let mut position = 0usize;
        let mut gap_flags = SPACE_BEFORE | NEWLINE_BEFORE;
        // Index of the first token of the current white-space-delimited chunk, for URL marking.
        let mut chunk_start = 0usize;
        let mut in_url = false;
        while position < bytes.len() {
            let byte = bytes[position];
            let class = if byte < 0x80 {
                ASCII_CLASS[byte as usize]
            } else {
                0
            };
            if class & SPACE != 0 {
                if byte == b'\n' {
                    gap_flags |= NEWLINE_BEFORE;
                }
                gap_flags |= SPACE_BEFORE;
                position += 1;
                continue;
            }
            let (ch, ch_len) = if byte < 0x80 {
                (byte as char, 1)
            } else {
                let ch = text[position..].chars().next().unwrap_or('\u{FFFD}');
                (ch, ch.len_utf8())
            };
            if byte >= 0x80 && ch.is_whitespace() {
                gap_flags |= SPACE_BEFORE;
                if ch == '\u{2028}' || ch == '\u{2029}' || ch == '\u{85}' {
                    gap_flags |= NEWLINE_BEFORE;
                }
                position += ch_len;
                continue;
            }
            if gap_flags & SPACE_BEFORE != 0 {
                chunk_start = tokens.len();
                in_url = (byte | 0x20) == b'w' && starts_url(&bytes[position..]);
            }
            let start = position;
            let mut flags = gap_flags;
            gap_flags = 0;
            let kind;
            let mut fold_hash = fold::HASH_SEED;
            // The lexicon key (a byte range, see `keys`) and its hash, for words.
            let mut key = (start as u32, 0u32);
            let mut hash = 0;
            if class & DIGIT != 0 {
                kind = TokenKind::Number;
                while position < bytes.len() && bytes[position].is_ascii_digit() {
                    fold_hash = (fold_hash ^ bytes[position] as u64).wrapping_mul(fold::HASH_PRIME);
                    position += 1;
                }
            } else if class & LETTER != 0 || (byte >= 0x80 && is_word_char(ch)) {
                kind = TokenKind::Word;
                let (end, word_flags, word_hash) = scan_word(text, position);
                position = end;
                flags |= word_flags;
                fold_hash = word_hash;
                let word = &text[start..end];
                // The key of an ASCII word the scan folded is its lower-case form, whose
                // `key_hash` is the folded hash the scan computed.
                let ascii_folded = flags & (NON_ASCII | FOLD_SLOW) == 0;
                // A word without combining marks is taken as composed, one without capitals
                // as lower case: most words are their own key and cost nothing.
                if flags & (HAS_UPPER | HAS_MARK) == 0 {
                    hash = if ascii_folded {
                        fold::finish(fold_hash).max(1)
                    } else {
                        key_hash(word)
                    };
                } else {
                    let key_start = lowered.len();
                    if flags & HAS_MARK != 0 {
                        lowered.push_str(&lexicon_key(word, true));
                    } else if flags & NON_ASCII == 0 {
                        lowered.push_str(word);
                        lowered[key_start..].make_ascii_lowercase();
                    } else {
                        lowered.extend(word.chars().flat_map(char::to_lowercase));
                    }
                    hash = if ascii_folded {
                        fold::finish(fold_hash).max(1)
                    } else {
                        key_hash(&lowered[key_start..])
                    };
                    key = (key_start as u32 | IN_LOWERED, lowered.len() as u32);
                }
            } else {
                kind = TokenKind::Punct;
                position += ch_len;
                if byte >= 0x80 && fold::is_token_char(ch) {
                    flags |= FOLD_PART;
                }
                // `://` and `@` inside a chunk make the whole chunk a URL or an address.
                if !in_url
                    && ((byte == b':' && bytes[position..].starts_with(b"//")) || byte == b'@')
                {
                    in_url = true;
                    for token in &mut tokens[chunk_start..] {
                        token.flags |= IN_URL;
                    }
                }
            }
            if in_url {
                flags |= IN_URL;
            }
            if key.1 == 0 {
                key.1 = position as u32;
            }
            tokens.push(Token {
                start: start as u32,
                end: position as u32,
                kind,
                flags,
            });
            fold_hashes.push(fold_hash);
            keys.push(key);
            hashes.push(hash);
        }
        let folded = if with_folded {
            fold_tokens(text, &tokens, &fold_hashes)
        } else {
            Vec::new()
        };
        Tokens {
            text,
            tokens,
            keys,
            lowered,
            hashes,
            folded,
        }
    }

    /// The [`key_hash`] of token `index`'s key; 0 for tokens that are not words.
    pub fn key_hash(&self, index: usize) -> u64 {
        self.hashes.get(index).copied().unwrap_or(0)
    }

    /// The text of token `index`.
    pub fn text_of(&self, index: usize) -> &'a str {
        let token = self.tokens[index];
        &self.text[token.start as usize..token.end as usize]
    }

    /// The token at `index`, if any.
    pub fn get(&self, index: usize) -> Option<&Token> {
        self.tokens.get(index)
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// The lexicon key of token `index`: NFC and lower case.
    pub fn key(&self, index: usize) -> &str {
        let (start, end) = self.keys[index];
        if start & IN_LOWERED != 0 {
            &self.lowered[(start & !IN_LOWERED) as usize..end as usize]
        } else {
            &self.text[start as usize..end as usize]
        }
    }

    /// True when token `index` is the punctuation character `ch`.
    pub fn is_punct(&self, index: usize, ch: char) -> bool {
        match self.tokens.get(index) {
            Some(token) if token.kind == TokenKind::Punct => {
                self.text[token.start as usize..].starts_with(ch)
            }
            _ => false,
        }
    }

    /// True when token `index` is a word whose key is one of `words`.
    pub fn is_word_in(&self, index: usize, words: &[&str]) -> bool {
        match self.tokens.get(index) {
            Some(token) if token.kind == TokenKind::Word => {
                // Length and first byte first: most comparisons stop there without a call to
                // compare the strings.
                let key = self.key(index);
                let first = key.as_bytes().first();
                words.iter().any(|word| {
                    word.len() == key.len() && word.as_bytes().first() == first && *word == key
                })
            }
            _ => false,
        }
    }

    /// The value of token `index` when it is a digit run of at most nine digits.
    pub fn number(&self, index: usize) -> Option<(u32, usize)> {
        let token = self.tokens.get(index)?;
        if token.kind != TokenKind::Number || token.len() > 9 {
            return None;
        }
        let digits = self.text_of(index);
        Some((digits.parse().ok()?, digits.len()))
    }
}

const LETTER: u8 = 1;
const UPPER: u8 = 2;
const DIGIT: u8 = 4;
const SPACE: u8 = 8;

/// What each ASCII byte is, for the scanner's inner loops.
const ASCII_CLASS: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut byte = 0;
    while byte < 128 {
        let b = byte as u8;
        table[byte] = if b.is_ascii_uppercase() {
            LETTER | UPPER
        } else if b.is_ascii_lowercase() {
            LETTER
        } else if b.is_ascii_digit() {
            DIGIT
        } else if b.is_ascii_whitespace() {
            SPACE
        } else {
            0
        };
        byte += 1;
    }
    table
};

/// [`ASCII_CLASS`] for every byte value: 0 for the bytes of multi-byte characters, so that the
/// scanner's inner loops test one table entry per byte.
const BYTE_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 128 {
        table[byte] = ASCII_CLASS[byte];
        byte += 1;
    }
    table
};

/// True for characters that make up words: letters of any script and combining marks (NFD).
fn is_word_char(ch: char) -> bool {
    letter_class(ch) != LetterClass::None
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LetterClass {
    None,
    Lower,
    Upper,
    /// A letter without case (Hangul, CJK).
    Caseless,
    /// A combining mark (NFD text).
    Mark,
}

/// Classifies a character for the tokenizer, with fast paths for the Latin letters of
/// Vietnamese and Polish and for Hangul, which make up most non-ASCII text in the corpora.
fn letter_class(ch: char) -> LetterClass {
    let code = ch as u32;
    let latin = (0xC0..=0x24F).contains(&code) && code != 0xD7 && code != 0xF7;
    if latin || (0x1E00..=0x1EFF).contains(&code) {
        // In these blocks upper and lower case mostly alternate; ask only for the rare ones.
        return if ch.is_uppercase() {
            LetterClass::Upper
        } else {
            LetterClass::Lower
        };
    }
    if (0xAC00..=0xD7A3).contains(&code) {
        return LetterClass::Caseless;
    }
    if (0x300..=0x36F).contains(&code) {
        return LetterClass::Mark;
    }
    // General punctuation (dashes, curly quotes, the narrow no-break space) holds no letter
    // and no mark; it is common in news text, and the Unicode tables below are slow.
    if (0x2000..=0x206F).contains(&code) {
        return LetterClass::None;
    }
    letter_class_unicode(ch)
}

/// [`letter_class`] from the Unicode tables alone (what its fast paths must agree with).
fn letter_class_unicode(ch: char) -> LetterClass {
    if ch.is_alphabetic() {
        if ch.is_uppercase() {
            LetterClass::Upper
        } else if ch.is_lowercase() {
            LetterClass::Lower
        } else {
            LetterClass::Caseless
        }
    } else if !ch.is_ascii() && is_combining_mark(ch) {
        LetterClass::Mark
    } else {
        LetterClass::None
    }
}

/// Scans a word from `start`; returns its end, its case flags and its folded hash (the hash
/// [`fold::tokenize`] would give it, before the final mixing; not meaningful with `FOLD_SLOW`).
fn scan_word(text: &str, start: usize) -> (usize, u16, u64) {
    let bytes = text.as_bytes();
    let mut position = start;
    let mut flags = 0u16;
    let mut letters = 0usize;
    // The case of the letters as two class accumulators: `any` has `UPPER` when some letter is
    // upper case, `all` keeps it while every letter is. (Counters incremented per byte would
    // not fit in registers with the rest of the scan, and a counter in memory makes every
    // byte wait for the previous one's store.)
    let mut any = 0u8;
    let mut all = UPPER;
    let mut first = true;
    let mut hash = fold::HASH_SEED;
    let step = |hash: u64, folded: u8| (hash ^ folded as u64).wrapping_mul(fold::HASH_PRIME);
    while position < bytes.len() {
        let byte = bytes[position];
        if BYTE_CLASS[byte as usize] & LETTER != 0 {
            if first && byte.is_ascii_uppercase() {
                flags |= CAPITALISED;
            }
            first = false;
            // The rest of an ASCII run in a tight loop.
            let run = position;
            while position < bytes.len() {
                let letter = bytes[position];
                let class = BYTE_CLASS[letter as usize];
                if class & LETTER == 0 {
                    break;
                }
                any |= class;
                all &= class;
                // ASCII letters lower-case by setting one bit.
                hash = step(hash, letter | 0x20);
                position += 1;
            }
            letters += position - run;
            continue;
        }
        if byte < 0x80 {
            // An internal apostrophe joins two letter runs (`People's`).
            if byte == b'\'' && next_is_letter(text, position + 1) && letters > 0 {
                flags |= FOLD_SLOW;
                position += 1;
                continue;
            }
            break;
        }
        let ch = text[position..].chars().next().unwrap_or(' ');
        if ch == '’' && next_is_letter(text, position + ch.len_utf8()) && letters > 0 {
            flags |= FOLD_SLOW;
            position += ch.len_utf8();
            continue;
        }
        // The precomposed Latin letters of the corpora's languages: folded letter and case
        // from one table.
        let class = match fold::fold_latin(ch) {
            Some((folded, is_upper)) => {
                hash = step(hash, folded);
                if is_upper {
                    LetterClass::Upper
                } else {
                    LetterClass::Lower
                }
            }
            None => {
                let class = letter_class(ch);
                // Combining marks fold to nothing; other letters take the general path.
                if !(class == LetterClass::Mark
                    && ('\u{300}'..='\u{36F}').contains(&ch)
                    && letters > 0)
                {
                    flags |= FOLD_SLOW;
                }
                class
            }
        };
        match class {
            LetterClass::None => break,
            LetterClass::Mark => flags |= HAS_MARK,
            LetterClass::Upper | LetterClass::Lower | LetterClass::Caseless => {
                letters += 1;
                if class == LetterClass::Upper {
                    any |= UPPER;
                    if first {
                        flags |= CAPITALISED;
                    }
                } else {
                    all = 0;
                }
                first = false;
            }
        }
        flags |= NON_ASCII;
        position += ch.len_utf8();
    }
    if letters >= 2 && all & UPPER != 0 {
        flags |= ALL_CAPS;
    }
    if any & UPPER != 0 {
        flags |= HAS_UPPER;
    }
    (position, flags, hash)
}

/// The locality tagger's tokens ([`fold::tokenize`]) from the scan's: a word or number that
/// stands alone and was folded while scanning becomes one token as it is; a stretch of tokens
/// glued together (`Covid19`, `People's`) or holding letters the scan did not fold is
/// tokenised again, alone (the fold tokenizer's boundaries never cross white space or a
/// punctuation character it does not count as part of a word).
fn fold_tokens(text: &str, tokens: &[Token], fold_hashes: &[u64]) -> Vec<fold::Token> {
    let mut folded = Vec::with_capacity(tokens.len());
    let part_of_word =
        |token: &Token| token.kind != TokenKind::Punct || token.flags & FOLD_PART != 0;
    let mut index = 0;
    while index < tokens.len() {
        let token = tokens[index];
        if !part_of_word(&token) {
            index += 1;
            continue;
        }
        let mut end = index + 1;
        while end < tokens.len()
            && tokens[end].start == tokens[end - 1].end
            && part_of_word(&tokens[end])
        {
            end += 1;
        }
        if end == index + 1 && token.kind != TokenKind::Punct && token.flags & FOLD_SLOW == 0 {
            folded.push(fold::Token {
                start: token.start,
                end: token.end,
                hash: fold::finish(fold_hashes[index]),
                // Digits count as capitals for the locality tokenizer.
                capitalised: token.kind == TokenKind::Number || token.is_capitalised(),
                ideographic: false,
            });
        } else {
            let base = token.start;
            let stretch = &text[base as usize..tokens[end - 1].end as usize];
            folded.extend(fold::tokenize(stretch).into_iter().map(|t| fold::Token {
                start: t.start + base,
                end: t.end + base,
                ..t
            }));
        }
        index = end;
    }
    folded
}

fn next_is_letter(text: &str, position: usize) -> bool {
    text[position..]
        .chars()
        .next()
        .is_some_and(|ch| ch.is_alphabetic())
}

/// URLs start with a scheme we can see at the start of a chunk, or with `www.`.
fn starts_url(bytes: &[u8]) -> bool {
    bytes.len() >= 4 && bytes[..4].eq_ignore_ascii_case(b"www.")
}

/// The lexicon key of a word: NFC, lower case. ASCII words skip normalisation.
pub(crate) fn lexicon_key(word: &str, non_ascii: bool) -> Cow<'_, str> {
    if !non_ascii {
        if word.bytes().any(|b| b.is_ascii_uppercase()) {
            return Cow::Owned(word.to_ascii_lowercase());
        }
        return Cow::Borrowed(word);
    }
    // Most words of NFC text are already keys: check before building anything.
    let composed = unicode_normalization::is_nfc_quick(word.chars())
        == unicode_normalization::IsNormalized::Yes;
    if composed && !word.chars().any(char::is_uppercase) {
        return Cow::Borrowed(word);
    }
    Cow::Owned(word.nfc().flat_map(char::to_lowercase).collect())
}

/// A fast, deterministic hasher for the small string-keyed lexicons (the Fx hash of rustc):
/// keys are short words, so a multiply-rotate per 8 bytes beats SipHash several times over.
#[derive(Default, Clone, Copy)]
pub(crate) struct WordHasher(u64);

impl std::hash::Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
        }
        for &byte in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(byte)).wrapping_mul(SEED);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Builds [`WordHasher`]s.
pub(crate) type LexiconHasher = BuildHasherDefault<WordHasher>;

/// The hash of a lexicon key for [`Lexicon`]'s filter: the locality tokenizer's folded hash
/// taken over the key's bytes, so that for an ASCII word (whose key is its folded form) the
/// tokenizer computes both at once. Never 0, which marks tokens that are not words.
#[inline]
pub(crate) fn key_hash(key: &str) -> u64 {
    let mut hash = fold::HASH_SEED;
    for &byte in key.as_bytes() {
        hash = (hash ^ byte as u64).wrapping_mul(fold::HASH_PRIME);
    }
    fold::finish(hash).max(1)
}

/// Bits in a lexicon's filter: 16,384 (2 KiB, stays in the L1 cache), two bits per key, so
/// that a few hundred keys let through well under one word in a hundred that is not a key.
const FILTER_WORDS: usize = 256;

/// A word lexicon: lower-cased NFC key to a value, behind a two-bit Bloom filter over
/// [`key_hash`]es. Most words of running text are in no lexicon; with the hash the tokenizer
/// computed once per word, rejecting them costs two bit tests instead of hashing the word and
/// probing a hash table (and comparing strings) in every lexicon a rule consults.
pub(crate) struct Lexicon<V> {
    map: HashMap<Box<str>, V, LexiconHasher>,
    filter: Box<[u64; FILTER_WORDS]>,
}

impl<V> Default for Lexicon<V> {
    fn default() -> Self {
        Lexicon {
            map: HashMap::default(),
            filter: Box::new([0; FILTER_WORDS]),
        }
    }
}

impl<V> Lexicon<V> {
    fn filter_bits(hash: u64) -> [(usize, u64); 2] {
        let bit = |h: u64| {
            let h = (h % (FILTER_WORDS as u64 * 64)) as usize;
            (h / 64, 1u64 << (h % 64))
        };
        [bit(hash), bit(hash >> 32)]
    }

    /// Both bits tested without a branch between them: whether a word passes the first is
    /// unpredictable, while the answer (almost always no) is not.
    #[inline]
    fn may_contain(&self, hash: u64) -> bool {
        let [(first, first_bit), (second, second_bit)] = Self::filter_bits(hash);
        (self.filter[first] & first_bit != 0) & (self.filter[second] & second_bit != 0)
    }

    /// The entry for `key`, to insert or update (as [`HashMap::entry`]).
    pub fn entry(&mut self, key: Box<str>) -> std::collections::hash_map::Entry<'_, Box<str>, V> {
        for (word, bit) in Self::filter_bits(key_hash(&key)) {
            self.filter[word] |= bit;
        }
        self.map.entry(key)
    }

    /// The value of a key.
    #[cfg(test)]
    pub fn get(&self, key: &str) -> Option<&V> {
        if !self.may_contain(key_hash(key)) {
            return None;
        }
        self.map.get(key)
    }

    /// The value of token `index`'s key, using the hash the tokenizer computed.
    #[inline]
    pub fn get_token(&self, tokens: &Tokens<'_>, index: usize) -> Option<&V> {
        let hash = tokens.key_hash(index);
        if !((hash != 0) & self.may_contain(hash)) {
            return None;
        }
        self.map.get(tokens.key(index))
    }

    /// True when `key` is in the lexicon.
    #[cfg(test)]
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// True when token `index`'s key is in the lexicon.
    pub fn contains_token(&self, tokens: &Tokens<'_>, index: usize) -> bool {
        self.get_token(tokens, index).is_some()
    }

    /// The values, to finish building them.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.map.values_mut()
    }
}

impl<V> FromIterator<(Box<str>, V)> for Lexicon<V> {
    fn from_iter<I: IntoIterator<Item = (Box<str>, V)>>(iter: I) -> Self {
        let mut lexicon = Lexicon::default();
        for (key, value) in iter {
            lexicon.entry(key).insert_entry(value);
        }
        lexicon
    }
}

/// Splits a lexicon entry written with spaces into its lower-cased NFC word keys.
pub(crate) fn entry_words(entry: &str) -> Vec<Box<str>> {
    entry
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| lexicon_key(w, !w.is_ascii()).into_owned().into_boxed_str())
        .collect()
}

/// An ASCII slug for norms: diacritics folded (`Đà Nẵng` → `da-nang`), apostrophes dropped,
/// other non-alphanumeric runs joined by one hyphen.
pub(crate) fn slug(text: &str) -> String {
    // Fast path for ASCII and the precomposed Latin letters of the corpora's languages, which
    // fold to one ASCII letter exactly as decomposing, dropping marks and lower-casing does;
    // anything else (Hangul, letters such as `ð` or `ß`) takes the general path below.
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for ch in text.chars() {
        let letter = if ch.is_ascii() {
            if ch == '\'' {
                continue;
            }
            ch.is_ascii_alphanumeric().then(|| ch.to_ascii_lowercase())
        } else if ch == '’' || ('\u{300}'..='\u{36F}').contains(&ch) {
            continue;
        } else if !matches!(ch, 'ð' | 'Ð' | 'ı')
            && let Some((folded, _)) = crate::gazetteer::fold::fold_latin(ch)
        {
            Some(folded as char)
        } else {
            return slug_unicode(text);
        };
        match letter {
            Some(letter) => {
                if pending_hyphen && !out.is_empty() {
                    out.push('-');
                }
                pending_hyphen = false;
                out.push(letter);
            }
            None => pending_hyphen = true,
        }
    }
    out
}

/// [`slug`] for any text: decompose, drop marks, fold the letters without decomposition.
fn slug_unicode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for ch in text.nfd() {
        if is_combining_mark(ch) || ch == '\'' || ch == '’' {
            continue;
        }
        let folded = match ch {
            'đ' | 'Đ' => 'd',
            'ł' | 'Ł' => 'l',
            'ø' | 'Ø' => 'o',
            'ß' => 's',
            other => other,
        };
        if folded.is_alphanumeric() {
            if pending_hyphen && !out.is_empty() {
                out.push('-');
            }
            pending_hyphen = false;
            out.extend(folded.to_lowercase());
        } else {
            pending_hyphen = true;
        }
    }
    // Scripts without diacritics to fold (Hangul) must come back composed.
    if out.is_ascii() {
        out
    } else {
        out.nfc().collect()
    }
}

#[cfg(test)]
mod reference;

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str) -> String {
        let tokens = Tokens::new(text);
        (0..tokens.len())
            .map(|i| {
                let t = tokens.tokens[i];
                let mut s = tokens.text_of(i).to_owned();
                if t.is_capitalised() {
                    s.push('^');
                }
                if t.in_url() {
                    s.push('@');
                }
                s
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn tokenises_words_numbers_and_punctuation() {
        assert_eq!(
            render("Da Nang People’s Committee, 2016-10-17; Jung-ki"),
            "Da^ Nang^ People’s^ Committee^ , 2016 - 10 - 17 ; Jung^ - ki"
        );
    }

    #[test]
    fn marks_urls_and_addresses() {
        assert_eq!(
            render("see https://x.vn/a-2016-10 now, or www.x.pl/17 and a@b.pl 2"),
            "see https@ :@ /@ /@ x@ .@ vn@ /@ a@ -@ 2016@ -@ 10@ now , or www@ .@ x@ .@ pl@ /@ 17@ and a@ @@ b@ .@ pl@ 2"
        );
    }

    #[test]
    fn nfd_words_stay_whole_and_share_keys_with_nfc() {
        let nfd: String = "Đà Nẵng".nfd().collect();
        let tokens = Tokens::new(&nfd);
        assert_eq!(tokens.len(), 2);
        assert_eq!(tokens.key(1), "nẵng");
    }

    #[test]
    fn slug_fast_path_agrees_with_the_unicode_path() {
        // Every character of the Latin, combining-mark and general-punctuation blocks, alone
        // and inside words, in NFC and NFD.
        let ranges = (0x20u32..0x2100).chain(0x1E00..0x1F00);
        for code in ranges {
            let Some(ch) = char::from_u32(code) else {
                continue;
            };
            for text in [
                format!("{ch}"),
                format!("Ab{ch}cD x"),
                format!("x {ch} Y"),
                format!("Đà{ch}Nẵng").nfd().collect(),
            ] {
                assert_eq!(slug(&text), slug_unicode(&text), "{text:?} (U+{code:04X})");
            }
        }
    }

    #[test]
    fn letter_class_fast_paths_agree_with_the_unicode_tables() {
        // Every non-ASCII character of the Basic Multilingual Plane and the next one: the fast
        // paths (Latin blocks, Hangul, combining marks, general punctuation) must classify as
        // the Unicode tables do. (The Latin path calls the few caseless letters of its blocks,
        // such as `ƻ`, lower case: the tokenizer treats both alike, counting only capitals.
        // The combining-diacritics block is all marks by design, although the tables call a
        // few of its characters letters, such as U+0345 and U+0363–U+036F.)
        let scanned = |class: LetterClass| match class {
            LetterClass::Caseless => LetterClass::Lower,
            other => other,
        };
        for code in (0x80u32..0x300).chain(0x370..0x2_0000) {
            let Some(ch) = char::from_u32(code) else {
                continue;
            };
            assert_eq!(
                scanned(letter_class(ch)),
                scanned(letter_class_unicode(ch)),
                "U+{code:04X} {ch:?}"
            );
        }
    }

    #[test]
    fn lexicon_filter_finds_every_key_and_rejects_other_words() {
        let lexicon: Lexicon<usize> = ["tháng", "ngày", "october", "the", "ủy"]
            .iter()
            .enumerate()
            .map(|(i, w)| {
                (
                    lexicon_key(w, !w.is_ascii()).into_owned().into_boxed_str(),
                    i,
                )
            })
            .collect();
        let nfd: String = "Tháng".nfd().collect();
        let text = format!("The OCTOBER Tháng {nfd} ngày ỦY Uy uy thang october5");
        let tokens = Tokens::new(&text);
        let found: Vec<Option<usize>> = (0..tokens.len())
            .map(|i| lexicon.get_token(&tokens, i).copied())
            .collect();
        assert_eq!(
            found,
            [
                Some(3),
                Some(2),
                Some(0),
                Some(0),
                Some(1),
                Some(4),
                None,
                None,
                None,
                Some(2),
                None
            ]
        );
        assert_eq!(lexicon.get("ngày"), Some(&1));
        assert!(!lexicon.contains_key("ngay"));
    }

    /// The shared scan's locality tokens are exactly [`fold::tokenize`]'s, and every word's
    /// key hash is the hash of its key, whichever path computed them.
    fn check_shared_scan(text: &str) {
        let tokens = Tokens::with_folded(text);
        assert_eq!(tokens.folded, fold::tokenize(text), "{text:?}");
        let scanned: Vec<reference::ReferenceToken> = (0..tokens.len())
            .map(|i| {
                let t = tokens.tokens[i];
                (
                    t.start,
                    t.end,
                    t.kind,
                    t.flags & 0xFF,
                    tokens.key(i).to_owned(),
                )
            })
            .collect();
        assert_eq!(scanned, reference::tokens(text), "{text:?}");
        for index in 0..tokens.len() {
            let expected = if tokens.tokens[index].kind == TokenKind::Word {
                key_hash(tokens.key(index))
            } else {
                0
            };
            assert_eq!(tokens.key_hash(index), expected, "{text:?} token {index}");
        }
    }

    #[test]
    fn shared_scan_gives_the_locality_tokens_of_every_character() {
        // Every character of the Latin, combining-mark, punctuation, Hangul-adjacent and CJK
        // blocks, alone, glued to ASCII letters and digits, after an apostrophe, and at the
        // start of a word, as in `fold`'s own check of its fast tokenizer.
        let ranges = (0x20u32..0x2100)
            .chain(0x1E00..0x1F00)
            .chain(0x3000..0x3100)
            .chain(0xFF00..0xFF20);
        for code in ranges.chain([0xAC00, 0xD7A3, 0x4E00, 0x9FFF, 0x1F600, 0xFFFD, 0x0660]) {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            for text in [
                format!("{c}"),
                format!("Ab{c}cD {c}x 9{c} {c}9 x'{c}y Đ{c}"),
                format!("people’{c} {c}’s DA{c}NANG"),
            ] {
                check_shared_scan(&text);
            }
        }
    }

    #[test]
    fn shared_scan_gives_the_locality_tokens_of_mixed_text() {
        let mixed = "Đà Nẵng–Daegu: 대구광역시에서 Hội An, Łódź i Wietnamie (2016). Ñu ǅ ß Æ \
                     People’s Committee, Covid-19, abc123def 2016年10月 ª1 µm x²y Jung-ki \
                     https://x.vn/a-2016 a@b.pl Tam Kỳ's 17‑18 ١٢٣ Ⅻ";
        check_shared_scan(mixed);
        check_shared_scan(&mixed.nfd().collect::<String>());
        check_shared_scan(&mixed.to_uppercase());
    }

    proptest::proptest! {
        #[test]
        fn shared_scan_gives_the_locality_tokens_of_any_text(
            text in "[a-zA-Z0-9 '’\\-.,\n\u{300}-\u{303}ÀÁẠĐđłŁßæª²١Ⅻ대구市は\u{a0}]{0,40}"
        ) {
            check_shared_scan(&text);
        }
    }

    #[test]
    fn slugs_fold_diacritics() {
        assert_eq!(slug("Vũ Đức Đam"), "vu-duc-dam");
        assert_eq!(
            slug("Da Nang People’s Committee"),
            "da-nang-peoples-committee"
        );
        assert_eq!(slug("Kim Jung-ki"), "kim-jung-ki");
        assert_eq!(
            slug("Miejskiego Komitetu Łódzkiego"),
            "miejskiego-komitetu-lodzkiego"
        );
    }
}
