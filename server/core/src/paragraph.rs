//! Paragraph segmentation: cutting a document into the units the duplicate rules compare.
//!
//! Real corpora use two layouts. Hard-wrapped text keeps a paragraph in a block of short lines
//! and separates paragraphs with blank lines; scraped news text puts one paragraph on each line,
//! with or without blank lines between them (seed `001_a9298164ea9b0dd7.txt` has none).
//! [`Layout::Auto`] chooses per document: the text is hard-wrapped when the lines inside
//! multi-line blocks are short (at most [`MAX_WRAP_WIDTH`] characters) and *filled*, meaning
//! that the next line's first word would not have fitted on them. Everything else is one
//! paragraph per non-blank line.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::text::{TextRange, content_start};

/// Lines longer than this (in characters) are never hard-wrapped lines.
pub const MAX_WRAP_WIDTH: usize = 100;
/// Hard-wrapped text is wrapped at some width of at least this many characters.
pub const MIN_WRAP_WIDTH: usize = 50;

/// How a document is cut into paragraphs (`paragraphs.layout` in `gazette.toml`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// Decide per document (the default).
    #[default]
    Auto,
    /// Blank-line-separated blocks of hard-wrapped lines: one paragraph per block.
    Blocks,
    /// One paragraph per non-blank line.
    Lines,
}

/// One paragraph: a trimmed byte range and the 0-based lines it spans.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Paragraph {
    /// The paragraph's text without surrounding whitespace.
    pub range: TextRange,
    /// Its whole lines: from the start of its first line (after a byte order mark) to the end
    /// of its last line's terminator. Deleting this range removes exactly its lines.
    pub lines: TextRange,
    /// The 0-based line of its first byte.
    pub first_line: u32,
    /// The 0-based line of its last byte.
    pub last_line: u32,
}

/// The paragraphs of a document and the layout that produced them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segmentation {
    /// The layout used: never [`Layout::Auto`].
    pub layout: Layout,
    /// The paragraphs in text order.
    pub paragraphs: Vec<Paragraph>,
}

/// One non-blank line: its trimmed and whole ranges, 0-based number and block position.
struct Line {
    range: TextRange,
    /// From the start of the line to the end of its terminator.
    whole: TextRange,
    number: u32,
    /// True when a blank line (or the start of the text) comes before it.
    starts_block: bool,
    /// True when it ends like a sentence (`.`, `!`, `?`, `:`, a closing quote).
    ends_sentence: bool,
}

impl Line {
    /// Its length in characters. Computed only for lines inside multi-line blocks, when the
    /// layout is detected: one-paragraph-per-line text never pays for counting.
    fn chars(&self, text: &str) -> usize {
        let line = &text[self.range.to_usize()];
        if line.is_ascii() {
            line.len()
        } else {
            line.chars().count()
        }
    }

    /// The length in characters of its first word.
    fn first_word_chars(&self, text: &str) -> usize {
        text[self.range.to_usize()]
            .split(is_blank)
            .next()
            .map_or(0, |word| word.chars().count())
    }
}

/// Characters that end a sentence or a heading-like line.
const SENTENCE_END: &[char] = &[
    '.', '!', '?', ':', ';', '"', '\u{201d}', '\u{2019}', ')', '\u{3002}',
];

/// Cuts `text` into paragraphs. Never fails: an empty text has no paragraphs.
pub fn segment(text: &str, layout: Layout) -> Segmentation {
    let lines = non_blank_lines(text);
    let layout = match layout {
        Layout::Auto => detect_layout(text, &lines),
        explicit => explicit,
    };
    let mut paragraphs = Vec::with_capacity(lines.len());
    for line in &lines {
        let paragraph = Paragraph {
            range: line.range,
            lines: line.whole,
            first_line: line.number,
            last_line: line.number,
        };
        match (layout, paragraphs.last_mut()) {
            (Layout::Blocks, Some(previous)) if !line.starts_block => {
                let previous: &mut Paragraph = previous;
                previous.range.end = line.range.end;
                previous.lines.end = line.whole.end;
                previous.last_line = line.number;
            }
            _ => paragraphs.push(paragraph),
        }
    }
    Segmentation { layout, paragraphs }
}

