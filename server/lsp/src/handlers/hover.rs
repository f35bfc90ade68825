//! `textDocument/hover`: what an entity is and how often the corpus mentions it.
//!
//! For a locality: canonical name, kind, parent and country, names in other languages, validity
//! and successor, coordinates (from the gazetteer); for every entity: its normalised value and
//! the number of mentions in how many documents, with the top documents. For a date: the
//! weekday, the granularity and how the value was resolved (from the document creation time, or
//! left underspecified).

use std::fmt::Write;
use std::sync::Arc;

use gazette_core::tag::EntityLabel;
use gazette_core::tag::temporal::{DctSource, Resolution, analyse_temporal};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    Hover, HoverContents, HoverParams, MarkupContent, MarkupKind, Range, Uri,
};

use gazette_core::gazetteer::{Gazetteer, Place};

use crate::entities::{display_name, entity_at, short_name};
use crate::session::Session;
use crate::user_gazetteer::UserGazetteer;

/// Handles the request.
pub async fn handle(session: &Arc<Session>, params: HoverParams) -> Result<Option<Hover>> {
    let position = params.text_document_position_params;
    let Some((entity, range)) =
        entity_at(session, &position.text_document.uri, position.position).await
    else {
        return Ok(None);
    };
    let temporal = match entity.label {
        EntityLabel::Date | EntityLabel::Duration => {
            temporal_facts(session, &position.text_document.uri, range)
        }
        _ => None,
    };
    let entities = session.entities();
    let stats = entities.index.stats(&entity);
    let mut text = String::new();
    let label = match entity.label {
        EntityLabel::Loc => "locality",
        EntityLabel::Per => "person",
        EntityLabel::Org => "organisation",
        EntityLabel::Date => "date",
        EntityLabel::Duration => "duration",
    };
    let _ = writeln!(text, "**{}** — {label}", display_name(&entities, &entity));
    let _ = writeln!(text, "\n`{}`", entity.norm);
    if let Some(facts) = temporal {
        let _ = writeln!(text, "\n{facts}");
    }
    if entity.label == EntityLabel::Loc {
        let places = Places::of(session, &position.text_document.uri);
        if let Some((place, defined_in)) = places.get(&entity.norm) {
            place_facts(&mut text, &places, place, defined_in.as_deref());
        }
    }
    let _ = writeln!(
        text,
        "\n{} mention{} in {} document{}",
        stats.mentions,
        if stats.mentions == 1 { "" } else { "s" },
        stats.documents,
        if stats.documents == 1 { "" } else { "s" }
    );
    for (document, count) in &stats.top_documents {
        let _ = writeln!(text, "- {} ({count})", short_name(document));
    }
    if stats.surfaces.len() > 1 {
        let forms: Vec<&str> = stats
            .surfaces
            .iter()
            .take(8)
            .map(|(s, _)| s.as_str())
            .collect();
        let _ = writeln!(text, "\nWritten as: {}", forms.join(", "));
    }
    Ok(Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: Some(range),
    }))
}

/// Where a hover looks places up: the user gazetteers of the document's roots (own root first),
/// then the built-in gazetteer, so that a commune the user added (Tam Ngọc) gets the same facts
/// as a built-in city, and a user entry replacing a built-in one wins.
struct Places {
    user: Vec<Arc<UserGazetteer>>,
}

impl Places {
    fn of(session: &Session, uri: &Uri) -> Places {
        Places {
            user: session.state().user_gazetteers_for(uri),
        }
    }

    /// The place with this id, and the user file defining it (`None` for a built-in place).
    fn get(&self, id: &str) -> Option<(&Place, Option<String>)> {
        self.user
            .iter()
            .find_map(|gazetteer| {
                let place = gazetteer.place(id)?;
                Some((place, Some(gazetteer.file_name())))
            })
            .or_else(|| Gazetteer::builtin().get(id).map(|place| (place, None)))
    }

    /// The canonical name of the place with this id, or the id when nobody defines it.
    fn name(&self, id: &str) -> String {
        self.get(id).map_or_else(
            || id.to_owned(),
            |(place, _)| place.canonical_name().to_owned(),
        )
    }
}

/// Kind, parent, country, other names, validity, coordinates and (for a user entry) the file.
fn place_facts(text: &mut String, places: &Places, place: &Place, defined_in: Option<&str>) {
    let mut facts = vec![place.kind.as_str().to_owned()];
    if let Some(parent) = place.parent.as_deref() {
        facts.push(format!("in {}", places.name(parent)));
    }
    if !place.country.is_empty() {
        facts.push(format!("country {}", place.country));
    }
    let _ = writeln!(text, "\n{}", facts.join(", "));
    let names: Vec<String> = place
        .names
        .iter()
        .skip(1)
        .filter(|n| !n.lang.is_empty())
        .take(8)
        .map(|n| format!("{} ({})", n.name, n.lang))
        .collect();
    if !names.is_empty() {
        let _ = writeln!(text, "\nAlso: {}", names.join(", "));
    }
    if place.valid_from.is_some() || place.valid_to.is_some() {
        let _ = write!(
            text,
            "\nValid {} – {}",
            place.valid_from.as_deref().unwrap_or("…"),
            place.valid_to.as_deref().unwrap_or("…")
        );
        if let Some(successor) = place.successor.as_deref() {
            let _ = write!(text, ", succeeded by {}", places.name(successor));
        }
        text.push('\n');
    }
    if let Some(coordinates) = place.coordinates {
        let _ = writeln!(text, "\n{:.4}, {:.4}", coordinates.lat, coordinates.lon);
    }
    if let Some(file) = defined_in {
        let _ = writeln!(text, "\nDefined in your gazetteer `{file}`");
    }
}

/// The date facts of the temporal mention at `range`: weekday, granularity, resolution and the
/// document creation time it was resolved against. Computed on the document's current text with
/// its tagging settings (a per-path `document-dates` entry included).
fn temporal_facts(session: &Session, uri: &Uri, range: Range) -> Option<String> {
    let (document, rope) = session.current_text(&crate::state::document_key(uri))?;
    let (offset, config) = {
        let state = session.state();
        let offset = crate::convert::position_to_offset(&rope, range.start, state.encoding);
        (offset, state.tagging_config(&document))
    };
    let text = rope.to_string();
    let analysis = analyse_temporal(&text, &config);
    let mention = analysis.mention_at(offset as u32)?;
    let mut facts = vec![format!("Granularity: {}", mention.granularity.as_str())];
    if let Some(weekday) = mention.weekday() {
        facts.push(format!("Weekday: {}", weekday.as_str()));
    }
    let mut resolved = format!("Resolved: {}", mention.resolution.describe());
    if mention.resolution == Resolution::FromDct
        && let Some(dct) = analysis.dct
    {
        let source = match dct.source {
            DctSource::Config => "from gazette.toml",
            DctSource::Document => "stated in the document",
        };
        resolved.push_str(&format!(" ({}, {source})", dct.date.timex()));
    }
    facts.push(resolved);
    Some(facts.join("  \n"))
}
