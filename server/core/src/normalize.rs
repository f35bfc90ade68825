//! Paragraph normalisation and fingerprints: what "the same paragraph" means to Gazette.
//!
//! Two paragraphs are exact duplicates when their normalised forms are equal. Normalisation
//! applies Unicode NFC (Vietnamese and Korean arrive both composed and decomposed), lowercases,
//! treats punctuation of every script (straight and curly quotes, dashes, ellipses, CJK and
//! full-width marks) as a word separator, and collapses runs of separators to one space. The
//! result is a sequence of lowercase words separated by single spaces.
//!
//! Normalisation is the throughput ceiling of the exact-duplicate pass (hashing is ten times
//! faster), so pure-ASCII text takes a branch-free table-driven path and text that is already
//! NFC skips composition.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// A 64-bit hash of a paragraph's normalised text (xxh3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fingerprint(pub u64);

impl std::fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

/// For every ASCII byte: its lowercase form when it belongs to a word, 0 when it separates words.
const ASCII_CLASS: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut byte = 0;
    while byte < 128 {
        let b = byte as u8;
        table[byte] = if b.is_ascii_alphanumeric() {
            b.to_ascii_lowercase()
        } else if b.is_ascii_punctuation() || b.is_ascii_whitespace() || b.is_ascii_control() {
            0
        } else {
            b
        };
        byte += 1;
    }
    table
};

/// True for characters that separate words: whitespace, invisible marks and punctuation of every
/// script. Everything else (letters, digits, combining marks, symbols, emoji) belongs to words.
pub fn is_separator(c: char) -> bool {
    if c.is_ascii() {
        return ASCII_CLASS[c as usize] == 0;
    }
    c.is_whitespace()
        || matches!(c,
            '\u{00a1}' | '\u{00a7}' | '\u{00ab}' | '\u{00b6}' | '\u{00b7}' | '\u{00bb}' | '\u{00bf}'
            | '\u{200b}'..='\u{206f}' // General Punctuation: dashes, curly quotes, ellipsis, ZW*
            | '\u{2e00}'..='\u{2e7f}' // Supplemental Punctuation
            | '\u{3000}'..='\u{3003}' | '\u{3008}'..='\u{3011}' | '\u{3014}'..='\u{301f}' // CJK
            | '\u{fe10}'..='\u{fe1f}' | '\u{fe30}'..='\u{fe4f}' // vertical and compatibility forms
            | '\u{feff}'
            | '\u{ff01}'..='\u{ff0f}' | '\u{ff1a}'..='\u{ff20}' | '\u{ff3b}'..='\u{ff40}'
            | '\u{ff5b}'..='\u{ff65}' // full-width punctuation
            | '\u{0589}' | '\u{05be}' | '\u{060c}' | '\u{061b}' | '\u{061f}' | '\u{06d4}'
            | '\u{0964}' | '\u{0965}' | '\u{0e2f}' | '\u{0e5a}' | '\u{0e5b}' | '\u{104a}' | '\u{104b}'
        )
}

/// What the normaliser needs to know about one non-ASCII character; computing it costs a few
/// table searches, so recent characters are cached (text uses few distinct non-ASCII letters).
#[derive(Clone, Copy)]
struct CharInfo {
    c: char,
    /// Its lowercase form when that is a single character (almost always).
    lower: Option<char>,
    separator: bool,
    /// False for characters that may change under NFC (combining marks, conjoining jamo...).
    stable_under_nfc: bool,
}

const CACHE_SIZE: usize = 1024;

/// A reusable normaliser: keeps its buffers between paragraphs so the hot loop does not allocate.
pub struct Normalizer {
    buffer: Vec<u8>,
    composed: String,
    cache: Box<[Option<CharInfo>]>,
}

impl Default for Normalizer {
    fn default() -> Self {
        Normalizer {
            buffer: Vec::new(),
            composed: String::new(),
            cache: vec![None; CACHE_SIZE].into_boxed_slice(),
        }
    }
}

impl Normalizer {
    /// Creates a normaliser with empty buffers.
    pub fn new() -> Normalizer {
        Normalizer::default()
    }

