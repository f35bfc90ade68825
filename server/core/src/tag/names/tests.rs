//! Unit tests of the person and organisation rules, per language and rule, with one `check`.

use expect_test::{Expect, expect};

use super::*;

/// Tags `text` after the date tagger, with the localities given as `[[...]]` in the text (the
/// brackets are removed), and renders `LABEL "text" norm` per span.
fn check(marked: &str, expected: Expect) {
    let mut text = String::new();
    let mut localities = Vec::new();
    let mut rest = marked;
    while let Some(open) = rest.find("[[") {
        text.push_str(&rest[..open]);
        let close = rest[open..].find("]]").expect("closing ]]") + open;
        let start = text.len() as u32;
        text.push_str(&rest[open + 2..close]);
        localities.push(EntitySpan {
            range: TextRange::new(start, text.len() as u32),
            label: EntityLabel::Loc,
            norm: None,
        });
        rest = &rest[close + 2..];
    }
    text.push_str(rest);
    let config = TaggingConfig::default();
    let mut earlier = crate::tag::temporal::tag_temporal(&text, &config);
    earlier.extend(localities);
    let mut spans = tag_names(&text, &earlier, &config);
    spans.sort_by_key(|s| (s.range.start, std::cmp::Reverse(s.range.end)));
    let out: String = spans
        .iter()
        .map(|s| {
            format!(
                "{} {:?} {}\n",
                s.label.as_str(),
                &text[s.range.to_usize()],
                s.norm.as_deref().unwrap_or("-")
            )
        })
        .collect();
    expected.assert_eq(&out);
}

// ----- English -----

