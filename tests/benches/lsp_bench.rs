//! Language server benchmark: cold indexing of a generated 10,000-document workspace (~100 MB),
//! keystroke-to-published-diagnostics latency on a 100 KB document, memory, and didOpen to first
//! diagnostics compared with another prose language server (typos-lsp) when one is installed.
//!
//! Run with `cargo bench -p gazette-tests --bench lsp_bench` (figures go in BENCHMARKS.md).
//! Environment: `GAZETTE_BENCH_DOCS` (default 10000), `GAZETTE_BENCH_EDITS` (default 300),
//! `TYPOS_LSP` (path of a typos-lsp binary; else `typos-lsp` on PATH is tried),
//! `GAZETTE_BENCH_SERVER_LOG` (a file to append the server's debug log to: analysis timings),
//! `GAZETTE_BENCH_BINARY` (a `gazette` binary to run instead of this tree's bench build),
//! `GAZETTE_BENCH_VOCABULARY` (`seeds`, the default, or `small`: see [`vocabulary`]).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gazette_tests::lsp_client::{LspClient, editor_capabilities, file_uri, initialize_params};
use serde_json::{Value, json};

/// A small deterministic generator (no dependency, same corpus on every machine).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a, T: AsRef<str>>(&mut self, items: &'a [T]) -> &'a str {
        items[self.next() as usize % items.len()].as_ref()
    }
}

const WORDS: &[&str] = &[
    "Da Nang",
    "Đà Nẵng",
    "Daegu",
    "대구",
    "Quảng Nam",
    "Osan",
    "city",
    "province",
    "delegation",
    "cooperation",
    "investment",
    "tourism",
    "hợp tác",
    "thành phố",
    "współpraca",
    "miasto",
    "the",
    "of",
    "and",
    "in",
    "with",
    "signed",
    "memorandum",
    "companies",
    "students",
    "culture",
    "exchange",
    "mayor",
    "chairman",
    "visit",
    "2016",
    "October",
    "programme",
    "development",
    "đầu tư",
    "du lịch",
    "의",
    "도시",
    "협력",
    "Wietnamie",
    "Korei",
    "port",
    "airport",
    "festival",
];

/// The words paragraphs are made of (`GAZETTE_BENCH_VOCABULARY`):
/// - `seeds` (the default): every word of the five seed articles of `examples/sample-corpus`,
///   as often as it occurs there (1,107 distinct words, drawn with their real frequencies);
/// - `small`: the 44 words above, the corpus of sessions 1–3. With so few words, almost every
///   paragraph shares LSH bands with thousands of others (the minima of a MinHash over a tiny
///   shingle universe are always the same few shingles), which makes the near-duplicate rule's
///   candidate search, not the server, the cost of everything: a hostile case rather than text.
fn vocabulary() -> (String, Vec<String>) {
    let name = std::env::var("GAZETTE_BENCH_VOCABULARY").unwrap_or_else(|_| "seeds".to_owned());
    let words = match name.as_str() {
        "small" => WORDS.iter().map(|w| (*w).to_owned()).collect(),
        "seeds" => {
            let dir = gazette_tests::repo_root().join("examples/sample-corpus");
            let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|entry| entry.unwrap().path())
                .filter(|path| path.extension().is_some_and(|e| e == "txt"))
                .collect();
            files.sort();
            files
                .iter()
                .flat_map(|path| {
                    let text = std::fs::read_to_string(path).unwrap();
                    text.split_whitespace()
                        .map(str::to_owned)
                        .collect::<Vec<_>>()
                })
                .collect()
        }
        other => panic!("GAZETTE_BENCH_VOCABULARY must be seeds or small, not {other}"),
    };
    (name, words)
}

fn paragraph(rng: &mut Lcg, words: usize, vocabulary: &[String]) -> String {
    let mut text = String::new();
    for index in 0..words {
        if index > 0 {
            text.push(' ');
        }
        text.push_str(rng.pick(vocabulary));
    }
    text.push('.');
    text
}