fn detect_layout(text: &str, lines: &[Line]) -> Layout {
    let mut inner_lines = 0usize;
    let mut width = 0usize;
    for pair in lines.windows(2) {
        if !pair[1].starts_block {
            inner_lines += 1;
            width = width.max(pair[0].chars(text));
        }
    }
    if inner_lines == 0 || !(MIN_WRAP_WIDTH..=MAX_WRAP_WIDTH).contains(&width) {
        return Layout::Lines;
    }
    let filled = lines
        .windows(2)
        .filter(|pair| {
            !pair[1].starts_block
                && pair[0].chars(text) + 1 + pair[1].first_word_chars(text) > width
        })
        .count();
    // Wrapped lines end mid-sentence; one-paragraph-per-line text ends its lines with sentences.
    let sentence_ends = lines
        .windows(2)
        .filter(|pair| !pair[1].starts_block && pair[0].ends_sentence)
        .count();
    // Allow a few early breaks (a line ending before a long URL, a list inside a block).
    if filled * 4 >= inner_lines * 3 && sentence_ends * 2 < inner_lines {
        Layout::Blocks
    } else {
        Layout::Lines
    }
}

fn non_blank_lines(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = content_start(text) as usize;
    let mut number = 0u32;
    let mut previous_blank = true;
    while start <= bytes.len() {
        let end = memchr::memchr2(b'\n', b'\r', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        let next = if end < bytes.len() && bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n')
        {
            end + 2
        } else {
            end + 1
        };
        let line = &text[start..end];
        let trimmed_start = line.trim_start_matches(is_blank);
        if trimmed_start.is_empty() {
            previous_blank = true;
        } else {
            let trimmed = trimmed_start.trim_end_matches(is_blank);
            let offset = start + (line.len() - trimmed_start.len());
            lines.push(Line {
                range: TextRange::new(offset as u32, (offset + trimmed.len()) as u32),
                whole: TextRange::new(start as u32, next.min(bytes.len()) as u32),
                ends_sentence: trimmed.ends_with(SENTENCE_END),
                number,
                starts_block: previous_blank,
            });
            previous_blank = false;
        }
        number += 1;
        start = next;
    }
    lines
}

fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, layout: Layout, expected: Layout, expected_paragraphs: &[&str]) {
        let segmentation = segment(text, layout);
        let actual: Vec<&str> = segmentation
            .paragraphs
            .iter()
            .map(|p| &text[p.range.to_usize()])
            .collect();
        assert_eq!(
            (segmentation.layout, actual.as_slice()),
            (expected, expected_paragraphs)
        );
    }

    const WRAPPED: &str = "The delegation from Daegu visited the city hall of Da Nang on\n\
        Monday and discussed cooperation in education, health and urban\n\
        management with the chairman.\n\
        \n\
        Both sides agreed to exchange delegations of police officers and\n\
        teachers every year from 2017 onwards.\n";

    #[test]
    fn hard_wrapped_blocks_are_detected() {
        check(
            WRAPPED,
            Layout::Auto,
            Layout::Blocks,
            &[
                &WRAPPED[..WRAPPED.find("\n\n").unwrap()],
                &WRAPPED[WRAPPED.find("Both").unwrap()..WRAPPED.len() - 1],
            ],
        );
    }

    #[test]
    fn long_lines_are_one_paragraph_each() {
        let long = "x ".repeat(70);
        let text = format!("{long}\n{long}\n\nMayor Kwon (left)\nMayor Kwon (left)\n");
        let long = long.trim_end();
        check(
            &text,
            Layout::Auto,
            Layout::Lines,
            &[long, long, "Mayor Kwon (left)", "Mayor Kwon (left)"],
        );
    }

    #[test]
    fn short_sentences_one_per_line_are_lines() {
        let text = "Line number 0 of the large generated document, with some words.\n\
            Line number 1 of the large generated document, with some words.\n\
            Line number 2 of the large generated document, with some words.\n";
        assert_eq!(segment(text, Layout::Auto).layout, Layout::Lines);
    }

    #[test]
    fn short_unfilled_lines_are_lines() {
        check(
            "A caption\nA caption\n",
            Layout::Auto,
            Layout::Lines,
            &["A caption", "A caption"],
        );
    }

    #[test]
    fn config_overrides_detection() {
        check(
            "a b\nc\n\nd",
            Layout::Blocks,
            Layout::Blocks,
            &["a b\nc", "d"],
        );
        check(
            WRAPPED,
            Layout::Lines,
            Layout::Lines,
            &WRAPPED
                .lines()
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>(),
        );
    }

    #[test]
    fn line_endings_bom_and_empty_text() {
        check("", Layout::Auto, Layout::Lines, &[]);
        check(
            "\u{feff}one\r\ntwo\rthree\n\n  ",
            Layout::Auto,
            Layout::Lines,
            &["one", "two", "three"],
        );
        let segmentation = segment("a\r\n\r\nb", Layout::Lines);
        assert_eq!(segmentation.paragraphs[1].first_line, 2);
    }
}
