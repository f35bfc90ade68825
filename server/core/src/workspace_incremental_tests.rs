//! Tests of the editor's incremental path through the workspace ([`DocumentSummary::reusing`],
//! [`Workspace::replace_summary`], [`Workspace::affected_by`]) against the plain one: after any
//! sequence of edits, every document's findings equal those of a workspace built from scratch,
//! and every document whose findings changed was reported as affected.

use super::*;

/// A small deterministic generator: the same edits on every machine.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

/// Few words, so that exact copies, near duplicates and shared LSH bands are all common.
const WORDS: &[&str] = &[
    "Da",
    "Nang",
    "Đà",
    "Nẵng",
    "Daegu",
    "대구",
    "city",
    "delegation",
    "signed",
    "memorandum",
    "cooperation",
    "tourism",
    "students",
    "exchange",
    "the",
    "of",
];

fn paragraph(rng: &mut Lcg) -> String {
    let words = 6 + rng.next() % 14;
    let text: Vec<&str> = (0..words)
        .map(|_| WORDS[rng.next() % WORDS.len()])
        .collect();
    text.join(" ")
}

/// One edit of a document's paragraphs, as an editor would make it.
fn edit(rng: &mut Lcg, paragraphs: &mut Vec<String>, elsewhere: &[Vec<String>]) -> &'static str {
    let at = rng.next() % paragraphs.len().max(1);
    match rng.next() % 7 {
        0 if !paragraphs.is_empty() => {
            paragraphs[at].push('x');
            "type a letter"
        }
        1 if !paragraphs.is_empty() => {
            let word = WORDS[rng.next() % WORDS.len()];
            paragraphs[at] = paragraphs[at].replacen(' ', &format!(" {word} "), 1);
            "insert a word"
        }
        2 if paragraphs.len() > 1 => {
            paragraphs.remove(at);
            "delete a paragraph"
        }
        3 if !paragraphs.is_empty() => {
            let copy = paragraphs[at].clone();
            paragraphs.insert(rng.next() % (paragraphs.len() + 1), copy);
            "copy a paragraph of the document"
        }
        4 => {
            let other = &elsewhere[rng.next() % elsewhere.len()];
            if let Some(copy) = other.get(rng.next() % other.len().max(1)) {
                paragraphs.insert(at, copy.clone());
            }
            "paste a paragraph of another document"
        }
        5 if !paragraphs.is_empty() => {
            // Two paragraphs become one block of two lines.
            let next = paragraphs.get(at + 1).cloned().unwrap_or_default();
            paragraphs[at] = format!("{}\n{next}", paragraphs[at]);
            if at + 1 < paragraphs.len() {
                paragraphs.remove(at + 1);
            }
            "join two paragraphs"
        }
        _ => {
            paragraphs.insert(at, paragraph(rng));
            "write a new paragraph"
        }
    }
}

fn text_of(paragraphs: &[String]) -> String {
    paragraphs.join("\n\n") + "\n"
}

fn all_diagnostics(workspace: &Workspace) -> Vec<(String, Vec<Diagnostic>)> {
    workspace
        .keys()
        .into_iter()
        .map(|key| {
            let diagnostics = workspace.diagnostics(&key);
            (key, diagnostics)
        })
        .collect()
}

fn relates_to(diagnostics: &[Diagnostic], key: &str) -> bool {
    diagnostics.iter().any(|diagnostic| {
        diagnostic.related.iter().any(|r| r.document == key)
            || diagnostic
                .fix
                .iter()
                .flat_map(|fix| &fix.edits)
                .any(|edit| edit.document == key)
    })
}

/// Runs `edits` random edits on random documents of a random corpus (seed `seed`), checking
/// after each one what the module documentation says.
fn check_random_edits(seed: u64, documents: usize, edits: usize) {
    let mut rng = Lcg(seed);
    let config = Config::default();
    let mut corpus: Vec<Vec<String>> = (0..documents)
        .map(|_| {
            (0..2 + rng.next() % 6)
                .map(|_| paragraph(&mut rng))
                .collect()
        })
        .collect();
    let key = |index: usize| format!("doc{index:02}.txt");
    let mut workspace = Workspace::new(config.clone());
    workspace.extend(corpus.iter().enumerate().map(|(index, paragraphs)| {
        (
            key(index),
            DocumentSummary::new(&text_of(paragraphs), &config),
        )
    }));
    let mut normalizer = Normalizer::new();
    for step in 0..edits {
        let edited = rng.next() % documents;
        let before_text = text_of(&corpus[edited]);
        let before = all_diagnostics(&workspace);
        let mut paragraphs = corpus[edited].clone();
        let what = edit(&mut rng, &mut paragraphs, &corpus);
        let after_text = text_of(&paragraphs);
        corpus[edited] = paragraphs;
        let context = format!("seed {seed}, step {step}: {what} in {}", key(edited));

        let previous = workspace.summary(&key(edited)).unwrap().clone();
        let summary = DocumentSummary::reusing(
            &after_text,
            &config,
            &mut normalizer,
            &previous,
            &before_text,
        );
        assert_eq!(
            summary,
            DocumentSummary::new(&after_text, &config),
            "{context}"
        );
        let changes = workspace.replace_summary(&key(edited), summary);
        let affected = workspace.affected_by(&key(edited), &changes);

        let mut fresh = Workspace::new(config.clone());
        for (index, paragraphs) in corpus.iter().enumerate() {
            fresh.set_document(&key(index), &text_of(paragraphs));
        }
        let after = all_diagnostics(&workspace);
        assert_eq!(after, all_diagnostics(&fresh), "{context}");
        for ((other, was), (_, now)) in before.iter().zip(&after) {
            if *other == key(edited) || was == now {
                continue;
            }
            assert!(
                affected.contains(other) || relates_to(was, &key(edited)),
                "{context}: the findings of {other} changed but it was not reported as affected"
            );
        }
    }
}

#[test]
fn incremental_edits_agree_with_a_workspace_built_from_scratch() {
    for seed in 1..=12 {
        check_random_edits(seed, 12, 40);
    }
}

#[test]
fn an_unchanged_document_changes_nothing() {
    let config = Config::default();
    let text = "Da Nang signed a memorandum with Daegu on tourism.\n\nDa Nang signed a memorandum with Daegu on tourism.\n";
    let mut workspace = Workspace::new(config.clone());
    workspace.set_document("a.txt", text);
    workspace.set_document("b.txt", text);
    let changes = workspace.replace_summary("a.txt", DocumentSummary::new(text, &config));
    assert!(changes.is_empty());
    assert_eq!(
        workspace.affected_by("a.txt", &changes),
        Vec::<String>::new()
    );
    let edited = text.replacen("tourism", "students", 1);
    let changes = workspace.replace_summary("a.txt", DocumentSummary::new(&edited, &config));
    // The edited paragraph's old and new fingerprints; b.txt holds the old one.
    assert_eq!(changes.fingerprints.len(), 2);
    assert_eq!(workspace.affected_by("a.txt", &changes), ["b.txt"]);
}
