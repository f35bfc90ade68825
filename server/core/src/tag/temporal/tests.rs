//! Unit tests of the date grammar, per language and rule, with one `check` helper.

use expect_test::{Expect, expect};

use super::*;

/// Renders every mention as `KIND "text" value (resolution)`, one per line, plus the DCT.
fn check(text: &str, expected: Expect) {
    check_with(text, &TaggingConfig::default(), expected);
}

fn check_with(text: &str, config: &TaggingConfig, expected: Expect) {
    let analysis = analyse_temporal(text, config);
    let mut out = String::new();
    if let Some(dct) = analysis.dct {
        out.push_str(&format!("dct {} ({:?})\n", dct.date.timex(), dct.source));
    }
    for m in &analysis.mentions {
        let kind = match m.kind {
            TemporalKind::Date => "DATE",
            TemporalKind::Duration => "DURATION",
        };
        out.push_str(&format!(
            "{kind} {:?} {} {}",
            &text[m.range.to_usize()],
            m.value,
            m.granularity.as_str()
        ));
        if m.resolution != Resolution::Explicit {
            out.push_str(&format!(" ({:?})", m.resolution));
        }
        if let Some(weekday) = m.weekday() {
            out.push_str(&format!(" {}", weekday.as_str()));
        }
        out.push('\n');
    }
    expected.assert_eq(&out);
}

// ----- English -----

