//! Locality tagging throughput, compared in the same run with pyahocorasick and flashtext over
//! the same names and text: `cargo bench -p gazette-core --bench locality`.
//!
//! The text is the five seed articles (English, Vietnamese, Polish) repeated as separate
//! documents up to about 8 MB. Gazette's figure is `LocalityTagger::tag` on each document
//! (tokenising, folding, hashed-trie lookups, disambiguation), on one thread. The baselines get
//! every name and form of the same gazetteer and the same text, through
//! `tools/gazetteer/bench_baseline.py` (skipped with a note when python3 or the packages are
//! missing); they only find matches, without folding diacritics or choosing between places.

use std::hint::black_box;
use std::time::Instant;

use gazette_core::gazetteer::Gazetteer;
use gazette_core::tag::locality::LocalityTagger;

const TARGET_BYTES: usize = 8 << 20;

/// CPU time of the calling thread, from the first field of /proc/thread-self/schedstat (ns).
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(nanos / 1e9)
}

fn main() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut articles = Vec::new();
    for entry in std::fs::read_dir(repo.join("examples/sample-corpus")).expect("sample corpus") {
        let path = entry.expect("directory entry").path();
        if path.extension().is_some_and(|e| e == "txt") {
            articles.push(std::fs::read_to_string(&path).expect("article"));
        }
    }
    articles.sort();
    let mut documents = Vec::new();
    let mut total = 0;
    while total < TARGET_BYTES {
        for article in &articles {
            total += article.len();
            documents.push(article.as_str());
        }
    }

    let started = Instant::now();
    let gazetteer = Gazetteer::builtin();
    let decoded = started.elapsed();
    let tagger = LocalityTagger::new(gazetteer.clone());
    let built = started.elapsed();
    println!(
        "gazetteer: {} places decoded in {:.0} ms; name index ({} keys) built in {:.0} ms",
        gazetteer.places().len(),
        decoded.as_secs_f64() * 1e3,
        tagger.index().key_count(),
        (built - decoded).as_secs_f64() * 1e3,
    );

    // The CPU is shared (five agents on two cores while this was written), so besides wall
    // time the figure per core uses the thread's own CPU time from /proc (Linux).
    let mut best_wall = f64::MAX;
    let mut best_cpu = f64::MAX;
    let mut mentions = 0;
    for _ in 0..5 {
        let started = Instant::now();
        let cpu_started = thread_cpu_seconds();
        mentions = 0;
        for document in &documents {
            mentions += black_box(tagger.tag(document, &[])).len();
        }
        best_wall = best_wall.min(started.elapsed().as_secs_f64());
        if let (Some(end), Some(start)) = (thread_cpu_seconds(), cpu_started) {
            best_cpu = best_cpu.min(end - start);
        }
    }
    let mb = total as f64 / 1e6;
    println!(
        "gazette LocalityTagger::tag: {mb:.1} MB in {} documents, {mentions} mentions, \
         best of 5: {:.0} ms wall = {:.0} MB/s; {:.0} ms CPU = {:.0} MB/s per core",
        documents.len(),
        best_wall * 1e3,
        mb / best_wall,
        best_cpu * 1e3,
        mb / best_cpu,
    );
    // The share of the scan that is tokenising and folding alone.
    let mut best_tokenize = f64::MAX;
    for _ in 0..5 {
        let cpu_started = thread_cpu_seconds();
        for document in &documents {
            black_box(gazette_core::gazetteer::fold::tokenize(document));
        }
        if let (Some(end), Some(start)) = (thread_cpu_seconds(), cpu_started) {
            best_tokenize = best_tokenize.min(end - start);
        }
    }
    println!(
        "  of which tokenising and folding alone: {:.0} ms CPU = {:.0} MB/s per core",
        best_tokenize * 1e3,
        mb / best_tokenize
    );
    if std::env::var_os("GAZETTE_BENCH_NO_BASELINE").is_some() {
        return;
    }

    // The same names and text for the Python baselines.
    let out = repo.join("target/bench-locality");
    std::fs::create_dir_all(&out).expect("target/bench-locality");
    let mut names = String::new();
    for place in gazetteer.places() {
        for name in place.names.iter().chain(&place.forms) {
            names.push_str(&name.name);
            names.push('\n');
        }
    }
    std::fs::write(out.join("names.txt"), names).expect("names.txt");
    std::fs::write(out.join("text.txt"), documents.join("\n\n")).expect("text.txt");
    let baseline = std::process::Command::new("python3")
        .arg(repo.join("tools/gazetteer/bench_baseline.py"))
        .arg(out.join("names.txt"))
        .arg(out.join("text.txt"))
        .status();
    if !baseline.is_ok_and(|status| status.success()) {
        println!("baselines skipped: needs python3 with pyahocorasick and flashtext");
    }
}
