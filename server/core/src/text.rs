//! Text primitives shared by every analysis: byte ranges and a line index.

/// A half-open range of byte offsets `[start, end)` into a document's text.
///
/// Byte offsets are the one currency inside the core; the CLI and the language server convert
/// them to lines, code points or UTF-16 units at their edge.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TextRange {
    /// First byte of the range.
    pub start: u32,
    /// One past the last byte of the range.
    pub end: u32,
}

impl TextRange {
    /// Builds a range; `start` must not be after `end`.
    pub fn new(start: u32, end: u32) -> TextRange {
        debug_assert!(start <= end, "inverted range {start}..{end}");
        TextRange { start, end }
    }

    /// Length in bytes.
    pub fn len(self) -> u32 {
        self.end - self.start
    }

    /// True when the range covers no byte.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The range as a `usize` range, for slicing.
    pub fn to_usize(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// True when `other` lies inside `self`.
    pub fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

impl std::fmt::Display for TextRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// The largest document Gazette analyses by default (64 MiB): bigger files are reported as
/// unreadable rather than exhausting memory. Configurable through `files.max-size-bytes`.
pub const DEFAULT_MAX_DOCUMENT_BYTES: u64 = 64 * 1024 * 1024;

/// Why a document's bytes cannot be analysed as text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DecodeProblem {
    /// The bytes are not UTF-8; `offset` is the first invalid byte.
    InvalidUtf8 {
        /// Byte offset of the first invalid sequence.
        offset: u64,
    },
    /// The bytes contain a NUL byte, the mark of a binary file.
    Binary {
        /// Byte offset of the first NUL byte.
        offset: u64,
    },
    /// The document is larger than the configured limit.
    TooLarge {
        /// Size of the document in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
}

impl std::fmt::Display for DecodeProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeProblem::InvalidUtf8 { offset } => {
                write!(f, "not valid UTF-8 (first invalid byte at offset {offset})")
            }
            DecodeProblem::Binary { offset } => {
                write!(f, "looks binary (NUL byte at offset {offset})")
            }
            DecodeProblem::TooLarge { size, limit } => {
                write!(f, "too large ({size} bytes; the limit is {limit} bytes)")
            }
        }
    }
}

/// Checks that `bytes` are analysable text and returns them as `&str`.
///
/// The text is returned whole: a UTF-8 byte order mark stays in place so that every offset the
/// core reports is an offset into the original bytes (the segmenter skips the mark, see
/// [`content_start`]). CRLF, CR and LF line endings are all accepted as they are.
pub fn decode(bytes: &[u8], max_bytes: u64) -> Result<&str, DecodeProblem> {
    let size = bytes.len() as u64;
    if size > max_bytes {
        return Err(DecodeProblem::TooLarge {
            size,
            limit: max_bytes,
        });
    }
    // NUL comes first: a UTF-16 file is valid "UTF-8" full of NULs, and calling it binary is
    // the more helpful message.
    if let Some(offset) = memchr::memchr(0, bytes) {
        return Err(DecodeProblem::Binary {
            offset: offset as u64,
        });
    }
    std::str::from_utf8(bytes).map_err(|error| DecodeProblem::InvalidUtf8 {
        offset: error.valid_up_to() as u64,
    })
}

/// The offset where a document's content starts: 3 after a UTF-8 byte order mark, else 0.
pub fn content_start(text: &str) -> u32 {
    if text.starts_with('\u{feff}') { 3 } else { 0 }
}

/// A 1-based line and column position, as shown to humans. The column counts Unicode scalar
/// values (characters), like rustc and ruff; the byte order mark is not counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineColumn {
    /// Line number, starting at 1.
    pub line: u32,
    /// Column in characters, starting at 1.
    pub column: u32,
}

/// Maps byte offsets to lines and back. Lines end at `\n`, `\r\n` or a lone `\r`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset of the start of every line; the first is always 0.
    line_starts: Vec<u32>,
    /// Length of the text in bytes.
    len: u32,
}

