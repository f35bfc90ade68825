//! End-to-end test of `gazette report`: the real binary writes the page for the sample corpus,
//! headless Chromium loads it from disk (no server, no network), and the test checks the
//! rendered DOM against what `gazette check` reports, then saves a screenshot as an artifact
//! (`target/test-artifacts/report.png`).
//!
//! Chromium is Debian's `chromium` package, installed by `.ci/run`; without it the test fails
//! and says so.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use gazette_tests::{TempDir, gazette_binary, repo_root};

/// Where test artifacts go: `target/test-artifacts/` next to the binaries.
fn artifacts_dir() -> PathBuf {
    let binary = gazette_binary();
    let target = binary
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/gazette");
    let dir = target.join("test-artifacts");
    std::fs::create_dir_all(&dir).expect("create target/test-artifacts");
    dir
}

fn chromium() -> PathBuf {
    for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if Path::new(candidate).exists() {
            return PathBuf::from(candidate);
        }
    }
    panic!(
        "Chromium is missing: this test loads the report in headless Chromium. Install it with \
         `bash .ci/run` (which runs `apt-get install -y chromium`), or `apt-get install -y chromium`."
    );
}

/// Runs headless Chromium on `page` with a fresh profile, with `args` (`--dump-dom`,
/// `--screenshot=...`), and returns its stdout.
fn run_chromium(page: &Path, args: &[String]) -> String {
    let profile = TempDir::new();
    // `timeout` (coreutils) ends a browser that hangs instead of the whole test run.
    let output = Command::new("timeout")
        .arg("120")
        .arg(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("chromium prints UTF-8")
}

/// Findings per rule code, as `gazette check --format json` reports them on the sample corpus.
fn check_counts() -> BTreeMap<String, u32> {
    let output = Command::new(gazette_binary())
        .current_dir(repo_root())
        .args(["check", "examples/sample-corpus", "--format", "json"])
        .output()
        .expect("run gazette check");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("check JSON");
    let mut counts = BTreeMap::new();
    for diagnostic in json["diagnostics"].as_array().expect("diagnostics") {
        *counts
            .entry(diagnostic["code"].as_str().expect("code").to_owned())
            .or_default() += 1;
    }
    counts
}

/// Runs `gazette report` on the sample corpus into `dir`; returns the page's path.
fn write_report(dir: &Path, extra: &[&str]) -> PathBuf {
    let page = dir.join("report.html");
    let output = Command::new(gazette_binary())
        .current_dir(repo_root())
        .args(["report", "examples/sample-corpus", "--out"])
        .arg(&page)
        .args(extra)
        .env("SOURCE_DATE_EPOCH", "1764669600")
        .output()
        .expect("run gazette report");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("5 documents, 5 findings"), "{stderr}");
    page
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} is not in the page"))
        + start.len();
    let to = text[from..].find(end).expect("end marker") + from;
    &text[from..to]
}

