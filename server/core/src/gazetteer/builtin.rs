//! Decoding of the embedded gazetteer (`data/gazetteer.tsv.zlib`, written by
//! `tools/gazetteer/generate.py`): zlib-inflated with the pure-Rust `miniz_oxide`, then one
//! tab-separated entry per line.

use super::{Coordinates, Place, PlaceKind, PlaceName};

/// The compressed built-in data.
static BUILTIN_DATA: &[u8] = include_bytes!("data/gazetteer.tsv.zlib");

/// Single-word place names that are also frequent common words (`Mission`, `Tam`), one per line.
pub static COMMON_WORDS: &str = include_str!("data/common-words.txt");

/// The column order the generator writes (and its header line).
const FIELDS: [&str; 13] = [
    "id",
    "geonameid",
    "kind",
    "country",
    "parent",
    "lat",
    "lon",
    "population",
    "valid_from",
    "valid_to",
    "successor",
    "names",
    "forms",
];

/// Decodes the embedded data. The data is generated and committed, so a failure here is a bug
/// in the build, caught by the unit tests; malformed lines are skipped rather than panicking.
pub fn decode_builtin() -> Vec<Place> {
    let bytes = miniz_oxide::inflate::decompress_to_vec_zlib(BUILTIN_DATA)
        .expect("the embedded gazetteer is valid zlib data");
    let text = std::str::from_utf8(&bytes).expect("the embedded gazetteer is UTF-8");
    parse_tsv(text)
}

/// Parses the generator's TSV (header line first). Lines with a wrong column count or an
/// unknown kind are skipped.
pub fn parse_tsv(text: &str) -> Vec<Place> {
    let mut lines = text.lines();
    let header_matches = lines
        .next()
        .is_some_and(|header| header.split('\t').eq(FIELDS.iter().copied()));
    if !header_matches {
        return Vec::new();
    }
    lines.filter_map(parse_line).collect()
}

fn parse_line(line: &str) -> Option<Place> {
    let columns: Vec<&str> = line.split('\t').collect();
    let [
        id,
        geonameid,
        kind,
        country,
        parent,
        lat,
        lon,
        population,
        valid_from,
        valid_to,
        successor,
        names,
        forms,
    ] = columns[..]
    else {
        return None;
    };
    let optional = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    let coordinates = match (lat.parse(), lon.parse()) {
        (Ok(lat), Ok(lon)) => Some(Coordinates { lat, lon }),
        _ => None,
    };
    Some(Place {
        id: id.to_owned(),
        geonameid: geonameid.parse().ok(),
        kind: PlaceKind::parse(kind)?,
        country: country.to_owned(),
        parent: optional(parent),
        coordinates,
        population: population.parse().ok(),
        valid_from: optional(valid_from),
        valid_to: optional(valid_to),
        successor: optional(successor),
        names: parse_names(names),
        forms: parse_names(forms),
    })
}

/// `lang:name|lang:name`; the language tag never contains a colon, the name may.
fn parse_names(field: &str) -> Vec<PlaceName> {
    field
        .split('|')
        .filter(|item| !item.is_empty())
        .filter_map(|item| {
            let (lang, name) = item.split_once(':')?;
            Some(PlaceName {
                lang: lang.to_owned(),
                name: name.to_owned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lines_and_skips_malformed_ones() {
        let header = FIELDS.join("\t");
        let text = format!(
            "{header}\nVN:tam-ky\t1567148\tcity\tVN\tVN:quang-nam\t15.5736\t108.4740\t165240\t\t\t\ten:Tam Kỳ|:Tam Ky|ja:タムキー\t\n\
             broken line\n\
             X:y\t\tvillage\tVN\t\t\t\t\t\t\t\ten:Y\t\n"
        );
        let places = parse_tsv(&text);
        assert_eq!(places.len(), 1);
        let tam_ky = &places[0];
        assert_eq!(tam_ky.geonameid, Some(1567148));
        assert_eq!(tam_ky.parent.as_deref(), Some("VN:quang-nam"));
        assert_eq!(tam_ky.names[1].lang, "");
        assert_eq!(tam_ky.names[2].name, "タムキー");
        assert_eq!(tam_ky.coordinates.unwrap().lat, 15.5736);
    }

    #[test]
    fn wrong_header_yields_nothing() {
        assert!(parse_tsv("id\tname\nVN\tViet Nam\n").is_empty());
    }
}
