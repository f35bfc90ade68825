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

/// A reusable normaliser: keeps its buffers between paragraphs so the hot loop does not allocate.
#[derive(Default)]
pub struct Normalizer {
    buffer: Vec<u8>,
    composed: String,
}

impl Normalizer {
    /// Creates a normaliser with empty buffers.
    pub fn new() -> Normalizer {
        Normalizer::default()
    }

    /// Normalises `text` and returns the normalised form and its number of words.
    pub fn normalize(&mut self, text: &str) -> (&str, u32) {
        let words = if text.is_ascii() {
            normalize_ascii(text.as_bytes(), &mut self.buffer)
        } else if is_nfc_quick(text.chars()) == IsNormalized::Yes {
            normalize_unicode(text.chars(), &mut self.buffer)
        } else {
            self.composed.clear();
            self.composed.extend(text.nfc());
            normalize_unicode(self.composed.chars(), &mut self.buffer)
        };
        // Only whole UTF-8 characters and ASCII spaces were written.
        let normalized = std::str::from_utf8(&self.buffer).unwrap_or_default();
        (normalized, words)
    }

    /// The fingerprint and word count of `text`.
    pub fn fingerprint(&mut self, text: &str) -> (Fingerprint, u32) {
        let (normalized, words) = self.normalize(text);
        (
            Fingerprint(xxhash_rust::xxh3::xxh3_64(normalized.as_bytes())),
            words,
        )
    }
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

/// The general path over already composed characters.
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
        assert_eq!((fast, fast_words), (slow, slow_words));
    }
}
