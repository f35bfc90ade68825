//! End-to-end tests of `gazette check`: rendered outputs, hostile input, fixes, baselines and
//! exit codes, running the real binary in scratch directories.

use std::path::Path;
use std::process::{Command, Stdio};

use expect_test::{Expect, expect};
use gazette_tests::{TempDir, gazette_binary};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn gazette(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(gazette_binary())
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run gazette");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs `gazette check ARGS` in a scratch corpus made of `files` and compares exit code, stdout
/// and stderr with `expected`.
fn check(files: &[(&str, &[u8])], args: &[&str], expected: Expect) {
    let dir = TempDir::new();
    for (name, bytes) in files {
        dir.write(name, bytes);
    }
    let mut full = vec!["check"];
    full.extend_from_slice(args);
    let run = gazette(dir.path(), &full);
    let mut rendered = format!("exit {}\n{}", run.code, run.stdout);
    if !run.stderr.is_empty() {
        rendered += &format!("--- stderr\n{}", run.stderr);
    }
    expected.assert_eq(&rendered);
}

#[test]
fn seeds_human_output() {
    let run = gazette(
        &gazette_tests::repo_root(),
        &["check", "examples/sample-corpus"],
    );
    assert_eq!(run.code, 1);
    expect![[r#"
        examples/sample-corpus/000_9c21d3f726678668.txt:1:1: GZ004 [*] line 1 holds only punctuation
          |
        1 | .
          |
          = help (safe fix): Delete the punctuation-only lines

        examples/sample-corpus/000_9c21d3f726678668.txt:11:1: GZ001 [*] line 11 repeats line 10
           |
        11 | Mayor Kwon (left) and Chairman Tho
           |
          = first copy: examples/sample-corpus/000_9c21d3f726678668.txt:10:1
          = help (safe fix): Delete the repeated copy

        examples/sample-corpus/000_9c21d3f726678668.txt:23:1: GZ004 [*] lines 23–26 hold only punctuation
           |
        23 | .
           |
          = help (safe fix): Delete the punctuation-only lines

        examples/sample-corpus/001_a9298164ea9b0dd7.txt:10:1: GZ001 [*] lines 10–14 repeat lines 5–9
           |
        10 | Chuyến thăm Việt Nam khởi đầu bằng các hoạt động quảng bá hình ảnh thành phố tới đối tượng khách du …
           |
          = first copy: examples/sample-corpus/001_a9298164ea9b0dd7.txt:5:1
          = help (safe fix): Delete the repeated copy

        examples/sample-corpus/004_ae268ecac20d5d8f.txt:11:1: GZ001 [*] line 11 repeats line 10
           |
        11 | Representatives from the city’s branch of the Viet Nam-Japan Friendship Association granting scholar…
           |
          = first copy: examples/sample-corpus/004_ae268ecac20d5d8f.txt:10:1
          = help (safe fix): Delete the repeated copy

        Found 5 findings in 3 documents (5 documents checked).
        [*] 5 fixable with `gazette check --fix`.
    "#]]
    .assert_eq(&run.stdout);
}

#[test]
fn clean_corpus_exits_zero() {
    check(
        &[
            ("a.txt", b"One paragraph here.\n"),
            ("b.txt", b"Another one there.\n"),
        ],
        &["."],
        expect![[r#"
            exit 0
            All checks passed: no findings in 2 documents.
        "#]],
    );
}

#[test]
fn cross_document_nfd_nfc_copies_in_github_format() {
    // Corpus order is byte order of paths: `zz.txt` (NFD copy) sorts before `Đà Nẵng.txt`.
    let nfc = "Thành phố Đà Nẵng và Daegu hợp tác phát triển du lịch.\n";
    let nfd: String = unicode_nfd(nfc);
    check(
        &[
            ("dir with space/Đà Nẵng.txt", nfc.as_bytes()),
            ("dir with space/zz.txt", nfd.as_bytes()),
        ],
        &["--format", "github", "dir with space"],
        expect![[r#"
            exit 1
            ::warning file=dir with space/Đà Nẵng.txt,line=1,col=1,endLine=1,endColumn=55,title=GZ002 (cross-document-duplicate)::paragraph repeats line 1 of dir with space/zz.txt%0Acopy at line 1: dir with space/zz.txt:1
        "#]],
    );
}

/// Decomposes Vietnamese letters without a dependency: the tests only need a few.
fn unicode_nfd(text: &str) -> String {
    text.replace('à', "a\u{300}")
        .replace('ố', "o\u{302}\u{301}")
        .replace('ẵ', "a\u{306}\u{303}")
        .replace('ợ', "o\u{31b}\u{323}")
        .replace('á', "a\u{301}")
        .replace('ị', "i\u{323}")
        .replace('ể', "e\u{302}\u{309}")
}

#[test]
fn crlf_bom_invalid_binary_and_empty_documents() {
    check(
        &[
            (
                "crlf.txt",
                b"Caption of the photo here\r\nCaption of the photo here\r\n",
            ),
            (
                "bom.txt",
                b"\xef\xbb\xbfA line with a BOM\r\nA line with a BOM\r\n",
            ),
            ("latin1.txt", b"Caf\xe9 au lait\n"),
            ("binary.txt", b"\x89PNG\r\n\x1a\n\0\0\0"),
            ("empty.txt", b""),
        ],
        &["."],
        expect![[r#"
            exit 1
            binary.txt:1:1: GZ900 cannot analyse this document: it is looks binary (NUL byte at offset 8)

            bom.txt:2:1: GZ001 [*] line 2 repeats line 1
              |
            2 | A line with a BOM
              |
              = first copy: bom.txt:1:1
              = help (safe fix): Delete the repeated copy

            crlf.txt:2:1: GZ001 [*] line 2 repeats line 1
              |
            2 | Caption of the photo here
              |
              = first copy: crlf.txt:1:1
              = help (safe fix): Delete the repeated copy

            latin1.txt:1:1: GZ900 cannot analyse this document: it is not valid UTF-8 (first invalid byte at offset 3)

            Found 4 findings in 4 documents (5 documents checked).
            [*] 2 fixable with `gazette check --fix`.
        "#]],
    );
}

#[test]
fn fix_deletes_safe_duplicates_and_keeps_line_endings() {
    let dir = TempDir::new();
    dir.write("a.txt", "Title line of it\r\n\r\nMayor Kwon (left) and Chairman Tho\r\nMayor Kwon (left) and Chairman Tho\r\n\r\nBody text goes here.\r\n.\r\n");
    dir.write("b.txt", "Body text goes here.\n");
    let run = gazette(dir.path(), &["check", "--fix", "."]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        dir.read("a.txt"),
        "Title line of it\r\n\r\nMayor Kwon (left) and Chairman Tho\r\n\r\nBody text goes here.\r\n"
    );
    // The unsafe cross-document fix is shown, not applied.
    assert_eq!(dir.read("b.txt"), "Body text goes here.\n");
    expect![[r#"
        b.txt:1:1: GZ002 paragraph repeats line 5 of a.txt
          |
        1 | Body text goes here.
          |
          = copy at line 5: a.txt:5:1
          = help (unsafe fix): Delete this copy

        Found 1 finding in 1 document (2 documents checked).
        1 more fixable with `gazette check --fix --unsafe-fixes` (review first).
        Fixed 2 findings.
    "#]]
    .assert_eq(&run.stdout);
    let run = gazette(dir.path(), &["check", "--fix", "--unsafe-fixes", "."]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(dir.read("b.txt"), "");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 2, "temporary files left behind");
}

#[test]
fn baseline_accepts_old_findings_and_fails_on_new_ones() {
    let dir = TempDir::new();
    dir.write("gazette.toml", "baseline = \"gazette-baseline.json\"\n");
    dir.write(
        "corpus/a.txt",
        "A repeated caption here\nA repeated caption here\n",
    );
    let run = gazette(dir.path(), &["check", "corpus", "--write-baseline"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        dir.read("gazette-baseline.json")
            .contains("\"code\": \"GZ001\"")
    );
    let run = gazette(dir.path(), &["check", "corpus"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("1 finding accepted by the baseline."),
        "{}",
        run.stdout
    );
    // Edits elsewhere do not resurrect the accepted finding; a new duplicate fails the run.
    dir.write(
        "corpus/a.txt",
        "New first line\nA repeated caption here\nA repeated caption here\n",
    );
    assert_eq!(gazette(dir.path(), &["check", "corpus"]).code, 0);
    dir.write(
        "corpus/b.txt",
        "Another caption text\nAnother caption text\n",
    );
    let run = gazette(dir.path(), &["check", "corpus", "--format", "json"]);
    assert_eq!(run.code, 1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["accepted_by_baseline"], 1);
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 1);
    assert_eq!(json["diagnostics"][0]["document"], "corpus/b.txt");
}

#[test]
fn configuration_include_exclude_ignores_and_thresholds() {
    check(
        &[
            (
                "gazette.toml",
                b"[files]\nexclude = [\"drafts/**\"]\n[paragraphs]\nmin-words = 5\n\
                  [rules.lone-punctuation]\nenabled = false\n\
                  [per-path-ignores]\n\"archive/**\" = [\"GZ001\"]\n",
            ),
            (
                "drafts/x.txt",
                b"same same same same same\nsame same same same same\n",
            ),
            (
                "archive/y.txt",
                b"one two three four five\none two three four five\n",
            ),
            ("z.txt", b"four words only here\nfour words only here\n.\n"),
            ("notes.md", b"one two three four five\n"),
        ],
        &["."],
        expect![[r#"
            exit 0
            All checks passed: no findings in 2 documents.
        "#]],
    );
}

#[test]
fn broken_configuration_is_a_clear_error() {
    check(
        &[
            ("gazette.toml", b"[paragraphs]\nlayout = \"pages\"\n"),
            ("a.txt", b"x\n"),
        ],
        &["."],
        expect![[r#"
            exit 2
            --- stderr
            gazette: error: gazette.toml:2:10: unknown variant `pages`, expected one of `auto`, `blocks`, `lines`
        "#]],
    );
    check(
        &[],
        &["missing-dir"],
        expect![[r#"
            exit 2
            --- stderr
            gazette: error: cannot read missing-dir: No such file or directory (os error 2)
        "#]],
    );
}

#[test]
fn sarif_has_the_2_1_0_structure() {
    let dir = TempDir::new();
    dir.write(
        "a b/ä.txt",
        "Repeated paragraph with words\nRepeated paragraph with words\n",
    );
    dir.write("c.txt", "Repeated paragraph with words\n");
    let run = gazette(dir.path(), &["check", "--format", "sarif", "."]);
    assert_eq!(run.code, 1);
    let log: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run0 = &log["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["GZ001", "GZ002", "GZ003", "GZ004", "GZ900", "GZ901"]);
    for rule in rules {
        assert!(rule["helpUri"].as_str().unwrap().starts_with("https://"));
        assert!(rule["shortDescription"]["text"].is_string());
    }
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for result in results {
        let rule_id = result["ruleId"].as_str().unwrap();
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(ids[index], rule_id);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        assert!(result["message"]["text"].is_string());
        let location = &result["locations"][0]["physicalLocation"];
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(location["region"]["startColumn"].as_u64().unwrap() >= 1);
        assert!(!result["relatedLocations"].as_array().unwrap().is_empty());
        assert!(result["fixes"][0]["artifactChanges"][0]["replacements"].is_array());
    }
    let uris: Vec<&str> = results
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(uris, ["a%20b/%C3%A4.txt", "c.txt"]);
    assert_eq!(
        results[1]["locations"][0]["physicalLocation"]["region"]["startLine"],
        1
    );
}

#[test]
fn large_file_and_too_large_file() {
    let dir = TempDir::new();
    // 50 MB of distinct numbered lines with one duplicated line at the end.
    let mut big = String::with_capacity(51 << 20);
    let mut n = 0u64;
    while big.len() < 50 << 20 {
        big += &format!("Line number {n} of the large generated document, with some words.\n");
        n += 1;
    }
    big += "Line number 7 of the large generated document, with some words.\n";
    dir.write("big.txt", &big);
    dir.write("gazette.toml", "[rules.near-duplicate]\nenabled = false\n");
    let run = gazette(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(
        diagnostics[0]["message"],
        format!("line {} repeats line 8", n + 1)
    );
    dir.write("gazette.toml", "[files]\nmax-size-bytes = 1000000\n");
    let run = gazette(dir.path(), &["check", "."]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("GZ900 cannot analyse this document: it is too large"),
        "{}",
        run.stdout
    );
}

#[test]
fn broken_pipe_is_not_a_crash() {
    let dir = TempDir::new();
    let lines: String = (0..4000)
        .map(|i| format!("Repeated line number {}\n", i % 2000))
        .collect();
    dir.write("a.txt", lines);
    let mut child = Command::new(gazette_binary())
        .current_dir(dir.path())
        .args(["check", "."])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn streamed_findings_equal_the_collected_ones_across_batches() {
    // Without --fix or a baseline, findings are computed a batch of documents at a time and
    // written as they come; with a baseline they are collected first. The two runs must print
    // the same bytes, over enough documents to cross several batches.
    let dir = TempDir::new();
    let shared: Vec<String> = (0..7)
        .map(|k| format!("Shared paragraph number {k} about Da Nang and Daegu cooperation."))
        .collect();
    for i in 0..1_300 {
        let mut text = format!(
            "Unique opening {i} of this article, {} words long.\n\n{}\n",
            i * 7 + 3,
            shared[i % 7]
        );
        if i % 100 == 0 {
            // An in-document duplicate too (GZ001).
            text += &format!("\n{}\n", shared[i % 7]);
        }
        dir.write(&format!("d{:02}/doc{i:05}.txt", i % 13), &text);
    }
    dir.write(
        "empty-baseline.json",
        "{\"version\": 1, \"findings\": []}\n",
    );
    for format in ["human", "json", "sarif", "github"] {
        let streamed = gazette(dir.path(), &["check", "--format", format]);
        let collected = gazette(
            dir.path(),
            &[
                "check",
                "--format",
                format,
                "--baseline",
                "empty-baseline.json",
            ],
        );
        assert_eq!(streamed.code, 1, "{format}: {}", streamed.stderr);
        assert_eq!(collected.code, 1, "{format}: {}", collected.stderr);
        assert!(streamed.stdout == collected.stdout, "{format} differs");
        if format == "human" {
            // 1,300 documents and 7 first copies: 1,293 GZ002 findings. The 13 in-document
            // copies are GZ001 findings and only that (a second copy in the same document is
            // not reported again as a cross-document copy).
            assert_eq!(streamed.stdout.matches(": GZ002 ").count(), 1_293);
            assert_eq!(streamed.stdout.matches(": GZ001 ").count(), 13);
        }
    }
}
