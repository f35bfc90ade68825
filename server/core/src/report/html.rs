//! Renders a [`ReportData`] as one self-contained HTML page: inline CSS, inline SVG charts and
//! map, no script, no network. Every chart has a real table behind it (visible, or one click
//! away in a `<details>`), every SVG a role, a title and a description, and colours keep a
//! contrast of at least 4.5:1 for text.

use std::fmt::Write;

use super::world::{self, EXTENT};
use super::{ClusterMember, DuplicateCluster, LocalityRow, NameRow, ReportData, language_name};

/// Copies shown before a cluster folds the rest into a `<details>`.
const COPIES_SHOWN: usize = 4;
/// Clusters shown in full; the rest are counted.
const CLUSTERS_SHOWN: usize = 40;
/// Localities in the ranked table and labelled on the detail map.
const LOCALITY_TABLE_ROWS: usize = 15;
const MAP_LABELS: usize = 8;
/// Rows of the documents table (the JSON file has every document).
const DOCUMENT_ROWS: usize = 1000;
/// Documents the mentions-per-document heatmap shows as columns.
const HEATMAP_DOCUMENTS: usize = 16;

/// Colours of the entity labels (text-safe on white).
const LABEL_COLOURS: [(&str, &str, &str); 5] = [
    ("LOC", "Localities", "#0b5cad"),
    ("PER", "Persons", "#7a3fc4"),
    ("ORG", "Organisations", "#9a4a00"),
    ("DATE", "Dates", "#17733a"),
    ("DURATION", "Durations", "#5b6470"),
];

/// The page.
pub fn render(data: &ReportData) -> String {
    // Documents are shown without the directory they all share, which the header names.
    let prefix = common_directory(data.documents.iter().map(|d| d.key.as_str()));
    let mut shown = data.clone();
    let strip = |key: &mut String| {
        if let Some(rest) = key.strip_prefix(prefix.as_str()) {
            *key = rest.to_owned();
        }
    };
    shown.documents.iter_mut().for_each(|d| strip(&mut d.key));
    shown
        .duplicates
        .iter_mut()
        .flat_map(|c| c.members.iter_mut())
        .for_each(|m| strip(&mut m.document));
    shown
        .dates
        .creation
        .iter_mut()
        .for_each(|d| strip(&mut d.document));
    let data = &shown;
    let mut out = String::with_capacity(256 * 1024);
    let title = format!("Gazette report: {}", data.title);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"gazette {version}\">\n<title>{title}</title>\n\
         <style>{CSS}</style>\n</head>\n<body>\n",
        version = env!("CARGO_PKG_VERSION"),
        title = esc(&title),
    );
    header(&mut out, data, &prefix);
    out.push_str("<main id=\"main\">\n");
    overview(&mut out, data);
    duplicates(&mut out, data);
    localities(&mut out, data);
    dates(&mut out, data);
    names(&mut out, data);
    documents(&mut out, data);
    out.push_str("</main>\n");
    footer(&mut out, data);
    out.push_str("</body>\n</html>\n");
    out
}

