//! Matching keys: tokenisation and the diacritic-, case- and normalisation-insensitive folding
//! shared by the gazetteer index and the text scanner.
//!
//! A word folds to lower case without diacritics, whatever its Unicode normalisation form or
//! Vietnamese tone-mark placement: `Đà Nẵng`, `Đà Nẵng` (NFD), `DA NANG` and `Da Nang` all
//! give `da nang`; `hoà` and `hòa` both give `hoa`. Letters with no canonical decomposition get
//! an explicit mapping (đ→d, ł→l, ø→o, ß→ss). Hangul syllables, kana and Han characters are
//! kept and each is its own token, because those scripts do not separate words with spaces
//! (`대구광역시에서` contains `대구`).

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// FNV-1a style 64-bit hash over folded characters; cheap and good enough for name keys.
pub(crate) const HASH_SEED: u64 = 0xcbf2_9ce4_8422_2325;
pub(crate) const HASH_PRIME: u64 = 0x0000_0100_0000_01b3;

/// One word of text: its byte range, folded-key hash and case shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
    /// Hash of the folded word ([`fold_word_hash`]).
    pub hash: u64,
    /// The first letter is upper case, or the script has no case (Hangul, Han, kana).
    pub capitalised: bool,
    /// A single Hangul syllable, kana or Han character (no spaces between such tokens).
    pub ideographic: bool,
}

/// True for characters of scripts written without spaces, which become one token each.
pub fn is_ideographic(c: char) -> bool {
    matches!(c as u32,
        0xAC00..=0xD7A3 | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// True for the characters [`tokenize`] puts inside tokens (letters, digits, combining marks,
/// ideographs); every other character separates tokens.
pub fn is_token_char(c: char) -> bool {
    is_ideographic(c) || is_word_char(c)
}

fn is_word_char(c: char) -> bool {
    // Fast paths for the scripts of the corpus (Latin with Vietnamese and Polish letters,
    // combining marks of NFD text, general punctuation); the Unicode tables are slow.
    match c as u32 {
        0x00C0..=0x024F => c != '×' && c != '÷',
        0x0300..=0x036F | 0x1E00..=0x1EFF => true,
        0x00A0..=0x00BF | 0x2000..=0x206F => false,
        _ => c.is_alphanumeric() || is_combining_mark(c),
    }
}

/// Folded ASCII letter and case of the precomposed Latin letters of U+00C0–U+024F and
/// U+1E00–U+1EFF (Vietnamese, Polish and most European letters), computed once from the
/// Unicode decompositions: the scanner's fast path. 0 marks a letter that needs the slow path.
fn latin_table() -> &'static [(u8, bool); 0x190 + 0x100] {
    static TABLE: std::sync::OnceLock<[(u8, bool); 0x190 + 0x100]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [(0u8, false); 0x190 + 0x100];
        let ranges = (0xC0u32..0x250).chain(0x1E00..0x1F00);
        for (slot, code) in table.iter_mut().zip(ranges) {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            if !c.is_alphabetic() {
                continue;
            }
            let mut folded = String::new();
            fold_char_slow(c, &mut |f| folded.push(f));
            if let [b] = folded.as_bytes() {
                if b.is_ascii_lowercase() {
                    *slot = (*b, c.is_uppercase());
                }
            }
        }
        table
    })
}

/// The fast path of [`fold_char`]: the folded ASCII letter and whether `c` is upper case.
#[inline]
pub fn fold_latin(c: char) -> Option<(u8, bool)> {
    let code = c as u32;
    let index = match code {
        0xC0..=0x24F => code - 0xC0,
        0x1E00..=0x1EFF => code - 0x1E00 + 0x190,
        _ => return None,
    };
    let (folded, upper) = latin_table()[index as usize];
    (folded != 0).then_some((folded, upper))
}