/// Writes the corpus once (reused across runs): ~10 KB per document, one paragraph in twenty
/// taken from a shared pool so that cross-document duplicates exist.
fn generate_corpus(dir: &Path, documents: usize, vocabulary: &[String]) -> u64 {
    let marker = dir.join(format!(".complete-{documents}"));
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).unwrap();
        let mut rng = Lcg(7);
        let pool: Vec<String> = (0..500)
            .map(|_| paragraph(&mut rng, 40, vocabulary))
            .collect();
        for index in 0..documents {
            let sub = dir.join(format!("part{:02}", index % 50));
            std::fs::create_dir_all(&sub).unwrap();
            let mut text = String::with_capacity(11_000);
            while text.len() < 10_000 {
                if rng.next() % 20 == 0 {
                    text.push_str(&pool[rng.next() as usize % pool.len()]);
                } else {
                    let words = 20 + rng.next() as usize % 40;
                    text.push_str(&paragraph(&mut rng, words, vocabulary));
                }
                text.push_str("\n\n");
            }
            std::fs::write(sub.join(format!("doc{index:05}.txt")), text).unwrap();
        }
        std::fs::write(&marker, "").unwrap();
    }
    walk_size(dir)
}

fn walk_size(dir: &Path) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let metadata = entry.metadata().unwrap();
        if metadata.is_dir() {
            total += walk_size(&entry.path());
        } else if entry.path().extension().is_some_and(|e| e == "txt") {
            total += metadata.len();
        }
    }
    total
}

/// A 100 KB document: 200 paragraphs, a few of them repeated.
fn big_document(vocabulary: &[String]) -> String {
    let mut rng = Lcg(99);
    let mut paragraphs: Vec<String> = (0..190)
        .map(|_| paragraph(&mut rng, 70, vocabulary))
        .collect();
    for index in 0..10 {
        paragraphs.push(paragraphs[index * 7].clone());
    }
    let mut text = paragraphs.join("\n\n");
    text.push('\n');
    text
}

fn proc_status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// User and system CPU time of a process so far, in seconds (`/proc/<pid>/stat`, in clock
/// ticks of 10 ms).
fn cpu_seconds(pid: u32) -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces: fields are counted after its closing parenthesis.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |index: usize| fields.get(index)?.parse::<f64>().ok();
    Some((ticks(11)? / 100.0, ticks(12)? / 100.0))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Time from didOpen to the first publishDiagnostics for `uri`.
async fn open_to_first_diagnostics(client: &LspClient, uri: &str, text: &str) -> Duration {
    let marker = client.notification_count();
    let started = Instant::now();
    client.open(uri, 1, text);
    client.diagnostics_after(marker, uri, |_| true).await;
    started.elapsed()
}

async fn bench_gazette(
    corpus: &Path,
    corpus_bytes: u64,
    documents: usize,
    edits: usize,
    big: &str,
) {
    let command = match std::env::var_os("GAZETTE_BENCH_SERVER_LOG") {
        // The server's debug log (analysis and tagging timings) appended to a file.
        Some(log) => {
            let mut command = tokio::process::Command::new("sh");
            command
                .arg("-c")
                .arg(r#"exec "$0" serve --stdio --log-level gazette_lsp=debug,warn 2>>"$1""#)
                .arg(bench_binary())
                .arg(log);
            command
        }
        None => {
            let mut command = tokio::process::Command::new(bench_binary());
            command.args(["serve", "--stdio", "--log-level", "warn"]);
            command
        }
    };
    let mut client = LspClient::spawn(command);
    let pid = client.child().and_then(|c| c.id()).unwrap();
    let started = Instant::now();
    client
        .initialize(initialize_params(
            editor_capabilities(),
            &[corpus],
            json!({"debounceMs": 0, "logLevel": "warn"}),
        ))
        .await;
    client
        .wait_for_indexing_within(Duration::from_secs(900))
        .await;
    let cold_index = started.elapsed();
    let (user, system) = cpu_seconds(pid).unwrap_or_default();
    let rss = proc_status_kib(pid, "VmRSS:").unwrap_or(0);
    let peak = proc_status_kib(pid, "VmHWM:").unwrap_or(0);
    println!(
        "gazette: cold index of {documents} documents ({:.1} MB): {:.2} s",
        corpus_bytes as f64 / 1e6,
        cold_index.as_secs_f64()
    );
    println!(
        "gazette: server CPU time until indexed: {:.2} s ({user:.2} s user + {system:.2} s system)",
        user + system
    );
    println!(
        "gazette: memory after indexing: RSS {:.0} MB, peak {:.0} MB ({:.2}x / {:.2}x the corpus)",
        rss as f64 / 1024.0,
        peak as f64 / 1024.0,
        rss as f64 * 1024.0 / corpus_bytes as f64,
        peak as f64 * 1024.0 / corpus_bytes as f64
    );

    // A 100 KB document inside the indexed workspace.
    let big_path = corpus.join("zz-big-document.txt");
    std::fs::write(&big_path, &big).unwrap();
    let uri = file_uri(&big_path);
    let open = open_to_first_diagnostics(&client, &uri, &big).await;
    println!(
        "gazette: didOpen -> first publishDiagnostics, {} KB document: {:.2} ms",
        big.len() / 1024,
        ms(open)
    );
    // Keystrokes: type a character at the end of the 40th line, then wait for the diagnostics of
    // that version (the debounce is 0: this is the analysis and publication time).
    let line = 40;
    let (user_before, system_before) = cpu_seconds(pid).unwrap_or_default();
    let mut latencies = Vec::with_capacity(edits);
    let mut column = big.lines().nth(line).unwrap().len();
    for version in 2..(2 + edits as i32) {
        let marker = client.notification_count();
        let started = Instant::now();
        client.change(
            &uri,
            version,
            json!({"start": {"line": line, "character": column}, "end": {"line": line, "character": column}}),
            "x",
        );
        column += 1;
        client
            .wait_for("diagnostics of the edit", |messages| {
                messages[marker..]
                    .iter()
                    .find(|m| {
                        m["method"] == "textDocument/publishDiagnostics"
                            && m["params"]["uri"] == uri.as_str()
                            && m["params"]["version"] == version
                    })
                    .cloned()
            })
            .await;
        latencies.push(started.elapsed());
    }
    let (user_after, system_after) = cpu_seconds(pid).unwrap_or_default();
    latencies.sort();
    println!(
        "gazette: keystroke -> publishDiagnostics, {} KB document in the {documents}-document workspace, {edits} edits: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        big.len() / 1024,
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.99)),
        ms(*latencies.last().unwrap())
    );
    println!(
        "gazette: server CPU time per keystroke (analysis, publication and tagging): {:.2} ms",
        (user_after + system_after - user_before - system_before) * 1000.0 / edits.max(1) as f64
    );
    client.shutdown().await;
    let _ = std::fs::remove_file(&big_path);
}