    /// Normalises `text` and returns the normalised form and its number of words.
    pub fn normalize(&mut self, text: &str) -> (&str, u32) {
        let words = self.normalize_into_buffer(text);
        // Only whole UTF-8 characters and ASCII spaces were written.
        let normalized = std::str::from_utf8(&self.buffer).unwrap_or_default();
        (normalized, words)
    }

    /// Like [`Normalizer::normalize`] without checking the result is UTF-8 (it always is): the
    /// hot path hashes bytes, and validating them would cost a sixth of the pass.
    pub fn normalize_bytes(&mut self, text: &str) -> (&[u8], u32) {
        let words = self.normalize_into_buffer(text);
        (&self.buffer, words)
    }

    /// The fingerprint and word count of `text`.
    pub fn fingerprint(&mut self, text: &str) -> (Fingerprint, u32) {
        let (normalized, words) = self.normalize_bytes(text);
        (Fingerprint(xxhash_rust::xxh3::xxh3_64(normalized)), words)
    }

    fn normalize_into_buffer(&mut self, text: &str) -> u32 {
        if text.is_ascii() {
            return normalize_ascii(text.as_bytes(), &mut self.buffer);
        }
        if let Some(words) = normalize_mixed(text, &mut self.buffer, &mut self.cache, true) {
            return words;
        }
        // The text holds characters that NFC may change: compose first (the rare slow path).
        if is_nfc_quick(text.chars()) == IsNormalized::Yes {
            return normalize_mixed(text, &mut self.buffer, &mut self.cache, false).unwrap_or(0);
        }
        let mut composed = std::mem::take(&mut self.composed);
        composed.clear();
        composed.extend(text.nfc());
        let words = normalize_mixed(&composed, &mut self.buffer, &mut self.cache, false);
        self.composed = composed;
        words.unwrap_or(0)
    }
}