/// Calls `emit` with the folded form of `c` (zero, one or more characters).
#[inline]
pub fn fold_char(c: char, emit: &mut impl FnMut(char)) {
    if c.is_ascii() {
        emit(c.to_ascii_lowercase());
        return;
    }
    if let Some((folded, _)) = fold_latin(c) {
        emit(folded as char);
        return;
    }
    fold_char_slow(c, emit);
}

fn fold_char_slow(c: char, emit: &mut impl FnMut(char)) {
    if c.is_ascii() {
        emit(c.to_ascii_lowercase());
        return;
    }
    match c {
        'đ' | 'Đ' | 'ð' | 'Ð' => emit('d'),
        'ł' | 'Ł' => emit('l'),
        'ø' | 'Ø' => emit('o'),
        'ı' => emit('i'),
        'ß' => {
            emit('s');
            emit('s');
        }
        'æ' | 'Æ' => {
            emit('a');
            emit('e');
        }
        'œ' | 'Œ' => {
            emit('o');
            emit('e');
        }
        _ if is_combining_mark(c) => {}
        _ if is_ideographic(c) => emit(c),
        _ if (c as u32) < 0x2000 => decompose_canonical(c, |d| {
            if !is_combining_mark(d) {
                for lower in d.to_lowercase() {
                    emit(lower);
                }
            }
        }),
        _ => {
            for lower in c.to_lowercase() {
                emit(lower);
            }
        }
    }
}

/// The folded form of a word or phrase, as a string (for suffix rules and tests).
pub fn fold_str(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut |f| out.push(f));
    }
    out
}

/// Hash of a folded word, the key of one token.
pub fn fold_word_hash(word: &str) -> u64 {
    let mut hash = HASH_SEED;
    for c in word.chars() {
        fold_char(c, &mut |f| {
            hash = (hash ^ f as u64).wrapping_mul(HASH_PRIME);
        });
    }
    finish(hash)
}

/// Hash of an already folded word.
pub fn folded_word_hash(folded: &str) -> u64 {
    let mut hash = HASH_SEED;
    for f in folded.chars() {
        hash = (hash ^ f as u64).wrapping_mul(HASH_PRIME);
    }
    finish(hash)
}

