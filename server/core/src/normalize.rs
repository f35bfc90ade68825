//! Paragraph normalisation and fingerprints: what "the same paragraph" means to Gazette.
//!
//! Two paragraphs are exact duplicates when their normalised forms are equal. Normalisation
//! applies Unicode NFC (Vietnamese and Korean arrive both composed and decomposed), lowercases,
//! treats punctuation of every script (straight and curly quotes, dashes, ellipses, CJK and
//! full-width marks) as a word separator, and collapses runs of separators to one space. The
//! result is a sequence of lowercase words separated by single spaces.
//!
//! Normalisation is the throughput ceiling of the exact-duplicate pass (hashing is ten times
//! faster), so it works sixteen bytes at a time while the text is ASCII or characters that
//! normalise to themselves (lowercase letters of any script, Hangul syllables: their bytes are
//! copied), eight ASCII bytes at a time with SWAR arithmetic, and byte by byte with one table
//! lookup per character otherwise. Text that is already NFC skips composition.

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

/// What the normaliser needs to know about one character, packed into a `u64` so that the hot
/// loop does one load per character: the UTF-8 bytes of its lowercase form (bits 0–31, written
/// out four bytes at a time), their number (bits 32–34) and flags.
type CharInfo = u64;

/// The character separates words.
const SEPARATOR: CharInfo = 1 << 40;
/// The character may change under NFC (combining marks, conjoining jamo...).
const UNSTABLE: CharInfo = 1 << 41;
/// The lowercase form is several characters (`İ`): written by the slow path.
const MULTI_CHAR_LOWER: CharInfo = 1 << 42;
/// The character belongs to words, is stable under NFC and is its own lowercase form (`ẵ`,
/// `ł`, `д`): normalisation copies its bytes, so the block path lets it through unchanged.
const IDENTITY: CharInfo = 1 << 43;

fn char_info(c: char) -> CharInfo {
    let stable = unicode_normalization::char::canonical_combining_class(c) == 0
        && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes;
    let mut info = if stable { 0 } else { UNSTABLE };
    if is_separator(c) {
        return info | SEPARATOR;
    }
    let mut lowers = c.to_lowercase();
    match (lowers.next(), lowers.next()) {
        (Some(lower), None) => {
            let mut utf8 = [0u8; 4];
            let length = lower.encode_utf8(&mut utf8).len();
            info |= u64::from(u32::from_le_bytes(utf8)) | ((length as u64) << 32);
            if lower == c && stable {
                info |= IDENTITY;
            }
        }
        _ => info |= MULTI_CHAR_LOWER,
    }
    info
}

/// Characters below this code point are looked up in a table shared by every normaliser (Latin,
/// Greek, Cyrillic, Vietnamese, general punctuation...); the others in a small per-normaliser
/// cache (text uses few distinct CJK or Hangul characters at a time).
const TABLE_END: u32 = 0x3000;

fn char_table() -> &'static [CharInfo] {
    static TABLE: std::sync::OnceLock<Box<[CharInfo]>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0..TABLE_END)
            .map(|code| char::from_u32(code).map_or(SEPARATOR | UNSTABLE, char_info))
            .collect()
    })
}

/// One bit per code point of the Basic Multilingual Plane, set for [`IDENTITY`] characters
/// below [`TABLE_END`] and Hangul syllables: what the sixteen-byte blocks look up (8 KiB,
/// where the [`char_table`] entries are 64 bits).
type IdentityBits = [u64; 1024];

/// Hangul syllables: letters without case, stable under NFC on their own (a following trailing
/// jamo may compose with one, but that jamo is not an identity character, so the block stops
/// before it and the byte loop sends the text to composition).
const HANGUL_SYLLABLES: std::ops::RangeInclusive<u32> = 0xac00..=0xd7a3;

