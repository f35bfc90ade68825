//! The one place where LSP positions meet byte offsets: encoding negotiation and conversions.
//!
//! The core speaks byte offsets into a document's text. The protocol speaks (line, column) pairs
//! whose column unit is negotiated at initialization: UTF-8 bytes, UTF-16 code units or Unicode
//! code points. Every conversion between the two goes through this module so that encoding bugs
//! live in one file. Lines end at LF, CR or CRLF, exactly as LSP defines them (ropey is built
//! with `cr_lines` only, so U+2028 or form feeds are not line breaks here).
//!
//! Conversions never fail: positions past the end of a line clamp to the end of that line, lines
//! past the end of the document clamp to the end of the document, and a column that falls inside
//! a character (a UTF-16 column between the two halves of a surrogate pair, a UTF-8 column inside
//! a multi-byte character) rounds down to the start of that character. The specification asks
//! servers to be lenient in exactly this way.

use gazette_core::diagnostic::Severity;
use gazette_core::text::TextRange;
use ropey::Rope;
use tower_lsp_server::ls_types::{
    self as lsp, ClientCapabilities, CodeDescription, DiagnosticRelatedInformation,
    DiagnosticSeverity, Location, NumberOrString, Position, PositionEncodingKind, Range,
    TextDocumentContentChangeEvent, Uri,
};

/// The unit of the `character` field of LSP positions, agreed with the client.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum PositionEncoding {
    /// Columns count UTF-8 bytes: no conversion at all, preferred when the client offers it.
    Utf8,
    /// Columns count UTF-16 code units: the protocol default that every client supports.
    #[default]
    Utf16,
    /// Columns count Unicode code points.
    Utf32,
}

impl PositionEncoding {
    /// Picks the encoding from the client's `general.positionEncodings`: UTF-8 whenever it is
    /// offered (it costs nothing to convert), otherwise the client's first supported choice,
    /// otherwise UTF-16, which the specification makes mandatory.
    pub fn negotiate(capabilities: &ClientCapabilities) -> PositionEncoding {
        let offered: Vec<PositionEncoding> = capabilities
            .general
            .as_ref()
            .and_then(|general| general.position_encodings.as_ref())
            .map(|kinds| {
                kinds
                    .iter()
                    .filter_map(PositionEncoding::from_kind)
                    .collect()
            })
            .unwrap_or_default();
        if offered.contains(&PositionEncoding::Utf8) {
            return PositionEncoding::Utf8;
        }
        offered.first().copied().unwrap_or(PositionEncoding::Utf16)
    }

    fn from_kind(kind: &PositionEncodingKind) -> Option<PositionEncoding> {
        match kind.as_str() {
            "utf-8" => Some(PositionEncoding::Utf8),
            "utf-16" => Some(PositionEncoding::Utf16),
            "utf-32" => Some(PositionEncoding::Utf32),
            _ => None,
        }
    }

