//! The corpus report behind `gazette report`: pure aggregation of findings, duplicates, entities
//! and dates into one [`ReportData`], and its rendering as a self-contained HTML page.
//!
//! The work is split so that a front end can stream a large corpus and never hold all texts:
//! 1. [`plan_duplicate_clusters`] groups the duplicate findings of the corpus (the same
//!    diagnostics `gazette check` prints) into clusters of copies;
//! 2. [`DocumentFacts::analyse`] reduces one document (its text, summary and reviewed entity
//!    spans) to counts, entity mentions with their paragraph, its creation date and the text of
//!    the cluster members it holds; the text can be dropped afterwards;
//! 3. [`aggregate`] joins the facts of every document into a [`ReportData`], the JSON sidecar
//!    written next to the page and read back with `--previous` for trends;
//! 4. [`html::render`] turns a [`ReportData`] into one HTML file with inline CSS and SVG.
//!
//! Everything here is a function of its inputs: no IO, no clock (the caller passes the time).

pub mod dates;
pub mod html;
pub mod world;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::gazetteer::Gazetteer;
use crate::gazetteer::fold::tokenize;
use crate::index::fold;
use crate::tag::locality::context::{ContextWords, Language, detect_language};
use crate::tag::temporal::{DctSource, analyse_temporal};
use crate::tag::{EntityLabel, EntitySpan, TaggingConfig};
use crate::text::{LineIndex, TextRange};
use crate::workspace::{DocumentSummary, Workspace};

/// Version of the [`ReportData`] JSON format. Readers reject other versions.
pub const REPORT_FORMAT_VERSION: u32 = 1;

/// How many rows the ranked tables keep (localities, persons, organisations).
const TOP_ROWS: usize = 15;
/// How many localities the report keeps (table, map points, heatmap).
const LOCALITY_ROWS: usize = 40;
/// How many localities and persons/organisations the co-occurrence matrix crosses.
const COOCCURRENCE_LOCALITIES: usize = 8;
const COOCCURRENCE_NAMES: usize = 10;
/// Longest text shown for one copy in a duplicate cluster, in characters.
const SNIPPET_CHARS: usize = 320;

/// Everything the report shows; also the JSON sidecar (`report.json`) read back for trends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportData {
    /// [`REPORT_FORMAT_VERSION`].
    pub version: u32,
    /// The page title (the corpus paths).
    pub title: String,
    /// When the report was made (RFC 3339, UTC), as given by the caller.
    pub generated: Option<String>,
    /// Totals.
    pub overview: Overview,
    /// Findings per rule, for every rule `gazette check` runs, in code order.
    pub findings: Vec<RuleCount>,
    /// One row per document, in corpus order.
    pub documents: Vec<DocumentRow>,
    /// Clusters of duplicated paragraphs, largest first.
    pub duplicates: Vec<DuplicateCluster>,
    /// The most mentioned localities.
    pub localities: Vec<LocalityRow>,
    /// Locality mentions per country (ISO 3166-1 alpha-2), most first.
    pub countries: Vec<CountryCount>,
    /// The languages whose names the locality table shows.
    pub name_languages: Vec<String>,
    /// Dates mentioned and documents by creation date.
    pub dates: dates::DatesSection,
    /// The most mentioned persons.
    pub persons: Vec<NameRow>,
    /// The most mentioned organisations.
    pub organisations: Vec<NameRow>,
    /// Paragraphs in which persons or organisations and localities are mentioned together.
    pub cooccurrence: Cooccurrence,
    /// The previous report's figures, when one was given.
    pub previous: Option<PreviousFigures>,
}

/// Corpus totals.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    /// Documents analysed (readable or not).
    pub documents: u32,
    /// Documents that are not readable text (GZ900).
    pub unreadable: u32,
    /// Paragraphs in readable documents.
    pub paragraphs: u32,
    /// Words after normalisation.
    pub words: u64,
    /// Findings of every rule.
    pub findings: u32,
    /// Paragraphs that belong to a duplicate cluster.
    pub duplicated_paragraphs: u32,
    /// Documents per detected language, most first.
    pub languages: Vec<LanguageCount>,
    /// Entity mentions per label (`LOC`, `PER`, `ORG`, `DATE`, `DURATION`).
    pub mentions: BTreeMap<String, u32>,
    /// Distinct localities mentioned.
    pub distinct_localities: u32,
    /// Mentions that come from an accepted annotation of a curator.
    pub reviewed_mentions: u32,
}

