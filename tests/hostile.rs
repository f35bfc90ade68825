//! Hostile input for the `gazette` binary, each case with an asserted outcome: huge files and
//! lines, many files, deep and looping directories, symlinks out of the corpus, unreadable files,
//! file names that are not UTF-8, broken configuration, gazetteer and annotation files, and many
//! copies of one paragraph. Memory is measured as the child's peak RSS (`VmHWM` in /proc).
//!
//! Cases already covered elsewhere are not repeated here: invalid UTF-8, NUL bytes, CRLF, BOM
//! and empty documents (`cli_check.rs::crlf_bom_invalid_binary_and_empty_documents`), a 50 MB
//! document (`cli_check.rs::large_file_and_too_large_file`), a closed stdout
//! (`cli_check.rs::broken_pipe_is_not_a_crash`), kill -9 during annotation writes
//! (`annotations.rs::a_kill_during_a_write_never_leaves_a_torn_file`).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gazette_tests::{TempDir, gazette_binary};

/// What a run of the binary did.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// Peak resident set size in KiB, sampled from /proc while the child ran.
    peak_rss_kib: u64,
    elapsed: Duration,
}

impl Run {
    fn describe(&self) -> String {
        format!(
            "exit {:?}, peak RSS {} KiB, {:.1} s\n--- stdout (first and last 1000 bytes)\n{}\n[…]\n{}\n--- stderr\n{}",
            self.code,
            self.peak_rss_kib,
            self.elapsed.as_secs_f64(),
            &self.stdout[..floor(&self.stdout, 1000)],
            &self.stdout[floor(&self.stdout, self.stdout.len().saturating_sub(1000))..],
            &self.stderr[..floor(&self.stderr, 4000)]
        )
    }
}

fn floor(text: &str, at: usize) -> usize {
    gazette_core::text::floor_char_boundary(text, at)
}