impl LineIndex {
    /// Indexes the lines of `text`.
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        let mut iter = memchr::memchr2_iter(b'\n', b'\r', bytes).peekable();
        while let Some(position) = iter.next() {
            if bytes[position] == b'\r' && bytes.get(position + 1) == Some(&b'\n') {
                // A CRLF pair ends one line; skip the LF the iterator will report next.
                iter.next();
                line_starts.push(position as u32 + 2);
            } else {
                line_starts.push(position as u32 + 1);
            }
        }
        LineIndex {
            line_starts,
            len: bytes.len() as u32,
        }
    }

    /// Number of lines (a text ending with a line break has an empty last line).
    pub fn line_count(&self) -> u32 {
        self.line_starts.len() as u32
    }

    /// The 0-based line holding byte `offset` (clamped to the text).
    pub fn line_of(&self, offset: u32) -> u32 {
        let offset = offset.min(self.len);
        (self.line_starts.partition_point(|&start| start <= offset) - 1) as u32
    }

    /// The byte offset where 0-based `line` starts, or `None` past the end.
    pub fn line_start(&self, line: u32) -> Option<u32> {
        self.line_starts.get(line as usize).copied()
    }

    /// The byte range of 0-based `line` without its line terminator.
    pub fn line_range(&self, text: &str, line: u32) -> Option<TextRange> {
        let start = self.line_start(line)?;
        let next = self.line_start(line + 1).unwrap_or(self.len);
        let bytes = text.as_bytes();
        let mut end = next;
        if end > start && bytes[end as usize - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end as usize - 1] == b'\r' {
            end -= 1;
        }
        Some(TextRange::new(start, end))
    }

    /// The 0-based line and byte column of `offset` (clamped to the text).
    pub fn line_col_utf8(&self, offset: u32) -> (u32, u32) {
        let offset = offset.min(self.len);
        let line = self.line_of(offset);
        (line, offset - self.line_starts[line as usize])
    }

    /// The byte offset of 0-based `line` and byte `column`, clamped to the end of that line's
    /// text (so an out-of-range position never panics).
    pub fn offset_utf8(&self, line: u32, column: u32) -> u32 {
        let Some(start) = self.line_start(line) else {
            return self.len;
        };
        let next = self.line_start(line + 1).unwrap_or(self.len);
        (start + column).min(next)
    }

    /// The human 1-based line and character column of `offset` in `text`.
    pub fn line_column(&self, text: &str, offset: u32) -> LineColumn {
        let offset = floor_char_boundary(text, offset.min(self.len) as usize) as u32;
        let (line, _) = self.line_col_utf8(offset);
        let start =
            self.line_starts[line as usize].max(if line == 0 { content_start(text) } else { 0 });
        let column = text
            .get(start.min(offset) as usize..offset as usize)
            .map_or(0, |s| s.chars().count());
        LineColumn {
            line: line + 1,
            column: column as u32 + 1,
        }
    }
}

/// The largest char boundary of `text` not after `offset`.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_handles_every_line_ending() {
        let text = "a\r\nb\rc\nd";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        assert_eq!(index.line_start(1), Some(3));
        assert_eq!(index.line_start(2), Some(5));
        assert_eq!(index.line_start(3), Some(7));
        assert_eq!(index.line_range(text, 0), Some(TextRange::new(0, 1)));
        assert_eq!(index.line_range(text, 1), Some(TextRange::new(3, 4)));
        assert_eq!(index.line_of(4), 1);
        assert_eq!(index.line_col_utf8(8), (3, 1));
        assert_eq!(index.offset_utf8(0, 99), 3);
        assert_eq!(index.offset_utf8(9, 0), 8);
    }

    #[test]
    fn human_columns_count_characters_and_skip_the_bom() {
        let text = "\u{feff}Đà Nẵng\nx";
        let index = LineIndex::new(text);
        let nang = text.find("Nẵng").unwrap() as u32;
        assert_eq!(
            index.line_column(text, nang),
            LineColumn { line: 1, column: 4 }
        );
        assert_eq!(
            index.line_column(text, 0),
            LineColumn { line: 1, column: 1 }
        );
    }

    #[test]
    fn decode_reports_problems() {
        assert_eq!(decode(b"ok", 10), Ok("ok"));
        assert_eq!(
            decode(b"a\xffb", 10),
            Err(DecodeProblem::InvalidUtf8 { offset: 1 })
        );
        assert_eq!(
            decode(b"a\0b", 10),
            Err(DecodeProblem::Binary { offset: 1 })
        );
        assert_eq!(
            decode(b"abc", 2),
            Err(DecodeProblem::TooLarge { size: 3, limit: 2 })
        );
        assert_eq!(decode("\u{feff}x".as_bytes(), 10), Ok("\u{feff}x"));
    }
}