/// Documents in one language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageCount {
    /// BCP 47 code (`en`, `vi`, `pl`, `ko`, `ja`) or `und`.
    pub code: String,
    /// English name of the language.
    pub name: String,
    /// Documents detected in it.
    pub documents: u32,
    /// Their paragraphs.
    pub paragraphs: u32,
}

/// Findings of one rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleCount {
    /// Stable code (`GZ001`).
    pub code: String,
    /// Rule name (`duplicate-paragraph`).
    pub name: String,
    /// What the rule flags.
    pub summary: String,
    /// Findings.
    pub count: u32,
}

/// One document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRow {
    /// Corpus key (the path as walked, with `/`).
    pub key: String,
    /// Link to the file from the page.
    pub href: String,
    /// Detected language code.
    pub language: String,
    /// Paragraphs.
    pub paragraphs: u32,
    /// Words.
    pub words: u32,
    /// Document creation time (`2016-10-17`), when stated or configured.
    pub dct: Option<String>,
    /// Findings in this document.
    pub findings: u32,
    /// Mentions per label.
    pub mentions: BTreeMap<String, u32>,
    /// Why the document could not be read.
    pub problem: Option<String>,
}

/// A group of paragraphs that repeat each other.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DuplicateCluster {
    /// `exact` (same text after normalisation) or `near` (similar word bigrams).
    pub kind: String,
    /// Whether the copies are in more than one document.
    pub across_documents: bool,
    /// Lowest estimated similarity between near-duplicate copies (1.0 for exact clusters).
    pub similarity: f64,
    /// The rule codes that reported the copies.
    pub codes: Vec<String>,
    /// The copies, in corpus order (the first is the original).
    pub members: Vec<ClusterMember>,
}

/// One copy in a duplicate cluster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterMember {
    /// Document key.
    pub document: String,
    /// Link to the file.
    pub href: String,
    /// First line, 1-based.
    pub first_line: u32,
    /// Last line, 1-based.
    pub last_line: u32,
    /// The text (shortened to a few hundred characters).
    pub text: String,
}

/// A locality and how often it is mentioned.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LocalityRow {
    /// Gazetteer id (`VN:da-nang`).
    pub id: String,
    /// Display name (English when the gazetteer has one).
    pub name: String,
    /// Place kind (`city`, `country`...), empty when not in the gazetteer.
    pub kind: String,
    /// Country code.
    pub country: String,
    /// Latitude and longitude.
    pub coordinates: Option<(f64, f64)>,
    /// Mentions in the corpus.
    pub mentions: u32,
    /// Documents mentioning it.
    pub documents: u32,
    /// Name in each of [`ReportData::name_languages`] (`None`: no name in that language).
    pub names: Vec<Option<String>>,
    /// Forms written in the corpus, most frequent first.
    pub surfaces: Vec<(String, u32)>,
    /// Mentions per document that mentions it: (index in [`ReportData::documents`], mentions),
    /// by index.
    pub per_document: Vec<(u32, u32)>,
}

impl LocalityRow {
    /// Mentions in the document at `index` of [`ReportData::documents`].
    pub fn mentions_in(&self, index: usize) -> u32 {
        self.per_document
            .binary_search_by_key(&(index as u32), |(i, _)| *i)
            .map_or(0, |at| self.per_document[at].1)
    }
}

/// Locality mentions in one country.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryCount {
    /// ISO 3166-1 alpha-2 code.
    pub country: String,
    /// Country name.
    pub name: String,
    /// Mentions of the country and of places in it.
    pub mentions: u32,
}

/// A person or organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameRow {
    /// `PER` or `ORG`.
    pub label: String,
    /// Normalised key.
    pub norm: String,
    /// The longest of the most frequent forms.
    pub name: String,
    /// Mentions.
    pub mentions: u32,
    /// Documents.
    pub documents: u32,
    /// Localities mentioned in the same paragraphs, most first (id, display name, paragraphs).
    pub localities: Vec<(String, String, u32)>,
}