/// The `gazette` binary built with the bench profile, whose dependencies `cargo bench` has just
/// built (a `--release` build would compile everything again under another profile).
fn bench_binary() -> PathBuf {
    // Another build of the server (an older commit, for a before/after in the same conditions).
    if let Some(binary) = std::env::var_os("GAZETTE_BENCH_BINARY") {
        return PathBuf::from(binary);
    }
    let executable = std::env::current_exe().unwrap();
    let profile_dir = executable.parent().and_then(|deps| deps.parent()).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = std::process::Command::new(cargo)
        .current_dir(gazette_tests::repo_root())
        .args([
            "build",
            "--quiet",
            "--profile",
            "bench",
            "-p",
            "gazette",
            "--bin",
            "gazette",
        ])
        .arg("--target-dir")
        .arg(profile_dir.parent().unwrap())
        .status()
        .unwrap();
    assert!(status.success());
    profile_dir.join("gazette")
}

fn find_typos_lsp() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("TYPOS_LSP") {
        return Some(PathBuf::from(path));
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("typos-lsp"))
            .find(|candidate| candidate.exists())
    })
}

async fn bench_other_server(name: &str, binary: &Path, big: &str) {
    let dir = std::env::temp_dir().join(format!("gazette-bench-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.txt");
    std::fs::write(&path, &big).unwrap();
    let client = LspClient::spawn(tokio::process::Command::new(binary));
    client
        .initialize(initialize_params(
            editor_capabilities(),
            &[&dir],
            Value::Null,
        ))
        .await;
    let open = open_to_first_diagnostics(&client, &file_uri(&path), &big).await;
    println!(
        "{name}: didOpen -> first publishDiagnostics, {} KB document: {:.2} ms",
        big.len() / 1024,
        ms(open)
    );
    client.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is accepted.
    let documents: usize = std::env::var("GAZETTE_BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let edits: usize = std::env::var("GAZETTE_BENCH_EDITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    // Outside the repository, so that its .gitignore (which lists target/) cannot hide it.
    let (vocabulary_name, vocabulary) = vocabulary();
    let corpus = std::env::temp_dir().join(format!("gazette-lsp-bench-corpus-{vocabulary_name}"));
    let corpus_bytes = generate_corpus(&corpus, documents, &vocabulary);
    let big = big_document(&vocabulary);
    println!("vocabulary: {vocabulary_name} ({} words)", vocabulary.len());
    runtime.block_on(async {
        bench_gazette(&corpus, corpus_bytes, documents, edits, &big).await;
        match find_typos_lsp() {
            Some(binary) => bench_other_server("typos-lsp", &binary, &big).await,
            None => println!("typos-lsp: not installed (set TYPOS_LSP or put it on PATH)"),
        }
    });
}