#[inline]
pub(crate) fn finish(hash: u64) -> u64 {
    // A final avalanche so that the n-gram combination below mixes well.
    let mut h = hash ^ (hash >> 33);
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

/// The diacritics of a word or phrase, independent of where a tone mark sits: per word, the
/// sorted combining marks plus the letters without decomposition (đ, ł). `hoà` and `hòa` have
/// the same signature; `Tại` and `Tai` do not. Empty when the text has no diacritics.
pub fn mark_signature(text: &str) -> Vec<Vec<char>> {
    let mut words: Vec<Vec<char>> = Vec::new();
    let mut current: Vec<char> = Vec::new();
    let mut any = false;
    let mut in_word = false;
    for c in text.chars() {
        if is_word_char(c) {
            in_word = true;
            match c {
                'đ' | 'Đ' | 'ł' | 'Ł' | 'ø' | 'Ø' => {
                    current.push(fold_special(c));
                    any = true;
                }
                _ if !c.is_ascii() => decompose_canonical(c, |d| {
                    if is_combining_mark(d) {
                        current.push(d);
                        any = true;
                    }
                }),
                _ => {}
            }
        } else if in_word {
            current.sort_unstable();
            words.push(std::mem::take(&mut current));
            in_word = false;
        }
    }
    if in_word {
        current.sort_unstable();
        words.push(current);
    }
    if any { words } else { Vec::new() }
}

/// Hashes of a [`mark_signature`]: per word (exact diacritics of every word), and flattened
/// (the stem's diacritics whatever the ending, for inflected forms). Both are 0 when the text
/// has no diacritics, which is always the case for ASCII.
pub fn marks_hashes(text: &str) -> (u64, u64) {
    if text.is_ascii() {
        return (0, 0);
    }
    // Streams over the words without allocating: a word's marks are few (at most three in
    // Vietnamese), so they are sorted in a small array.
    let mut words = HASH_SEED;
    let mut flat = HASH_SEED;
    let mut any = false;
    let mut marks = [0u32; 8];
    let mut count = 0;
    let flush = |marks: &mut [u32; 8], count: &mut usize, words: &mut u64, flat: &mut u64| {
        let word = &mut marks[..*count];
        word.sort_unstable();
        for &mark in word.iter() {
            *words = (*words ^ mark as u64).wrapping_mul(HASH_PRIME);
            *flat = (*flat ^ mark as u64).wrapping_mul(HASH_PRIME);
        }
        *words = (*words ^ 0x20).wrapping_mul(HASH_PRIME);
        *count = 0;
    };
    let mut in_word = false;
    for c in text.chars() {
        if is_word_char(c) {
            in_word = true;
            if c.is_ascii() {
                continue;
            }
            let mut push = |mark: char| {
                if count < marks.len() {
                    marks[count] = mark as u32;
                    count += 1;
                }
                any = true;
            };
            match c {
                'đ' | 'Đ' | 'ł' | 'Ł' | 'ø' | 'Ø' => push(fold_special(c)),
                // The precomposed Latin letters: their marks from a table.
                _ if let Some(found) = latin_marks(c) => {
                    for mark in found.into_iter().take_while(|&m| m != '\0') {
                        push(mark);
                    }
                }
                _ => decompose_canonical(c, |d| {
                    if is_combining_mark(d) {
                        push(d);
                    }
                }),
            }
        } else if in_word {
            flush(&mut marks, &mut count, &mut words, &mut flat);
            in_word = false;
        }
    }
    if in_word {
        flush(&mut marks, &mut count, &mut words, &mut flat);
    }
    if any {
        (finish(words) | 1, finish(flat) | 1)
    } else {
        (0, 0)
    }
}

/// The combining marks of the precomposed letters of U+00C0–U+024F and U+1E00–U+1EFF (at most
/// two, in decomposition order, `'\0'` for none), computed once from the Unicode
/// decompositions: [`marks_hashes`]'s fast path. `None` outside those blocks and for letters
/// with more marks.
fn latin_marks(c: char) -> Option<[char; 2]> {
    static TABLE: std::sync::OnceLock<Vec<Option<[char; 2]>>> = std::sync::OnceLock::new();
    let code = c as u32;
    let index = match code {
        0xC0..=0x24F => code - 0xC0,
        0x1E00..=0x1EFF => code - 0x1E00 + 0x190,
        _ => return None,
    };
    let table = TABLE.get_or_init(|| {
        (0xC0u32..0x250)
            .chain(0x1E00..0x1F00)
            .map(|code| {
                let c = char::from_u32(code)?;
                let mut marks = Vec::new();
                decompose_canonical(c, |d| {
                    if is_combining_mark(d) {
                        marks.push(d);
                    }
                });
                match marks[..] {
                    [] => Some(['\0', '\0']),
                    [a] => Some([a, '\0']),
                    [a, b] => Some([a, b]),
                    _ => None,
                }
            })
            .collect()
    });
    table.get(index as usize).copied().flatten()
}

fn fold_special(c: char) -> char {
    match c {
        'Đ' => 'đ',
        'Ł' => 'ł',
        'Ø' => 'ø',
        _ => c,
    }
}

/// Key of a token sequence: the previous key extended by one more token.
#[inline]
pub fn extend_key(previous: u64, token: u64) -> u64 {
    (previous.rotate_left(17) ^ token).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// Key of a whole phrase (a gazetteer name), token by token.
pub fn phrase_key(text: &str) -> Option<u64> {
    let mut key: Option<u64> = None;
    for token in tokenize(text) {
        key = Some(match key {
            None => token.hash,
            Some(k) => extend_key(k, token.hash),
        });
    }
    key
}

/// Splits text into tokens: runs of letters, digits and combining marks, except that each
/// ideographic character is a token of its own.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5 + 1);
    tokenize_into(text, &mut tokens);
    tokens
}

/// [`tokenize`] appending to `tokens` (a buffer reused across documents).
pub fn tokenize_into(text: &str, tokens: &mut Vec<Token>) {
    let bytes = text.as_bytes();
    let table = latin_table();
    // The folded ASCII letter and case of a precomposed Latin letter (see [`fold_latin`]).
    let latin = |c: char| {
        let code = c as u32;
        let index = match code {
            0xC0..=0x24F => code - 0xC0,
            0x1E00..=0x1EFF => code - 0x1E00 + 0x190,
            _ => return None,
        };
        let (folded, upper) = table[index as usize];
        (folded != 0).then_some((folded, upper))
    };
    let mut i = 0;
    while i < bytes.len() {
        // The first character decides whether a token starts here and its case.
        let start = i;
        let b = bytes[i];
        let mut hash = HASH_SEED;
        let capitalised;
        if b < 0x80 {
            i += 1;
            let folded = ASCII_FOLDED[b as usize];
            if folded == 0 {
                continue;
            }
            // Upper case or a digit.
            capitalised = folded != b || b.is_ascii_digit();
            hash = step(hash, folded);
        } else {
            let (c, length) = decode(bytes, i);
            i += length;
            if is_ideographic(c) {
                tokens.push(Token {
                    start: start as u32,
                    end: i as u32,
                    hash: fold_word_hash(&text[start..i]),
                    capitalised: true,
                    ideographic: true,
                });
                continue;
            }
            if let Some((folded, upper)) = latin(c) {
                capitalised = upper;
                hash = step(hash, folded);
            } else if is_word_char(c) {
                capitalised = c.is_uppercase();
                hash = fold_char_into_hash(c, hash);
            } else {
                continue;
            }
        }
        // The rest of the word: runs of ASCII letters and digits in a tight loop, other
        // characters one by one. (The hash is passed by value, never borrowed by a closure,
        // so that it stays in a register: the multiply chain is the loop's critical path.)
        loop {
            while i < bytes.len() {
                let folded = ASCII_FOLDED[bytes[i] as usize];
                if folded == 0 {
                    break;
                }
                hash = step(hash, folded);
                i += 1;
            }
            if i >= bytes.len() || bytes[i] < 0x80 {
                break;
            }
            let (c, length) = decode(bytes, i);
            if let Some((folded, _)) = latin(c) {
                hash = step(hash, folded);
            } else if is_word_char(c) && !is_ideographic(c) {
                hash = fold_char_into_hash(c, hash);
            } else {
                break;
            }
            i += length;
        }
        tokens.push(Token {
            start: start as u32,
            end: i as u32,
            hash: finish(hash),
            capitalised,
            ideographic: false,
        });
    }
}

/// One step of the folded hash: `hash` extended by one folded byte.
#[inline(always)]
fn step(hash: u64, folded: u8) -> u64 {
    (hash ^ folded as u64).wrapping_mul(HASH_PRIME)
}

/// `hash` extended by the folded form of `c` (the tokenizer's slow path).
#[inline(never)]
fn fold_char_into_hash(c: char, hash: u64) -> u64 {
    let mut hash = hash;
    fold_char(c, &mut |f| {
        hash = (hash ^ f as u64).wrapping_mul(HASH_PRIME)
    });
    hash
}

/// Each ASCII letter or digit folded (lower case), 0 for other bytes (and for every byte of a
/// multi-byte character): one load per byte in the tokenizer's inner loop.
const ASCII_FOLDED: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 128 {
        let b = byte as u8;
        if b.is_ascii_alphanumeric() {
            table[byte] = b.to_ascii_lowercase();
        }
        byte += 1;
    }
    table
};