fn identity_bits() -> &'static IdentityBits {
    static BITS: std::sync::OnceLock<Box<IdentityBits>> = std::sync::OnceLock::new();
    BITS.get_or_init(|| {
        // Characters of the shared table and Hangul syllables; the others (CJK ideographs...)
        // take the byte loop and its cache, which costs nothing to set up.
        let mut bits = Box::new([0u64; 1024]);
        let table = char_table().iter().enumerate();
        let identity = table
            .filter(|(_, info)| *info & IDENTITY != 0)
            .map(|(code, _)| code as u32)
            .chain(HANGUL_SYLLABLES);
        for code in identity {
            bits[(code >> 6) as usize] |= 1 << (code & 63);
        }
        bits
    })
}

const CACHE_SIZE: usize = 1024;

/// A reusable normaliser: keeps its buffers between paragraphs so the hot loop does not allocate.
pub struct Normalizer {
    /// The output buffer. It only ever grows: its length is its capacity, and `length` says how
    /// much of it the last call wrote, so no call pays for clearing or zero-filling it.
    buffer: Vec<u8>,
    length: usize,
    composed: String,
    table: &'static [CharInfo],
    identity: &'static IdentityBits,
    /// (character, info) for characters at or above [`TABLE_END`].
    cache: Box<[(u32, CharInfo)]>,
}

