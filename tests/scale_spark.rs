//! The sharded path equals the single-machine path: `gazette fingerprint` on several shards, the
//! PySpark global pass in local mode, then `gazette check --findings` must print exactly what
//! `gazette check` prints on the same files (JSON, human and SARIF).
//!
//! Needs PySpark (and Java 17): `.ci/run` installs it into a virtual environment and sets
//! `GAZETTE_SPARK_PYTHON`. One Spark run serves every assertion (Spark takes ~15 s to start).

use std::path::{Path, PathBuf};
use std::process::Command;

use gazette_tests::{TempDir, gazette_binary, repo_root};

/// The Python that has `pyspark`: `GAZETTE_SPARK_PYTHON`, else the virtual environment that
/// `.ci/run` creates.
fn spark_python() -> PathBuf {
    let python = std::env::var_os("GAZETTE_SPARK_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home =
                std::env::var_os("HOME").map_or_else(|| PathBuf::from("/root"), PathBuf::from);
            home.join(".cache/gazette/spark-venv/bin/python")
        });
    let works = Command::new(&python)
        .args(["-c", "import pyspark"])
        .output()
        .is_ok_and(|output| output.status.success());
    assert!(
        works,
        "PySpark is missing: {} cannot `import pyspark`. Run `bash .ci/run` (it installs PySpark \
         into ~/.cache/gazette/spark-venv), or point GAZETTE_SPARK_PYTHON at a Python with \
         pyspark and Java 17 on the PATH.",
        python.display()
    );
    python
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, program: &Path, args: &[&str]) -> Run {
    let output = Command::new(program)
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", program.display()));
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// SplitMix64, so the generated corpus is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A corpus with known duplication, built from the words of the seed articles: fresh
/// paragraphs, exact copies across and inside documents (consecutive blocks too), near copies
/// (two words changed), a boilerplate paragraph in 300 documents (more than the 256 candidates
/// the near-duplicate rule examines, with near variants of it), punctuation debris, CRLF line
/// endings, a Vietnamese paragraph in NFD copying one in NFC, and a file that is not UTF-8.
/// Directories `news` and `news-2` make the walk order (paths) differ from corpus order (keys).
fn generate(dir: &TempDir) -> usize {
    let mut words: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(repo_root().join("examples/sample-corpus")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        words.extend(text.split_whitespace().map(str::to_owned));
    }
    let mut rng = Rng(9);
    let fresh = |rng: &mut Rng, length: usize| -> String {
        let start = rng.below(words.len() - length);
        // A run of real text with a few words swapped in: realistic, and new.
        let mut paragraph: Vec<&str> = words[start..start + length]
            .iter()
            .map(String::as_str)
            .collect();
        for _ in 0..length / 3 {
            let at = rng.below(length);
            paragraph[at] = &words[rng.below(words.len())];
        }
        paragraph.join(" ")
    };
    let boilerplate = "This article was produced by the city's press office and may be \
        reproduced freely with attribution to the original source and date";
    let mut earlier: Vec<String> = Vec::new();
    let mut documents = 0;
    for number in 0..320 {
        let mut paragraphs: Vec<String> = Vec::new();
        for _ in 0..2 + rng.below(5) {
            let roll = rng.below(100);
            let paragraph = if roll < 12 && !earlier.is_empty() {
                earlier[rng.below(earlier.len())].clone()
            } else if roll < 22 && !earlier.is_empty() {
                let original = &earlier[rng.below(earlier.len())];
                let mut changed: Vec<&str> = original.split(' ').collect();
                for _ in 0..2 {
                    let at = rng.below(changed.len());
                    changed[at] = changed[rng.below(changed.len())];
                }
                changed.join(" ")
            } else if roll < 25 && paragraphs.len() >= 2 {
                // A repeated block: the last two paragraphs again.
                let block = paragraphs[paragraphs.len() - 2..].to_vec();
                paragraphs.extend(block);
                continue;
            } else if roll < 28 {
                ".".to_owned()
            } else {
                let length = 4 + rng.below(40);
                fresh(&mut rng, length)
            };
            if paragraph.split(' ').count() >= 8 {
                earlier.push(paragraph.clone());
            }
            paragraphs.push(paragraph);
        }
        if number % 16 != 5 {
            paragraphs.push(boilerplate.to_owned());
        } else {
            // A near variant of the boilerplate: its band lists hold ~300 exact copies.
            paragraphs.push(
                boilerplate
                    .replace("freely", "gladly")
                    .replace("date", "time"),
            );
        }
        let separator = if number % 7 == 0 { "\r\n" } else { "\n" };
        let mut text = paragraphs.join(separator);
        text.push_str(separator);
        let directory = ["news", "news/2016", "archive", "news-2"][number % 4];
        dir.write(&format!("corpus/gen/{directory}/{number:03}.txt"), text);
        documents += 1;
    }
    // The near-duplicate candidate cap: 260 copies of a second boilerplate under `news/`, five
    // under `news-2/` (earlier in corpus order, later in the walk, so never among the first 256
    // candidates), and a variant after them: `check` reports it as similar to `news/b000.txt`.
    let notice = "Reprinted from the provincial newspaper with the permission of its editorial \
        board and of the authors of the photographs";
    for number in 0..260 {
        dir.write(
            &format!("corpus/gen/news/b{number:03}.txt"),
            format!("{notice}\n"),
        );
    }
    for number in 0..5 {
        dir.write(
            &format!("corpus/gen/news-2/b{number}.txt"),
            format!("{notice}\n"),
        );
    }
    let variant = notice.replace("photographs", "pictures");
    dir.write("corpus/gen/news/zz.txt", format!("{variant}\n"));
    documents += 266;
    let nfc = "Chủ tịch UBND thành phố Đà Nẵng Huỳnh Đức Thơ tiếp đoàn đại biểu thành phố Daegu";
    let nfd: String = unicode_nfd(nfc);
    assert_ne!(nfc, nfd);
    dir.write("corpus/gen/vi/a.txt", format!("{nfc}\n"));
    dir.write("corpus/gen/vi/b.txt", format!("Tin mới\n{nfd}\n"));
    dir.write("corpus/gen/broken.txt", b"caf\xe9 au lait\n");
    documents + 3
}

/// NFD by hand for the few Vietnamese letters used above (the test crate has no Unicode tables).
fn unicode_nfd(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let decomposed: &str = match c {
            'ủ' => "u\u{309}",
            'ị' => "i\u{323}",
            'à' => "a\u{300}",
            'ố' => "o\u{302}\u{301}",
            'ẵ' => "a\u{306}\u{303}",
            'ỳ' => "y\u{300}",
            'ứ' => "u\u{31b}\u{301}",
            'ơ' => "o\u{31b}",
            'ế' => "e\u{302}\u{301}",
            'ạ' => "a\u{323}",
            'ể' => "e\u{302}\u{309}",
            'ớ' => "o\u{31b}\u{301}",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(decomposed);
    }
    out
}

#[test]
fn sharded_spark_findings_equal_a_single_machine_check() {
    let python = spark_python();
    let dir = TempDir::new();
    for entry in std::fs::read_dir(repo_root().join("examples/sample-corpus")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        dir.write(
            &format!("corpus/seeds/{name}"),
            std::fs::read(&path).unwrap(),
        );
    }
    let documents = generate(&dir) + 5;
    // Settings the global pass must honour: a per-path ignore and a changed severity.
    dir.write(
        "gazette.toml",
        "[per-path-ignores]\n\"corpus/gen/archive/**\" = [\"GZ002\"]\n\n\
         [rules.near-duplicate]\nseverity = \"error\"\n",
    );
    let gazette = gazette_binary();

    let shards = 3;
    let fingerprints: Vec<std::thread::JoinHandle<Run>> = (0..shards)
        .map(|shard| {
            let (dir, gazette) = (dir.path().to_path_buf(), gazette.clone());
            std::thread::spawn(move || {
                let spec = format!("{shard}/{shards}");
                let args = ["fingerprint", "corpus", "--shard", &spec, "--out", "shards"];
                run(&dir, &gazette, &args)
            })
        })
        .collect();
    for handle in fingerprints {
        let fingerprint = handle.join().unwrap();
        assert_eq!(fingerprint.code, 0, "{}", fingerprint.stderr);
        assert!(
            fingerprint
                .stderr
                .contains(&format!("of {documents} documents")),
            "{}",
            fingerprint.stderr
        );
    }

    let script = repo_root().join("scale/spark/global_pass.py");
    let script = script.to_str().unwrap();
    let args = [
        script, "--shards", "shards", "--out", "global", "--master", "local[2]",
    ];
    let spark = run(dir.path(), &python, &args);
    assert_eq!(spark.code, 0, "{}\n{}", spark.stdout, spark.stderr);
    assert!(
        spark
            .stdout
            .contains(&format!("global_pass: {documents} documents")),
        "{}",
        spark.stdout
    );
    // Mention counts per locality: Da Nang is named in several seed articles.
    let da_nang = spark
        .stdout
        .lines()
        .find(|line| line.contains("VN:da-nang "))
        .unwrap_or_else(|| panic!("no VN:da-nang in\n{}", spark.stdout));
    assert!(da_nang.contains("documents"), "{da_nang}");

    for format in ["json", "human", "sarif", "github"] {
        let single = run(
            dir.path(),
            &gazette,
            &["check", "corpus", "--format", format],
        );
        let sharded = run(
            dir.path(),
            &gazette,
            &[
                "check",
                "corpus",
                "--format",
                format,
                "--findings",
                "global",
            ],
        );
        assert_eq!(single.code, 1, "{}", single.stderr);
        assert_eq!(
            (sharded.code, sharded.stderr.as_str()),
            (1, single.stderr.as_str())
        );
        if single.stdout != sharded.stdout {
            let first_difference = single
                .stdout
                .lines()
                .zip(sharded.stdout.lines())
                .position(|(a, b)| a != b);
            panic!(
                "--format {format}: check and check --findings differ (first at line {:?})\n\
                 --- check\n{}\n--- check --findings\n{}",
                first_difference.map(|i| i + 1),
                single.stdout,
                sharded.stdout
            );
        }
        if format == "json" {
            // The corpus exercises every rule, so equality covers all of them.
            let value: serde_json::Value = serde_json::from_str(&single.stdout).unwrap();
            let codes: std::collections::BTreeMap<String, usize> = value["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .fold(Default::default(), |mut counts, d| {
                    *counts
                        .entry(d["code"].as_str().unwrap().to_owned())
                        .or_default() += 1;
                    counts
                });
            for code in ["GZ001", "GZ002", "GZ003", "GZ004", "GZ900"] {
                assert!(
                    codes.get(code).is_some_and(|&n| n > 0),
                    "no {code}: {codes:?}"
                );
            }
            assert!(codes["GZ002"] > 250 && codes["GZ003"] > 10, "{codes:?}");
            let capped = value["diagnostics"].as_array().unwrap().iter().any(|d| {
                d["code"] == "GZ003"
                    && d["message"].as_str().unwrap().contains("of corpus/")
                    && d["document"].as_str().unwrap().contains("/005.txt")
            });
            assert!(capped, "the boilerplate variant in 005.txt is not reported");
            let zz = value["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["document"] == "corpus/gen/news/zz.txt")
                .expect("the variant in news/zz.txt is reported");
            assert!(
                zz["message"]
                    .as_str()
                    .unwrap()
                    .ends_with("similar to line 1 of corpus/gen/news/b000.txt"),
                "{zz}"
            );
            assert_eq!(value["documents_checked"], documents);
        }
    }

    // A findings table from other paths is refused rather than printed wrongly.
    let other = run(
        dir.path(),
        &gazette,
        &["check", "corpus/seeds", "--findings", "global"],
    );
    assert_eq!(other.code, 2);
    assert!(other.stderr.contains("same paths"), "{}", other.stderr);
}