/// Paragraph co-occurrence of persons/organisations (rows) and localities (columns).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cooccurrence {
    /// Row names (`Huynh Duc Tho`), with their label.
    pub rows: Vec<(String, String)>,
    /// Column names (localities).
    pub columns: Vec<String>,
    /// Paragraphs mentioning both, `counts[row][column]`.
    pub counts: Vec<Vec<u32>>,
}

/// Figures of the previous report, for trends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PreviousFigures {
    /// When the previous report was made.
    pub generated: Option<String>,
    /// Its totals.
    pub overview: Overview,
    /// Its findings per rule code.
    pub findings: BTreeMap<String, u32>,
}

/// A document as the report's front end read it.
pub struct DocumentInput<'a> {
    /// Corpus key (as in the [`Workspace`]).
    pub key: &'a str,
    /// Link to the file from the page (relative to the page, or a URL).
    pub href: &'a str,
    /// The text; `None` when it is not readable.
    pub text: Option<&'a str>,
    /// Its summary (paragraphs, words).
    pub summary: &'a DocumentSummary,
    /// Entity spans after review (suggestions with curators' decisions applied).
    pub spans: &'a [EntitySpan],
    /// How many of `spans` come from accepted annotations.
    pub reviewed_spans: u32,
    /// The tagging configuration (for the document creation time).
    pub tagging: &'a TaggingConfig,
    /// Ranges whose text and lines the duplicate clusters need (see [`ClusterPlan::wanted`]).
    pub wanted: &'a [TextRange],
}

/// One entity mention, reduced to what the report counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FactMention {
    /// Label.
    pub label: EntityLabel,
    /// Normalised value, or the folded surface when the tagger gave none.
    pub norm: String,
    /// The text as written.
    pub surface: String,
    /// Index of the paragraph holding the mention (`u32::MAX`: outside every paragraph).
    pub paragraph: u32,
}

/// The text of a range a duplicate cluster shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    /// The range.
    pub range: TextRange,
    /// First line, 1-based.
    pub first_line: u32,
    /// Last line, 1-based.
    pub last_line: u32,
    /// The text, shortened.
    pub text: String,
}

/// What the report keeps of one document once its text is dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentFacts {
    /// Corpus key.
    pub key: String,
    /// Link to the file.
    pub href: String,
    /// Detected language code (`und` when unknown or unreadable).
    pub language: &'static str,
    /// Paragraphs.
    pub paragraphs: u32,
    /// Words.
    pub words: u32,
    /// Why the document is not readable.
    pub problem: Option<String>,
    /// Document creation time, and whether the configuration (rather than the text) gave it.
    pub dct: Option<(String, bool)>,
    /// Mentions in text order.
    pub mentions: Vec<FactMention>,
    /// Mentions from accepted annotations.
    pub reviewed_mentions: u32,
    /// Texts of the wanted ranges.
    pub snippets: Vec<Snippet>,
}

impl DocumentFacts {
    /// Reduces one document to its facts. `context` is built once per corpus
    /// (`ContextWords::new()`), it holds the function words of the language guesser.
    pub fn analyse(input: &DocumentInput<'_>, context: &ContextWords) -> DocumentFacts {
        let paragraphs = input.summary.paragraphs();
        let mut facts = DocumentFacts {
            key: input.key.to_owned(),
            href: input.href.to_owned(),
            language: "und",
            paragraphs: paragraphs.len() as u32,
            words: paragraphs.iter().map(|p| p.words).sum(),
            problem: input.summary.problem().map(ToString::to_string),
            dct: None,
            mentions: Vec::new(),
            reviewed_mentions: input.reviewed_spans,
            snippets: Vec::new(),
        };
        let Some(text) = input.text.filter(|_| facts.problem.is_none()) else {
            return facts;
        };
        facts.language = language_code(detect_language(text, &tokenize(text), context));
        facts.dct = analyse_temporal(text, input.tagging)
            .dct
            .map(|dct| (dct.date.timex(), dct.source == DctSource::Config));
        let paragraph_of = |offset: u32| -> u32 {
            let index = paragraphs.partition_point(|p| p.range.end <= offset);
            match paragraphs.get(index) {
                Some(p) if p.range.start <= offset => index as u32,
                _ => u32::MAX,
            }
        };
        facts.mentions = input
            .spans
            .iter()
            .filter_map(|span| {
                let surface = text.get(span.range.to_usize())?;
                let norm = match &span.norm {
                    Some(norm) if !norm.is_empty() => norm.clone(),
                    _ => fold(surface),
                };
                Some(FactMention {
                    label: span.label,
                    norm,
                    surface: surface.to_owned(),
                    paragraph: paragraph_of(span.range.start),
                })
            })
            .collect();
        if !input.wanted.is_empty() {
            let lines = LineIndex::new(text);
            facts.snippets = input
                .wanted
                .iter()
                .filter_map(|&range| {
                    let written = text.get(range.to_usize())?;
                    let last = range.end.saturating_sub(1).max(range.start);
                    Some(Snippet {
                        range,
                        first_line: lines.line_column(text, range.start).line,
                        last_line: lines.line_column(text, last).line,
                        text: shorten(written, SNIPPET_CHARS),
                    })
                })
                .collect();
        }
        facts
    }
}