const CSS: &str = r#"
:root{--bg:#f4f6f9;--card:#fff;--ink:#17202b;--muted:#4f5b69;--line:#dfe4ea;--accent:#0b5cad;
--accent-soft:#e6f0fb;--warn:#a3321a;--good:#17733a;--land:#dfe5ec;--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
a{color:var(--accent)}a:focus-visible,summary:focus-visible{outline:3px solid #f0b400;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:9}
header.top{background:linear-gradient(120deg,#0d2b4e,#0b5cad 60%,#1479a8);color:#fff;padding:2rem 0 1.2rem}
.wrap{max-width:1180px;margin:0 auto;padding:0 1.5rem}
header.top h1{margin:0;font-size:1.9rem;letter-spacing:-.01em}header.top p{margin:.3rem 0 0;color:#d8e6f6}
nav.toc{position:sticky;top:0;z-index:5;background:rgba(255,255,255,.96);border-bottom:1px solid var(--line);backdrop-filter:blur(6px)}
nav.toc ul{display:flex;gap:1.4rem;list-style:none;margin:0 auto;padding:.65rem 1.5rem;max-width:1180px;overflow-x:auto}
nav.toc a{text-decoration:none;font-weight:600;color:var(--ink);white-space:nowrap}nav.toc a:hover{color:var(--accent)}
section{margin:1.6rem 0}section>h2{font-size:1.35rem;margin:0 0 .8rem;display:flex;align-items:baseline;gap:.6rem}
section>h2 .count{font-size:.85rem;font-weight:600;color:var(--muted)}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1.1rem 1.2rem;box-shadow:0 1px 2px rgba(16,24,40,.04)}
.grid{display:grid;gap:1rem}.g2{grid-template-columns:repeat(auto-fit,minmax(340px,1fr))}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(128px,1fr));gap:.8rem;margin-bottom:1rem}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:.8rem 1rem}
.kpi .v{font-size:1.7rem;font-weight:700;line-height:1.1;font-variant-numeric:tabular-nums}.kpi .k{color:var(--muted);font-size:.85rem}
.delta{display:inline-block;font-size:.78rem;font-weight:600;margin-left:.3rem;padding:0 .35rem;border-radius:6px;background:#eef1f4;color:var(--muted)}
.delta.bad{background:#fbe9e5;color:var(--warn)}.delta.good{background:#e5f4ea;color:var(--good)}
h3{font-size:1.02rem;margin:0 0 .6rem}p.note{color:var(--muted);font-size:.88rem;margin:.4rem 0 0}
table{border-collapse:collapse;width:100%;font-size:.9rem;font-variant-numeric:tabular-nums}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
thead th,tfoot th{font-size:.76rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:700}tbody th{font-weight:600}
td.n,th.n{text-align:right}caption{text-align:left;font-weight:600;padding-bottom:.4rem;color:var(--ink)}
details{margin-top:.6rem}summary{cursor:pointer;color:var(--accent);font-weight:600;font-size:.88rem}
.bar{display:flex;align-items:center;gap:.5rem}.bar i{display:block;height:.6rem;border-radius:4px;background:var(--accent);min-width:2px}
.muted{color:var(--muted)}.mono{font-family:var(--mono);font-size:.85em}
.pill{display:inline-block;border-radius:999px;padding:.05rem .55rem;font-size:.75rem;font-weight:700;background:#eef1f4;color:var(--ink)}
.pill.exact{background:#fde8e3;color:#8c2a14}.pill.near{background:#fff1d6;color:#7a4b00}.pill.code{background:#e6f0fb;color:#0b4a8c}
.clusters{display:grid;gap:.8rem}.cluster header{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center;margin-bottom:.5rem}
.copy{border-left:4px solid var(--line);padding:.3rem .7rem;margin:.45rem 0}.copy.first{border-color:var(--accent)}
.copy .where{font-size:.85rem;font-weight:600}.copy blockquote{margin:.2rem 0 0;color:#2c3744}
svg text{font-family:inherit}figure{margin:0}figcaption{font-weight:600;margin-bottom:.5rem}
.map svg{width:100%;height:auto;display:block;border-radius:8px;background:#f3f8fd}
.heat td.h{text-align:center;min-width:2.4rem}.heat th.doc{writing-mode:vertical-rl;transform:rotate(180deg);text-transform:none;letter-spacing:0;font-weight:600;white-space:nowrap;vertical-align:bottom}
.h0{color:#5f6b78}.h1{background:#e6f0fb}.h2{background:#c3dbf5}.h3{background:#8fbbeb}.h4{background:#2f6fb8;color:#fff}.h5{background:#0b5cad;color:#fff}
.legend{display:flex;gap:1rem;flex-wrap:wrap;font-size:.85rem;color:var(--muted);margin-top:.4rem}.legend span{display:inline-flex;align-items:center;gap:.35rem}
.legend i{width:.8rem;height:.8rem;border-radius:3px;display:inline-block}
footer{color:var(--muted);font-size:.85rem;padding:1.5rem 0 3rem;border-top:1px solid var(--line);margin-top:2rem}
@media (prefers-color-scheme:dark){:root{--bg:#0f141a;--card:#161d26;--ink:#e6edf3;--muted:#a5b1be;--line:#2a3440;--accent:#6cb0ff;--accent-soft:#1b2a3b;--land:#2a3542}
nav.toc{background:rgba(22,29,38,.96)}.map svg{background:#13202e}.copy blockquote{color:#cdd6df}.kpi,.card{box-shadow:none}
.h1{background:#1b2a3b}.h2{background:#1d3f66}.h3{background:#245a94;color:#fff}.pill{background:#243040;color:var(--ink)}}
@media print{nav.toc{display:none}}
"#;

fn header(out: &mut String, data: &ReportData, prefix: &str) {
    let _ = write!(
        out,
        "<a class=\"skip\" href=\"#main\">Skip to the report</a>\n\
         <header class=\"top\"><div class=\"wrap\"><h1>Corpus report</h1>\
         <p><span class=\"mono\">{}</span> · {} documents{}{}</p></div></header>\n",
        esc(&data.title),
        num(u64::from(data.overview.documents)),
        if prefix.is_empty() || prefix.trim_end_matches('/') == data.title.trim_end_matches('/') {
            String::new()
        } else {
            format!(" in <span class=\"mono\">{}</span>", esc(prefix))
        },
        data.generated
            .as_deref()
            .map(|g| format!(" · generated {}", esc(g)))
            .unwrap_or_default(),
    );
    out.push_str(
        "<nav class=\"toc\" aria-label=\"Sections\"><ul>\
         <li><a href=\"#overview\">Overview</a></li><li><a href=\"#duplicates\">Duplicates</a></li>\
         <li><a href=\"#localities\">Localities</a></li><li><a href=\"#dates\">Dates</a></li>\
         <li><a href=\"#names\">Persons &amp; organisations</a></li><li><a href=\"#documents\">Documents</a></li>\
         </ul></nav>\n<div class=\"wrap\">\n",
    );
}

fn footer(out: &mut String, data: &ReportData) {
    let _ = write!(
        out,
        "<footer><p>Made by <strong>gazette {}</strong> (<span class=\"mono\">gazette report</span>); \
         findings are those of <span class=\"mono\">gazette check</span>, entities those of \
         <span class=\"mono\">gazette tag</span> with curators' decisions applied. Data: {} \
         (report format {}).</p><p>Map: Natural Earth 1:110m country boundaries (public domain). \
         Places: the Gazette gazetteer, including data from GeoNames (CC BY 4.0, \
         https://www.geonames.org/).</p></footer>\n</div>\n",
        env!("CARGO_PKG_VERSION"),
        "the JSON file written next to this page",
        data.version,
    );
}

/// A change since the previous report; `more_is_bad` colours it.
fn delta(current: u64, previous: Option<u64>, more_is_bad: Option<bool>) -> String {
    let Some(previous) = previous else {
        return String::new();
    };
    let (class, text, words) = match current.cmp(&previous) {
        std::cmp::Ordering::Equal => ("", "±0".to_owned(), "unchanged".to_owned()),
        std::cmp::Ordering::Greater => {
            let class = match more_is_bad {
                Some(true) => "bad",
                Some(false) => "good",
                None => "",
            };
            let n = current - previous;
            (class, format!("▲ {}", num(n)), format!("up {n}"))
        }
        std::cmp::Ordering::Less => {
            let class = match more_is_bad {
                Some(true) => "good",
                Some(false) => "bad",
                None => "",
            };
            let n = previous - current;
            (class, format!("▼ {}", num(n)), format!("down {n}"))
        }
    };
    format!(
        "<span class=\"delta {class}\" title=\"{words} since the previous report ({previous})\" \
         aria-label=\"{words} since the previous report\">{text}</span>"
    )
}

fn overview(out: &mut String, data: &ReportData) {
    let o = &data.overview;
    let p = data.previous.as_ref().map(|p| &p.overview);
    let mention = |overview: &super::Overview, label: &str| {
        u64::from(overview.mentions.get(label).copied().unwrap_or(0))
    };
    let kpis: [(&str, u64, Option<u64>, Option<bool>); 8] = [
        (
            "documents",
            o.documents.into(),
            p.map(|p| p.documents.into()),
            None,
        ),
        (
            "paragraphs",
            o.paragraphs.into(),
            p.map(|p| p.paragraphs.into()),
            None,
        ),
        ("words", o.words, p.map(|p| p.words), None),
        (
            "languages",
            o.languages.iter().filter(|l| l.code != "und").count() as u64,
            p.map(|p| p.languages.iter().filter(|l| l.code != "und").count() as u64),
            None,
        ),
        (
            "findings",
            o.findings.into(),
            p.map(|p| p.findings.into()),
            Some(true),
        ),
        (
            "duplicated paragraphs",
            o.duplicated_paragraphs.into(),
            p.map(|p| p.duplicated_paragraphs.into()),
            Some(true),
        ),
        (
            "localities",
            o.distinct_localities.into(),
            p.map(|p| p.distinct_localities.into()),
            None,
        ),
        (
            "entity mentions",
            o.mentions.values().map(|&n| u64::from(n)).sum(),
            p.map(|p| p.mentions.values().map(|&n| u64::from(n)).sum()),
            None,
        ),
    ];
    out.push_str(
        "<section id=\"overview\" aria-labelledby=\"overview-h\"><h2 id=\"overview-h\">Overview</h2>\n",
    );
    if let Some(previous) = &data.previous {
        let _ = write!(
            out,
            "<p class=\"note\">Changes are against the previous report{}.</p>\n",
            previous
                .generated
                .as_deref()
                .map(|g| format!(" of {}", esc(g)))
                .unwrap_or_default()
        );
    }
    out.push_str("<div class=\"kpis\">");
    for (name, value, previous, more_is_bad) in kpis {
        let _ = write!(
            out,
            "<div class=\"kpi\" data-kpi=\"{name}\"><div class=\"v\" title=\"{}\">{}{}</div><div class=\"k\">{name}</div></div>",
            num(value),
            compact(value),
            delta(value, previous, more_is_bad)
        );
    }
    out.push_str("</div>\n<div class=\"grid g2\">\n");

    // Findings by rule: the table is the chart (bars in a column).
    let max = data
        .findings
        .iter()
        .map(|r| r.count)
        .max()
        .unwrap_or(0)
        .max(1);
    out.push_str(
        "<div class=\"card\"><table id=\"findings\"><caption>Findings by rule</caption>\
         <thead><tr><th scope=\"col\">Rule</th><th scope=\"col\" class=\"n\">Findings</th>\
         <th scope=\"col\"><span class=\"skip\">Share</span></th></tr></thead><tbody>",
    );
    for rule in &data.findings {
        let previous = data
            .previous
            .as_ref()
            .map(|p| u64::from(p.findings.get(&rule.code).copied().unwrap_or(0)));
        let _ = write!(
            out,
            "<tr data-code=\"{code}\"><th scope=\"row\"><span class=\"pill code\">{code}</span> {name}\
             <div class=\"muted\" style=\"font-weight:400;text-transform:none;letter-spacing:0;font-size:.82rem\">{summary}</div></th>\
             <td class=\"n\"><strong>{count}</strong>{delta}</td><td style=\"width:30%\"><div class=\"bar\" aria-hidden=\"true\"><i style=\"width:{w:.1}%;background:{colour}\"></i></div></td></tr>",
            code = esc(&rule.code),
            name = esc(&rule.name),
            summary = esc(&rule.summary),
            count = rule.count,
            delta = delta(rule.count.into(), previous, Some(true)),
            w = f64::from(rule.count) * 100.0 / f64::from(max),
            colour = if rule.count > 0 {
                "#c2410c"
            } else {
                "transparent"
            },
        );
    }
    let _ = write!(
        out,
        "</tbody><tfoot><tr><th scope=\"row\">Total</th><td class=\"n\"><strong>{}</strong></td><td></td></tr></tfoot></table></div>\n",
        o.findings
    );

    // Languages and entity mentions: stacked bars with their tables.
    out.push_str("<div class=\"card\">");
    let language_colours = [
        "#0b5cad", "#17733a", "#9a4a00", "#7a3fc4", "#a3321a", "#5b6470",
    ];
    let segments: Vec<(String, u64, &str)> = o
        .languages
        .iter()
        .enumerate()
        .map(|(i, l)| {
            (
                l.name.clone(),
                u64::from(l.documents),
                language_colours[i.min(language_colours.len() - 1)],
            )
        })
        .collect();
    stacked_bar(out, "Documents by language", &segments, "documents");
    out.push_str("<details><summary>Table: documents by language</summary>");
    let rows: Vec<Vec<String>> = o
        .languages
        .iter()
        .map(|l| {
            vec![
                esc(&l.name),
                esc(&l.code),
                l.documents.to_string(),
                l.paragraphs.to_string(),
            ]
        })
        .collect();
    table(
        out,
        "",
        "",
        &[
            Column::Text("Language"),
            Column::Code("Code"),
            Column::Number("Documents"),
            Column::Number("Paragraphs"),
        ],
        &rows,
    );
    out.push_str("</details>");
    let segments: Vec<(String, u64, &str)> = LABEL_COLOURS
        .iter()
        .map(|(label, name, colour)| {
            (
                (*name).to_owned(),
                u64::from(o.mentions.get(*label).copied().unwrap_or(0)),
                *colour,
            )
        })
        .collect();
    out.push_str("<div style=\"height:1rem\"></div>");
    stacked_bar(out, "Entity mentions by kind", &segments, "mentions");
    out.push_str(
        "<details><summary>Table: entity mentions by kind</summary><table><thead><tr><th scope=\"col\">Kind</th>\
         <th scope=\"col\" class=\"n\">Mentions</th>",
    );
    if p.is_some() {
        out.push_str("<th scope=\"col\" class=\"n\">Previous</th>");
    }
    out.push_str("</tr></thead><tbody>");
    for (label, name, _) in LABEL_COLOURS {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{name} <span class=\"mono muted\">{label}</span></th><td class=\"n\">{}</td>",
            mention(o, label)
        );
        if let Some(p) = p {
            let _ = write!(out, "<td class=\"n\">{}</td>", mention(p, label));
        }
        out.push_str("</tr>");
    }
    let _ = write!(
        out,
        "</tbody></table></details><p class=\"note\">{}</p></div>\n</div>\n</section>\n",
        match o.reviewed_mentions {
            0 => "No mention comes from a curator's review yet: all are the taggers' suggestions."
                .to_owned(),
            n => format!(
                "{} of the mentions come from annotations a curator accepted.",
                num(n.into())
            ),
        }
    );
}

/// A horizontal stacked bar with a legend; the caller adds the table.
fn stacked_bar(out: &mut String, title: &str, segments: &[(String, u64, &str)], unit: &str) {
    let total: u64 = segments.iter().map(|s| s.1).sum();
    let id = slug(title);
    let description: Vec<String> = segments
        .iter()
        .filter(|s| s.1 > 0)
        .map(|s| format!("{}: {} {unit}", s.0, s.1))
        .collect();
    let _ = write!(
        out,
        "<figure><figcaption id=\"{id}-t\">{}</figcaption><svg viewBox=\"0 0 600 28\" role=\"img\" \
         aria-labelledby=\"{id}-t {id}-d\" preserveAspectRatio=\"none\" style=\"width:100%;height:28px\">\
         <desc id=\"{id}-d\">{}</desc>",
        esc(title),
        esc(&description.join("; "))
    );
    let mut x = 0.0;
    for (name, value, colour) in segments.iter().filter(|s| s.1 > 0) {
        let w = *value as f64 * 600.0 / total.max(1) as f64;
        let _ = write!(
            out,
            "<rect x=\"{x:.1}\" y=\"0\" width=\"{:.1}\" height=\"28\" fill=\"{colour}\"><title>{}: {value}</title></rect>",
            (w - 1.5).max(0.5),
            esc(name)
        );
        x += w;
    }
    out.push_str("</svg><div class=\"legend\">");
    for (name, value, colour) in segments.iter().filter(|s| s.1 > 0) {
        let _ = write!(
            out,
            "<span><i style=\"background:{colour}\"></i>{} <strong>{}</strong></span>",
            esc(name),
            num(*value)
        );
    }
    out.push_str("</div></figure>");
}

fn duplicates(out: &mut String, data: &ReportData) {
    let clusters = &data.duplicates;
    let _ = write!(
        out,
        "<section id=\"duplicates\" aria-labelledby=\"duplicates-h\"><h2 id=\"duplicates-h\">Duplicates \
         <span class=\"count\">{} clusters · {} paragraphs</span></h2>\n",
        clusters.len(),
        data.overview.duplicated_paragraphs
    );
    if clusters.is_empty() {
        out.push_str("<div class=\"card\"><p>No duplicated paragraphs: every paragraph is unique.</p></div></section>\n");
        return;
    }
    let exact = clusters.iter().filter(|c| c.kind == "exact").count();
    let across = clusters.iter().filter(|c| c.across_documents).count();
    let _ = write!(
        out,
        "<p class=\"note\">{exact} exact and {} near-duplicate clusters; {across} span more than one document. \
         The first copy in corpus order is the original; the others are what <span class=\"mono\">gazette check</span> reports.</p>\n\
         <div class=\"clusters\">",
        clusters.len() - exact
    );
    let languages: std::collections::HashMap<&str, &str> = data
        .documents
        .iter()
        .map(|d| (d.key.as_str(), d.language.as_str()))
        .collect();
    for (i, cluster) in clusters.iter().take(CLUSTERS_SHOWN).enumerate() {
        cluster_card(out, i + 1, cluster, &languages);
    }
    out.push_str("</div>");
    if clusters.len() > CLUSTERS_SHOWN {
        let _ = write!(
            out,
            "<p class=\"note\">…and {} more clusters, listed in the JSON file.</p>",
            clusters.len() - CLUSTERS_SHOWN
        );
    }
    out.push_str("</section>\n");
}

fn cluster_card(
    out: &mut String,
    number: usize,
    cluster: &DuplicateCluster,
    languages: &std::collections::HashMap<&str, &str>,
) {
    let kind = if cluster.kind == "near" {
        format!(
            "<span class=\"pill near\">near duplicate · {:.0}% similar</span>",
            cluster.similarity * 100.0
        )
    } else {
        "<span class=\"pill exact\">exact duplicate</span>".to_owned()
    };
    let documents: std::collections::BTreeSet<&str> = cluster
        .members
        .iter()
        .map(|m| m.document.as_str())
        .collect();
    let scope = if cluster.across_documents {
        format!("across {} documents", documents.len())
    } else {
        "within one document".to_owned()
    };
    let _ = write!(
        out,
        "<article class=\"card cluster\" aria-labelledby=\"cluster-{number}\" data-kind=\"{}\"><header>\
         <h3 id=\"cluster-{number}\" style=\"margin:0\">Cluster {number}</h3>{kind}<span class=\"pill\">{} copies, {scope}</span>",
        esc(&cluster.kind),
        cluster.members.len()
    );
    for code in &cluster.codes {
        let _ = write!(out, "<span class=\"pill code\">{}</span>", esc(code));
    }
    out.push_str("</header>");
    // A copy's text is shown when it differs from the original's (near duplicates, or exact
    // duplicates that differ in case or punctuation); long clusters fold after a few copies.
    let original = &cluster.members[0].text;
    for (i, member) in cluster.members.iter().enumerate() {
        if i == COPIES_SHOWN && cluster.members.len() > COPIES_SHOWN + 1 {
            let _ = write!(
                out,
                "<details><summary>{} more copies</summary>",
                cluster.members.len() - COPIES_SHOWN
            );
        }
        let language = languages
            .get(member.document.as_str())
            .copied()
            .unwrap_or("und");
        copy(
            out,
            member,
            language,
            i == 0,
            i == 0 || member.text != *original,
        );
    }
    if cluster.members.len() > COPIES_SHOWN + 1 {
        out.push_str("</details>");
    }
    out.push_str("</article>\n");
}

fn copy(out: &mut String, member: &ClusterMember, language: &str, first: bool, show_text: bool) {
    let lines = if member.first_line == member.last_line {
        format!("{}", member.first_line)
    } else {
        format!("{}–{}", member.first_line, member.last_line)
    };
    let _ = write!(
        out,
        "<div class=\"copy{}\"><div class=\"where\"><a href=\"{}\">{}</a>:<span class=\"mono\">{lines}</span>{}</div>{}</div>",
        if first { " first" } else { "" },
        esc(&member.href),
        esc(&member.document),
        if first {
            " <span class=\"muted\">· original</span>"
        } else if show_text {
            ""
        } else {
            " <span class=\"muted\">· same text</span>"
        },
        if show_text {
            // The quote is in the document's language, for screen readers and hyphenation.
            format!(
                "<blockquote lang=\"{}\">{}</blockquote>",
                esc(language),
                esc(&member.text)
            )
        } else {
            String::new()
        }
    );
}

fn localities(out: &mut String, data: &ReportData) {
    let _ = write!(
        out,
        "<section id=\"localities\" aria-labelledby=\"localities-h\"><h2 id=\"localities-h\">Localities \
         <span class=\"count\">{} distinct · {} mentions</span></h2>\n",
        data.overview.distinct_localities,
        data.overview.mentions.get("LOC").copied().unwrap_or(0)
    );
    // The outlines are written once and drawn by both maps.
    out.push_str("<svg width=\"0\" height=\"0\" style=\"position:absolute\" aria-hidden=\"true\" focusable=\"false\"><defs><g id=\"land\">");
    for country in world::countries() {
        let _ = write!(
            out,
            "<path d=\"{}\" vector-effect=\"non-scaling-stroke\"/>",
            country.path
        );
    }
    out.push_str("</g></defs></svg>\n");
    world_map(out, data);
    out.push_str("<div class=\"grid g2\" style=\"margin-top:1rem\">");
    detail_map(out, data);
    heatmap(out, data);
    out.push_str("</div>\n");

    // The ranked table, with the names in each language.
    out.push_str("<div class=\"card\" style=\"margin-top:1rem;overflow-x:auto\"><table id=\"top-localities\">\
                  <caption>Most mentioned localities</caption><thead><tr><th scope=\"col\" class=\"n\">#</th><th scope=\"col\">Locality</th>");
    for lang in &data.name_languages {
        let _ = write!(
            out,
            "<th scope=\"col\" lang=\"en\">{}</th>",
            esc(language_name(lang))
        );
    }
    out.push_str("<th scope=\"col\">Kind</th><th scope=\"col\" class=\"n\">Mentions</th><th scope=\"col\" class=\"n\">Documents</th><th scope=\"col\">Written as</th></tr></thead><tbody>");
    let max = data.localities.first().map_or(1, |l| l.mentions.max(1));
    for (i, locality) in data.localities.iter().take(LOCALITY_TABLE_ROWS).enumerate() {
        let _ = write!(
            out,
            "<tr data-id=\"{}\"><td class=\"n muted\">{}</td><th scope=\"row\">{}<div class=\"mono muted\" style=\"font-weight:400\">{}</div></th>",
            esc(&locality.id),
            i + 1,
            esc(&locality.name),
            esc(&locality.id)
        );
        for (lang, name) in data.name_languages.iter().zip(&locality.names) {
            match name {
                Some(name) => {
                    let _ = write!(out, "<td lang=\"{}\">{}</td>", esc(lang), esc(name));
                }
                None => out.push_str("<td class=\"muted\">—</td>"),
            }
        }
        let surfaces: Vec<String> = locality
            .surfaces
            .iter()
            .take(4)
            .map(|(s, n)| format!("{} <span class=\"muted\">×{n}</span>", esc(s)))
            .collect();
        let _ = write!(
            out,
            "<td>{}</td><td class=\"n\"><div class=\"bar\" style=\"justify-content:flex-end\"><i aria-hidden=\"true\" style=\"width:{:.0}px\"></i><strong>{}</strong></div></td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&locality.kind),
            f64::from(locality.mentions) * 80.0 / f64::from(max),
            locality.mentions,
            locality.documents,
            surfaces.join(", ")
        );
    }
    out.push_str("</tbody></table></div>\n</section>\n");
}

/// A heatmap cell's content: the number, or a quiet dot for zero that screen readers read as 0.
fn heat_value(value: u32) -> String {
    if value == 0 {
        "<span aria-hidden=\"true\">·</span><span class=\"skip\">0</span>".to_owned()
    } else {
        value.to_string()
    }
}

/// Shade class for a value relative to the maximum.
fn shade(value: u32, max: u32) -> &'static str {
    if value == 0 {
        return "h0";
    }
    let ratio = f64::from(value) / f64::from(max.max(1));
    match ratio {
        r if r > 0.8 => "h5",
        r if r > 0.55 => "h4",
        r if r > 0.3 => "h3",
        r if r > 0.12 => "h2",
        _ => "h1",
    }
}

fn world_map(out: &mut String, data: &ReportData) {
    let max_country = data.countries.first().map_or(1, |c| c.mentions.max(1));
    let mentions_of = |code: &str| {
        data.countries
            .iter()
            .find(|c| c.country == code)
            .map_or(0, |c| c.mentions)
    };
    let placed: Vec<&LocalityRow> = data
        .localities
        .iter()
        .filter(|l| l.coordinates.is_some() && l.kind != "country" && l.kind != "region")
        .collect();
    let (x0, y0, w, h) = EXTENT;
    let _ = write!(
        out,
        "<figure class=\"card map\"><figcaption id=\"world-t\">Where the corpus is: mentions by country</figcaption>\
         <svg id=\"world-map\" viewBox=\"{x0} {y0} {w} {h}\" role=\"img\" aria-labelledby=\"world-t world-d\">\
         <desc id=\"world-d\">World map. Countries are shaded by the number of locality mentions in them: {}. \
         Circles mark the {} most mentioned places.</desc><g stroke=\"#fff\" stroke-width=\"0.6\" vector-effect=\"non-scaling-stroke\">",
        esc(&data
            .countries
            .iter()
            .take(8)
            .map(|c| format!("{} {}", c.name, c.mentions))
            .collect::<Vec<_>>()
            .join(", ")),
        placed.len()
    );
    out.push_str("<use href=\"#land\" fill=\"var(--land)\"/>");
    for country in world::countries() {
        let mentions = mentions_of(country.code);
        if mentions == 0 {
            continue;
        }
        let fill = ramp((f64::from(mentions) / f64::from(max_country)).sqrt());
        let _ = write!(
            out,
            "<path d=\"{}\" fill=\"{fill}\" vector-effect=\"non-scaling-stroke\"><title>{}: {mentions} mentions</title></path>",
            country.path,
            esc(country.name),
        );
    }
    out.push_str("</g>");
    let max = placed.first().map_or(1, |l| l.mentions.max(1));
    for locality in placed.iter().rev() {
        let (lat, lon) = locality.coordinates.unwrap_or_default();
        let (x, y) = world::project(lat, lon);
        let r = 9.0 + 26.0 * (f64::from(locality.mentions) / f64::from(max)).sqrt();
        let _ = write!(
            out,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\" fill=\"#c2410c\" fill-opacity=\"0.8\" stroke=\"#fff\" stroke-width=\"1\" vector-effect=\"non-scaling-stroke\"><title>{}: {} mentions</title></circle>",
            esc(&locality.name),
            locality.mentions
        );
    }
    if let Some((bx, by, bw, bh)) = detail_box(&placed) {
        let _ = write!(
            out,
            "<rect x=\"{bx:.0}\" y=\"{by:.0}\" width=\"{bw:.0}\" height=\"{bh:.0}\" fill=\"none\" stroke=\"#17202b\" stroke-dasharray=\"4 3\" stroke-width=\"1.2\" vector-effect=\"non-scaling-stroke\"/>"
        );
    }
    out.push_str(
        "</svg><div class=\"legend\"><span><i style=\"background:var(--land)\"></i>no mentions</span>\
         <span><i style=\"background:#bcd6f2\"></i>few</span><span><i style=\"background:#0b5cad\"></i>many mentions</span>\
         <span><i style=\"background:#c2410c;border-radius:50%\"></i>place (size: mentions)</span></div>",
    );
    out.push_str("<details><summary>Table: mentions by country</summary>");
    let rows: Vec<Vec<String>> = data
        .countries
        .iter()
        .map(|c| vec![esc(&c.name), esc(&c.country), c.mentions.to_string()])
        .collect();
    table(
        out,
        " id=\"countries\"",
        "Mentions of each country and of the places in it",
        &[
            Column::Text("Country"),
            Column::Code("Code"),
            Column::Number("Mentions"),
        ],
        &rows,
    );
    out.push_str("</details></figure>\n");
}

/// A blue ramp from light (t = 0) to the accent (t = 1).
fn ramp(t: f64) -> String {
    let t = t.clamp(0.0, 1.0);
    let mix = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(188.0, 11.0),
        mix(214.0, 92.0),
        mix(242.0, 173.0)
    )
}

/// The region the detail map shows: the most mentioned place and every other place that fits
/// with it in a window of at most 36° by 28° (outliers stay on the world map only), padded, at
/// least 12° wide, 4:3.
fn detail_box(placed: &[&LocalityRow]) -> Option<(f64, f64, f64, f64)> {
    let mut points = placed
        .iter()
        .filter_map(|l| l.coordinates)
        .map(|(lat, lon)| world::project(lat, lon));
    let (x, y) = points.next()?;
    let (mut left, mut top, mut right, mut bottom) = (x, y, x, y);
    for (x, y) in points {
        let (l, t, r, b) = (left.min(x), top.min(y), right.max(x), bottom.max(y));
        if r - l <= 360.0 && b - t <= 280.0 {
            (left, top, right, bottom) = (l, t, r, b);
        }
    }
    let (cx, cy) = ((left + right) / 2.0, (top + bottom) / 2.0);
    let mut w = ((right - left) * 1.35).max(120.0);
    let mut h = ((bottom - top) * 1.35).max(90.0);
    if w / h > 4.0 / 3.0 {
        h = w * 3.0 / 4.0;
    } else {
        w = h * 4.0 / 3.0;
    }
    Some((cx - w / 2.0, cy - h / 2.0, w, h))
}

fn detail_map(out: &mut String, data: &ReportData) {
    // Places, not countries or regions, get a point; the detail map frames them.
    let placed: Vec<&LocalityRow> = data
        .localities
        .iter()
        .filter(|l| l.coordinates.is_some() && l.kind != "country" && l.kind != "region")
        .collect();
    let Some((bx, by, bw, bh)) = detail_box(&placed) else {
        out.push_str(
            "<div class=\"card\"><p>No mentioned place has coordinates in the gazetteer.</p></div>",
        );
        return;
    };
    let _ = write!(
        out,
        "<figure class=\"card map\"><figcaption id=\"detail-t\">The most mentioned places</figcaption>\
         <svg id=\"detail-map\" viewBox=\"{bx:.1} {by:.1} {bw:.1} {bh:.1}\" role=\"img\" aria-labelledby=\"detail-t detail-d\">\
         <desc id=\"detail-d\">Detail map of the region with the most mentioned places: {}.</desc>\
         <use href=\"#land\" fill=\"var(--land)\" stroke=\"#fff\" stroke-width=\"1\"/>",
        esc(&placed
            .iter()
            .take(MAP_LABELS)
            .map(|l| format!("{} ({} mentions)", l.name, l.mentions))
            .collect::<Vec<_>>()
            .join(", "))
    );
    let max = placed.first().map_or(1, |l| l.mentions.max(1));
    let unit = bw / 100.0;
    let radius = |mentions: u32| unit * (0.7 + 2.3 * (f64::from(mentions) / f64::from(max)).sqrt());
    for locality in placed.iter().rev() {
        let (lat, lon) = locality.coordinates.unwrap_or_default();
        let (x, y) = world::project(lat, lon);
        let _ = write!(
            out,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{:.2}\" fill=\"#c2410c\" fill-opacity=\"0.78\" stroke=\"#fff\" stroke-width=\"1.2\" vector-effect=\"non-scaling-stroke\"><title>{}: {} mentions</title></circle>",
            radius(locality.mentions),
            esc(&locality.name),
            locality.mentions
        );
    }
    // Labels for the most mentioned places, right of the point, else left, else none, so that
    // no two labels overlap.
    let font = unit * 2.6;
    let mut taken: Vec<(f64, f64, f64, f64)> = Vec::new();
    let overlaps = |a: &(f64, f64, f64, f64), b: &(f64, f64, f64, f64)| {
        a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
    };
    for locality in placed.iter().take(MAP_LABELS) {
        let (lat, lon) = locality.coordinates.unwrap_or_default();
        let (x, y) = world::project(lat, lon);
        let r = radius(locality.mentions);
        let width = locality.name.chars().count() as f64 * font * 0.58;
        let right = (x + r + unit * 0.6, "start");
        let left = (x - r - unit * 0.6, "end");
        for (anchor_x, anchor) in [right, left] {
            let x0 = if anchor == "start" {
                anchor_x
            } else {
                anchor_x - width
            };
            let bounds = (x0, y - font * 0.6, x0 + width, y + font * 0.6);
            if taken.iter().any(|t| overlaps(t, &bounds)) {
                continue;
            }
            taken.push(bounds);
            let _ = write!(
                out,
                "<text x=\"{anchor_x:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\" font-size=\"{font:.2}\" font-weight=\"600\" fill=\"#17202b\" stroke=\"#fff\" stroke-width=\"{:.2}\" paint-order=\"stroke\" aria-hidden=\"true\">{}</text>",
                y + font * 0.35,
                unit * 0.5,
                esc(&locality.name)
            );
            break;
        }
    }
    out.push_str("</svg><p class=\"note\">Circle area follows mentions; the dashed frame on the world map shows this region. Countries and regions are counted on the world map, not drawn as points.</p></figure>\n");
}

fn heatmap(out: &mut String, data: &ReportData) {
    if data.documents.is_empty() || data.localities.is_empty() {
        return;
    }
    // Columns: the documents with the most locality mentions, in corpus order.
    let mut columns: Vec<usize> = (0..data.documents.len()).collect();
    columns.sort_by_key(|&i| {
        std::cmp::Reverse(data.documents[i].mentions.get("LOC").copied().unwrap_or(0))
    });
    columns.truncate(HEATMAP_DOCUMENTS);
    columns.sort_unstable();
    let rows: Vec<&LocalityRow> = data.localities.iter().take(LOCALITY_TABLE_ROWS).collect();
    let max = rows
        .iter()
        .flat_map(|l| columns.iter().map(|&c| l.mentions_in(c)))
        .max()
        .unwrap_or(1);
    out.push_str("<div class=\"card\" style=\"overflow-x:auto\"><table class=\"heat\" id=\"mentions-per-document\">\
                  <caption>Mentions per document (darker: more mentions)</caption><thead><tr><th scope=\"col\">Locality</th>");
    for &c in &columns {
        let document = &data.documents[c];
        let _ = write!(
            out,
            "<th scope=\"col\" class=\"doc\" title=\"{}\">{}</th>",
            esc(&document.key),
            esc(&short_name(&document.key))
        );
    }
    out.push_str("<th scope=\"col\" class=\"n\">Total</th></tr></thead><tbody>");
    for locality in rows {
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", esc(&locality.name));
        for &c in &columns {
            let value = locality.mentions_in(c);
            let _ = write!(
                out,
                "<td class=\"h {}\">{}</td>",
                shade(value, max),
                heat_value(value)
            );
        }
        let _ = write!(
            out,
            "<td class=\"n\"><strong>{}</strong></td></tr>",
            locality.mentions
        );
    }
    out.push_str("</tbody></table>");
    if data.documents.len() > columns.len() {
        let _ = write!(
            out,
            "<p class=\"note\">The {} documents with the most locality mentions are shown.</p>",
            columns.len()
        );
    }
    out.push_str("</div>\n");
}

/// The directory (ending in `/`) that every key starts with, or an empty string.
fn common_directory<'k>(mut keys: impl Iterator<Item = &'k str>) -> String {
    let Some(first) = keys.next() else {
        return String::new();
    };
    let mut prefix = match first.rfind('/') {
        Some(end) => &first[..=end],
        None => return String::new(),
    };
    for key in keys {
        while !key.starts_with(prefix) {
            prefix = match prefix[..prefix.len() - 1].rfind('/') {
                Some(end) => &prefix[..=end],
                None => return String::new(),
            };
        }
    }
    prefix.to_owned()
}

/// A document's file name without directories and extension, shortened.
fn short_name(key: &str) -> String {
    let name = key.rsplit('/').next().unwrap_or(key);
    let stem = name.strip_suffix(".txt").unwrap_or(name);
    if stem.chars().count() > 14 {
        format!("{}…", stem.chars().take(13).collect::<String>())
    } else {
        stem.to_owned()
    }
}

fn dates(out: &mut String, data: &ReportData) {
    let d = &data.dates;
    let _ = write!(
        out,
        "<section id=\"dates\" aria-labelledby=\"dates-h\"><h2 id=\"dates-h\">Dates \
         <span class=\"count\">{} date mentions · {} distinct values</span></h2>\n<div class=\"grid g2\">",
        d.mentions,
        d.values.len()
    );
    timeline(out, data);
    creation_strip(out, data);
    out.push_str("</div>\n</section>\n");
}

fn timeline(out: &mut String, data: &ReportData) {
    let d = &data.dates;
    out.push_str("<figure class=\"card\"><figcaption id=\"timeline-t\">Timeline of the dates mentioned</figcaption>");
    let (Some(first), Some(last)) = (d.years.first(), d.years.last()) else {
        out.push_str("<p>No date with a known year is mentioned.</p></figure>");
        return;
    };
    // A linear axis of years (one slot per year), so that gaps between dates show as gaps.
    let (first, last) = (
        first
            .year
            .min(d.ranges.iter().map(|r| r.start).min().unwrap_or(u16::MAX)),
        last.year
            .max(d.ranges.iter().map(|r| r.end).max().unwrap_or(0)),
    );
    let (width, height, left, right, bottom) = (600.0, 230.0, 34.0, 10.0, 30.0);
    let ranges_shown = d.ranges.len().min(6);
    let top = 14.0 + 9.0 * ranges_shown as f64;
    let plot_h = height - bottom - top;
    let slots = f64::from(last - first + 1);
    let step = (width - left - right) / slots;
    let x_of = |year: u16| left + step * f64::from(year - first);
    let bar = (step * 0.7).clamp(2.0, 28.0);
    let max = d.years.iter().map(|y| y.mentions).max().unwrap_or(1).max(1);
    let description: Vec<String> = d
        .years
        .iter()
        .map(|y| format!("{}: {}", y.year, y.mentions))
        .collect();
    let _ = write!(
        out,
        "<svg id=\"timeline\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"timeline-t timeline-d\" style=\"width:100%;height:auto\">\
         <desc id=\"timeline-d\">Date mentions per year of their start, {first} to {last}: {}. Lines above the bars show dates that span several years.</desc>",
        esc(&description.join(", "))
    );
    let ticks = if max <= 5 { max } else { 4 };
    for t in 0..=ticks {
        let value = (f64::from(max) * f64::from(t) / f64::from(ticks)).round();
        let y = height - bottom - plot_h * value / f64::from(max);
        let _ = write!(
            out,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"currentColor\" stroke-opacity=\"0.12\"/>\
             <text x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"currentColor\" fill-opacity=\"0.75\">{value}</text>",
            width - right,
            left - 6.0,
            y + 4.0
        );
    }
    // Year labels every 1, 2, 5, 10, 20, 50 or 100 years, whichever gives at most ten.
    let span = last - first + 1;
    let every = [1u16, 2, 5, 10, 20, 50, 100, 200, 500]
        .into_iter()
        .find(|e| span / e <= 10)
        .unwrap_or(1000);
    let mut year = first.div_ceil(every) * every;
    while year <= last {
        let x = x_of(year) + step / 2.0;
        let _ = write!(
            out,
            "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"currentColor\" stroke-opacity=\"0.35\"/>\
             <text x=\"{x:.1}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"currentColor\" fill-opacity=\"0.75\">{year}</text>",
            height - bottom,
            height - bottom + 4.0,
            height - bottom + 16.0
        );
        year += every;
    }
    for year in &d.years {
        let h = plot_h * f64::from(year.mentions) / f64::from(max);
        let _ = write!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{h:.1}\" rx=\"1.5\" fill=\"#17733a\"><title>{}: {} mentions in {} documents</title></rect>",
            x_of(year.year) + (step - bar) / 2.0,
            height - bottom - h,
            year.year,
            year.mentions,
            year.documents
        );
    }
    for (i, range) in d.ranges.iter().take(ranges_shown).enumerate() {
        let x1 = x_of(range.start) + step / 2.0;
        let x2 = x_of(range.end) + step / 2.0;
        let y = 12.0 + i as f64 * 9.0;
        let _ = write!(
            out,
            "<g><title>{}: {} mentions</title><line x1=\"{x1:.1}\" x2=\"{x2:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#9a4a00\" stroke-width=\"3\" stroke-linecap=\"round\"/>\
             <circle cx=\"{x1:.1}\" cy=\"{y:.1}\" r=\"3.5\" fill=\"#9a4a00\"/><circle cx=\"{x2:.1}\" cy=\"{y:.1}\" r=\"3.5\" fill=\"#9a4a00\"/></g>",
            esc(&range.value),
            range.mentions
        );
    }
    out.push_str("</svg>");
    let _ = write!(
        out,
        "<div class=\"legend\"><span><i style=\"background:#17733a\"></i>mentions starting in the year</span>\
         <span><i style=\"background:#9a4a00\"></i>a date spanning years</span></div>\
         <p class=\"note\">{} mention(s) without a known year (<span class=\"mono\">XXXX-…</span>) are not on the timeline.</p>",
        d.underspecified
    );
    out.push_str("<details><summary>Table: dates mentioned</summary>");
    let rows: Vec<Vec<String>> = d
        .values
        .iter()
        .map(|v| {
            vec![
                esc(&v.value),
                esc(&v.example),
                v.mentions.to_string(),
                v.documents.to_string(),
            ]
        })
        .collect();
    table(
        out,
        " id=\"date-values\"",
        "",
        &[
            Column::Code("Value (TIMEX3)"),
            Column::Text("Written as"),
            Column::Number("Mentions"),
            Column::Number("Documents"),
        ],
        &rows,
    );
    let rows: Vec<Vec<String>> = d
        .years
        .iter()
        .map(|y| {
            vec![
                y.year.to_string(),
                y.mentions.to_string(),
                y.documents.to_string(),
            ]
        })
        .collect();
    table(
        out,
        "",
        "Per year",
        &[
            Column::Text("Year"),
            Column::Number("Mentions"),
            Column::Number("Documents"),
        ],
        &rows,
    );
    out.push_str("</details></figure>");
}

fn creation_strip(out: &mut String, data: &ReportData) {
    let creation = &data.dates.creation;
    let dated: Vec<(&super::dates::DocumentDate, f64)> = creation
        .iter()
        .filter_map(|d| Some((d, day_number(d.date.as_deref()?)?)))
        .collect();
    out.push_str(
        "<figure class=\"card\"><figcaption id=\"dct-t\">Documents by creation date</figcaption>",
    );
    if let (Some(first), Some(last)) = (dated.first(), dated.last()) {
        let (width, height) = (600.0, 120.0);
        let span = (last.1 - first.1).max(1.0);
        let x_of = |day: f64| 30.0 + (width - 60.0) * (day - first.1) / span;
        let _ = write!(
            out,
            "<svg viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"dct-t dct-d\" style=\"width:100%;height:auto\">\
             <desc id=\"dct-d\">{} of {} documents state a creation date, from {} to {}.</desc>\
             <line x1=\"30\" x2=\"{}\" y1=\"70\" y2=\"70\" stroke=\"currentColor\" stroke-opacity=\"0.3\" stroke-width=\"2\"/>",
            dated.len(),
            creation.len(),
            esc(first.0.date.as_deref().unwrap_or("")),
            esc(last.0.date.as_deref().unwrap_or("")),
            width - 30.0
        );
        let first_year = first
            .0
            .date
            .as_deref()
            .and_then(|d| d.get(..4)?.parse::<i32>().ok());
        let last_year = last
            .0
            .date
            .as_deref()
            .and_then(|d| d.get(..4)?.parse::<i32>().ok());
        if let (Some(a), Some(b)) = (first_year, last_year) {
            let every = ((b - a) / 8).max(1);
            let mut year = a;
            while year <= b + 1 {
                if let Some(day) = day_number(&format!("{year:04}-01-01")) {
                    if day >= first.1 - 1.0 && day <= last.1 + 1.0 {
                        let x = x_of(day);
                        let _ = write!(
                            out,
                            "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"64\" y2=\"76\" stroke=\"currentColor\" stroke-opacity=\"0.4\"/>\
                             <text x=\"{x:.1}\" y=\"94\" font-size=\"11\" text-anchor=\"middle\" fill=\"currentColor\" fill-opacity=\"0.75\">{year}</text>"
                        );
                    }
                }
                year += every;
            }
        }
        for (i, (document, day)) in dated.iter().enumerate() {
            let x = x_of(*day);
            let y = if i % 2 == 0 { 42.0 } else { 30.0 };
            let _ = write!(
                out,
                "<g><title>{}: {}</title><line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{y}\" y2=\"70\" stroke=\"#7a3fc4\" stroke-opacity=\"0.5\"/>\
                 <circle cx=\"{x:.1}\" cy=\"70\" r=\"6\" fill=\"#7a3fc4\" stroke=\"#fff\" stroke-width=\"2\"/>\
                 <text x=\"{x:.1}\" y=\"{:.0}\" font-size=\"11\" text-anchor=\"{}\" fill=\"currentColor\">{}</text></g>",
                esc(&document.document),
                esc(document.date.as_deref().unwrap_or("")),
                y - 4.0,
                if x < width * 0.25 {
                    "start"
                } else if x > width * 0.75 {
                    "end"
                } else {
                    "middle"
                },
                esc(&short_name(&document.document))
            );
        }
        out.push_str("</svg>");
    } else {
        out.push_str("<p>No document states a creation date.</p>");
    }
    let rows: Vec<Vec<String>> = creation
        .iter()
        .map(|document| {
            vec![
                format!(
                    "<a href=\"{}\">{}</a>",
                    esc(&document.href),
                    esc(&document.document)
                ),
                document.date.as_deref().map_or("—".to_owned(), esc),
                match (&document.date, document.from_config) {
                    (None, _) => "not stated",
                    (Some(_), true) => "configuration",
                    (Some(_), false) => "the text",
                }
                .to_owned(),
            ]
        })
        .collect();
    table(
        out,
        " id=\"creation-dates\"",
        "",
        &[
            Column::Text("Document"),
            Column::Code("Created"),
            Column::Text("Source"),
        ],
        &rows,
    );
    out.push_str("</figure>");
}

/// Days since 0000-03-01 of an ISO date (`2016-10-17`), for placing dates on a line.
fn day_number(date: &str) -> Option<f64> {
    let mut parts = date.splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next().map_or(Some(1), |m| m.parse().ok())?;
    let day: i64 = parts.next().map_or(Some(1), |d| d.parse().ok())?;
    let (y, m) = if month <= 2 {
        (year - 1, month + 9)
    } else {
        (year, month - 3)
    };
    Some((365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + day - 1) as f64)
}

fn names(out: &mut String, data: &ReportData) {
    let _ = write!(
        out,
        "<section id=\"names\" aria-labelledby=\"names-h\"><h2 id=\"names-h\">Persons &amp; organisations \
         <span class=\"count\">{} person mentions · {} organisation mentions</span></h2>\n<div class=\"grid g2\">",
        data.overview.mentions.get("PER").copied().unwrap_or(0),
        data.overview.mentions.get("ORG").copied().unwrap_or(0)
    );
    name_table(
        out,
        "top-persons",
        "Most mentioned persons",
        &data.persons,
        "#7a3fc4",
    );
    name_table(
        out,
        "top-organisations",
        "Most mentioned organisations",
        &data.organisations,
        "#9a4a00",
    );
    out.push_str("</div>\n");
    let c = &data.cooccurrence;
    if !c.rows.is_empty() && !c.columns.is_empty() {
        let max = c.counts.iter().flatten().copied().max().unwrap_or(1);
        out.push_str("<div class=\"card\" style=\"margin-top:1rem;overflow-x:auto\"><table class=\"heat\" id=\"cooccurrence\">\
                      <caption>Mentioned together: paragraphs naming both a person or organisation and a locality</caption><thead><tr><th scope=\"col\">Person or organisation</th>");
        for column in &c.columns {
            let _ = write!(out, "<th scope=\"col\" class=\"doc\">{}</th>", esc(column));
        }
        out.push_str("</tr></thead><tbody>");
        for ((label, name), counts) in c.rows.iter().zip(&c.counts) {
            let _ = write!(
                out,
                "<tr><th scope=\"row\">{} <span class=\"mono muted\">{}</span></th>",
                esc(name),
                esc(label)
            );
            for &value in counts {
                let _ = write!(
                    out,
                    "<td class=\"h {}\">{}</td>",
                    shade(value, max),
                    heat_value(value)
                );
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table></div>\n");
    }
    out.push_str("</section>\n");
}

fn name_table(out: &mut String, id: &str, title: &str, rows: &[NameRow], colour: &str) {
    let _ = write!(
        out,
        "<div class=\"card\"><table id=\"{id}\"><caption>{}</caption><thead><tr><th scope=\"col\">Name</th>\
         <th scope=\"col\" class=\"n\">Mentions</th><th scope=\"col\" class=\"n\">Docs</th><th scope=\"col\">Often with</th></tr></thead><tbody>",
        esc(title)
    );
    if rows.is_empty() {
        out.push_str("<tr><td colspan=\"4\" class=\"muted\">None found.</td></tr>");
    }
    let max = rows.first().map_or(1, |r| r.mentions.max(1));
    for row in rows {
        let with: Vec<String> = row
            .localities
            .iter()
            .take(3)
            .map(|(_, name, n)| format!("{} <span class=\"muted\">({n})</span>", esc(name)))
            .collect();
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"n\"><div class=\"bar\" style=\"justify-content:flex-end\"><i aria-hidden=\"true\" style=\"width:{:.0}px;background:{colour}\"></i><strong>{}</strong></div></td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&row.name),
            f64::from(row.mentions) * 60.0 / f64::from(max),
            row.mentions,
            row.documents,
            if with.is_empty() {
                "<span class=\"muted\">—</span>".to_owned()
            } else {
                with.join(", ")
            }
        );
    }
    out.push_str("</tbody></table></div>");
}

fn documents(out: &mut String, data: &ReportData) {
    let _ = write!(
        out,
        "<section id=\"documents\" aria-labelledby=\"documents-h\"><h2 id=\"documents-h\">Documents \
         <span class=\"count\">{}</span></h2>\n<div class=\"card\" style=\"overflow-x:auto\"><table id=\"document-table\">\
         <thead><tr><th scope=\"col\">Document</th><th scope=\"col\">Language</th><th scope=\"col\" class=\"n\">Paragraphs</th>\
         <th scope=\"col\" class=\"n\">Words</th><th scope=\"col\">Created</th><th scope=\"col\" class=\"n\">Findings</th>",
        data.documents.len()
    );
    for (label, _, _) in LABEL_COLOURS {
        let _ = write!(out, "<th scope=\"col\" class=\"n\">{label}</th>");
    }
    out.push_str("</tr></thead><tbody>");
    for document in data.documents.iter().take(DOCUMENT_ROWS) {
        let _ = write!(
            out,
            "<tr><th scope=\"row\"><a href=\"{}\">{}</a>{}</th><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"mono\">{}</td><td class=\"n\">{}</td>",
            esc(&document.href),
            esc(&document.key),
            document
                .problem
                .as_deref()
                .map(|p| format!("<div class=\"muted\">{}</div>", esc(p)))
                .unwrap_or_default(),
            esc(language_name(&document.language)),
            document.paragraphs,
            num(document.words.into()),
            document.dct.as_deref().map_or("—".to_owned(), esc),
            if document.findings > 0 {
                format!(
                    "<strong style=\"color:var(--warn)\">{}</strong>",
                    document.findings
                )
            } else {
                "0".to_owned()
            }
        );
        for (label, _, _) in LABEL_COLOURS {
            let _ = write!(
                out,
                "<td class=\"n\">{}</td>",
                document.mentions.get(label).copied().unwrap_or(0)
            );
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    if data.documents.len() > DOCUMENT_ROWS {
        let _ = write!(
            out,
            "<p class=\"note\">The first {DOCUMENT_ROWS} documents in corpus order; the JSON file lists all {}.</p>",
            data.documents.len()
        );
    }
    out.push_str("</div></section>\n");
}

/// A column of [`table`]: its title, and whether it holds numbers (right-aligned) or codes
/// (monospaced).
#[derive(Clone, Copy)]
enum Column {
    Text(&'static str),
    Number(&'static str),
    Code(&'static str),
}

/// A plain data table: `attributes` go on `<table>` (an id), the first cell of each row is its
/// header, cells are HTML (escape text before).
fn table(
    out: &mut String,
    attributes: &str,
    caption: &str,
    columns: &[Column],
    rows: &[Vec<String>],
) {
    let _ = write!(out, "<table{attributes}>");
    if !caption.is_empty() {
        let _ = write!(out, "<caption>{}</caption>", esc(caption));
    }
    out.push_str("<thead><tr>");
    for column in columns {
        match column {
            Column::Number(title) => {
                let _ = write!(out, "<th scope=\"col\" class=\"n\">{title}</th>");
            }
            Column::Text(title) | Column::Code(title) => {
                let _ = write!(out, "<th scope=\"col\">{title}</th>");
            }
        }
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for (i, (cell, column)) in row.iter().zip(columns).enumerate() {
            let class = match column {
                Column::Number(_) => " class=\"n\"",
                Column::Code(_) => " class=\"mono\"",
                Column::Text(_) => "",
            };
            if i == 0 {
                let _ = write!(out, "<th scope=\"row\"{class}>{cell}</th>");
            } else {
                let _ = write!(out, "<td{class}>{cell}</td>");
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}

/// Escapes text for HTML content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A number with thousands separators (`12,345`).
fn num(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A number short enough for a figure tile: `128,400` → `128k`, `1,275,480` → `1.28M`.
fn compact(value: u64) -> String {
    match value {
        0..100_000 => num(value),
        100_000..1_000_000 => format!("{}k", value / 1000),
        _ => format!("{:.2}M", value as f64 / 1e6),
    }
}

/// An id-safe slug of a title.
fn slug(title: &str) -> String {
    title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}
