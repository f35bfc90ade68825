//! The word tokenizer as it was before the shared scan (session 3), kept to check the fused
//! scanner against: same tokens, same flags, same lexicon keys.

use unicode_normalization::UnicodeNormalization;

use super::{
    ALL_CAPS, CAPITALISED, HAS_MARK, HAS_UPPER, IN_URL, LetterClass, NEWLINE_BEFORE, NON_ASCII,
    SPACE_BEFORE, TokenKind, is_word_char, letter_class, next_is_letter, starts_url,
};

/// One reference token: byte range, kind, flags (the eight flags of the old scanner) and key.
pub(super) type ReferenceToken = (u32, u32, TokenKind, u16, String);

/// Tokenises `text` as the former `Tokens::new` did.
pub(super) fn tokens(text: &str) -> Vec<ReferenceToken> {
    let bytes = text.as_bytes();
    let mut tokens: Vec<(u32, u32, TokenKind, u16)> = Vec::new();
    let mut position = 0usize;
    let mut gap_flags = SPACE_BEFORE | NEWLINE_BEFORE;
    // Index of the first token of the current white-space-delimited chunk, for URL marking.
    let mut chunk_start = 0usize;
    let mut in_url = false;
    while position < bytes.len() {
        let byte = bytes[position];
        if byte.is_ascii_whitespace() {
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
            in_url = starts_url(&bytes[position..]);
        }
        let start = position;
        let mut flags = gap_flags;
        gap_flags = 0;
        let kind;
        if byte.is_ascii_digit() {
            kind = TokenKind::Number;
            position += 1;
            while position < bytes.len() && bytes[position].is_ascii_digit() {
                position += 1;
            }
        } else if is_word_char(ch) {
            kind = TokenKind::Word;
            let (end, word_flags) = scan_word(text, position);
            position = end;
            flags |= word_flags;
        } else {
            kind = TokenKind::Punct;
            position += ch_len;
            // `://` and `@` inside a chunk make the whole chunk a URL or an address.
            if !in_url && ((byte == b':' && bytes[position..].starts_with(b"//")) || byte == b'@') {
                in_url = true;
                for token in &mut tokens[chunk_start..] {
                    token.3 |= IN_URL;
                }
            }
        }
        if in_url {
            flags |= IN_URL;
        }
        tokens.push((start as u32, position as u32, kind, flags));
    }
    tokens
        .into_iter()
        .map(|(start, end, kind, flags)| {
            let word = &text[start as usize..end as usize];
            let key = if kind != TokenKind::Word || flags & (HAS_UPPER | HAS_MARK) == 0 {
                word.to_owned()
            } else if flags & HAS_MARK != 0 {
                word.nfc().flat_map(char::to_lowercase).collect()
            } else {
                word.chars().flat_map(char::to_lowercase).collect()
            };
            (start, end, kind, flags, key)
        })
        .collect()
}

/// Scans a word from `start`; returns its end and its case flags.
fn scan_word(text: &str, start: usize) -> (usize, u16) {
    let bytes = text.as_bytes();
    let mut position = start;
    let mut flags = 0u16;
    let mut letters = 0usize;
    let mut upper = 0usize;
    let mut first = true;
    while position < bytes.len() {
        let byte = bytes[position];
        if byte.is_ascii_alphabetic() {
            letters += 1;
            if byte.is_ascii_uppercase() {
                upper += 1;
                if first {
                    flags |= CAPITALISED;
                }
            }
            first = false;
            position += 1;
            continue;
        }
        if byte < 0x80 {
            // An internal apostrophe joins two letter runs (`People's`).
            if byte == b'\'' && next_is_letter(text, position + 1) && letters > 0 {
                position += 1;
                continue;
            }
            break;
        }
        let ch = text[position..].chars().next().unwrap_or(' ');
        if ch == '’' && next_is_letter(text, position + ch.len_utf8()) && letters > 0 {
            position += ch.len_utf8();
            continue;
        }
        let class = letter_class(ch);
        match class {
            LetterClass::None => break,
            LetterClass::Mark => flags |= HAS_MARK,
            LetterClass::Upper | LetterClass::Lower | LetterClass::Caseless => {
                letters += 1;
                if class == LetterClass::Upper {
                    upper += 1;
                    if first {
                        flags |= CAPITALISED;
                    }
                }
                first = false;
            }
        }
        flags |= NON_ASCII;
        position += ch.len_utf8();
    }
    if letters >= 2 && upper == letters {
        flags |= ALL_CAPS;
    }
    if upper > 0 {
        flags |= HAS_UPPER;
    }
    (position, flags)
}