/// The BCP 47 code of a detected language.
fn language_code(language: Language) -> &'static str {
    match language {
        Language::English => "en",
        Language::Vietnamese => "vi",
        Language::Polish => "pl",
        Language::Korean => "ko",
        Language::Japanese => "ja",
        Language::Other => "und",
    }
}

/// The English name of a language code.
pub fn language_name(code: &str) -> &'static str {
    match code {
        "en" => "English",
        "vi" => "Vietnamese",
        "pl" => "Polish",
        "ko" => "Korean",
        "ja" => "Japanese",
        _ => "Undetermined",
    }
}

/// At most `limit` characters of `text`, whitespace runs collapsed, with `…` when cut.
fn shorten(text: &str, limit: usize) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match collapsed.char_indices().nth(limit) {
        Some((cut, _)) => format!("{}…", collapsed[..cut].trim_end()),
        None => collapsed,
    }
}

/// A planned duplicate cluster: its copies as byte ranges, before their text is read.
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterPlan {
    /// `exact` or `near`.
    pub kind: &'static str,
    /// Lowest similarity between near copies (1.0 when exact).
    pub similarity: f64,
    /// Rule codes involved, sorted.
    pub codes: Vec<String>,
    /// Copies in corpus order.
    pub members: Vec<(String, TextRange)>,
}

impl ClusterPlan {
    /// The ranges of document `key` whose text the cluster shows.
    pub fn wanted(plans: &[ClusterPlan], key: &str) -> Vec<TextRange> {
        let mut ranges: Vec<TextRange> = plans
            .iter()
            .flat_map(|plan| &plan.members)
            .filter(|(document, _)| document == key)
            .map(|(_, range)| *range)
            .collect();
        ranges.sort_by_key(|r| (r.start, r.end));
        ranges.dedup();
        ranges
    }
}