#[test]
fn english_titles_and_short_mentions() {
    check(
        "Da Nang People’s Committee Chairman Huynh Duc Tho met Mayor Kwon Young Jin.\n\
         Mayor Kwon (left) and Chairman Tho. Tho said Kwon agreed. The [[Tien Tho]] commune.",
        expect![[r#"
            ORG "Da Nang People’s Committee" da-nang-peoples-committee
            PER "Huynh Duc Tho" huynh-duc-tho
            PER "Kwon Young Jin" kwon-young-jin
            PER "Kwon" kwon-young-jin
            PER "Tho" huynh-duc-tho
            PER "Tho" huynh-duc-tho
            PER "Kwon" kwon-young-jin
        "#]],
    );
}

#[test]
fn english_title_chains_and_appositions() {
    check(
        "Mr. Mayor Kwak Sang Wook, and Mr Le Tri Thanh - Chairman of the Provincial People's \
         Committee, met Deputy Prime Minister Vu Duc Dam.",
        expect![[r#"
            PER "Kwak Sang Wook" kwak-sang-wook
            PER "Le Tri Thanh" le-tri-thanh
            ORG "Provincial People's Committee" provincial-peoples-committee
            PER "Vu Duc Dam" vu-duc-dam
        "#]],
    );
}

#[test]
fn english_organisations_with_heads_nesting_and_acronyms() {
    check(
        "On September 17th, PPC met. The Daegu Skilled Technicians’ Association and the \
         [[Viet Nam]]-[[Laos]] Friendship Association visited the Laotian Consulate General in \
         [[Da Nang]] and the University of [[Hue]]. Later the Provincial People's Committee met.",
        expect![[r#"
            ORG "PPC" provincial-peoples-committee
            ORG "Daegu Skilled Technicians’ Association" daegu-skilled-technicians-association
            ORG "Viet Nam-Laos Friendship Association" viet-nam-laos-friendship-association
            ORG "Laotian Consulate General in Da Nang" laotian-consulate-general-in-da-nang
            ORG "University of Hue" university-of-hue
            ORG "Provincial People's Committee" provincial-peoples-committee
        "#]],
    );
}

#[test]
fn english_masthead_is_an_organisation() {
    check(
        "Title\n\nDA NANG Today\nPublished: October 17, 2016\n",
        expect![[r#"
            ORG "DA NANG Today" da-nang-today
        "#]],
    );
}

#[test]
fn generic_descriptions_are_not_organisations() {
    check(
        "The Korean government, the Committee, the associations for promoting friendship, \
         the 33rd Anniversary of Osan City Citizens' Day, ODA and ICT.",
        expect![""],
    );
}

// ----- Vietnamese -----

#[test]
fn vietnamese_organisations() {
    check(
        "ngay tại Trung tâm Hỗ trợ Du khách [[Đà Nẵng]]. Hội đàm với Ủy ban Nhân dân \
         [[Thành phố Hồ Chí Minh]] để thảo luận, tại Trường Đại học Quốc tế Hồng Bàng nhằm, \
         Bộ Ngoại giao đã họp, UBND tỉnh [[Quảng Nam]] và các trường đại học, trung tâm kinh tế.",
        expect![[r#"
            ORG "Trung tâm Hỗ trợ Du khách Đà Nẵng" trung-tam-ho-tro-du-khach-da-nang
            ORG "Ủy ban Nhân dân Thành phố Hồ Chí Minh" uy-ban-nhan-dan-thanh-pho-ho-chi-minh
            ORG "Trường Đại học Quốc tế Hồng Bàng" truong-dai-hoc-quoc-te-hong-bang
            ORG "Bộ Ngoại giao" bo-ngoai-giao
            ORG "UBND tỉnh Quảng Nam" ubnd-tinh-quang-nam
        "#]],
    );
}

#[test]
fn vietnamese_titles_and_name_shapes() {
    check(
        "Đoàn do Quyền Thị trưởng Kim Jung-ki dẫn đầu. Phó Phó Thủ tướng Vũ Đức Đam phát biểu. \
         Ông khẳng định. Bà Nguyễn Thị Hoa và Trần Văn Nam đến [[Thành phố Hồ Chí Minh]]. \
         Tại Thành phố Hồ Chí Minh, ông Kim Jung-ki nói.",
        expect![[r#"
            PER "Kim Jung-ki" kim-jung-ki
            PER "Vũ Đức Đam" vu-duc-dam
            PER "Nguyễn Thị Hoa" nguyen-thi-hoa
            PER "Trần Văn Nam" tran-van-nam
            PER "Kim Jung-ki" kim-jung-ki
        "#]],
    );
}

// ----- Polish -----

#[test]
fn polish_titles_organisations_and_appositions() {
    check(
        "Przewodniczący Miejskiego Komitetu Ludowego Nguyen Van Phuong potwierdził. \
         Gubernator [[Chungcheongnam]], Kim Tae Heum, podziękował. Władze miasta [[Hue]]. POKÓJ",
        expect![[r#"
            ORG "Miejskiego Komitetu Ludowego" miejskiego-komitetu-ludowego
            PER "Nguyen Van Phuong" nguyen-van-phuong
            PER "Kim Tae Heum" kim-tae-heum
        "#]],
    );
}

#[test]
fn polish_apposition_without_a_locality_span() {
    check(
        "Gubernator Chungcheongnam, Kim Tae Heum, podziękował.",
        expect![[r#"
            PER "Kim Tae Heum" kim-tae-heum
        "#]],
    );
}

// ----- Korean -----

#[test]
fn korean_organisations_in_hangul() {
    check(
        "대구시청 관계자와 관광 협회 회장이 만났다.",
        expect![[r#"
            ORG "대구시청" 대구시청
            ORG "관광 협회" 관광-협회
        "#]],
    );
}

// ----- Hostile text -----

#[test]
fn urls_and_places_named_after_people_are_not_names() {
    check(
        "Source: https://huengaynay.vn/Nguyen-Van-Phuong/Trung-tam-Ho-tro.html and \
         Ho Chi Minh City, In Da Nang, Quang Nam province.",
        expect![""],
    );
}

proptest::proptest! {
    /// The taggers never fail on bad text: any mix of digits, separators, titles, heads, case
    /// and scripts yields spans on character boundaries, in order, inside the text.
    #[test]
    fn taggers_never_panic_and_return_valid_ranges(
        pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "Chairman ", "Mr.", " Kim", " Jung-ki", " Tho", "Nguyễn ", "Văn ", "Ủy ban Nhân dân ",
                "Trung tâm ", "Association", " Committee", "PPC", "(", ")", " 2016", "17", "-", "–",
                "/", ".", ",", " ", "\n", "ngày ", "tháng ", "năm ", "October ", "the past ", "5 ",
                "years", "년", "월", "일", "stycznia ", "r.", "https://", "Đà Nẵng", "’s ", "é", "😀",
                "Komitetu ", "Miejskiego ", "Gubernator ", "the same year", "1930 - ", "to ",
            ]),
            0..40,
        )
    ) {
        let text: String = pieces.concat();
        let config = TaggingConfig::default();
        let dates = crate::tag::temporal::tag_temporal(&text, &config);
        let names = tag_names(&text, &dates, &config);
        for span in dates.iter().chain(&names) {
            proptest::prop_assert!(span.range.start < span.range.end);
            proptest::prop_assert!(span.range.end as usize <= text.len());
            proptest::prop_assert!(text.is_char_boundary(span.range.start as usize));
            proptest::prop_assert!(text.is_char_boundary(span.range.end as usize));
        }
    }
}