    /// The protocol name of the encoding, as announced in the server capabilities.
    pub fn to_kind(self) -> PositionEncodingKind {
        match self {
            PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
            PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
            PositionEncoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }
}

/// Length in bytes of the line break that ends `line` (0 for the last line).
fn line_break_len(rope: &Rope, line: usize) -> usize {
    let slice = rope.line(line);
    let len = slice.len_bytes();
    if len == 0 {
        return 0;
    }
    match slice.byte(len - 1) {
        b'\n' if len >= 2 && slice.byte(len - 2) == b'\r' => 2,
        b'\n' | b'\r' => 1,
        _ => 0,
    }
}

/// Converts a byte offset into an LSP position. Offsets past the end clamp to the end; offsets
/// inside a character round down to its start.
pub fn offset_to_position(rope: &Rope, offset: usize, encoding: PositionEncoding) -> Position {
    let offset = offset.min(rope.len_bytes());
    let line = rope.byte_to_line(offset);
    let line_start_byte = rope.line_to_byte(line);
    let character = match encoding {
        PositionEncoding::Utf8 => {
            // Round down to a character boundary so that UTF-8 columns are always valid too.
            let char_index = rope.byte_to_char(offset);
            rope.char_to_byte(char_index) - line_start_byte
        }
        PositionEncoding::Utf16 => {
            let char_index = rope.byte_to_char(offset);
            let line_start_char = rope.line_to_char(line);
            rope.char_to_utf16_cu(char_index) - rope.char_to_utf16_cu(line_start_char)
        }
        PositionEncoding::Utf32 => rope.byte_to_char(offset) - rope.line_to_char(line),
    };
    Position::new(saturating_u32(line), saturating_u32(character))
}

/// Converts an LSP position into a byte offset on a character boundary, clamping as the module
/// documentation describes.
pub fn position_to_offset(rope: &Rope, position: Position, encoding: PositionEncoding) -> usize {
    let line = position.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let line_start_byte = rope.line_to_byte(line);
    let line_end_byte = line_start_byte + rope.line(line).len_bytes() - line_break_len(rope, line);
    let column = position.character as usize;
    let offset = match encoding {
        PositionEncoding::Utf8 => {
            let byte = (line_start_byte + column).min(line_end_byte);
            rope.char_to_byte(rope.byte_to_char(byte))
        }
        PositionEncoding::Utf16 => {
            let line_start_char = rope.line_to_char(line);
            let line_end_utf16 = rope.char_to_utf16_cu(rope.byte_to_char(line_end_byte));
            let unit = (rope.char_to_utf16_cu(line_start_char) + column).min(line_end_utf16);
            rope.char_to_byte(rope.utf16_cu_to_char(unit))
        }
        PositionEncoding::Utf32 => {
            let line_end_char = rope.byte_to_char(line_end_byte);
            let char_index = (rope.line_to_char(line) + column).min(line_end_char);
            rope.char_to_byte(char_index)
        }
    };
    offset.min(line_end_byte)
}

/// Converts a core byte range into an LSP range.
pub fn range_to_lsp(rope: &Rope, range: TextRange, encoding: PositionEncoding) -> Range {
    Range::new(
        offset_to_position(rope, range.start as usize, encoding),
        offset_to_position(rope, range.end as usize, encoding),
    )
}

/// Converts an LSP range into a byte range; a range whose end comes before its start is read
/// with its ends swapped rather than rejected.
pub fn range_from_lsp(rope: &Rope, range: Range, encoding: PositionEncoding) -> TextRange {
    let start = position_to_offset(rope, range.start, encoding);
    let end = position_to_offset(rope, range.end, encoding);
    TextRange::new(
        saturating_u32(start.min(end)),
        saturating_u32(start.max(end)),
    )
}

/// Applies one `didChange` content change: a whole-text replacement when it has no range, an
/// incremental edit otherwise.
pub fn apply_change(
    rope: &mut Rope,
    change: &TextDocumentContentChangeEvent,
    encoding: PositionEncoding,
) {
    let Some(range) = change.range else {
        *rope = Rope::from_str(&change.text);
        return;
    };
    let byte_range = range_from_lsp(rope, range, encoding);
    let start_char = rope.byte_to_char(byte_range.start as usize);
    let end_char = rope.byte_to_char(byte_range.end as usize);
    rope.remove(start_char..end_char);
    rope.insert(start_char, &change.text);
}

/// Where a rule's documentation lives: the same page `gazette check` links to in SARIF.
pub fn rule_docs_url(code: &str) -> Option<Uri> {
    gazette_core::registry::rule(code)?.help_uri().parse().ok()
}

/// Converts a core severity into the LSP one.
pub fn severity_to_lsp(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Hint => DiagnosticSeverity::HINT,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Error => DiagnosticSeverity::ERROR,
    }
}

