//! Tests of the entity index over real tagger output.

use super::*;
use crate::tag::{TaggingConfig, tag_document};

fn indexed(documents: &[(&str, &str)]) -> EntityIndex {
    let mut index = EntityIndex::new();
    for (key, text) in documents {
        let tags = tag_document(text, &TaggingConfig::default());
        index.set_document(key, text, &tags.spans);
    }
    index
}

fn loc_at<'a>(index: &'a EntityIndex, key: &str, text: &str, needle: &str) -> &'a Mention {
    let offset = text.find(needle).unwrap() as u32;
    index
        .mention_at(key, offset)
        .filter(|m| m.entity.label == EntityLabel::Loc)
        .unwrap_or_else(|| {
            panic!(
                "no locality at {needle:?} in {key}: {:#?}",
                index.mentions(key)
            )
        })
}

const EN: &str = "Da Nang signed an agreement with Daegu in October 2016.";
const VI: &str = "Thành phố Đà Nẵng và thành phố Daegu đã ký kết hợp tác.";

#[test]
fn the_same_locality_is_one_entity_across_languages() {
    let index = indexed(&[("en.txt", EN), ("vi.txt", VI)]);
    let english = loc_at(&index, "en.txt", EN, "Da Nang").entity.clone();
    let vietnamese = loc_at(&index, "vi.txt", VI, "Đà Nẵng").entity.clone();
    assert_eq!(english, vietnamese);
    let references = index.references(&english);
    let documents: Vec<&str> = references.iter().map(|r| r.document.as_str()).collect();
    assert_eq!(documents, ["en.txt", "vi.txt"]);
    assert_eq!(
        &VI[references[1].range.to_usize()],
        "Đà Nẵng",
        "the reference points at the Vietnamese spelling"
    );
    let stats = index.stats(&english);
    assert_eq!((stats.mentions, stats.documents), (2, 2));
    assert_eq!(index.first_mention(&english).unwrap().document, "en.txt");
}

#[test]
fn search_is_diacritic_insensitive_and_updates_incrementally() {
    let mut index = indexed(&[("en.txt", EN), ("vi.txt", VI)]);
    let found = index.search("da nang", 10);
    assert!(
        found
            .iter()
            .any(|(entity, _, _)| entity.label == EntityLabel::Loc),
        "{found:#?}"
    );
    let entity = loc_at(&index, "en.txt", EN, "Da Nang").entity.clone();
    index.remove_document("en.txt");
    assert_eq!(index.first_mention(&entity).unwrap().document, "vi.txt");
    index.set_document("vi.txt", "Nothing here.", &[]);
    assert!(index.references(&entity).is_empty());
    assert!(index.search("da nang", 10).is_empty());
}