/// Groups the duplicate findings (GZ001, GZ002, GZ003) into clusters of copies: a finding and
/// its related locations are copies of each other, and copies shared by two findings join their
/// clusters. Near-duplicate clusters get the lowest MinHash similarity between their copies.
pub fn plan_duplicate_clusters(
    diagnostics: &[Diagnostic],
    workspace: &Workspace,
) -> Vec<ClusterPlan> {
    const DUPLICATE_CODES: [&str; 3] = ["GZ001", "GZ002", "GZ003"];
    let mut nodes: Vec<(String, TextRange)> = Vec::new();
    let mut ids: HashMap<(String, TextRange), usize> = HashMap::new();
    let mut parent: Vec<usize> = Vec::new();
    let mut node = |document: &str, range: TextRange, parent: &mut Vec<usize>| -> usize {
        *ids.entry((document.to_owned(), range)).or_insert_with(|| {
            nodes.push((document.to_owned(), range));
            parent.push(parent.len());
            parent.len() - 1
        })
    };
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut edges: Vec<(usize, usize, &'static str)> = Vec::new();
    for diagnostic in diagnostics
        .iter()
        .filter(|d| DUPLICATE_CODES.contains(&d.code))
    {
        let a = node(&diagnostic.document, diagnostic.range, &mut parent);
        for related in &diagnostic.related {
            let b = node(&related.document, related.range, &mut parent);
            edges.push((a, b, diagnostic.code));
        }
        if diagnostic.related.is_empty() {
            edges.push((a, a, diagnostic.code));
        }
    }
    for &(a, b, _) in &edges {
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let mut clusters: BTreeMap<usize, (Vec<usize>, HashSet<&'static str>, f64)> = BTreeMap::new();
    for i in 0..nodes.len() {
        let r = root(&mut parent, i);
        clusters
            .entry(r)
            .or_insert_with(|| (Vec::new(), HashSet::new(), 1.0))
            .0
            .push(i);
    }
    for &(a, b, code) in &edges {
        let r = root(&mut parent, a);
        let cluster = clusters.get_mut(&r).expect("every node has a cluster");
        cluster.1.insert(code);
        if code == "GZ003" {
            if let Some(similarity) = near_similarity(workspace, &nodes[a], &nodes[b]) {
                cluster.2 = cluster.2.min(similarity);
            }
        }
    }
    let mut plans: Vec<ClusterPlan> = clusters
        .into_values()
        .map(|(members, codes, similarity)| {
            let mut members: Vec<(String, TextRange)> =
                members.into_iter().map(|i| nodes[i].clone()).collect();
            members.sort_by(|a, b| (&a.0, a.1.start).cmp(&(&b.0, b.1.start)));
            let mut codes: Vec<String> = codes.into_iter().map(str::to_owned).collect();
            codes.sort();
            let near = codes.iter().any(|c| c == "GZ003");
            ClusterPlan {
                kind: if near { "near" } else { "exact" },
                similarity: if near { similarity } else { 1.0 },
                codes,
                members,
            }
        })
        .collect();
    plans.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then_with(|| a.members.cmp(&b.members))
    });
    plans
}

/// The MinHash similarity of two paragraphs, when both are single paragraphs with signatures.
fn near_similarity(
    workspace: &Workspace,
    a: &(String, TextRange),
    b: &(String, TextRange),
) -> Option<f64> {
    let signature = |(document, range): &(String, TextRange)| {
        let summary = workspace.summary(document)?;
        let index = summary
            .paragraphs()
            .iter()
            .position(|p| p.range == *range)?;
        summary.signature(index)
    };
    Some(crate::minhash::similarity(signature(a)?, signature(b)?))
}

/// Everything [`aggregate`] needs besides the documents.
pub struct AggregateInput<'a> {
    /// Page title.
    pub title: &'a str,
    /// When the report is made (RFC 3339), if the caller wants it shown.
    pub generated: Option<&'a str>,
    /// Findings, as `gazette check` reports them.
    pub diagnostics: &'a [Diagnostic],
    /// Duplicate clusters from [`plan_duplicate_clusters`].
    pub clusters: &'a [ClusterPlan],
    /// For coordinates and names of localities.
    pub gazetteer: &'a Gazetteer,
    /// The previous report, for trends.
    pub previous: Option<&'a ReportData>,
}

