//! Data-driven tests of every rule over small in-memory corpora, through the [`Workspace`] API.

use expect_test::{Expect, expect};

use crate::config::Config;
use crate::text::{DecodeProblem, LineIndex};
use crate::workspace::Workspace;

/// Loads `documents` (key, text) into a workspace and renders every diagnostic with its related
/// locations and fix, one per line, in corpus order.
fn render(config: Config, documents: &[(&str, &str)]) -> String {
    let mut workspace = Workspace::new(config);
    for (key, text) in documents {
        workspace.set_document(key, text);
    }
    render_workspace(&workspace, documents)
}

fn render_workspace(workspace: &Workspace, documents: &[(&str, &str)]) -> String {
    let text_of = |key: &str| documents.iter().find(|(k, _)| *k == key).unwrap().1;
    let position = |key: &str, offset: u32| {
        let text = text_of(key);
        let at = LineIndex::new(text).line_column(text, offset);
        format!("{key}:{}:{}", at.line, at.column)
    };
    let mut out = String::new();
    for key in workspace.keys() {
        for diagnostic in workspace.diagnostics(&key) {
            out += &format!(
                "{} {} {}\n",
                position(&key, diagnostic.range.start),
                diagnostic.code,
                diagnostic.message
            );
            for related in &diagnostic.related {
                out += &format!(
                    "    related {} {}\n",
                    position(&related.document, related.range.start),
                    related.message
                );
            }
            if let Some(fix) = &diagnostic.fix {
                for edit in &fix.edits {
                    let text = text_of(&edit.document);
                    out += &format!(
                        "    fix ({}) delete {:?}\n",
                        fix.applicability.as_str(),
                        &text[edit.range.to_usize()]
                    );
                }
            }
        }
    }
    out
}

fn check(documents: &[(&str, &str)], expected: Expect) {
    expected.assert_eq(&render(Config::default(), documents));
}

