//! Tests of the report: aggregation of a small corpus (snapshot of every section), date values on
//! the timeline, trends, and the HTML page (sections, escaping, accessibility hooks).

use expect_test::{Expect, expect};

use super::*;
use crate::config::Config;
use crate::tag::tag_document;

/// A corpus with an in-document repeat, a cross-document copy, a near duplicate, localities in
/// two languages, dates with and without a year, and a person mentioned with a locality.
const CORPUS: [(&str, &str); 3] = [
    (
        "news/a.txt",
        "Published: October 17, 2016\n\n\
         Da Nang People's Committee Chairman Huynh Duc Tho met a delegation from Daegu City.\n\n\
         The friendship programme between the two cities was first established in 2004 and renewed from 2015 to 2019.\n\n\
         Chairman Tho thanked Daegu for its support.\n\n\
         Chairman Tho thanked Daegu for its support.\n",
    ),
    (
        "news/b.txt",
        "Thành phố Đà Nẵng và thành phố Daegu đã ký kết hợp tác vào ngày 14 tháng 1.\n\n\
         The friendship programme between the two cities was first established in 2004 and renewed from 2015 to 2019.\n\n\
         The friendship programme between both cities was first established in 2004 and renewed from 2015 to 2019 <again>.\n",
    ),
    (
        "news/c.txt",
        "Osan city in Gyeonggi province, Korea, met Quang Nam.\n",
    ),
];

/// Runs the whole pipeline (the CLI's, without files) over `corpus`.
fn report(corpus: &[(&str, &str)], previous: Option<&ReportData>) -> ReportData {
    let config = Config::default();
    let mut workspace = Workspace::new(config.clone());
    for (key, text) in corpus {
        workspace.set_document(key, text);
    }
    let diagnostics: Vec<Diagnostic> = workspace
        .keys()
        .iter()
        .flat_map(|key| workspace.diagnostics(key))
        .collect();
    let clusters = plan_duplicate_clusters(&diagnostics, &workspace);
    let context = ContextWords::new();
    let facts: Vec<DocumentFacts> = corpus
        .iter()
        .map(|(key, text)| {
            let spans = tag_document(text, &config.tagging).spans;
            let href = format!("../{key}");
            let wanted = ClusterPlan::wanted(&clusters, key);
            DocumentFacts::analyse(
                &DocumentInput {
                    key,
                    href: &href,
                    text: Some(text),
                    summary: workspace.summary(key).expect("summary"),
                    spans: &spans,
                    reviewed_spans: 0,
                    tagging: &config.tagging,
                    wanted: &wanted,
                },
                &context,
            )
        })
        .collect();
    aggregate(
        &facts,
        &AggregateInput {
            title: "news",
            generated: Some("2026-12-02T10:00:00Z"),
            diagnostics: &diagnostics,
            clusters: &clusters,
            gazetteer: Gazetteer::builtin(),
            previous,
        },
    )
}

/// A compact, readable rendering of the report's data for snapshots.
fn describe(data: &ReportData) -> String {
    let o = &data.overview;
    let mut out = format!(
        "documents {} (unreadable {}), paragraphs {}, words {}, findings {}, duplicated paragraphs {}\n",
        o.documents, o.unreadable, o.paragraphs, o.words, o.findings, o.duplicated_paragraphs
    );
    let languages: Vec<String> = o
        .languages
        .iter()
        .map(|l| format!("{} {}/{}", l.code, l.documents, l.paragraphs))
        .collect();
    out += &format!("languages: {}\n", languages.join(", "));
    out += &format!("mentions: {:?}\n", o.mentions);
    let findings: Vec<String> = data
        .findings
        .iter()
        .map(|r| format!("{} {}", r.code, r.count))
        .collect();
    out += &format!("findings: {}\n", findings.join(", "));
    for document in &data.documents {
        out += &format!(
            "document {} {} paragraphs={} dct={:?} findings={} mentions={:?}\n",
            document.key,
            document.language,
            document.paragraphs,
            document.dct,
            document.findings,
            document.mentions
        );
    }
    for cluster in &data.duplicates {
        out += &format!(
            "cluster {} across={} similarity={:.2} {:?}\n",
            cluster.kind, cluster.across_documents, cluster.similarity, cluster.codes
        );
        for member in &cluster.members {
            out += &format!(
                "  {}:{}-{} {}\n",
                member.document, member.first_line, member.last_line, member.text
            );
        }
    }
    out += &format!("name languages: {:?}\n", data.name_languages);
    for locality in data.localities.iter().take(6) {
        out += &format!(
            "locality {} {:?} {} {} mentions={} documents={} names={:?} per_document={:?} at={}\n",
            locality.id,
            locality.name,
            locality.kind,
            locality.country,
            locality.mentions,
            locality.documents,
            locality.names,
            (0..data.documents.len())
                .map(|i| locality.mentions_in(i))
                .collect::<Vec<_>>(),
            locality.coordinates.is_some()
        );
    }
    let countries: Vec<String> = data
        .countries
        .iter()
        .map(|c| format!("{} {}", c.country, c.mentions))
        .collect();
    out += &format!("countries: {}\n", countries.join(", "));
    let d = &data.dates;
    out += &format!(
        "dates: {} mentions, {} without year\n",
        d.mentions, d.underspecified
    );
    for year in &d.years {
        out += &format!(
            "  year {} mentions={} documents={}\n",
            year.year, year.mentions, year.documents
        );
    }
    for range in &d.ranges {
        out += &format!(
            "  range {} {}..{} x{}\n",
            range.value, range.start, range.end, range.mentions
        );
    }
    for document in &d.creation {
        out += &format!("  created {} {:?}\n", document.document, document.date);
    }
    for row in data.persons.iter().chain(&data.organisations) {
        out += &format!(
            "{} {:?} mentions={} documents={} with={:?}\n",
            row.label, row.name, row.mentions, row.documents, row.localities
        );
    }
    let c = &data.cooccurrence;
    out += &format!("cooccurrence columns: {:?}\n", c.columns);
    for ((label, name), counts) in c.rows.iter().zip(&c.counts) {
        out += &format!("  {label} {name}: {counts:?}\n");
    }
    out
}