/// Joins the facts of every document (in corpus order) into the report.
pub fn aggregate(facts: &[DocumentFacts], input: &AggregateInput<'_>) -> ReportData {
    let document_index: HashMap<&str, usize> = facts
        .iter()
        .enumerate()
        .map(|(i, f)| (f.key.as_str(), i))
        .collect();

    // Findings per rule and per document.
    let mut per_rule: BTreeMap<&str, u32> = BTreeMap::new();
    let mut per_document = vec![0u32; facts.len()];
    for diagnostic in input.diagnostics {
        *per_rule.entry(diagnostic.code).or_default() += 1;
        if let Some(&i) = document_index.get(diagnostic.document.as_str()) {
            per_document[i] += 1;
        }
    }
    let findings: Vec<RuleCount> = crate::registry::RULES
        .iter()
        // GZ901 (orphaned annotations) belongs to the review tools, not to `gazette check`.
        .filter(|rule| rule.code != crate::rules::orphaned_annotation::META.code)
        .map(|rule| RuleCount {
            code: rule.code.to_owned(),
            name: rule.name.to_owned(),
            summary: rule.summary.to_owned(),
            count: per_rule.get(rule.code).copied().unwrap_or(0),
        })
        .collect();

    // Documents, languages, mentions per label.
    let mut overview = Overview {
        documents: facts.len() as u32,
        findings: input.diagnostics.len() as u32,
        ..Overview::default()
    };
    let mut languages: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    let mut documents = Vec::with_capacity(facts.len());
    for (i, fact) in facts.iter().enumerate() {
        overview.unreadable += u32::from(fact.problem.is_some());
        overview.paragraphs += fact.paragraphs;
        overview.words += u64::from(fact.words);
        overview.reviewed_mentions += fact.reviewed_mentions;
        if fact.problem.is_none() {
            let entry = languages.entry(fact.language).or_default();
            entry.0 += 1;
            entry.1 += fact.paragraphs;
        }
        let mut mentions: BTreeMap<String, u32> = BTreeMap::new();
        for mention in &fact.mentions {
            *mentions
                .entry(mention.label.as_str().to_owned())
                .or_default() += 1;
            *overview
                .mentions
                .entry(mention.label.as_str().to_owned())
                .or_default() += 1;
        }
        documents.push(DocumentRow {
            key: fact.key.clone(),
            href: fact.href.clone(),
            language: fact.language.to_owned(),
            paragraphs: fact.paragraphs,
            words: fact.words,
            dct: fact.dct.as_ref().map(|(date, _)| date.clone()),
            findings: per_document[i],
            mentions,
            problem: fact.problem.clone(),
        });
    }
    let mut languages: Vec<LanguageCount> = languages
        .into_iter()
        .map(|(code, (documents, paragraphs))| LanguageCount {
            code: code.to_owned(),
            name: language_name(code).to_owned(),
            documents,
            paragraphs,
        })
        .collect();
    languages.sort_by(|a, b| b.documents.cmp(&a.documents).then(a.code.cmp(&b.code)));
    overview.languages = languages;

    let duplicates = duplicate_clusters(facts, &document_index, input.clusters);
    overview.duplicated_paragraphs = duplicates.iter().map(|c| c.members.len() as u32).sum();

    let name_languages = name_languages(&overview.languages);
    let (localities, countries, distinct) = localities(facts, input.gazetteer, &name_languages);
    overview.distinct_localities = distinct;
    let (persons, organisations, cooccurrence) = names_and_cooccurrence(facts, input.gazetteer);

    ReportData {
        version: REPORT_FORMAT_VERSION,
        title: input.title.to_owned(),
        generated: input.generated.map(str::to_owned),
        overview,
        findings,
        documents,
        duplicates,
        localities,
        countries,
        name_languages,
        dates: dates::section(facts),
        persons,
        organisations,
        cooccurrence,
        previous: input.previous.map(|previous| PreviousFigures {
            generated: previous.generated.clone(),
            overview: previous.overview.clone(),
            findings: previous
                .findings
                .iter()
                .map(|rule| (rule.code.clone(), rule.count))
                .collect(),
        }),
    }
}

/// Fills the planned clusters with the text and lines of their copies.
fn duplicate_clusters(
    facts: &[DocumentFacts],
    document_index: &HashMap<&str, usize>,
    plans: &[ClusterPlan],
) -> Vec<DuplicateCluster> {
    plans
        .iter()
        .map(|plan| {
            let members: Vec<ClusterMember> = plan
                .members
                .iter()
                .map(|(document, range)| {
                    let fact = document_index.get(document.as_str()).map(|&i| &facts[i]);
                    let snippet = fact.and_then(|f| f.snippets.iter().find(|s| s.range == *range));
                    ClusterMember {
                        document: document.clone(),
                        href: fact.map_or_else(String::new, |f| f.href.clone()),
                        first_line: snippet.map_or(0, |s| s.first_line),
                        last_line: snippet.map_or(0, |s| s.last_line),
                        text: snippet.map_or_else(String::new, |s| s.text.clone()),
                    }
                })
                .collect();
            let documents: HashSet<&str> = members.iter().map(|m| m.document.as_str()).collect();
            DuplicateCluster {
                kind: plan.kind.to_owned(),
                across_documents: documents.len() > 1,
                similarity: plan.similarity,
                codes: plan.codes.clone(),
                members,
            }
        })
        .collect()
}