/// Converts a core finding into an LSP diagnostic. `text` is the text the finding's ranges refer
/// to; `text_of` gives the URI and the analysed text of other documents, for related locations
/// (a location in a document the server no longer knows is dropped rather than guessed).
pub fn diagnostic_to_lsp(
    diagnostic: &gazette_core::diagnostic::Diagnostic,
    text: &TextView,
    encoding: PositionEncoding,
    text_of: &dyn Fn(&str) -> Option<(Uri, TextView)>,
) -> lsp::Diagnostic {
    let related_information: Vec<DiagnosticRelatedInformation> = diagnostic
        .related
        .iter()
        .filter_map(|related| {
            let (uri, related_text) = text_of(&related.document)?;
            Some(DiagnosticRelatedInformation {
                location: Location::new(uri, related_text.range_to_lsp(related.range, encoding)),
                message: related.message.clone(),
            })
        })
        .collect();
    lsp::Diagnostic {
        range: text.range_to_lsp(diagnostic.range, encoding),
        severity: Some(severity_to_lsp(diagnostic.severity)),
        code: Some(NumberOrString::String(diagnostic.code.to_owned())),
        code_description: rule_docs_url(diagnostic.code).map(|href| CodeDescription { href }),
        source: Some("gazette".to_owned()),
        message: diagnostic.message.clone(),
        related_information: (!related_information.is_empty()).then_some(related_information),
        tags: None,
        data: Some(serde_json::json!({ "rule": diagnostic.rule })),
    }
}

/// The LSP positions of a few byte offsets of a text, computed in one pass so that the text need
/// not be kept: a closed document is remembered by the positions of its paragraph boundaries
/// (every range the duplicate rules report or edit starts and ends on one), a few bytes per
/// paragraph instead of the whole text.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct BoundaryPositions {
    /// `[offset, line, character]`, sorted by offset, offsets unique.
    entries: Vec<[u32; 3]>,
    encoding: PositionEncoding,
}

impl BoundaryPositions {
    /// The positions of `offsets` in `text`, exactly as [`offset_to_position`] computes them on
    /// a rope of the same text (offsets past the end clamp, offsets inside a character round
    /// down to its start).
    pub fn new(
        text: &str,
        offsets: impl IntoIterator<Item = u32>,
        encoding: PositionEncoding,
    ) -> BoundaryPositions {
        let mut offsets: Vec<u32> = offsets.into_iter().collect();
        offsets.sort_unstable();
        offsets.dedup();
        let bytes = text.as_bytes();
        let mut entries = Vec::with_capacity(offsets.len());
        // The scan: `at` is the next byte to read, `line` and `character` describe `at`.
        let (mut at, mut line, mut character) = (0usize, 0u32, 0u32);
        for requested in offsets {
            let mut offset = (requested as usize).min(text.len());
            while !text.is_char_boundary(offset) {
                offset -= 1;
            }
            while at < offset {
                let byte = bytes[at];
                let line_break =
                    byte == b'\n' || (byte == b'\r' && bytes.get(at + 1) != Some(&b'\n'));
                if line_break {
                    line += 1;
                    character = 0;
                } else {
                    character += match encoding {
                        PositionEncoding::Utf8 => 1,
                        // Continuation bytes add nothing; a 4-byte character is a surrogate pair.
                        PositionEncoding::Utf16 if byte >= 0xF0 => 2,
                        PositionEncoding::Utf16 | PositionEncoding::Utf32 => {
                            u32::from(byte & 0xC0 != 0x80)
                        }
                    };
                }
                at += 1;
            }
            entries.push([requested, line, character]);
        }
        entries.shrink_to_fit();
        BoundaryPositions { entries, encoding }
    }

    /// The position of `offset`: exact when it is one of the offsets given to
    /// [`BoundaryPositions::new`], else the position of the closest one before it (the rules
    /// never report other offsets; this keeps a bug from becoming a panic).
    pub fn position(&self, offset: u32) -> Position {
        let index = self.entries.partition_point(|entry| entry[0] <= offset);
        match index.checked_sub(1).map(|index| self.entries[index]) {
            Some([_, line, character]) => Position::new(line, character),
            None => Position::new(0, 0),
        }
    }

    /// True when `offset` is one of the offsets the positions were computed for.
    pub fn contains(&self, offset: u32) -> bool {
        self.entries
            .binary_search_by_key(&offset, |entry| entry[0])
            .is_ok()
    }

    /// The encoding the positions count in.
    pub fn encoding(&self) -> PositionEncoding {
        self.encoding
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.entries.capacity() * std::mem::size_of::<[u32; 3]>()
    }
}