#[test]
fn duplicate_paragraph_block() {
    check(
        &[(
            "a.txt",
            "Title of the story\n\none two three four\nfive six seven eight\nnine ten eleven\n\
             one two three four\nfive six seven eight\nnine ten eleven\nthe end of it\n",
        )],
        expect![[r#"
            a.txt:6:1 GZ001 lines 6–8 repeat lines 3–5
                related a.txt:3:1 first copy
                fix (safe) delete "one two three four\nfive six seven eight\nnine ten eleven\n"
        "#]],
    );
}

#[test]
fn duplicate_caption_normalised_and_short_lines_ignored() {
    check(
        &[(
            "a.txt",
            "Mayor Kwon (left) and Chairman Tho\r\nMAYOR KWON — left — AND CHAIRMAN THO.\r\n\r\nOK\r\nOK\r\n",
        )],
        expect![[r#"
            a.txt:2:1 GZ001 line 2 repeats line 1
                related a.txt:1:1 first copy
                fix (safe) delete "MAYOR KWON — left — AND CHAIRMAN THO.\r\n"
        "#]],
    );
}

#[test]
fn cross_document_duplicates_are_reported_after_the_first_copy() {
    let nfc = "Thành phố Đà Nẵng và Daegu hợp tác";
    let nfd: String = unicode_normalization::UnicodeNormalization::nfd(nfc).collect();
    let b = format!("Intro line here\n{nfd}\n");
    check(
        &[
            ("b.txt", &b),
            ("a.txt", &format!("{nfc}\n")),
            ("c.txt", &format!("x y z w\n\n{nfc}")),
        ],
        expect![[r#"
            b.txt:2:1 GZ002 paragraph repeats line 1 of a.txt and 1 other document
                related a.txt:1:1 copy at line 1
                related c.txt:3:1 copy at line 3
                fix (unsafe) delete "Tha\u{300}nh pho\u{302}\u{301} Đa\u{300} Na\u{306}\u{303}ng va\u{300} Daegu ho\u{31b}\u{323}p ta\u{301}c\n"
            c.txt:3:1 GZ002 paragraph repeats line 1 of a.txt and 1 other document
                related a.txt:1:1 copy at line 1
                related b.txt:2:1 copy at line 2
                fix (unsafe) delete "\nThành phố Đà Nẵng và Daegu hợp tác"
        "#]],
    );
}

#[test]
fn near_duplicates_report_similarity() {
    let original = "Over the past 5 years, the Da Nang branches of the associations for promoting \
        friendships between Viet Nam and Laos, Russia, Japan and other foreign countries have \
        made significant contributions to the city's external relations.";
    let edited = original
        .replace("past 5 years", "past five years")
        .replace("significant", "major");
    check(
        &[("a.txt", original), ("b.txt", &edited)],
        expect![[r#"
            b.txt:1:1 GZ003 paragraph is 78% similar to line 1 of a.txt
                related a.txt:1:1 78% similar
                fix (unsafe) delete "Over the past five years, the Da Nang branches of the associations for promoting friendships between Viet Nam and Laos, Russia, Japan and other foreign countries have made major contributions to the city's external relations."
        "#]],
    );
}

#[test]
fn lone_punctuation_lines() {
    check(
        &[("a.txt", ".\n\nReal text of the article.\n.\n.\n…\n")],
        expect![[r#"
            a.txt:1:1 GZ004 line 1 holds only punctuation
                fix (safe) delete ".\n\n"
            a.txt:4:1 GZ004 lines 4–6 hold only punctuation
                fix (safe) delete ".\n.\n…\n"
        "#]],
    );
}

#[test]
fn unreadable_documents_are_reported_once() {
    let mut workspace = Workspace::new(Config::default());
    workspace.set_unreadable("bin.txt", DecodeProblem::Binary { offset: 4 });
    let diagnostics = workspace.diagnostics("bin.txt");
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, "GZ900");
    assert_eq!(
        diagnostics[0].message,
        "cannot analyse this document: it is looks binary (NUL byte at offset 4)"
    );
}

#[test]
fn configuration_disables_rules_and_changes_severity() {
    let config = Config::from_toml(
        "[rules.lone-punctuation]\nenabled = false\n[rules.duplicate-paragraph]\nseverity = \"error\"\n",
    )
    .unwrap();
    let mut workspace = Workspace::new(config);
    workspace.set_document("a.txt", "one two three\none two three\n.\n");
    let diagnostics = workspace.diagnostics("a.txt");
    let summary: Vec<_> = diagnostics.iter().map(|d| (d.code, d.severity)).collect();
    assert_eq!(summary, [("GZ001", crate::diagnostic::Severity::Error)]);
}

#[test]
fn incremental_updates_report_affected_documents() {
    let mut workspace = Workspace::new(Config::default());
    assert!(
        workspace
            .set_document("a.txt", "shared paragraph of words\n")
            .is_empty()
    );
    assert!(
        workspace
            .set_document("b.txt", "other text entirely here\n")
            .is_empty()
    );
    assert_eq!(
        workspace.set_document("c.txt", "shared paragraph of words\n"),
        ["a.txt"]
    );
    assert_eq!(workspace.diagnostics("c.txt")[0].code, "GZ002");
    // Editing c.txt away from the shared paragraph affects a.txt again (it had the first copy).
    assert_eq!(
        workspace.set_document("c.txt", "nothing shared now at all\n"),
        ["a.txt"]
    );
    assert!(workspace.diagnostics("c.txt").is_empty());
    workspace.set_document("c.txt", "shared paragraph of words\n");
    // Removing the first copy moves the report: c.txt now holds the only copy.
    assert_eq!(workspace.remove_document("a.txt"), ["c.txt"]);
    assert!(workspace.diagnostics("c.txt").is_empty());
    assert_eq!(workspace.keys(), ["b.txt", "c.txt"]);
    // A document added before c.txt in corpus order takes the first copy.
    assert_eq!(
        workspace.set_document("0.txt", "shared paragraph of words\n"),
        ["c.txt"]
    );
    assert!(workspace.diagnostics("0.txt").is_empty());
    assert_eq!(workspace.diagnostics("c.txt").len(), 1);
}

#[test]
fn hostile_text_never_panics() {
    let long_line = "word ".repeat(100_000);
    let samples = [
        "",
        "\u{feff}",
        "\r\r\r",
        "\n\n",
        "\u{feff}a\r\nb",
        "🦀🦀🦀 🦀🦀🦀 🦀🦀🦀\n🦀🦀🦀 🦀🦀🦀 🦀🦀🦀",
        &long_line,
    ];
    let mut workspace = Workspace::new(Config::default());
    for (i, text) in samples.iter().enumerate() {
        workspace.set_document(&format!("{i}.txt"), text);
    }
    for key in workspace.keys() {
        for diagnostic in workspace.diagnostics(&key) {
            let text = samples[key.trim_end_matches(".txt").parse::<usize>().unwrap()];
            assert!(diagnostic.range.end as usize <= text.len());
            assert!(text.is_char_boundary(diagnostic.range.start as usize));
        }
    }
}

/// Paragraphs for the agreement test: a few shared exactly, a few nearly, most unique.
fn generated_documents() -> Vec<(String, String)> {
    let words = [
        "city",
        "province",
        "delegation",
        "cooperation",
        "Đà",
        "Nẵng",
        "Daegu",
        "visited",
        "signed",
        "memorandum",
        "students",
        "culture",
        "exchange",
        "mayor",
        "chairman",
        "port",
    ];
    let mut state = 7u64;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    let mut pool: Vec<String> = Vec::new();
    (0..40)
        .map(|document| {
            let mut paragraphs: Vec<String> = Vec::new();
            for _ in 0..8 {
                let paragraph = match next() % 10 {
                    0 if !pool.is_empty() => pool[next() % pool.len()].clone(),
                    1 if !pool.is_empty() => {
                        let mut copy: Vec<&str> = pool[next() % pool.len()].split(' ').collect();
                        let at = next() % copy.len();
                        copy[at] = "changed";
                        copy.join(" ")
                    }
                    _ => (0..12 + next() % 10)
                        .map(|_| words[next() % words.len()])
                        .collect::<Vec<_>>()
                        .join(" "),
                };
                pool.push(paragraph.clone());
                paragraphs.push(paragraph);
            }
            (format!("{document:02}.txt"), paragraphs.join("\n\n"))
        })
        .collect()
}

#[test]
fn batch_and_incremental_workspaces_agree() {
    let documents = generated_documents();
    let borrowed: Vec<(&str, &str)> = documents
        .iter()
        .map(|(key, text)| (key.as_str(), text.as_str()))
        .collect();
    // One document at a time, in reverse order, with edits and removals along the way.
    let mut incremental = Workspace::new(Config::default());
    for (key, text) in documents.iter().rev() {
        incremental.set_document(key, "placeholder text to be replaced later on");
        incremental.set_document(key, text);
        incremental.set_document("zz-temporary.txt", text);
    }
    incremental.remove_document("zz-temporary.txt");
    // All at once, through the batch path of `gazette check`.
    let mut batch = Workspace::new(Config::default());
    batch.extend(documents.iter().map(|(key, text)| {
        (
            key.clone(),
            crate::workspace::DocumentSummary::new(text, &Config::default()),
        )
    }));
    let rendered = render_workspace(&batch, &borrowed);
    assert_eq!(render_workspace(&incremental, &borrowed), rendered);
    for code in ["GZ001", "GZ002", "GZ003"] {
        assert!(rendered.contains(code), "{code} missing:\n{rendered}");
    }
}

/// GZ002 on a paragraph shared by `count` documents, against a listing built by hand: the
/// first document is not reported, every other one names the first, counts the rest and lists
/// the first ten others in corpus order (its own first copy first when it holds two).
fn check_shared_paragraph(workspace: &Workspace, keys: &[String]) {
    let mut sorted = keys.to_vec();
    sorted.sort();
    for key in &sorted {
        let findings: Vec<_> = workspace
            .diagnostics(key)
            .into_iter()
            .filter(|d| d.code == "GZ002")
            .collect();
        if *key == sorted[0] {
            assert!(findings.is_empty(), "{key}: {findings:?}");
            continue;
        }
        assert_eq!(findings.len(), 1, "{key}: {findings:?}");
        let others = match sorted.len() - 2 {
            0 => String::new(),
            1 => " and 1 other document".to_owned(),
            n => format!(" and {n} other documents"),
        };
        let first_line = |key: &str| if key.ends_with('5') { 1 } else { 3 };
        assert_eq!(
            findings[0].message,
            format!(
                "paragraph repeats line {} of {}{others}",
                first_line(&sorted[0]),
                sorted[0]
            )
        );
        let related: Vec<String> = findings[0]
            .related
            .iter()
            .map(|r| format!("{} {}", r.document, r.message))
            .collect();
        let expected: Vec<String> = sorted
            .iter()
            .filter(|other| *other != key)
            .take(10)
            .map(|other| format!("{other} copy at line {}", first_line(other)))
            .collect();
        assert_eq!(related, expected, "{key}");
    }
}

#[test]
fn cross_document_copy_groups_are_listed_in_corpus_order_whatever_the_insertion_order() {
    let boilerplate =
        "Copyright Example News Agency, all rights reserved, reproduction prohibited.";
    // Sizes on both sides of the cached-group threshold; keys inserted in a scrambled order;
    // documents whose key ends in 5 hold the paragraph twice (line 1, then line 3 again).
    for count in [2usize, 3, 12, 40, 150] {
        let keys: Vec<String> = (0..count)
            .map(|n| format!("{:04}", (n * 7919) % 10_000))
            .collect();
        let text = |key: &str| {
            if key.ends_with('5') {
                format!("{boilerplate}\n\nArticle {key}.\n\n{boilerplate}\n")
            } else {
                format!("Article {key}.\n\n{boilerplate}\n")
            }
        };
        let mut workspace = Workspace::new(Config::default());
        for key in &keys {
            workspace.set_document(key, &text(key));
        }
        check_shared_paragraph(&workspace, &keys);
        // Removing the first document and editing another one must not leave stale groups.
        let mut sorted = keys.clone();
        sorted.sort();
        workspace.remove_document(&sorted[0]);
        let last = sorted.last().unwrap().clone();
        workspace.set_document(&last, "Nothing shared any more.\n");
        let remaining: Vec<String> = sorted[1..sorted.len() - 1].to_vec();
        if remaining.len() >= 2 {
            check_shared_paragraph(&workspace, &remaining);
        }
    }
}