#[test]
fn aggregates_a_small_corpus() {
    let data = report(&CORPUS, None);
    expect![[r#"
        documents 3 (unreadable 0), paragraphs 9, words 114, findings 3, duplicated paragraphs 5
        languages: en 2/8, und 1/1
        mentions: {"DATE": 8, "LOC": 10, "ORG": 1, "PER": 3}
        findings: GZ001 1, GZ002 1, GZ003 1, GZ004 0, GZ900 0
        document news/a.txt en paragraphs=5 dct=Some("2016-10-17") findings=1 mentions={"DATE": 3, "LOC": 4, "ORG": 1, "PER": 3}
        document news/b.txt en paragraphs=3 dct=None findings=2 mentions={"DATE": 5, "LOC": 2}
        document news/c.txt und paragraphs=1 dct=None findings=0 mentions={"LOC": 4}
        cluster near across=true similarity=0.72 ["GZ002", "GZ003"]
          news/a.txt:5-5 The friendship programme between the two cities was first established in 2004 and renewed from 2015 to 2019.
          news/b.txt:3-3 The friendship programme between the two cities was first established in 2004 and renewed from 2015 to 2019.
          news/b.txt:5-5 The friendship programme between both cities was first established in 2004 and renewed from 2015 to 2019 <again>.
        cluster exact across=false similarity=1.00 ["GZ001"]
          news/a.txt:7-7 Chairman Tho thanked Daegu for its support.
          news/a.txt:9-9 Chairman Tho thanked Daegu for its support.
        name languages: ["en"]
        locality KR:daegu "Daegu" city KR mentions=4 documents=2 names=[Some("Daegu")] per_document=[3, 1, 0] at=true
        locality VN:da-nang "Da Nang" city VN mentions=2 documents=2 names=[Some("Da Nang")] per_document=[1, 1, 0] at=true
        locality KR "South Korea" country KR mentions=1 documents=1 names=[Some("South Korea")] per_document=[0, 0, 1] at=false
        locality KR:gyeonggi "Gyeonggi" province KR mentions=1 documents=1 names=[None] per_document=[0, 0, 1] at=false
        locality KR:osan "Osan" city KR mentions=1 documents=1 names=[Some("Osan")] per_document=[0, 0, 1] at=true
        locality VN:quang-nam "Quảng Nam" province VN mentions=1 documents=1 names=[None] per_document=[0, 0, 1] at=false
        countries: KR 7, VN 3
        dates: 8 mentions, 1 without year
          year 2004 mentions=3 documents=2
          year 2015 mentions=3 documents=2
          year 2016 mentions=1 documents=1
          range 2015/2019 2015..2019 x3
          created news/a.txt Some("2016-10-17")
          created news/b.txt None
          created news/c.txt None
        PER "Huynh Duc Tho" mentions=3 documents=1 with=[("KR:daegu", "Daegu", 3), ("VN:da-nang", "Da Nang", 1)]
        ORG "Da Nang People's Committee" mentions=1 documents=1 with=[("KR:daegu", "Daegu", 1), ("VN:da-nang", "Da Nang", 1)]
        cooccurrence columns: ["Daegu", "Da Nang", "South Korea", "Gyeonggi", "Osan", "Quảng Nam"]
          PER Huynh Duc Tho: [3, 1, 0, 0, 0, 0]
          ORG Da Nang People's Committee: [1, 1, 0, 0, 0, 0]
    "#]].assert_eq(&describe(&data));
}

#[test]
fn trends_carry_the_previous_figures() {
    let before = report(&CORPUS[..1], None);
    let after = report(&CORPUS, Some(&before));
    let previous = after.previous.as_ref().expect("previous figures");
    assert_eq!(previous.overview.documents, 1);
    assert_eq!(after.overview.documents, 3);
    assert_eq!(previous.findings.get("GZ001"), Some(&1));
    assert_eq!(previous.findings.get("GZ002"), Some(&0));
    // The JSON sidecar reads back to the same data.
    let json = serde_json::to_string(&after).expect("serialise");
    let read: ReportData = serde_json::from_str(&json).expect("read back");
    assert_eq!(read, after);
    let page = html::render(&after);
    assert!(
        page.contains("Changes are against the previous report of 2026-12-02T10:00:00Z"),
        "{page}"
    );
    assert!(page.contains("aria-label=\"up 2 since the previous report\""));
}

fn check_years(value: &str, expected: Option<(u16, u16)>) {
    assert_eq!(dates::years_of(value), expected, "{value}");
}

#[test]
fn date_values_on_the_timeline() {
    check_years("2016-10-17", Some((2016, 2016)));
    check_years("2016-10", Some((2016, 2016)));
    check_years("2015/2019", Some((2015, 2019)));
    check_years("2016-01-14/2016-01-18", Some((2016, 2016)));
    check_years("199", Some((1990, 1999)));
    check_years("XXXX-09-17", None);
    check_years("XXXX-01-14/XXXX-01-18", None);
    check_years("P5Y", None);
}

fn check_page(corpus: &[(&str, &str)], expected: Expect) {
    let page = html::render(&report(corpus, None));
    // Structure every page has: sections with headings, labelled charts, no script, no URL
    // that a browser would fetch.
    let mut seen = Vec::new();
    for id in [
        "overview",
        "duplicates",
        "localities",
        "dates",
        "names",
        "documents",
    ] {
        assert!(
            page.contains(&format!(
                "<section id=\"{id}\" aria-labelledby=\"{id}-h\"><h2 id=\"{id}-h\">"
            )),
            "section {id}"
        );
        seen.push(id);
    }
    assert!(!page.contains("<script"), "no script");
    assert!(!page.contains("src=\"http"), "nothing fetched");
    assert!(!page.contains("url(http"), "nothing fetched");
    assert_eq!(page.matches("<svg").count(), page.matches("</svg>").count());
    assert_eq!(
        page.matches("role=\"img\"").count(),
        page.matches("<desc id=").count(),
        "every chart has a description"
    );
    // Duplicated text is escaped.
    assert!(!page.contains("<again>"));
    let mut ids: Vec<&str> = page
        .match_indices(" id=\"")
        .map(|(at, _)| {
            let rest = &page[at + 5..];
            &rest[..rest.find('"').unwrap_or(0)]
        })
        .collect();
    let total = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), total, "ids are unique");
    let headings: Vec<&str> = page
        .match_indices("<h2 id=\"")
        .map(|(at, _)| {
            let rest = &page[at..];
            let rest = &rest[..rest.find("</h2>").unwrap_or(0)];
            let start = rest.find('>').unwrap_or(0) + 1;
            rest[start..].trim_end_matches("</span>")
        })
        .collect();
    expected.assert_eq(&headings.join("\n"));
}