/// What a range of a document converts against: its whole text (open documents, and closed ones
/// while they are being analysed), or the positions of its paragraph boundaries (closed ones).
#[derive(Clone, Debug)]
pub enum TextView {
    /// The text.
    Text(Rope),
    /// The positions of the offsets the rules report.
    Boundaries(std::sync::Arc<BoundaryPositions>),
}

impl TextView {
    /// Converts a core byte range into an LSP range.
    pub fn range_to_lsp(&self, range: TextRange, encoding: PositionEncoding) -> Range {
        match self {
            TextView::Text(rope) => range_to_lsp(rope, range, encoding),
            TextView::Boundaries(positions) => Range::new(
                positions.position(range.start),
                positions.position(range.end),
            ),
        }
    }

    /// True when [`TextView::range_to_lsp`] converts `range` exactly.
    pub fn converts_exactly(&self, range: TextRange) -> bool {
        match self {
            TextView::Text(_) => true,
            TextView::Boundaries(positions) => {
                positions.contains(range.start) && positions.contains(range.end)
            }
        }
    }

    /// The text, when it is kept.
    pub fn text(&self) -> Option<&Rope> {
        match self {
            TextView::Text(rope) => Some(rope),
            TextView::Boundaries(_) => None,
        }
    }
}

fn saturating_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A deliberately naive model of the conversions over a `&str`, written independently of
    /// ropey, that the rope-based functions must agree with.
    fn model_position(text: &str, offset: usize, encoding: PositionEncoding) -> Position {
        let mut line = 0;
        let mut line_start = 0;
        let bytes = text.as_bytes();
        let mut index = 0;
        while index < offset {
            match bytes[index] {
                b'\r' if bytes.get(index + 1) == Some(&b'\n') && index + 1 < offset => {
                    index += 2;
                    line += 1;
                    line_start = index;
                    continue;
                }
                b'\r' if bytes.get(index + 1) == Some(&b'\n') => {
                    // Between CR and LF: still on the line that the CRLF ends.
                    break;
                }
                b'\r' | b'\n' => {
                    line += 1;
                    line_start = index + 1;
                }
                _ => {}
            }
            index += 1;
        }
        let column_text = &text[line_start..offset];
        let character = match encoding {
            PositionEncoding::Utf8 => column_text.len(),
            PositionEncoding::Utf16 => column_text.encode_utf16().count(),
            PositionEncoding::Utf32 => column_text.chars().count(),
        };
        Position::new(line as u32, character as u32)
    }

    const ENCODINGS: [PositionEncoding; 3] = [
        PositionEncoding::Utf8,
        PositionEncoding::Utf16,
        PositionEncoding::Utf32,
    ];

    /// Text made of the pieces that make position conversion hard.
    fn tricky_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("a".to_string()),
            Just("Đà Nẵng".to_string()),
            // "Đà Nẵng" in NFD: combining marks are separate code points.
            Just("D\u{31b}\u{300}a\u{300} N\u{103}\u{303}ng".to_string()),
            Just("대구".to_string()),
            Just("🇻🇳👍🏽".to_string()),
            Just("\r\n".to_string()),
            Just("\n".to_string()),
            Just("\r".to_string()),
            Just("\u{feff}".to_string()),
            Just("\u{2028}".to_string()),
            any::<char>().prop_map(String::from),
        ];
        proptest::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn offsets_round_trip_through_positions(text in tricky_text()) {
            let rope = Rope::from_str(&text);
            for (offset, _) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
                for encoding in ENCODINGS {
                    let position = offset_to_position(&rope, offset, encoding);
                    prop_assert_eq!(position, model_position(&text, offset, encoding));
                    let back = position_to_offset(&rope, position, encoding);
                    // The one position with two offsets: between CR and LF, which LSP cannot
                    // express, maps back to the end of the line's content.
                    let between_cr_lf = offset > 0
                        && text.as_bytes()[offset - 1] == b'\r'
                        && text.as_bytes().get(offset) == Some(&b'\n');
                    if between_cr_lf {
                        prop_assert_eq!(back, offset - 1);
                    } else {
                        prop_assert_eq!(back, offset);
                    }
                }
            }
        }

        #[test]
        fn boundary_positions_agree_with_the_rope(
            text in tricky_text(),
            offsets in proptest::collection::vec(0u32..200, 0..12),
        ) {
            let rope = Rope::from_str(&text);
            for encoding in ENCODINGS {
                let positions = BoundaryPositions::new(&text, offsets.iter().copied(), encoding);
                for &offset in &offsets {
                    prop_assert!(positions.contains(offset));
                    prop_assert_eq!(
                        positions.position(offset),
                        offset_to_position(&rope, offset as usize, encoding),
                        "offset {} of {:?}", offset, text
                    );
                }
            }
        }

        #[test]
        fn arbitrary_positions_land_on_char_boundaries(
            text in tricky_text(),
            line in 0u32..50,
            character in 0u32..200,
        ) {
            let rope = Rope::from_str(&text);
            for encoding in ENCODINGS {
                let offset = position_to_offset(&rope, Position::new(line, character), encoding);
                prop_assert!(offset <= text.len());
                prop_assert!(text.is_char_boundary(offset));
            }
        }

        #[test]
        fn incremental_changes_match_string_splicing(
            text in tricky_text(),
            insert in tricky_text(),
            a in 0usize..400,
            b in 0usize..400,
        ) {
            let boundaries: Vec<usize> = text
                .char_indices()
                .map(|(index, _)| index)
                .chain(std::iter::once(text.len()))
                .collect();
            let start = boundaries[a % boundaries.len()];
            let end = boundaries[b % boundaries.len()].max(start);
            for encoding in ENCODINGS {
                let mut rope = Rope::from_str(&text);
                let range = Range::new(
                    offset_to_position(&rope, start, encoding),
                    offset_to_position(&rope, end, encoding),
                );
                let change = TextDocumentContentChangeEvent {
                    range: Some(range),
                    range_length: None,
                    text: insert.clone(),
                };
                apply_change(&mut rope, &change, encoding);
                // Between CR and LF positions snap back one byte, so compute the expected text
                // from the offsets the positions really denote.
                let model = Rope::from_str(&text);
                let real_start = position_to_offset(&model, range.start, encoding);
                let real_end = position_to_offset(&model, range.end, encoding);
                let expected = format!("{}{}{}", &text[..real_start], insert, &text[real_end..]);
                prop_assert_eq!(rope.to_string(), expected);
            }
        }
    }

    #[test]
    fn columns_past_the_line_end_clamp_to_the_line_end() {
        let rope = Rope::from_str("ab\r\ncd");
        for encoding in ENCODINGS {
            assert_eq!(position_to_offset(&rope, Position::new(0, 99), encoding), 2);
            assert_eq!(position_to_offset(&rope, Position::new(7, 0), encoding), 6);
        }
    }

    #[test]
    fn a_column_inside_a_surrogate_pair_rounds_down() {
        let rope = Rope::from_str("x👍y");
        assert_eq!(
            position_to_offset(&rope, Position::new(0, 2), PositionEncoding::Utf16),
            1
        );
        assert_eq!(
            position_to_offset(&rope, Position::new(0, 3), PositionEncoding::Utf16),
            5
        );
    }

    #[test]
    fn negotiation_prefers_utf8_then_the_clients_order() {
        let with = |kinds: &[PositionEncodingKind]| {
            let capabilities = ClientCapabilities {
                general: Some(tower_lsp_server::ls_types::GeneralClientCapabilities {
                    position_encodings: Some(kinds.to_vec()),
                    ..Default::default()
                }),
                ..Default::default()
            };
            PositionEncoding::negotiate(&capabilities)
        };
        use PositionEncodingKind as K;
        assert_eq!(with(&[K::UTF16, K::UTF8]), PositionEncoding::Utf8);
        assert_eq!(with(&[K::UTF32, K::UTF16]), PositionEncoding::Utf32);
        assert_eq!(with(&[K::UTF16, K::UTF32]), PositionEncoding::Utf16);
        assert_eq!(with(&[]), PositionEncoding::Utf16);
        assert_eq!(
            PositionEncoding::negotiate(&ClientCapabilities::default()),
            PositionEncoding::Utf16
        );
    }
}