#[test]
fn report_of_the_sample_corpus_in_chromium() {
    let dir = artifacts_dir().join("report");
    std::fs::create_dir_all(&dir).expect("create the report directory");
    let page = write_report(&dir, &[]);
    let html = std::fs::read_to_string(&page).expect("read the page");
    // Self-contained: nothing for the browser to fetch.
    for remote in [
        "src=\"http",
        "href=\"http",
        "url(http",
        "<script src",
        "<link rel",
    ] {
        assert!(!html.contains(remote), "the page refers to {remote}");
    }

    let dom = run_chromium(&page, &["--dump-dom".to_owned()]);
    for (id, heading) in [
        ("overview", "Overview"),
        ("duplicates", "Duplicates"),
        ("localities", "Localities"),
        ("dates", "Dates"),
        ("names", "Persons &amp; organisations"),
        ("documents", "Documents"),
    ] {
        assert!(
            dom.contains(&format!("<h2 id=\"{id}-h\">{heading}")),
            "section {id} is missing"
        );
    }
    assert_eq!(
        between(
            &dom,
            "data-kpi=\"documents\"><div class=\"v\" title=\"",
            "\""
        ),
        "5"
    );
    // Findings: the same numbers as `gazette check`, rule by rule, and in total.
    let counts = check_counts();
    let total: u32 = counts.values().sum();
    assert_eq!(total, 5, "{counts:?}");
    assert_eq!(
        between(
            &dom,
            "data-kpi=\"findings\"><div class=\"v\" title=\"",
            "\""
        ),
        total.to_string()
    );
    for code in ["GZ001", "GZ002", "GZ003", "GZ004", "GZ900"] {
        let row = between(&dom, &format!("<tr data-code=\"{code}\">"), "</tr>");
        let shown = between(row, "<td class=\"n\"><strong>", "</strong>");
        let expected = counts.get(code).copied().unwrap_or(0);
        assert_eq!(shown, expected.to_string(), "{code}");
    }
    // Duplicates: the three duplicated blocks of the README, with links to file and line.
    assert_eq!(dom.matches("<article class=\"card cluster\"").count(), 3);
    assert!(dom.contains(
        "<a href=\"../../../examples/sample-corpus/001_a9298164ea9b0dd7.txt\">001_a9298164ea9b0dd7.txt</a>:<span class=\"mono\">10–14</span>"
    ));
    // Localities: Da Nang among the three most mentioned, with its Vietnamese name; the map has
    // country outlines and points.
    let top = between(&dom, "<table id=\"top-localities\">", "</table>");
    let first_rows: Vec<&str> = top.split("<tr data-id=\"").skip(1).take(3).collect();
    assert!(
        first_rows.iter().any(|row| row.starts_with("VN:da-nang\"")),
        "Da Nang is not among the top three: {first_rows:?}"
    );
    assert!(top.contains("<td lang=\"vi\">Đà Nẵng</td>"));
    let map = between(&dom, "<svg id=\"world-map\"", "</svg>");
    assert!(map.contains("<use href=\"#land\""));
    assert!(map.matches("<circle").count() >= 5);
    assert!(dom.contains("<title>Vietnam: "), "Vietnam is shaded");
    // Dates and creation dates; persons and organisations.
    assert!(dom.contains("<svg id=\"timeline\""));
    let creation = between(&dom, "<table id=\"creation-dates\">", "</table>");
    assert!(creation.contains("2016-10-17") && creation.contains("2014-10-29"));
    let persons = between(&dom, "<table id=\"top-persons\">", "</table>");
    assert!(persons.contains("Huynh Duc Tho"), "{persons}");
    assert!(dom.contains("<table class=\"heat\" id=\"cooccurrence\">"));

    // The screenshot is the test's artifact (and how the README's picture is made).
    let screenshot = artifacts_dir().join("report.png");
    let _ = std::fs::remove_file(&screenshot);
    run_chromium(
        &page,
        &[
            "--window-size=1280,2400".to_owned(),
            format!("--screenshot={}", screenshot.display()),
        ],
    );
    let png = std::fs::read(&screenshot).expect("the screenshot was written");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert!(png.len() > 50_000, "a blank page? {} bytes", png.len());
}

#[test]
fn trends_against_the_previous_report() {
    let dir = TempDir::new();
    let before = dir.path().join("before.json");
    let before_arg = before.to_str().expect("UTF-8 path");
    write_report(dir.path(), &["--data", before_arg]);
    let page = write_report(dir.path(), &["--previous", before_arg]);
    let html = std::fs::read_to_string(&page).expect("read the page");
    assert!(html.contains("Changes are against the previous report of 2025-12-02T10:00:00Z"));
    assert!(html.contains("aria-label=\"unchanged since the previous report\""));
    assert!(
        dir.path().join("report.json").exists(),
        "the default data file"
    );

    // Something that is not report data is refused with exit 2.
    let output = Command::new(gazette_binary())
        .current_dir(repo_root())
        .args(["report", "examples/sample-corpus", "--out"])
        .arg(&page)
        .arg("--previous")
        .arg(repo_root().join("Cargo.toml"))
        .output()
        .expect("run gazette report");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not JSON"));
}