/// The character starting at `bytes[i]` (a UTF-8 lead byte of valid UTF-8) and its length.
#[inline]
fn decode(bytes: &[u8], i: usize) -> (char, usize) {
    let lead = bytes[i] as u32;
    let next = |k: usize| bytes.get(i + k).map_or(0, |&b| (b & 0x3F) as u32);
    let (code, length) = if lead < 0xE0 {
        (((lead & 0x1F) << 6) | next(1), 2)
    } else if lead < 0xF0 {
        (((lead & 0x0F) << 12) | (next(1) << 6) | next(2), 3)
    } else {
        (
            ((lead & 0x07) << 18) | (next(1) << 12) | (next(2) << 6) | next(3),
            4,
        )
    };
    (char::from_u32(code).unwrap_or('\u{FFFD}'), length)
}

/// The tokenizer as first written, kept to check the fast one against.
#[cfg(test)]
fn tokenize_reference(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if !b.is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            if is_ideographic(c) {
                let end = i + c.len_utf8();
                tokens.push(Token {
                    start: i as u32,
                    end: end as u32,
                    hash: fold_word_hash(&text[i..end]),
                    capitalised: true,
                    ideographic: true,
                });
                i = end;
                continue;
            }
            if !is_word_char(c) {
                i += c.len_utf8();
                continue;
            }
        }
        let start = i;
        let mut hash = HASH_SEED;
        let mut capitalised = None;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii() {
                if !b.is_ascii_alphanumeric() {
                    break;
                }
                capitalised.get_or_insert(b.is_ascii_uppercase() || b.is_ascii_digit());
                hash = (hash ^ b.to_ascii_lowercase() as u64).wrapping_mul(HASH_PRIME);
                i += 1;
            } else {
                let c = text[i..].chars().next().unwrap_or(' ');
                if let Some((folded, upper)) = fold_latin(c) {
                    capitalised.get_or_insert(upper);
                    hash = (hash ^ folded as u64).wrapping_mul(HASH_PRIME);
                    i += c.len_utf8();
                    continue;
                }
                if !is_word_char(c) || is_ideographic(c) {
                    break;
                }
                capitalised.get_or_insert(c.is_uppercase());
                fold_char(c, &mut |f| {
                    hash = (hash ^ f as u64).wrapping_mul(HASH_PRIME);
                });
                i += c.len_utf8();
            }
        }
        tokens.push(Token {
            start: start as u32,
            end: i as u32,
            hash: finish(hash),
            capitalised: capitalised.unwrap_or(false),
            ideographic: false,
        });
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn check(inputs: &[&str], expected: &str) {
        for input in inputs {
            assert_eq!(fold_str(input), expected, "folding {input:?}");
            let words: Vec<_> = expected.split(' ').collect();
            let tokens = tokenize(input);
            assert_eq!(tokens.len(), words.len(), "tokens of {input:?}");
            for (token, word) in tokens.iter().zip(words) {
                assert_eq!(token.hash, folded_word_hash(word), "{input:?}");
            }
        }
    }

    #[test]
    fn vietnamese_nfc_nfd_tone_placement_and_case() {
        check(
            &["Đà Nẵng", "Đà Nẵng", "DA NANG", "Da Nang", "ĐÀ NẴNG"],
            "da nang",
        );
        check(&["hoà", "hòa", "HÒA"], "hoa");
        check(&["Thừa Thiên Huế", "Thừa Thiên Huế"], "thua thien hue");
    }

    /// [`marks_hashes`] as first written (decomposing every character), to check the table.
    fn marks_hashes_reference(text: &str) -> (u64, u64) {
        if text.is_ascii() {
            return (0, 0);
        }
        let (mut words, mut flat, mut any) = (HASH_SEED, HASH_SEED, false);
        let mut current: Vec<u32> = Vec::new();
        let flush = |current: &mut Vec<u32>, words: &mut u64, flat: &mut u64| {
            current.truncate(8);
            current.sort_unstable();
            for &mark in current.iter() {
                *words = (*words ^ mark as u64).wrapping_mul(HASH_PRIME);
                *flat = (*flat ^ mark as u64).wrapping_mul(HASH_PRIME);
            }
            *words = (*words ^ 0x20).wrapping_mul(HASH_PRIME);
            current.clear();
        };
        let mut in_word = false;
        for c in text.chars() {
            if is_word_char(c) {
                in_word = true;
                if c.is_ascii() {
                    continue;
                }
                match c {
                    'đ' | 'Đ' | 'ł' | 'Ł' | 'ø' | 'Ø' => {
                        current.push(fold_special(c) as u32);
                        any = true;
                    }
                    _ => decompose_canonical(c, |d| {
                        if is_combining_mark(d) {
                            current.push(d as u32);
                            any = true;
                        }
                    }),
                }
            } else if in_word {
                flush(&mut current, &mut words, &mut flat);
                in_word = false;
            }
        }
        if in_word {
            flush(&mut current, &mut words, &mut flat);
        }
        if any {
            (finish(words) | 1, finish(flat) | 1)
        } else {
            (0, 0)
        }
    }

    #[test]
    fn marks_table_agrees_with_decomposition() {
        let ranges = (0x20u32..0x2100).chain(0x1E00..0x1F00);
        for code in ranges {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            for text in [
                format!("{c}"),
                format!("Ab{c}cD x"),
                format!("Đà{c}Nẵng Tại"),
                format!("Đà{c}Nẵng Tại").nfd().collect(),
            ] {
                assert_eq!(
                    marks_hashes(&text),
                    marks_hashes_reference(&text),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn marks_ignore_tone_placement_but_not_missing_diacritics() {
        assert_eq!(marks_hashes("hoà"), marks_hashes("hòa"));
        assert_eq!(marks_hashes("Đà Nẵng"), marks_hashes("Đà Nẵng"));
        assert_ne!(marks_hashes("Tại"), marks_hashes("Tai"));
        assert_eq!(marks_hashes("Tai"), (0, 0));
        assert_eq!(marks_hashes("Jarosławiu").1, marks_hashes("Jarosław").1);
    }

    #[test]
    fn letters_without_decomposition() {
        check(&["Łódź", "LODZ"], "lodz");
        check(&["Jarosław"], "jaroslaw");
    }

    #[test]
    fn ideographs_are_one_token_each() {
        let tokens = tokenize("대구광역시에서 Daegu");
        assert_eq!(tokens.len(), 8);
        assert!(tokens[0].ideographic);
        assert_eq!(tokens[0].hash, fold_word_hash("대"));
        assert!(!tokens[7].ideographic);
    }

    #[test]
    fn fast_tokenizer_agrees_with_the_reference() {
        // Every character of the scripts the fast paths cover (and their neighbours), alone,
        // between ASCII letters and after a space, plus mixed text in NFC and NFD.
        let ranges = (0x20u32..0x2100)
            .chain(0x1E00..0x1F00)
            .chain(0x3000..0x3100);
        let mut texts: Vec<String> = Vec::new();
        for code in ranges.chain([0xAC00, 0xD7A3, 0x4E00, 0x1F600, 0xFFFD]) {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            texts.push(format!("{c}"));
            texts.push(format!("Ab{c}cD {c}x 9{c}"));
        }
        let mixed = "Đà Nẵng–Daegu: 대구광역시에서 Hội An, Łódź i Wietnamie (2016). Ñu ǅ ß Æ";
        texts.push(mixed.to_owned());
        texts.push(mixed.nfd().collect());
        for text in &texts {
            assert_eq!(tokenize(text), tokenize_reference(text), "{text:?}");
        }
    }

    #[test]
    fn hyphens_and_apostrophes_separate_words() {
        let tokens = tokenize("Viet Nam-Laos, Da Nang’s");
        let words: Vec<_> = tokens
            .iter()
            .map(|t| &"Viet Nam-Laos, Da Nang’s"[t.start as usize..t.end as usize])
            .collect();
        assert_eq!(words, ["Viet", "Nam", "Laos", "Da", "Nang", "s"]);
        assert!(tokens[0].capitalised && !tokens[5].capitalised);
    }
}
