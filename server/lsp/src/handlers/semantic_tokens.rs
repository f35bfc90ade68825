//! `textDocument/semanticTokens/full`, `/full/delta` and `/range`: entities coloured by kind.
//!
//! The legend uses Gazette's own token types (`locality`, `person`, `organisation`, `date`,
//! `duration`). Editors map them to standard types so that default themes colour them: the VS
//! Code extension declares each with a `superType` (namespace, function, class, number, number)
//! and the Neovim plugin links `@lsp.type.<type>` to standard groups. Mentions that cross a line
//! break are cut at the end of their first line (LSP tokens cannot span lines).

use std::sync::Arc;

use gazette_core::tag::EntityLabel;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    Range, SemanticToken, SemanticTokenType, SemanticTokens, SemanticTokensDelta,
    SemanticTokensDeltaParams, SemanticTokensEdit, SemanticTokensFullDeltaResult,
    SemanticTokensLegend, SemanticTokensParams, SemanticTokensRangeParams,
    SemanticTokensRangeResult, SemanticTokensResult,
};

use crate::convert::{self, PositionEncoding};
use crate::entities::wait_until_tagged;
use crate::session::Session;
use crate::state::document_key;

/// The token types, in legend order.
pub const TOKEN_TYPES: [&str; 5] = ["locality", "person", "organisation", "date", "duration"];

/// The legend announced in the capabilities.
pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TOKEN_TYPES
            .iter()
            .map(|name| SemanticTokenType::new(name))
            .collect(),
        token_modifiers: Vec::new(),
    }
}

fn token_type(label: EntityLabel) -> u32 {
    match label {
        EntityLabel::Loc => 0,
        EntityLabel::Per => 1,
        EntityLabel::Org => 2,
        EntityLabel::Date => 3,
        EntityLabel::Duration => 4,
    }
}

/// The tokens of a document (optionally only those in `range`), and the result id.
async fn tokens(
    session: &Arc<Session>,
    key: &str,
    range: Option<Range>,
) -> Option<(String, Vec<SemanticToken>)> {
    if !session.state().settings.semantic_tokens {
        return None;
    }
    wait_until_tagged(session, key).await;
    let encoding: PositionEncoding = session.state().encoding;
    let entities = session.entities();
    let tagged = entities.texts.get(key)?;
    let window = range.map(|range| convert::range_from_lsp(&tagged.text, range, encoding));
    let mut tokens = Vec::new();
    let (mut previous_line, mut previous_start) = (0u32, 0u32);
    let mut last_end: Option<(u32, u32)> = None;
    for mention in entities.index.mentions(key) {
        if window.is_some_and(|w| mention.range.end < w.start || mention.range.start > w.end) {
            continue;
        }
        let lsp_range = convert::range_to_lsp(&tagged.text, mention.range, encoding);
        let start = lsp_range.start;
        // Tokens may not overlap: a mention nested in an earlier one (a place inside an
        // organisation's name) is skipped; the outer entity wins.
        if last_end
            .is_some_and(|(line, character)| (start.line, start.character) < (line, character))
        {
            continue;
        }
        let end_character = if lsp_range.end.line == start.line {
            lsp_range.end.character
        } else {
            let line_end = convert::position_to_offset(
                &tagged.text,
                tower_lsp_server::ls_types::Position::new(start.line, u32::MAX),
                encoding,
            );
            convert::offset_to_position(&tagged.text, line_end, encoding).character
        };
        let length = end_character.saturating_sub(start.character);
        if length == 0 {
            continue;
        }
        let delta_line = start.line - previous_line;
        let delta_start = if delta_line == 0 {
            start.character - previous_start
        } else {
            start.character
        };
        tokens.push(SemanticToken {
            delta_line,
            delta_start,
            length,
            token_type: token_type(mention.entity.label),
            token_modifiers_bitset: 0,
        });
        previous_line = start.line;
        previous_start = start.character;
        last_end = Some((start.line, end_character));
    }
    Some((tagged.generation.to_string(), tokens))
}

/// `textDocument/semanticTokens/full`.
pub async fn full(
    session: &Arc<Session>,
    params: SemanticTokensParams,
) -> Result<Option<SemanticTokensResult>> {
    let key = document_key(&params.text_document.uri);
    let Some((result_id, data)) = tokens(session, &key, None).await else {
        return Ok(None);
    };
    session
        .semantic_tokens_cache()
        .insert(key, (result_id.clone(), data.clone()));
    Ok(Some(SemanticTokensResult::Tokens(SemanticTokens {
        result_id: Some(result_id),
        data,
    })))
}

/// `textDocument/semanticTokens/full/delta`: one edit replacing the part of the token array
/// that changed since `previousResultId` (whole tokens: the common prefix and suffix are kept).
pub async fn full_delta(
    session: &Arc<Session>,
    params: SemanticTokensDeltaParams,
) -> Result<Option<SemanticTokensFullDeltaResult>> {
    let key = document_key(&params.text_document.uri);
    let Some((result_id, data)) = tokens(session, &key, None).await else {
        return Ok(None);
    };
    let previous = session
        .semantic_tokens_cache()
        .insert(key, (result_id.clone(), data.clone()));
    let Some((previous_id, previous_data)) =
        previous.filter(|(id, _)| *id == params.previous_result_id)
    else {
        return Ok(Some(SemanticTokensFullDeltaResult::Tokens(
            SemanticTokens {
                result_id: Some(result_id),
                data,
            },
        )));
    };
    let _ = previous_id;
    let prefix = previous_data
        .iter()
        .zip(&data)
        .take_while(|(a, b)| a == b)
        .count();
    let suffix = previous_data[prefix..]
        .iter()
        .rev()
        .zip(data[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let edits = if prefix == previous_data.len() && prefix == data.len() {
        Vec::new()
    } else {
        vec![SemanticTokensEdit {
            // Positions count integers: five per token.
            start: (prefix * 5) as u32,
            delete_count: ((previous_data.len() - prefix - suffix) * 5) as u32,
            data: Some(data[prefix..data.len() - suffix].to_vec()),
        }]
    };
    Ok(Some(SemanticTokensFullDeltaResult::TokensDelta(
        SemanticTokensDelta {
            result_id: Some(result_id),
            edits,
        },
    )))
}

/// `textDocument/semanticTokens/range`.
pub async fn range(
    session: &Arc<Session>,
    params: SemanticTokensRangeParams,
) -> Result<Option<SemanticTokensRangeResult>> {
    let key = document_key(&params.text_document.uri);
    let Some((result_id, data)) = tokens(session, &key, Some(params.range)).await else {
        return Ok(None);
    };
    Ok(Some(SemanticTokensRangeResult::Tokens(SemanticTokens {
        result_id: Some(result_id),
        data,
    })))
}