/// Normalises mixed ASCII and non-ASCII text byte by byte, decoding only non-ASCII characters.
/// Returns `None` when `require_stable` is set and a character may change under NFC.
fn normalize_mixed(
    text: &str,
    out: &mut Vec<u8>,
    cache: &mut [Option<CharInfo>],
    require_stable: bool,
) -> Option<u32> {
    let bytes = text.as_bytes();
    out.clear();
    out.reserve(bytes.len() + 1);
    let mut in_word = false;
    let mut words = 0u32;
    let mut i = 0;
    let mut utf8 = [0u8; 4];
    while i < bytes.len() {
        let byte = bytes[i];
        if byte < 0x80 {
            let class = ASCII_CLASS[byte as usize];
            if class != 0 {
                words += u32::from(!in_word);
                in_word = true;
                out.push(class);
            } else if in_word {
                out.push(b' ');
                in_word = false;
            }
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or('\u{fffd}');
        i += c.len_utf8();
        let info = char_info(cache, c);
        if require_stable && !info.stable_under_nfc {
            return None;
        }
        if info.separator {
            if in_word {
                out.push(b' ');
                in_word = false;
            }
            continue;
        }
        words += u32::from(!in_word);
        in_word = true;
        match info.lower {
            Some(lower) => out.extend_from_slice(lower.encode_utf8(&mut utf8).as_bytes()),
            None => {
                for lower in c.to_lowercase() {
                    out.extend_from_slice(lower.encode_utf8(&mut utf8).as_bytes());
                }
            }
        }
    }
    if out.last() == Some(&b' ') {
        out.pop();
    }
    Some(words)
}

fn char_info(cache: &mut [Option<CharInfo>], c: char) -> CharInfo {
    let slot = c as usize % CACHE_SIZE;
    if let Some(info) = cache[slot] {
        if info.c == c {
            return info;
        }
    }
    let mut lowers = c.to_lowercase();
    let lower = match (lowers.next(), lowers.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    };
    let info = CharInfo {
        c,
        lower,
        separator: is_separator(c),
        stable_under_nfc: unicode_normalization::char::canonical_combining_class(c) == 0
            && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes,
    };
    cache[slot] = Some(info);
    info
}

/// Normalises `text` into a new string (convenient outside hot loops).
pub fn normalize(text: &str) -> String {
    Normalizer::new().normalize(text).0.to_owned()
}

/// The fingerprint of `text` (convenient outside hot loops).
pub fn fingerprint(text: &str) -> Fingerprint {
    Normalizer::new().fingerprint(text).0
}

/// The ASCII fast path. Every byte is written; the write position advances only for word bytes
/// and for the first separator after a word, which keeps the loop free of unpredictable branches.
fn normalize_ascii(bytes: &[u8], out: &mut Vec<u8>) -> u32 {
    out.clear();
    out.resize(bytes.len() + 1, 0);
    let mut length = 0usize;
    let mut previous_in_word = 0usize;
    let mut words = 0u32;
    for &byte in bytes {
        let class = ASCII_CLASS[(byte & 0x7f) as usize];
        let in_word = (class != 0) as usize;
        out[length] = if in_word == 1 { class } else { b' ' };
        // A separator is kept only right after a word; a word byte is always kept.
        length += in_word | previous_in_word;
        words += (in_word & !previous_in_word & 1) as u32;
        previous_in_word = in_word;
    }
    out.truncate(length);
    if out.last() == Some(&b' ') {
        out.pop();
    }
    words
}

/// The reference implementation over characters, kept for tests of the fast paths.
#[cfg(test)]
fn normalize_unicode(chars: impl Iterator<Item = char>, out: &mut Vec<u8>) -> u32 {
    out.clear();
    let mut in_word = false;
    let mut words = 0u32;
    let mut utf8 = [0u8; 4];
    for c in chars {
        if is_separator(c) {
            if in_word {
                out.push(b' ');
            }
            in_word = false;
            continue;
        }
        if !in_word {
            words += 1;
        }
        in_word = true;
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase() as u8);
        } else {
            for lower in c.to_lowercase() {
                out.extend_from_slice(lower.encode_utf8(&mut utf8).as_bytes());
            }
        }
    }
    if out.last() == Some(&b' ') {
        out.pop();
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str, expected_words: u32) {
        let mut normalizer = Normalizer::new();
        let (normalized, words) = normalizer.normalize(input);
        assert_eq!(
            (normalized, words),
            (expected, expected_words),
            "input {input:?}"
        );
    }

    #[test]
    fn ascii() {
        check(
            "  Mayor Kwon (left)  and\tChairman Tho. ",
            "mayor kwon left and chairman tho",
            6,
        );
        check("...", "", 0);
        check("", "", 0);
        check("Covid-19", "covid 19", 2);
    }

    #[test]
    fn quotes_and_dashes_fold() {
        assert_eq!(
            normalize("Da Nang’s “best” — year…"),
            normalize("da nang's \"BEST\" - year...")
        );
    }

    #[test]
    fn mixed_path_agrees_with_reference() {
        for text in [
            "Đà Nẵng’s “Best” — YEAR…",
            "대구 광역시, 오산!",
            "ŁÓDŹ i Kraków: İstanbul ß",
            "a\u{301}b",
        ] {
            let composed: String = text.nfc().collect();
            let mut reference = Vec::new();
            let words = normalize_unicode(composed.chars(), &mut reference);
            let mut normalizer = Normalizer::new();
            let (actual, actual_words) = normalizer.normalize_bytes(text);
            assert_eq!(
                (actual, actual_words),
                (reference.as_slice(), words),
                "{text}"
            );
        }
    }

    #[test]
    fn nfd_and_nfc_agree() {
        let nfc = "Đà Nẵng và Quảng Nam";
        let nfd: String = nfc.nfd().collect();
        assert_ne!(nfc, nfd);
        assert_eq!(fingerprint(nfc), fingerprint(&nfd));
        check(&nfd, "đà nẵng và quảng nam", 5);
        check("대구 광역시, 오산!", "대구 광역시 오산", 3);
    }

    #[test]
    fn fast_path_agrees_with_general_path() {
        let text = "The  QUICK, brown\r\nfox (jumps) -- over 12 dogs!";
        let mut fast = Vec::new();
        let mut slow = Vec::new();
        let fast_words = normalize_ascii(text.as_bytes(), &mut fast);
        let slow_words = normalize_unicode(text.chars(), &mut slow);
        let mut mixed = Vec::new();
        let mut cache = vec![None; CACHE_SIZE];
        let mixed_words = normalize_mixed(text, &mut mixed, &mut cache, true).unwrap();
        assert_eq!((&mixed, mixed_words), (&slow, slow_words));
        assert_eq!((fast, fast_words), (slow, slow_words));
    }
}