#[test]
fn page_of_a_small_corpus() {
    check_page(
        &CORPUS,
        expect![[r#"
        Overview
        Duplicates <span class="count">2 clusters · 5 paragraphs
        Localities <span class="count">6 distinct · 10 mentions
        Dates <span class="count">8 date mentions · 4 distinct values
        Persons &amp; organisations <span class="count">3 person mentions · 1 organisation mentions
        Documents <span class="count">3"#]],
    );
}

#[test]
fn page_of_an_empty_corpus() {
    check_page(
        &[],
        expect![[r#"
        Overview
        Duplicates <span class="count">0 clusters · 0 paragraphs
        Localities <span class="count">0 distinct · 0 mentions
        Dates <span class="count">0 date mentions · 0 distinct values
        Persons &amp; organisations <span class="count">0 person mentions · 0 organisation mentions
        Documents <span class="count">0"#]],
    );
}

#[test]
fn escapes_and_separators() {
    assert_eq!(
        html::esc("<a href=\"x\">Tom & Jerry's</a>"),
        "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
    );
    assert_eq!(shorten("  a\n\nb  c ", 10), "a b c");
    assert_eq!(shorten("abcdefghijkl", 5), "abcde…");
}

#[test]
fn world_outlines_and_projection() {
    let countries: Vec<_> = world::countries().collect();
    assert!(countries.len() > 170, "{}", countries.len());
    let vietnam = countries.iter().find(|c| c.code == "VN").expect("Vietnam");
    assert_eq!(vietnam.name, "Vietnam");
    assert!(vietnam.path.starts_with('M') && vietnam.path.ends_with('z'));
    // Da Nang (16.07° N, 108.22° E) falls inside Vietnam's bounding box on the map.
    let (x, y) = world::project(16.07, 108.22);
    assert_eq!((x.round(), y.round()), (2882.0, 739.0));
    assert!(
        !countries.iter().any(|c| c.code == "AQ"),
        "Antarctica is cropped"
    );
}