/// The languages whose names the locality table shows: English, then the corpus's languages.
fn name_languages(languages: &[LanguageCount]) -> Vec<String> {
    let mut codes = vec!["en".to_owned()];
    for language in languages {
        if language.code != "und" && !codes.contains(&language.code) {
            codes.push(language.code.clone());
        }
    }
    codes
}

/// The name a place is shown under: English if the gazetteer has it, else canonical.
fn place_name(gazetteer: &Gazetteer, id: &str) -> Option<String> {
    let place = gazetteer.get(id)?;
    Some(
        place
            .name_in("en")
            .unwrap_or_else(|| place.canonical_name())
            .to_owned(),
    )
}

/// The most mentioned localities, mentions per country, and the number of distinct localities.
fn localities(
    facts: &[DocumentFacts],
    gazetteer: &Gazetteer,
    name_languages: &[String],
) -> (Vec<LocalityRow>, Vec<CountryCount>, u32) {
    let mut by_id: HashMap<&str, (BTreeMap<u32, u32>, BTreeMap<&str, u32>)> = HashMap::new();
    for (i, fact) in facts.iter().enumerate() {
        for mention in fact.mentions.iter().filter(|m| m.label == EntityLabel::Loc) {
            let entry = by_id.entry(mention.norm.as_str()).or_default();
            *entry.0.entry(i as u32).or_default() += 1;
            *entry.1.entry(mention.surface.as_str()).or_default() += 1;
        }
    }
    let distinct = by_id.len() as u32;
    let mut countries: BTreeMap<String, u32> = BTreeMap::new();
    let mut rows: Vec<LocalityRow> = by_id
        .into_iter()
        .map(|(id, (per_document, surfaces))| {
            let place = gazetteer.get(id);
            let mentions: u32 = per_document.values().sum();
            if let Some(place) = place.filter(|p| !p.country.is_empty()) {
                *countries.entry(place.country.clone()).or_default() += mentions;
            }
            let mut surfaces: Vec<(String, u32)> = surfaces
                .into_iter()
                .map(|(s, n)| (s.to_owned(), n))
                .collect();
            surfaces.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            LocalityRow {
                id: id.to_owned(),
                name: place_name(gazetteer, id)
                    .unwrap_or_else(|| surfaces.first().map_or_else(String::new, |s| s.0.clone())),
                kind: place.map_or_else(String::new, |p| p.kind.as_str().to_owned()),
                country: place.map_or_else(String::new, |p| p.country.clone()),
                coordinates: place
                    .and_then(|p| p.coordinates.as_ref())
                    .map(|c| (c.lat, c.lon)),
                mentions,
                documents: per_document.len() as u32,
                names: name_languages
                    .iter()
                    .map(|lang| place.and_then(|p| p.name_in(lang)).map(str::to_owned))
                    .collect(),
                surfaces,
                per_document: per_document.into_iter().collect(),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.mentions
            .cmp(&a.mentions)
            .then(b.documents.cmp(&a.documents))
            .then_with(|| a.id.cmp(&b.id))
    });
    rows.truncate(LOCALITY_ROWS);
    let mut countries: Vec<CountryCount> = countries
        .into_iter()
        .map(|(country, mentions)| CountryCount {
            name: place_name(gazetteer, &country).unwrap_or_else(|| country.clone()),
            country,
            mentions,
        })
        .collect();
    countries.sort_by(|a, b| {
        b.mentions
            .cmp(&a.mentions)
            .then_with(|| a.country.cmp(&b.country))
    });
    (rows, countries, distinct)
}

/// Persons and organisations ranked by mentions, with the localities of their paragraphs, and
/// the co-occurrence matrix of the top ones.
fn names_and_cooccurrence(
    facts: &[DocumentFacts],
    gazetteer: &Gazetteer,
) -> (Vec<NameRow>, Vec<NameRow>, Cooccurrence) {
    struct Tally<'f> {
        mentions: u32,
        documents: HashSet<usize>,
        surfaces: BTreeMap<&'f str, u32>,
        paragraphs: HashSet<(usize, u32)>,
    }
    let mut names: BTreeMap<(EntityLabel, &str), Tally<'_>> = BTreeMap::new();
    let mut locality_paragraphs: HashMap<(usize, u32), HashSet<&str>> = HashMap::new();
    let mut locality_mentions: HashMap<&str, u32> = HashMap::new();
    for (i, fact) in facts.iter().enumerate() {
        for mention in &fact.mentions {
            match mention.label {
                EntityLabel::Per | EntityLabel::Org => {
                    let tally = names
                        .entry((mention.label, mention.norm.as_str()))
                        .or_insert_with(|| Tally {
                            mentions: 0,
                            documents: HashSet::new(),
                            surfaces: BTreeMap::new(),
                            paragraphs: HashSet::new(),
                        });
                    tally.mentions += 1;
                    tally.documents.insert(i);
                    *tally.surfaces.entry(mention.surface.as_str()).or_default() += 1;
                    if mention.paragraph != u32::MAX {
                        tally.paragraphs.insert((i, mention.paragraph));
                    }
                }
                EntityLabel::Loc => {
                    *locality_mentions.entry(mention.norm.as_str()).or_default() += 1;
                    if mention.paragraph != u32::MAX {
                        locality_paragraphs
                            .entry((i, mention.paragraph))
                            .or_default()
                            .insert(mention.norm.as_str());
                    }
                }
                EntityLabel::Date | EntityLabel::Duration => {}
            }
        }
    }
    let locality_name = |id: &str| place_name(gazetteer, id).unwrap_or_else(|| id.to_owned());
    let mut rows: Vec<NameRow> = names
        .iter()
        .map(|((label, norm), tally)| {
            // The display name: the longest form, as articles name a person or organisation
            // in full once and then by a short form ("Huynh Duc Tho", then "Tho").
            let name = tally
                .surfaces
                .iter()
                .max_by_key(|(s, n)| (s.chars().count(), **n, std::cmp::Reverse(**s)))
                .map_or(*norm, |(s, _)| *s)
                .to_owned();
            let mut together: HashMap<&str, u32> = HashMap::new();
            for paragraph in &tally.paragraphs {
                for &locality in locality_paragraphs.get(paragraph).into_iter().flatten() {
                    *together.entry(locality).or_default() += 1;
                }
            }
            let mut together: Vec<(&str, u32)> = together.into_iter().collect();
            together.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
            together.truncate(5);
            NameRow {
                label: label.as_str().to_owned(),
                norm: (*norm).to_owned(),
                name,
                mentions: tally.mentions,
                documents: tally.documents.len() as u32,
                localities: together
                    .into_iter()
                    .map(|(id, n)| (id.to_owned(), locality_name(id), n))
                    .collect(),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.mentions
            .cmp(&a.mentions)
            .then(b.documents.cmp(&a.documents))
            .then_with(|| a.name.cmp(&b.name))
    });

    // The matrix crosses the most mentioned names with the most mentioned localities.
    let mut top_localities: Vec<(&str, u32)> = locality_mentions.into_iter().collect();
    top_localities.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    top_localities.truncate(COOCCURRENCE_LOCALITIES);
    let matrix_rows: Vec<&NameRow> = rows.iter().take(COOCCURRENCE_NAMES).collect();
    let cooccurrence = Cooccurrence {
        rows: matrix_rows
            .iter()
            .map(|row| (row.label.clone(), row.name.clone()))
            .collect(),
        columns: top_localities
            .iter()
            .map(|(id, _)| locality_name(id))
            .collect(),
        counts: matrix_rows
            .iter()
            .map(|row| {
                let tally = &names[&(
                    if row.label == "PER" {
                        EntityLabel::Per
                    } else {
                        EntityLabel::Org
                    },
                    row.norm.as_str(),
                )];
                top_localities
                    .iter()
                    .map(|(id, _)| {
                        tally
                            .paragraphs
                            .iter()
                            .filter(|p| locality_paragraphs.get(p).is_some_and(|l| l.contains(id)))
                            .count() as u32
                    })
                    .collect()
            })
            .collect(),
    };
    let (mut persons, mut organisations): (Vec<NameRow>, Vec<NameRow>) =
        rows.into_iter().partition(|row| row.label == "PER");
    persons.truncate(TOP_ROWS);
    organisations.truncate(TOP_ROWS);
    (persons, organisations, cooccurrence)
}

#[cfg(test)]
mod tests;