impl Default for Normalizer {
    fn default() -> Self {
        Normalizer {
            buffer: Vec::new(),
            length: 0,
            composed: String::new(),
            table: char_table(),
            identity: identity_bits(),
            cache: vec![(u32::MAX, 0); CACHE_SIZE].into_boxed_slice(),
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
        let normalized = std::str::from_utf8(&self.buffer[..self.length]).unwrap_or_default();
        (normalized, words)
    }

    /// Like [`Normalizer::normalize`] without checking the result is UTF-8 (it always is): the
    /// hot path hashes bytes, and validating them would cost a sixth of the pass.
    pub fn normalize_bytes(&mut self, text: &str) -> (&[u8], u32) {
        let words = self.normalize_into_buffer(text);
        (&self.buffer[..self.length], words)
    }

    /// The fingerprint and word count of `text`.
    pub fn fingerprint(&mut self, text: &str) -> (Fingerprint, u32) {
        let (normalized, words) = self.normalize_bytes(text);
        (Fingerprint(xxhash_rust::xxh3::xxh3_64(normalized)), words)
    }

    fn normalize_into_buffer(&mut self, text: &str) -> u32 {
        // Lowercasing grows a character by at most half (`Ⱥ` → `ⱥ`, `İ` → `i̇`), and the loops
        // write four bytes past the end of a lowercase character.
        let needed = text.len() + text.len() / 2 + 8;
        if self.buffer.len() < needed {
            self.buffer.resize(needed.next_power_of_two(), 0);
        }
        if let Some(words) = self.normalize_mixed(text, true) {
            return words;
        }
        // The text holds characters that NFC may change: compose first (the rare slow path).
        if is_nfc_quick(text.chars()) == IsNormalized::Yes {
            return self.normalize_mixed(text, false).unwrap_or(0);
        }
        let mut composed = std::mem::take(&mut self.composed);
        composed.clear();
        composed.extend(text.nfc());
        let needed = composed.len() + composed.len() / 2 + 8;
        if self.buffer.len() < needed {
            self.buffer.resize(needed.next_power_of_two(), 0);
        }
        let words = self.normalize_mixed(&composed, false);
        self.composed = composed;
        words.unwrap_or(0)
    }

    /// Normalises mixed ASCII and non-ASCII text in one pass over the bytes, decoding only
    /// non-ASCII characters. Like [`normalize_ascii`], every character is written and the write
    /// position advances only over word characters and the first separator after a word.
    /// Returns `None` when `require_stable` is set and a character may change under NFC.
    fn normalize_mixed(&mut self, text: &str, require_stable: bool) -> Option<u32> {
        // Plain slices and locals: writing bytes through `self.buffer` would make the compiler
        // reload the vector's pointer and length after every store.
        let Normalizer {
            buffer,
            length: result_length,
            table,
            identity,
            cache,
            ..
        } = self;
        let out: &mut [u8] = buffer;
        let table: &[CharInfo] = table;
        let bytes = text.as_bytes();
        let mut length = 0usize;
        let mut previous_in_word = 0usize;
        let mut words = 0u32;
        let mut i = 0;
        while i < bytes.len() {
            // Sixteen bytes at a time while they are ASCII or characters copied unchanged.
            while i + 16 <= bytes.len() {
                let Some(block) = block(bytes, i, identity, previous_in_word) else {
                    break;
                };
                block.write(out, length);
                length += block.written;
                words += block.word_starts;
                previous_in_word = block.ends_in_word;
                i += block.consumed;
            }
            // Eight ASCII bytes at a time while the text is ASCII.
            while let Some(chunk) = bytes.get(i..i + 8) {
                let chunk = u64::from_le_bytes(chunk.try_into().unwrap_or([0x80; 8]));
                let Some(normalized) = ascii_chunk(chunk, previous_in_word) else {
                    break;
                };
                out[length..length + 8].copy_from_slice(&normalized.bytes.to_le_bytes());
                length += normalized.length;
                words += normalized.word_starts;
                previous_in_word = normalized.ends_in_word;
                i += 8;
            }
            // Then byte by byte up to eight bytes or the next non-ASCII character, branch-free
            // inside. (Running SWAR on the ASCII bytes before a non-ASCII character was tried:
            // Vietnamese has one every few bytes, and it cost 7% more instructions.)
            let run_end = (i + 8).min(bytes.len());
            while i < run_end && bytes[i] < 0x80 {
                let class = ASCII_CLASS[bytes[i] as usize];
                let in_word = (class != 0) as usize;
                out[length] = if in_word == 1 { class } else { b' ' };
                length += in_word | previous_in_word;
                words += (in_word & !previous_in_word & 1) as u32;
                previous_in_word = in_word;
                i += 1;
            }
            if i >= bytes.len() {
                break;
            }
            if bytes[i] < 0x80 {
                continue;
            }
            // `text` is valid UTF-8: decode the sequence that starts here.
            let byte = bytes[i];
            let (code, width) = if byte < 0xe0 {
                (
                    (u32::from(byte & 0x1f) << 6) | u32::from(bytes[i + 1] & 0x3f),
                    2,
                )
            } else if byte < 0xf0 {
                (
                    (u32::from(byte & 0x0f) << 12)
                        | (u32::from(bytes[i + 1] & 0x3f) << 6)
                        | u32::from(bytes[i + 2] & 0x3f),
                    3,
                )
            } else {
                (
                    (u32::from(byte & 0x07) << 18)
                        | (u32::from(bytes[i + 1] & 0x3f) << 12)
                        | (u32::from(bytes[i + 2] & 0x3f) << 6)
                        | u32::from(bytes[i + 3] & 0x3f),
                    4,
                )
            };
            i += width;
            let info = if code < TABLE_END {
                table[code as usize]
            } else {
                let slot = &mut cache[code as usize % CACHE_SIZE];
                if slot.0 != code {
                    *slot = (code, char::from_u32(code).map_or(SEPARATOR, char_info));
                }
                slot.1
            };
            if require_stable && info & UNSTABLE != 0 {
                return None;
            }
            if info & SEPARATOR != 0 {
                out[length] = b' ';
                length += previous_in_word;
                previous_in_word = 0;
                continue;
            }
            words += (!previous_in_word & 1) as u32;
            previous_in_word = 1;
            if info & MULTI_CHAR_LOWER != 0 {
                let c = char::from_u32(code).unwrap_or('\u{fffd}');
                for lower in c.to_lowercase() {
                    length += lower.encode_utf8(&mut out[length..]).len();
                }
                continue;
            }
            out[length..length + 4].copy_from_slice(&(info as u32).to_le_bytes());
            length += ((info >> 32) & 0x7) as usize;
        }
        if length > 0 && out[length - 1] == b' ' {
            length -= 1;
        }
        *result_length = length;
        Some(words)
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// For eight ASCII bytes, bit 7 of each byte set when the byte lies in `low..=high` (SWAR: no
/// sum crosses into the next byte because every byte is below 0x80).
const fn in_range(chunk: u64, low: u8, high: u8) -> u64 {
    let at_least_low = chunk.wrapping_add((0x80 - low as u64) * ONES);
    let above_high = chunk.wrapping_add((0x7f - high as u64) * ONES);
    at_least_low & !above_high & HIGH_BITS
}

/// Eight ASCII bytes, normalised: see [`ascii_chunk`].
#[derive(Debug, PartialEq, Eq)]
struct AsciiChunk {
    /// The normalised bytes (little-endian); only the first `length` count.
    bytes: u64,
    length: usize,
    /// The number of words starting in the chunk.
    word_starts: u32,
    /// 1 when the last byte belongs to a word.
    ends_in_word: usize,
}

/// Normalises eight bytes of ASCII text with SWAR arithmetic, or returns `None` when a byte is
/// not ASCII. Letters are lowercased, every other byte (punctuation, whitespace, controls)
/// becomes a space, and a space is kept only right after a word byte (`previous_in_word` for
/// the first), exactly like the byte loop. Dropped bytes are squeezed out one shift each, from
/// the highest: running text drops about one byte a chunk (`, ` or `. `), so eight bytes cost a
/// few dozen instructions where the byte loop costs about ten a byte.
fn ascii_chunk(chunk: u64, previous_in_word: usize) -> Option<AsciiChunk> {
    if chunk & HIGH_BITS != 0 {
        return None;
    }
    let upper = in_range(chunk, b'A', b'Z');
    let word = upper | in_range(chunk, b'a', b'z') | in_range(chunk, b'0', b'9');
    // 0xff in every word byte.
    let word_bytes = (word >> 7).wrapping_mul(0xff);
    let mut bytes = ((chunk | (upper >> 2)) & word_bytes) | (u64::from(b' ') * ONES & !word_bytes);
    let previous = (previous_in_word as u64) << 7;
    let mut dropped = !word & HIGH_BITS & !((word << 8) | previous);
    // One bit per byte: a multiplication sums the bytes into the top one (no `popcnt` on
    // baseline x86-64).
    let removed = ((dropped >> 7).wrapping_mul(ONES) >> 56) as usize;
    while dropped != 0 {
        let bit = 63 - dropped.leading_zeros();
        let below = (1u64 << (bit & !7)) - 1;
        bytes = (bytes & below) | ((bytes >> 8) & !below);
        dropped ^= 1 << bit;
    }
    let starts = word & !((word << 8) | previous);
    Some(AsciiChunk {
        bytes,
        length: 8 - removed,
        word_starts: ((starts >> 7).wrapping_mul(ONES) >> 56) as u32,
        ends_in_word: usize::from(word >> 63 != 0),
    })
}

/// Removes the bytes of `bytes` (little-endian) whose bits are set in `dropped` (one bit per
/// byte, bit 0 for the first), moving the following bytes down; one shift per dropped byte.
fn squeeze(mut bytes: u64, mut dropped: u32) -> u64 {
    while dropped != 0 {
        let byte = 31 - dropped.leading_zeros();
        let below = (1u64 << (8 * byte)) - 1;
        bytes = (bytes & below) | ((bytes >> 8) & !below);
        dropped ^= 1 << byte;
    }
    bytes
}

/// The number of set bits of every byte value (baseline x86-64 has no `popcnt`, and its
/// emulation costs a dozen instructions where two table reads do).
const BIT_COUNTS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = (byte as u32).count_ones() as u8;
        byte += 1;
    }
    table
};

/// The number of set bits of a 16-bit mask.
fn count16(mask: u32) -> u32 {
    u32::from(BIT_COUNTS[(mask & 0xff) as usize])
        + u32::from(BIT_COUNTS[((mask >> 8) & 0xff) as usize])
}

/// Up to sixteen bytes of text, normalised: see [`block`].
struct Block {
    /// The input bytes it covers (whole characters).
    consumed: usize,
    /// The normalised bytes, little-endian halves: the first `low_written` bytes of `low`,
    /// then those of `high`, `written` in all.
    low: u64,
    high: u64,
    low_written: usize,
    written: usize,
    word_starts: u32,
    ends_in_word: usize,
}

impl Block {
    /// Writes the normalised bytes at `out[at..]` (sixteen bytes, of which `written` count).
    fn write(&self, out: &mut [u8], at: usize) {
        out[at..at + 8].copy_from_slice(&self.low.to_le_bytes());
        let high_at = at + self.low_written;
        out[high_at..high_at + 8].copy_from_slice(&self.high.to_le_bytes());
    }
}

/// Bit 7 of each byte of `bytes` gathered into the low eight bits, bit `k` for byte `k`: the
/// multiplication moves byte `k`'s bit to bit 56 + `k` and no partial products collide (the
/// workspace forbids `unsafe`, which `pmovmskb` through intrinsics needs).
const fn gather_high_bits(bytes: u64) -> u32 {
    (((bytes & HIGH_BITS) >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32
}

/// [`gather_high_bits`] for sixteen bytes, given as two little-endian halves.
const fn gather_high_bits16(low: u64, high: u64) -> u32 {
    gather_high_bits(low) | (gather_high_bits(high) << 8)
}

/// Normalises `bytes[at..at + 16]` (which must exist, `at` on a character boundary), or its
/// longest prefix of whole characters that are ASCII or [`IDENTITY`] characters of the Basic
/// Multilingual Plane; `None` when that prefix is empty (the caller's byte loop then takes the next
/// character). Same rules as the byte loop: letters lowercased, identity characters copied,
/// other ASCII bytes become a space kept only after a word byte (`previous_in_word` for the
/// first). The per-byte part is plain code over arrays that the compiler vectorises.
fn block(
    bytes: &[u8],
    at: usize,
    identity: &IdentityBits,
    previous_in_word: usize,
) -> Option<Block> {
    let input: [u8; 16] = bytes[at..at + 16].try_into().unwrap_or_default();
    let input_low = u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or_default());
    let input_high = u64::from_le_bytes(bytes[at + 8..at + 16].try_into().unwrap_or_default());
    // Bytes covered: all sixteen unless a character must go through the byte loop.
    let mut covered = 16usize;
    if (input_low | input_high) & HIGH_BITS != 0 {
        // Lead bytes are 0xC0 and above (bits 7 and 6 set), continuation bytes 0x80–0xBF.
        let mut leads =
            gather_high_bits16(input_low & (input_low << 1), input_high & (input_high << 1));
        while leads != 0 {
            let position = leads.trailing_zeros() as usize;
            leads &= leads - 1;
            // Masked indices: a character cut by the block's end reads bytes of this block
            // (and fails the width test), and no index is checked.
            let lead = u32::from(input[position & 15]);
            let second = u32::from(input[(position + 1) & 15] & 0x3f);
            let third = u32::from(input[(position + 2) & 15] & 0x3f);
            let two_bytes = lead < 0xe0;
            let code = if two_bytes {
                ((lead & 0x1f) << 6) | second
            } else {
                ((lead & 0x0f) << 12) | (second << 6) | third
            };
            let end = position + if two_bytes { 2 } else { 3 };
            let is_identity = (identity[(code >> 6) as usize & 1023] >> (code & 63)) & 1 != 0;
            if lead >= 0xf0 || end > 16 || !is_identity {
                covered = position;
                break;
            }
        }
        if covered == 0 {
            return None;
        }
    }
    let mut normalized = [0u8; 16];
    let mut word_flags = [0u8; 16];
    for k in 0..16 {
        let byte = input[k];
        let lowered = byte | (u8::from(byte.wrapping_sub(b'A') < 26) << 5);
        let is_word =
            lowered.wrapping_sub(b'a') < 26 || byte.wrapping_sub(b'0') < 10 || byte >= 0x80;
        let flag = 0u8.wrapping_sub(u8::from(is_word));
        word_flags[k] = flag;
        normalized[k] = (lowered & flag) | (b' ' & !flag);
    }
    // Bits 0..covered (covered is 1 to 16, so no shift overflows).
    let valid = (1u32 << covered) - 1;
    let word = gather_high_bits16(
        u64::from_le_bytes(word_flags[..8].try_into().unwrap_or_default()),
        u64::from_le_bytes(word_flags[8..].try_into().unwrap_or_default()),
    ) & valid;
    let after_word = (word << 1) | previous_in_word as u32;
    let dropped = valid & !word & !after_word;
    let starts = word & !after_word;
    let mut low = u64::from_le_bytes(normalized[..8].try_into().unwrap_or_default());
    let mut high = u64::from_le_bytes(normalized[8..].try_into().unwrap_or_default());
    let dropped_low = dropped & 0xff;
    if dropped != 0 {
        low = squeeze(low, dropped_low);
        high = squeeze(high, dropped >> 8);
    }
    Some(Block {
        consumed: covered,
        low,
        high,
        low_written: covered.min(8) - count16(dropped_low) as usize,
        written: covered - count16(dropped) as usize,
        word_starts: count16(starts),
        ends_in_word: ((word >> (covered - 1)) & 1) as usize,
    })
}

/// Normalises `text` into a new string (convenient outside hot loops).
pub fn normalize(text: &str) -> String {
    Normalizer::new().normalize(text).0.to_owned()
}

/// The fingerprint of `text` (convenient outside hot loops).
pub fn fingerprint(text: &str) -> Fingerprint {
    Normalizer::new().fingerprint(text).0
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

    /// Asserts that `normalizer` gives `text` the bytes and word count the character-by-character
    /// reference gives `reference_input` (the text itself, or its NFC form).
    fn assert_like_reference(
        normalizer: &mut Normalizer,
        text: &str,
        reference_input: &str,
        what: std::fmt::Arguments<'_>,
    ) {
        let mut reference = Vec::new();
        let words = normalize_unicode(reference_input.chars(), &mut reference);
        let (actual, actual_words) = normalizer.normalize_bytes(text);
        assert_eq!(
            (actual, actual_words),
            (reference.as_slice(), words),
            "{what}"
        );
    }

    /// One step of a xorshift generator (deterministic test data).
    fn xorshift(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    /// A text of fewer than `max_pieces` pieces drawn from `pieces`.
    fn random_text(state: &mut u64, pieces: &[&str], max_pieces: u64) -> String {
        // Step the generator before drawing the length: a length of 0 would otherwise leave
        // the state unchanged and every later text empty.
        let length = xorshift(state) % max_pieces;
        (0..length)
            .map(|_| pieces[(xorshift(state) % pieces.len() as u64) as usize])
            .collect()
    }

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
            let mut normalizer = Normalizer::new();
            assert_like_reference(&mut normalizer, text, &composed, format_args!("{text}"));
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
    fn fast_paths_agree_with_reference() {
        let mut normalizer = Normalizer::new();
        for text in [
            "The  QUICK, brown\r\nfox (jumps) -- over 12 dogs!",
            "  leading spaces and trailing   ",
            "Exactly8 Exactly8 abcdefgh ABCDEFGH 12345678 a b c d e f g h i j",
            "words  with  double  spaces  everywhere  in  it",
            "Mixed Đà Nẵng words between PLAIN ascii chunks of text and more",
            "tabs\tand\nnewlines\n\nbetween words and @#$ signs ^_^ [x] {y} `z` ~w~",
        ] {
            assert_like_reference(&mut normalizer, text, text, format_args!("{text:?}"));
        }
    }

    #[test]
    fn ascii_chunks_normalise_like_the_byte_loop() {
        let chunk = |text: &[u8; 8]| u64::from_le_bytes(*text);
        let normalized = |text: &[u8; 8], previous_in_word: usize| {
            let result = ascii_chunk(chunk(text), previous_in_word).unwrap();
            let bytes = result.bytes.to_le_bytes();
            (
                String::from_utf8(bytes[..result.length].to_vec()).unwrap(),
                result.word_starts,
                result.ends_in_word,
            )
        };
        let expected = |text: &str, starts, ends| (text.to_owned(), starts, ends);
        assert_eq!(normalized(b"Hello Wo", 0), expected("hello wo", 2, 1));
        assert_eq!(normalized(b"Hello Wo", 1), expected("hello wo", 1, 1));
        assert_eq!(normalized(b" ello Wo", 1), expected(" ello wo", 2, 1));
        assert_eq!(normalized(b" ello Wo", 0), expected("ello wo", 2, 1));
        assert_eq!(normalized(b"Hello, W", 1), expected("hello w", 1, 1));
        assert_eq!(normalized(b"He  o Wo", 1), expected("he o wo", 2, 1));
        assert_eq!(normalized(b"Z@[`{09 ", 1), expected("z 09 ", 1, 0));
        assert_eq!(normalized(b"AZaz09 x", 0), expected("azaz09 x", 2, 1));
        assert_eq!(normalized(b"(a). -- ", 0), expected("a ", 1, 0));
        assert_eq!(normalized(b"\t\r\n!?;: ", 1), expected(" ", 0, 0));
        assert_eq!(normalized(b"\t\r\n!?;: ", 0), expected("", 0, 0));
        assert_eq!(ascii_chunk(chunk(b"Caf\xc3\xa9 ok"), 0), None);
    }

    #[test]
    fn generated_text_agrees_with_reference() {
        // Words, runs of punctuation and spaces, and now and then a non-ASCII letter, at every
        // alignment against the eight-byte chunks.
        let pieces = [
            "Da", "NANG", "2016", "x", ", ", ". ", " ", "  ", "(", ")", "--", "\t", "\r\n", "'",
            "\"", "é", "Đà", "…", "!?",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut normalizer = Normalizer::new();
        for _ in 0..3_000 {
            let text = random_text(&mut state, &pieces, 40);
            assert_like_reference(&mut normalizer, &text, &text, format_args!("{text:?}"));
        }
    }

    #[test]
    fn identity_bits_are_identity_characters() {
        let bits = identity_bits();
        let mut set = 0;
        for code in 0..0x1_0000u32 {
            if (bits[(code >> 6) as usize] >> (code & 63)) & 1 == 0 {
                continue;
            }
            set += 1;
            let c = char::from_u32(code).unwrap();
            assert_ne!(char_info(c) & IDENTITY, 0, "U+{code:04X}");
        }
        assert!(set > 12_000, "{set}");
        for c in ['ẵ', 'ł', 'đ', 'д', '대'] {
            assert_ne!((bits[(c as usize) >> 6] >> (c as u32 & 63)) & 1, 0, "{c}");
        }
        for c in ['Đ', 'Ł', '’', '\u{301}', '\u{11a8}', 'İ', '\u{3000}'] {
            assert_eq!((bits[(c as usize) >> 6] >> (c as u32 & 63)) & 1, 0, "{c}");
        }
    }

    #[test]
    fn gathering_high_bits_agrees_with_a_loop() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..10_000 {
            xorshift(&mut state);
            let expected = (0..8).fold(0u32, |mask, k| {
                mask | (((state >> (8 * k + 7)) & 1) as u32) << k
            });
            assert_eq!(gather_high_bits(state), expected, "{state:016x}");
        }
        assert_eq!(gather_high_bits(u64::MAX), 0xff);
        assert_eq!(gather_high_bits16(0x80, 1 << 63), 0x8001);
    }

    #[test]
    fn hostile_generated_text_agrees_with_reference() {
        // Long texts (so the sixteen-byte blocks run) of NFC and NFD Vietnamese, Korean,
        // Polish, Greek and Cyrillic, uppercase non-ASCII letters (which the blocks hand to the
        // byte loop), curly quotes, emoji and other four-byte characters, CRLF and tabs, at
        // every alignment against the blocks. NFD text goes through composition first.
        let pieces = [
            "Trọng thức Chuyến ",
            "ĐÀ NẴNG",
            "Đà Nẵng",
            "Quảng Nam",
            "Hội An",
            "대구 광역시",
            "오산",
            // A syllable and a trailing jamo, which NFC composes into one syllable (각).
            "가\u{11a8}",
            "Łódź Kraków",
            "ŚWIĘTO",
            "Αθήνα",
            "МОСКВА и город",
            "“quoted”",
            "— ",
            "…",
            "🎉",
            "𝔸",
            "\r\n",
            "\t",
            " ",
            ", ",
            ". ",
            "abc",
            "LONGWORDLONGWORD",
            "x",
            "12",
            "İ",
            "ß",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut normalizer = Normalizer::new();
        let mut block_bytes = 0usize;
        let mut total_bytes = 0usize;
        for round in 0..2_000 {
            let mut text = random_text(&mut state, &pieces, 60);
            if round % 3 == 0 {
                text = text.nfd().collect();
            }
            let composed: String = text.nfc().collect();
            total_bytes += composed.len();
            assert_like_reference(&mut normalizer, &text, &composed, format_args!("{text:?}"));
            let identity = identity_bits();
            let mut at = 0;
            while at + 16 <= composed.len() {
                match block(composed.as_bytes(), at, identity, 0) {
                    Some(covered) => {
                        block_bytes += covered.consumed;
                        at += covered.consumed;
                    }
                    None => at += composed[at..].chars().next().map_or(1, char::len_utf8),
                }
            }
        }
        // The blocks did run, over non-ASCII text too.
        assert!(
            block_bytes > total_bytes / 4,
            "{block_bytes} of {total_bytes} bytes"
        );
    }

    #[test]
    fn blocks_cover_lowercase_letters_of_every_script_and_stop_before_others() {
        let covered = |text: &str| {
            block(text.as_bytes(), 0, identity_bits(), 0).map(|block| {
                let bytes = [block.low.to_le_bytes(), block.high.to_le_bytes()].concat();
                let mut out = bytes[..block.low_written].to_vec();
                out.extend_from_slice(&bytes[8..8 + block.written - block.low_written]);
                (
                    block.consumed,
                    String::from_utf8(out).unwrap(),
                    block.word_starts,
                )
            })
        };
        // Whole sixteen bytes of lowercase Vietnamese; uppercase ASCII is lowercased.
        assert_eq!(
            covered("Trọng, ok!! xy"),
            Some((16, "trọng ok xy".to_owned(), 3))
        );
        assert_eq!(
            covered("nẵng nam hội"),
            Some((16, "nẵng nam hội".to_owned(), 3))
        );
        // A character cut by the block's end is left for the next block.
        assert_eq!(
            covered("abcdefghijklmnọp"),
            Some((14, "abcdefghijklmn".to_owned(), 1))
        );
        // Uppercase non-ASCII letters and non-ASCII punctuation stop the block.
        assert_eq!(
            covered("ab Đà Nẵng xxxxxxx"),
            Some((3, "ab ".to_owned(), 1))
        );
        assert_eq!(covered("“quoted” and more"), None);
        assert_eq!(covered("🎉 and more and more"), None);
        // Hangul syllables are their own lowercase and stable: copied.
        assert_eq!(
            covered("대구 광역시 and"),
            Some((16, "대구 광역시".to_owned(), 2))
        );
    }

    #[test]
    fn every_character_below_the_table_end_agrees_with_reference_in_every_path() {
        // Each character alone, between words, and twice in a row: covers the table entries,
        // multi-character lowercase forms and separators. The short text goes through the byte
        // loop; the long one puts the character inside sixteen-byte blocks, at the start, in
        // the middle and cut by a block's end.
        let mut normalizer = Normalizer::new();
        let hangul = (0xac00..=0xd7a3).step_by(97);
        for code in (0x80..TABLE_END)
            .chain(hangul)
            .chain([0xd7a3, 0x1f600, 0xff01, 0x10400])
        {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            for text in [
                format!("Ab{c}{c} x{c}"),
                format!("{c}bcdefgh ijklmn{c}{c} words, {c}xyz {c}. And more{c}"),
            ] {
                let composed: String = text.nfc().collect();
                assert_like_reference(
                    &mut normalizer,
                    &text,
                    &composed,
                    format_args!("U+{code:04X} in {text:?}"),
                );
            }
        }
    }
}