/// Runs `command` to completion, sampling its peak RSS; kills it after `limit`.
fn run_command(mut command: Command, limit: Duration) -> Run {
    let started = Instant::now();
    let stdout_file = tempfile_path("stdout");
    let stderr_file = tempfile_path("stderr");
    command
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout_file).unwrap())
        .stderr(std::fs::File::create(&stderr_file).unwrap());
    let mut child = command.spawn().expect("spawn gazette");
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    let status = loop {
        if let Ok(status) = std::fs::read_to_string(&status_path) {
            peak = peak.max(vm_hwm_kib(&status));
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("gazette did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let read = |path: &Path| {
        let bytes = std::fs::read(path).unwrap_or_default();
        let _ = std::fs::remove_file(path);
        String::from_utf8_lossy(&bytes).into_owned()
    };
    Run {
        code: status.code(),
        stdout: read(&stdout_file),
        stderr: read(&stderr_file),
        peak_rss_kib: peak,
        elapsed: started.elapsed(),
    }
}

fn tempfile_path(what: &str) -> std::path::PathBuf {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::env::temp_dir().join(format!("gazette-hostile-{}-{n}.{what}", std::process::id()))
}

fn vm_hwm_kib(status: &str) -> u64 {
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Runs `gazette ARGS` in `dir` with a generous time limit.
fn gazette(dir: &Path, args: &[&str]) -> Run {
    let mut command = Command::new(gazette_binary());
    command.current_dir(dir).args(args);
    run_command(command, Duration::from_secs(300))
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|error| panic!("{error}: {}", run.describe()))
}

const MIB: u64 = 1024 * 1024;

#[test]
fn a_200_mb_file_is_reported_as_too_large_without_being_read() {
    let dir = TempDir::new();
    dir.write("small.txt", "A small document with a few words.\n");
    // Real text, written at test time and deleted with the directory.
    let path = dir.path().join("huge.txt");
    {
        use std::io::Write;
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let line = "Đà Nẵng and Daegu signed a cooperation agreement in October 2016.\n";
        let mut written = 0u64;
        while written < 200 * MIB {
            file.write_all(line.as_bytes()).unwrap();
            written += line.len() as u64;
        }
    }
    let run = gazette(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    let report = json(&run);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{}", run.describe());
    assert_eq!(diagnostics[0]["code"], "GZ900");
    let message = diagnostics[0]["message"].as_str().unwrap();
    assert!(
        message.contains("too large") && message.contains("the limit is 67108864 bytes"),
        "{message}"
    );
    // The file is refused from its size: memory stays far below its 200 MB.
    assert!(run.peak_rss_kib < 64 * 1024, "{}", run.describe());

    // `gazette tag` refuses it the same way, also without reading it.
    let run = gazette(dir.path(), &["tag", "huge.txt"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert!(run.stderr.contains("too large"), "{}", run.describe());
    assert!(run.peak_rss_kib < 200 * 1024, "{}", run.describe());
}

#[test]
fn a_single_10_mb_line_is_checked_and_shown_truncated() {
    let dir = TempDir::new();
    let mut line = String::with_capacity(10 * MIB as usize + 64);
    let mut n = 0u64;
    while line.len() < 10 * MIB as usize {
        line += &format!("word{n} ");
        n += 1;
    }
    line.push('\n');
    dir.write("a.txt", &line);
    dir.write("b.txt", &line);
    let run = gazette(dir.path(), &["check", "."]);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    assert!(
        run.stdout.contains("b.txt:1:1: GZ002"),
        "{}",
        run.describe()
    );
    // The code frame is cut, not 10 MB of output.
    assert!(run.stdout.len() < 4096, "{}", run.describe());
    // Two 10 MB documents: memory stays within a small multiple of their size.
    assert!(run.peak_rss_kib < 400 * 1024, "{}", run.describe());
}

#[test]
fn one_paragraph_copied_100k_times_in_one_document() {
    let dir = TempDir::new();
    let paragraph = "Da Nang and Daegu signed a memorandum of understanding on cooperation.\n";
    dir.write("copies.txt", paragraph.repeat(100_000));
    let run = gazette(dir.path(), &["check", "copies.txt"]);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    assert!(
        run.stdout
            .contains("Found 99999 findings in 1 document (1 document checked)."),
        "{}",
        run.describe()
    );
    // One related location per finding (the first copy): linear, not 10^10 pairs.
    assert_eq!(
        run.stdout.matches("= first copy: copies.txt:1:1").count(),
        99_999
    );
    assert!(run.peak_rss_kib < 512 * 1024, "{}", run.describe());
    // The JSON printer streams: memory stays the same order as for human output.
    let run = gazette(dir.path(), &["check", "--format", "json", "copies.txt"]);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    assert!(
        run.stdout.ends_with("\"version\": 1\n}\n"),
        "{}",
        run.describe()
    );
    assert!(run.peak_rss_kib < 512 * 1024, "{}", run.describe());
    // So does the SARIF printer: building the log as one tree of 99,999 results took 2.8 GB.
    let run = gazette(dir.path(), &["check", "--format", "sarif", "copies.txt"]);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    assert_eq!(run.stdout.matches("\"ruleId\": \"GZ001\"").count(), 99_999);
    assert!(
        run.stdout.ends_with("\"version\": \"2.1.0\"\n}\n"),
        "{}",
        run.describe()
    );
    assert!(run.peak_rss_kib < 512 * 1024, "{}", run.describe());
}

#[test]
fn one_paragraph_in_5000_documents_reports_a_capped_count() {
    let dir = TempDir::new();
    let boilerplate =
        "Copyright Example News Agency, all rights reserved, reproduction prohibited.\n";
    // The first lines differ only in their number: near-duplicates, which are not this test's.
    dir.write("gazette.toml", "[rules.near-duplicate]\nenabled = false\n");
    for n in 0..5_000 {
        dir.write(
            &format!("docs/{:03}/{n:05}.txt", n % 100),
            format!("Article number {n} has its own first line.\n{boilerplate}"),
        );
    }
    let run = gazette(dir.path(), &["check", "docs"]);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    assert!(
        run.stdout
            .contains("Found 4999 findings in 4999 documents (5000 documents checked)."),
        "{}",
        run.describe()
    );
    assert_eq!(run.stdout.matches(": GZ002 ").count(), 4_999);
    // Related locations are capped at 10 per finding; the message counts the others.
    assert!(run.stdout.matches("= copy at line 2: ").count() <= 10 * 4_999);
    assert!(
        run.stdout
            .contains("paragraph repeats line 2 of docs/000/00000.txt and 4998 other documents"),
        "{}",
        run.describe()
    );
}

#[test]
fn one_paragraph_in_100000_documents_is_one_group_built_in_linear_time() {
    use gazette_core::config::Config;
    use gazette_core::workspace::{DocumentSummary, Workspace};
    // Through the core, as `gazette check` drives it (the command itself is covered on 5,000
    // files above: 100,000 files would spend the test's time in the file system). Default
    // configuration: the boilerplate (9 words) also goes through the near-duplicate index,
    // whose band tables used to walk every document under a shared key on each insert.
    let config = Config::default();
    let boilerplate =
        "Copyright Example News Agency, all rights reserved, reproduction prohibited.";
    // Identical documents (the first line is too short to count), so one summary serves all.
    let summary = DocumentSummary::new(&format!("Dateline.\n{boilerplate}\n"), &config);
    let summaries: Vec<(String, DocumentSummary)> = (0..100_000u32)
        .map(|n| (format!("d/{n:06}.txt"), summary.clone()))
        .collect();
    let started = Instant::now();
    let mut workspace = Workspace::new(config);
    workspace.extend(summaries);
    let mut findings = 0;
    for key in workspace.keys() {
        for diagnostic in workspace.diagnostics(&key) {
            assert_eq!(diagnostic.code, "GZ002", "{diagnostic:?}");
            assert_eq!(
                diagnostic.message,
                "paragraph repeats line 2 of d/000000.txt and 99998 other documents"
            );
            // The ten first copies in corpus order, this document left out.
            let related: Vec<&str> = diagnostic.related.iter().map(|r| &r.document[..]).collect();
            let expected: Vec<String> = (0..11u32)
                .map(|n| format!("d/{n:06}.txt"))
                .filter(|other| *other != key)
                .take(10)
                .collect();
            assert_eq!(related, expected, "{key}");
            findings += 1;
        }
    }
    assert_eq!(findings, 99_999);
    // Quadratic work (5·10⁹ steps) took minutes here; linear work takes seconds even in a
    // debug build. A generous bound: this is a hang detector, not a benchmark.
    assert!(
        started.elapsed() < Duration::from_secs(120),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn hundred_thousand_tiny_files() {
    let dir = TempDir::new();
    for n in 0..100_000u32 {
        dir.write(
            &format!("c/{:03}/{n:06}.txt", n % 500),
            format!("Tiny document {n}.\n"),
        );
    }
    let run = gazette(dir.path(), &["check", "c"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert!(
        run.stdout
            .contains("All checks passed: no findings in 100000 documents."),
        "{}",
        run.describe()
    );
}

#[test]
fn deeply_nested_directories_are_walked() {
    let dir = TempDir::new();
    // About 1,500 levels: deep, yet below PATH_MAX for the whole path.
    let depth = 1_500;
    let mut relative = String::new();
    for _ in 0..depth {
        relative.push_str("d/");
    }
    dir.write(
        &format!("{relative}deep.txt"),
        "A repeated line at the bottom\nA repeated line at the bottom\n",
    );
    let run = gazette(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    let report = json(&run);
    assert_eq!(report["diagnostics"][0]["code"], "GZ001");
    assert!(
        report["diagnostics"][0]["document"]
            .as_str()
            .unwrap()
            .ends_with("d/d/deep.txt")
    );
}

#[test]
fn symlinks_are_not_followed_out_of_the_corpus_nor_around_loops() {
    let outside = TempDir::new();
    let secret =
        "A paragraph that lives outside the corpus\nA paragraph that lives outside the corpus\n";
    outside.write("secret.txt", secret);
    outside.write("dir/other.txt", secret);
    let corpus = TempDir::new();
    corpus.write("inside.txt", "One line inside the corpus\n");
    let link = |target: &Path, name: &str| {
        std::os::unix::fs::symlink(target, corpus.path().join(name)).unwrap();
    };
    link(&outside.path().join("secret.txt"), "secret.txt");
    link(&outside.path().join("dir"), "outside-dir");
    link(corpus.path(), "loop");
    link(&corpus.path().join("nowhere.txt"), "dangling.txt");
    for args in [
        &["check", "."][..],
        &["check", "--fix", "--unsafe-fixes", "."],
    ] {
        let run = gazette(corpus.path(), args);
        assert_eq!(run.code, Some(0), "{}", run.describe());
        assert!(
            run.stdout
                .contains("All checks passed: no findings in 1 document."),
            "{}",
            run.describe()
        );
    }
    assert_eq!(outside.read("secret.txt"), secret);
    assert_eq!(outside.read("dir/other.txt"), secret);
}

/// Runs `command` without root privileges when the tests run as root (as in CI), so that
/// permissions mean something: through `setpriv` as `nobody`.
fn unprivileged(mut args: Vec<String>) -> Command {
    let probe = TempDir::new();
    let path = probe.write("probe", "x");
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    let privileged = std::fs::read(&path).is_ok();
    if !privileged {
        let mut command = Command::new(&args[0]);
        command.args(&args[1..]);
        return command;
    }
    let mut setpriv = vec![
        "--reuid=65534".to_owned(),
        "--regid=65534".to_owned(),
        "--clear-groups".to_owned(),
        "--".to_owned(),
    ];
    setpriv.append(&mut args);
    let mut command = Command::new("setpriv");
    command.args(setpriv);
    command
}

#[test]
fn unreadable_files_stop_the_run_with_a_clear_error() {
    let dir = TempDir::new();
    for directory in [dir.path().to_path_buf()] {
        std::fs::set_permissions(
            &directory,
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .unwrap();
    }
    dir.write("a.txt", "Readable text here.\n");
    let locked = dir.write("locked.txt", "Nobody may read this.\n");
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    let binary = gazette_binary();
    // The binary must be reachable by `nobody`: target/ lives under the checkout.
    let mut command = unprivileged(vec![
        binary.to_string_lossy().into_owned(),
        "check".to_owned(),
        ".".to_owned(),
    ]);
    command.current_dir(dir.path());
    let run = run_command(command, Duration::from_secs(60));
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(
        run.stderr
            .contains("gazette: error: cannot read ./locked.txt: Permission denied"),
        "{}",
        run.describe()
    );
}

#[test]
fn file_names_that_are_not_utf8_are_checked_and_never_confused() {
    use std::os::unix::ffi::OsStrExt;
    let dir = TempDir::new();
    let name = |bytes: &[u8]| dir.path().join(std::ffi::OsStr::from_bytes(bytes));
    // Two names that differ only in bytes that are not UTF-8: shown lossily, they look alike.
    let repeated = "A caption repeated twice here\nA caption repeated twice here\n";
    let different = "Only one line in this file, nothing to fix.\nAnother line, different.\n";
    std::fs::write(name(b"caf\xe9.txt"), repeated).unwrap();
    std::fs::write(name(b"caf\xe8.txt"), different).unwrap();
    let run = gazette(dir.path(), &["check", "."]);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    assert!(
        run.stdout.starts_with("caf\\xE9.txt:2:1: GZ001")
            && run.stdout.contains("(2 documents checked)"),
        "{}",
        run.describe()
    );
    let run = gazette(dir.path(), &["check", "--fix", "."]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert_eq!(
        run.stdout,
        "All checks passed: no findings in 2 documents.\nFixed 1 finding.\n"
    );
    assert_eq!(
        std::fs::read_to_string(name(b"caf\xe9.txt")).unwrap(),
        "A caption repeated twice here\n"
    );
    assert_eq!(
        std::fs::read_to_string(name(b"caf\xe8.txt")).unwrap(),
        different
    );
}

/// `gazette check` with a `gazette.toml`: exit code 2 and the expected message.
fn check_config(toml: &str, expected: &str) {
    let dir = TempDir::new();
    dir.write("gazette.toml", toml);
    dir.write("a.txt", "x\n");
    let run = gazette(dir.path(), &["check", "."]);
    assert_eq!(run.code, Some(2), "{toml}: {}", run.describe());
    assert_eq!(run.stderr.trim_end(), expected, "{toml}");
}

#[test]
fn configuration_with_wrong_types_or_hostile_values() {
    check_config(
        "[paragraphs]\nmin-words = \"three\"\n",
        "gazette: error: gazette.toml:2:13: invalid type: string \"three\", expected u32",
    );
    check_config(
        "[files]\ninclude = \"**/*.txt\"\n",
        "gazette: error: gazette.toml:2:11: invalid type: string \"**/*.txt\", expected a sequence",
    );
    check_config(
        "[paragraphs]\nmin-words = -1\n",
        "gazette: error: gazette.toml:2:13: invalid value: integer `-1`, expected u32",
    );
    check_config(
        "[files]\nmax-size-bytes = 1e400\n",
        "gazette: error: gazette.toml:2:18: floating-point number overflowed",
    );
    check_config(
        "rules = 3\n",
        "gazette: error: gazette.toml:1:9: invalid type: integer `3`, expected struct RulesConfig",
    );
    check_config(
        "[rules.near-duplicate]\nthreshold = nan\n",
        "gazette: error: gazette.toml:2: `rules.near-duplicate.threshold` must be in (0, 1], not NaN",
    );
    check_config(
        "[files]\ninclude = [\"[z-a]\"]\n",
        "gazette: error: gazette.toml:2: invalid glob `[z-a]`: invalid range; 'z' > 'a'",
    );
    // A glob past globset's size limit is refused (it used to panic).
    let huge = format!("[files]\ninclude = [\"{}\"]\n", "[!a]".repeat(300_000));
    let dir = TempDir::new();
    dir.write("gazette.toml", &huge);
    dir.write("a.txt", "x\n");
    let run = gazette(dir.path(), &["check", "."]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(
        run.stderr
            .starts_with("gazette: error: gazette.toml:2: glob `[!a][!a]")
            && run
                .stderr
                .trim_end()
                .ends_with("…` is too large to compile"),
        "{}",
        run.describe()
    );
    assert!(run.peak_rss_kib < 512 * 1024, "{}", run.describe());
}

#[test]
fn user_gazetteers_malformed_or_with_a_million_entries() {
    let dir = TempDir::new();
    dir.write("a.txt", "Delegates from Xuân Ngọc 77 met in Da Nang.\n");
    dir.write("broken.json", "{\"places\": [ {\"id\": \"X\", }\n");
    let run = gazette(dir.path(), &["tag", "--gazetteer", "broken.json", "a.txt"]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(
        run.stderr.contains("broken.json")
            && run.stderr.contains("invalid gazetteer file")
            && run.stderr.contains("line 1 column"),
        "{}",
        run.describe()
    );
    // A million entries: accepted or refused, but quickly and with bounded memory.
    let mut big = String::from("{\"places\": [");
    for n in 0..1_000_000u32 {
        if n > 0 {
            big.push(',');
        }
        big += &format!(
            "{{\"id\":\"X:{n}\",\"kind\":\"city\",\"country\":\"VN\",\"names\":[{{\"lang\":\"vi\",\"name\":\"Xuân Ngọc {n}\"}}]}}"
        );
    }
    big.push_str("]}");
    dir.write("big.json", &big);
    drop(big);
    let run = gazette(dir.path(), &["tag", "--gazetteer", "big.json", "a.txt"]);
    assert!(run.elapsed < Duration::from_secs(240), "{}", run.describe());
    assert!(run.peak_rss_kib < 4 * 1024 * 1024, "{}", run.describe());
    match run.code {
        Some(0) => assert!(
            run.stdout.contains("\"norm\":\"X:77\""),
            "{}",
            run.describe()
        ),
        Some(2) => assert!(run.stderr.contains("big.json"), "{}", run.describe()),
        _ => panic!("{}", run.describe()),
    }
}

#[test]
fn annotation_files_from_a_future_version_are_reported_and_left_alone() {
    let dir = TempDir::new();
    dir.write("gazette.toml", "");
    dir.write("a.txt", "Đà Nẵng and Daegu.\n");
    let future = "{\"version\": 7, \"document\": \"a.txt\", \"annotations\": [], \"from\": \"the future\"}\n";
    dir.write(".gazette/annotations/a.txt.json", future);
    dir.write(
        "in/annotations.jsonl",
        "{\"doc\":\"a.txt\",\"spans\":[{\"start\":0,\"end\":7,\"label\":\"LOC\"}]}\n",
    );
    for args in [
        &["tag", "a.txt"][..],
        &["export", ".", "--format", "jsonl", "--out", "out"],
        &[
            "import",
            "in/annotations.jsonl",
            "--format",
            "jsonl",
            "--corpus",
            ".",
        ],
    ] {
        let run = gazette(dir.path(), args);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.describe());
        assert!(
            run.stderr.contains(
                "annotation file format version 7 is newer than this Gazette understands (1); \
                 upgrade Gazette, the file is left untouched"
            ),
            "{args:?}: {}",
            run.describe()
        );
        assert_eq!(dir.read(".gazette/annotations/a.txt.json"), future);
    }
}

#[test]
fn a_gazette_directory_linked_out_of_the_corpus_is_never_written_through() {
    let dir = TempDir::new();
    let elsewhere = TempDir::new();
    dir.write("gazette.toml", "");
    dir.write("a.txt", "Đà Nẵng and Daegu.\n");
    dir.write(
        "in/annotations.jsonl",
        "{\"doc\":\"a.txt\",\"spans\":[{\"start\":0,\"end\":10,\"label\":\"LOC\"}]}\n",
    );
    std::os::unix::fs::symlink(elsewhere.path(), dir.path().join(".gazette")).unwrap();
    let run = gazette(
        dir.path(),
        &[
            "import",
            "in/annotations.jsonl",
            "--format",
            "jsonl",
            "--corpus",
            ".",
        ],
    );
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(
        run.stderr.contains("is a symbolic link"),
        "{}",
        run.describe()
    );
    let written: Vec<_> = walk_files(elsewhere.path());
    assert!(
        written.is_empty(),
        "written outside the corpus: {written:?}"
    );
}

fn walk_files(root: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(directory) = pending.pop() {
        for entry in std::fs::read_dir(&directory).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}