#[test]
fn english_month_day_year() {
    check(
        "It was signed on March 10, 2004 and on 17 October 2016.",
        expect![[r#"
            DATE "March 10, 2004" 2004-03-10 day Wednesday
            DATE "17 October 2016" 2016-10-17 day Monday
        "#]],
    );
}

#[test]
fn english_ordinal_day_without_year_is_underspecified() {
    check(
        "On September 17th, PPC met. On the 3rd of May we left.",
        expect![[r#"
            DATE "September 17th" XXXX-09-17 day (Underspecified)
            DATE "3rd of May" XXXX-05-03 day (Underspecified)
        "#]],
    );
}

#[test]
fn english_published_line_is_the_dct_and_resolves_year_less_dates() {
    check(
        "DA NANG Today\nPublished: October 17, 2016\n\nOn September 17th they met; in January they return.",
        expect![[r#"
            dct 2016-10-17 (Document)
            DATE "October 17, 2016" 2016-10-17 day Monday
            DATE "September 17th" 2016-09-17 day (FromDct) Saturday
            DATE "January" 2017-01 month (FromDct)
        "#]],
    );
}

#[test]
fn english_dateline_is_the_dct() {
    check(
        "HANOI, October 17, 2016 — On October 2 the visit began.",
        expect![[r#"
            dct 2016-10-17 (Document)
            DATE "October 17, 2016" 2016-10-17 day Monday
            DATE "October 2" 2016-10-02 day (FromDct) Sunday
        "#]],
    );
}

#[test]
fn configured_dct_wins() {
    let config = TaggingConfig {
        dct: Some("2025-12-20".into()),
    };
    check_with(
        "từ ngày 14 đến ngày 18 tháng 1.",
        &config,
        expect![[r#"
            dct 2025-12-20 (Config)
            DATE "ngày 14 đến ngày 18 tháng 1" 2026-01-14/2026-01-18 day (FromDct)
        "#]],
    );
}

#[test]
fn english_year_ranges_keep_the_connector() {
    check(
        "From 2015 to 2019 they met; the 1930 - 2007 period; 2015–2019; between 2001 and 2003.",
        expect![[r#"
            DATE "2015 to 2019" 2015/2019 year
            DATE "1930 - 2007" 1930/2007 year
            DATE "2015–2019" 2015/2019 year
            DATE "2001 and 2003" 2001/2003 year
        "#]],
    );
}

#[test]
fn english_years_months_and_decades() {
    check(
        "It was established in 2004. In May 2016, and in October, and in the 1990s.",
        expect![[r#"
            DATE "2004" 2004 year
            DATE "May 2016" 2016-05 month
            DATE "October" XXXX-10 month (Underspecified)
            DATE "1990s" 199 decade
        "#]],
    );
}

#[test]
fn english_day_ranges() {
    check(
        "October 14-18, 2016 and from October 14 to 18.",
        expect![[r#"
            DATE "October 14-18, 2016" 2016-10-14/2016-10-18 day
            DATE "October 14 to 18" XXXX-10-14/XXXX-10-18 day (Underspecified)
        "#]],
    );
}

#[test]
fn english_durations() {
    check(
        "In the past 5 years; over the last three months; a 5-year plan; for 2 days and 3 nights.",
        expect![[r#"
            DURATION "the past 5 years" P5Y year
            DURATION "the last three months" P3M month
            DURATION "5-year" P5Y year
            DURATION "2 days and 3 nights" P2D day
        "#]],
    );
}

#[test]
fn english_anaphoric_year() {
    check(
        "A book was released in 2012. Exhibitions were organised in the same year.",
        expect![[r#"
            DATE "2012" 2012 year
            DATE "the same year" 2012 year (FromEarlierMention)
        "#]],
    );
}

#[test]
fn relative_expressions_are_not_dates() {
    check(
        "Recently, in recent years, in the near future, in the coming time, up to now, today, \
         each year and annually; 5 years ago; a 5 years old child; May we come? They march.",
        expect![""],
    );
}

// ----- Hostile text -----

#[test]
fn hostile_numbers_are_not_dates() {
    check(
        "Python 3.8.0 and 2.7; Covid-19; the 33rd Anniversary; call +84 236 3822 123 or \
         0236-3822-123; 40,000 job-seekers; 400 million USD; 2000 people; 10:30; H5N1; 15%.",
        expect![""],
    );
}

#[test]
fn dates_inside_urls_are_not_dates() {
    check(
        "Source: https://example.vn/2016/10/17/news-2016-10-17.html and www.x.pl/2004 ok",
        expect![""],
    );
}

// ----- Vietnamese -----

#[test]
fn vietnamese_day_range_with_month() {
    check(
        "kéo dài 5 ngày 4 đêm tới Đà Nẵng từ ngày 14 đến ngày 18 tháng 1.",
        expect![[r#"
            DURATION "5 ngày 4 đêm" P5D day
            DATE "ngày 14 đến ngày 18 tháng 1" XXXX-01-14/XXXX-01-18 day (Underspecified)
        "#]],
    );
}

#[test]
fn vietnamese_full_dates_and_months() {
    check(
        "Ngày 17 tháng 10 năm 2016, ngày 17/10/2016, tháng 10/2016, tháng 3 năm 2004, năm 2020.",
        expect![[r#"
            DATE "Ngày 17 tháng 10 năm 2016" 2016-10-17 day Monday
            DATE "ngày 17/10/2016" 2016-10-17 day Monday
            DATE "tháng 10/2016" 2016-10 month
            DATE "tháng 3 năm 2004" 2004-03 month
            DATE "năm 2020" 2020 year
        "#]],
    );
}

#[test]
fn vietnamese_durations() {
    check(
        "Trong 5 năm qua, 3 tháng và 2 tuần.",
        expect![[r#"
            DURATION "5 năm qua" P5Y year
            DURATION "3 tháng và 2 tuần" P3M2W month
        "#]],
    );
}

#[test]
fn vietnamese_nfd_text() {
    use unicode_normalization::UnicodeNormalization;
    let text: String = "từ ngày 14 đến ngày 18 tháng 1".nfd().collect();
    let spans = tag_temporal(&text, &TaggingConfig::default());
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0].norm.as_deref(), Some("XXXX-01-14/XXXX-01-18"));
    assert_eq!(spans[0].range.end as usize, text.len());
}

// ----- Polish -----

#[test]
fn polish_dates() {
    check(
        "Umowę podpisano 17 października 2016 r. w Hue, w 2004 roku, 14-18 stycznia i w październiku.",
        expect![[r#"
            DATE "17 października 2016 r." 2016-10-17 day Monday
            DATE "2004 roku" 2004 year
            DATE "14-18 stycznia" XXXX-01-14/XXXX-01-18 day (Underspecified)
            DATE "październiku" XXXX-10 month (Underspecified)
        "#]],
    );
}

#[test]
fn polish_durations() {
    check(
        "W ciągu ostatnich 5 lat, przez 3 miesiące.",
        expect![[r#"
            DURATION "ostatnich 5 lat" P5Y year
            DURATION "3 miesiące" P3M month
        "#]],
    );
}

// ----- Korean -----

#[test]
fn korean_dates_and_durations() {
    check(
        "2016년 10월 17일 발표, 2016년 10월, 10월 17일, 5년간, 4박 5일.",
        expect![[r#"
            DATE "2016년 10월 17일" 2016-10-17 day Monday
            DATE "2016년 10월" 2016-10 month
            DATE "10월 17일" XXXX-10-17 day (Underspecified)
            DURATION "5년간" P5Y year
            DURATION "4박 5일" P5D day
        "#]],
    );
}

// ----- Numeric formats -----

#[test]
fn numeric_dates() {
    check(
        "On 2016-10-17, on 17/10/2016, on 17.10.2016 and on 10/17/2016.",
        expect![[r#"
            DATE "2016-10-17" 2016-10-17 day Monday
            DATE "17/10/2016" 2016-10-17 day Monday
            DATE "17.10.2016" 2016-10-17 day Monday
            DATE "10/17/2016" 2016-10-17 day Monday
        "#]],
    );
}

#[test]
fn ambiguous_slash_dates_follow_the_documents_convention() {
    // An American document (10/17/2016 is month first): 03/04/2016 is March 4.
    check(
        "Signed on 10/17/2016; the visit began on 03/04/2016.",
        expect![[r#"
            DATE "10/17/2016" 2016-10-17 day Monday
            DATE "03/04/2016" 2016-03-04 day Friday
        "#]],
    );
    // No evidence, or day-first evidence too: day first, as before.
    check(
        "The visit began on 03/04/2016.",
        expect![[r#"
            DATE "03/04/2016" 2016-04-03 day Sunday
        "#]],
    );
    check(
        "On 17/10/2016 and 10/17/2016, then 03/04/2016.",
        expect![[r#"
            DATE "17/10/2016" 2016-10-17 day Monday
            DATE "10/17/2016" 2016-10-17 day Monday
            DATE "03/04/2016" 2016-04-03 day Sunday
        "#]],
    );
    // Dates inside URLs are no evidence; dotted dates keep day first.
    check(
        "See https://x.us/10/17/2016/a and 03.04.2016 or 03/04/2016.",
        expect![[r#"
            DATE "03.04.2016" 2016-04-03 day Sunday
            DATE "03/04/2016" 2016-04-03 day Sunday
        "#]],
    );
}

#[test]
fn mention_at_finds_the_date_under_the_cursor() {
    let text = "Signed on March 10, 2004.";
    let analysis = analyse_temporal(text, &TaggingConfig::default());
    let offset = text.find("10,").unwrap() as u32;
    let mention = analysis.mention_at(offset).expect("a mention");
    assert_eq!(mention.value, "2004-03-10");
    assert_eq!(mention.weekday(), Some(Weekday::Wednesday));
    assert_eq!(analysis.mention_at(0), None);
}
