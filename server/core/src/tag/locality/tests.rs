//! Data-driven tests of locality recognition and linking, per language: each case is a text and
//! the `surface=norm` pairs the built-in gazetteer must yield for it, in order.

use super::LocalityTagger;

fn check(text: &str, expected: &[&str]) {
    let spans = LocalityTagger::builtin().tag(text, &[]);
    let found: Vec<String> = spans
        .iter()
        .map(|s| {
            format!(
                "{}={}",
                &text[s.range.to_usize()],
                s.norm.as_deref().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(found, expected, "in {text:?}");
}

#[test]
fn english() {
    check("DA NANG Today", &["DA NANG=VN:da-nang"]);
    check(
        "a delegation from South Korea’s Daegu City",
        &["South Korea=KR", "Daegu=KR:daegu"],
    );
    check(
        "the Viet Nam-Laos Friendship Association and Da Nang-Japan ties",
        &["Viet Nam=VN", "Laos=LA", "Da Nang=VN:da-nang", "Japan=JP"],
    );
    check(
        "Russian localities, including Yaroslavl Province, and the city of Yaroslavl",
        &["Yaroslavl=RU:yaroslavskaya", "Yaroslavl=RU:yaroslavl"],
    );
    check(
        "Quang Nam province and Osan city (Korea)",
        &["Quang Nam=VN:quang-nam", "Osan=KR:osan", "Korea=KR"],
    );
}

#[test]
fn english_words_and_names_that_are_not_places() {
    // A colour, a common noun, a title before a person's name, a person's full name, acronyms.
    check("a warm hue of red; the Mission left", &[]);
    check("Chairman Tho met Huynh Duc Tho and the ODA team", &[]);
    check(
        "Mr Le Tri Thanh visited Tam Ngoc, Tam Thang and An Phu (Tam Ky city).",
        &[
            "Tam Ngoc=VN:tam-ky/tam-ngoc",
            "Tam Thang=VN:tam-ky/tam-thang",
            "An Phu=VN:tam-ky/an-phu",
            "Tam Ky=VN:tam-ky",
        ],
    );
}

#[test]
fn vietnamese() {
    // NFC and NFD spellings link to the same entry; the generic head stays out of the span.
    check("thành phố Đà Nẵng", &["Đà Nẵng=VN:da-nang"]);
    check("thành phố Đà Nẵng", &["Đà Nẵng=VN:da-nang"]);
    // An official name that includes the head keeps it.
    check(
        "Ủy ban Nhân dân Thành phố Hồ Chí Minh",
        &["Thành phố Hồ Chí Minh=VN:ho-chi-minh-city"],
    );
    // "Tại" (at) is not Thailand's Estonian name "Tai": the diacritics must agree.
    check(
        "Tại Hà Nội, khu vực Đông Nam Á",
        &["Hà Nội=VN:hanoi", "Đông Nam Á=XX:southeast-asia"],
    );
    // Old and new tone-mark placement (hoà / hòa) are the same name.
    check("tỉnh Khánh Hoà", &["Khánh Hoà=VN:khanh-hoa-province"]);
    check("tỉnh Khánh Hòa", &["Khánh Hòa=VN:khanh-hoa-province"]);
    check(
        "Việt Nam, Mỹ và Trung Quốc",
        &["Việt Nam=VN", "Mỹ=US", "Trung Quốc=CN"],
    );
}

#[test]
fn polish() {
    // Forms generated with Morfeusz (Wietnamie, Korei) and suffix rules (Da Nangu, Osanie).
    check(
        "Delegacja w Wietnamie i w Korei odwiedziła Da Nangu oraz Osanie.",
        &[
            "Wietnamie=VN",
            "Korei=KR",
            "Da Nangu=VN:da-nang",
            "Osanie=KR:osan",
        ],
    );
    // "Tam" is an adverb, not a place.
    check(
        "Tam jest miasto Hue i prowincja Chungcheongnam.",
        &["Hue=VN:hue", "Chungcheongnam=KR:chungcheongnam"],
    );
}

#[test]
fn korean_and_japanese() {
    // Names inside longer words, with and without -si / -do suffixes.
    check(
        "대구광역시와 오산시, 경기도",
        &["대구=KR:daegu", "오산=KR:osan", "경기=KR:gyeonggi"],
    );
    check("ダナンと川崎", &["ダナン=VN:da-nang", "川崎=JP:kawasaki"]);
}

#[test]
fn places_are_linked_in_the_form_they_had_on_the_document_date() {
    // Quảng Nam merged into Đà Nẵng on 2025-07-01: before, the province as it was; after, its
    // successor; without a date, the entry as written.
    let tagger = LocalityTagger::builtin();
    let text = "Quang Nam province signed the agreement with Daegu.";
    let norms = |date: Option<&str>| -> Vec<String> {
        tagger
            .tag_dated(text, &[], date)
            .into_iter()
            .filter_map(|s| s.norm)
            .collect()
    };
    assert_eq!(norms(Some("2016-10-17")), ["VN:quang-nam", "KR:daegu"]);
    assert_eq!(norms(Some("2025-06-30")), ["VN:quang-nam", "KR:daegu"]);
    assert_eq!(
        norms(Some("2026-01-05")),
        ["VN:da-nang-province", "KR:daegu"]
    );
    assert_eq!(norms(None), ["VN:quang-nam", "KR:daegu"]);
}

#[test]
fn the_document_creation_time_chooses_the_historical_form() {
    // The whole pipeline: the date comes from the document's `Published:` line.
    let check = |published: &str, expected: &str| {
        let text = format!("Published: {published}\n\nQuảng Nam province and Daegu City signed.");
        let tags = crate::tag::tag_document(&text, &crate::tag::TaggingConfig::default());
        let quang_nam = tags
            .spans
            .iter()
            .find(|s| &text[s.range.to_usize()] == "Quảng Nam")
            .and_then(|s| s.norm.clone());
        assert_eq!(
            quang_nam.as_deref(),
            Some(expected),
            "published {published}"
        );
    };
    check("October 17, 2016", "VN:quang-nam");
    check("January 5, 2026", "VN:da-nang-province");
}

#[test]
fn the_key_filter_lets_every_key_of_the_index_through() {
    // The filter in front of the name index may let a word through that names nothing, but
    // must never stop one that names something (or starts a longer name).
    let index = LocalityTagger::builtin().index();
    let mut keys = 0;
    for key in index.keys() {
        assert!(index.node(key).is_some(), "key {key:#x} filtered out");
        keys += 1;
    }
    assert_eq!(keys, index.key_count());
    // And it does reject: most words that name nothing stop at it.
    let rejected = (0..10_000)
        .map(|n| crate::gazetteer::fold::fold_word_hash(&format!("zq{n}x")))
        .filter(|&key| !index.may_contain(key))
        .count();
    assert!(rejected > 8_000, "{rejected}");
}
