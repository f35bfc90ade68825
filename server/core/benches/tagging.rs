//! Throughput of the entity taggers (dates, localities, persons, organisations) on one core.
//!
//! Run with `cargo bench -p gazette-core --bench tagging`. The corpus is the five seed articles
//! of `examples/sample-corpus`, repeated to about 8 MB, tagged one document at a time on one
//! thread, as the language server and `gazette tag` do. Prints MB/s for each tagger alone (each
//! tokenising for itself) and for the whole pipeline (`tag_document`, where dates and names
//! share one tokenisation); the target is at least 50 MB/s for the pipeline. An argument
//! selects the measures whose name contains it (`-- names`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use gazette_core::tag::{TaggingConfig, locality, names, tag_document, temporal};

fn main() {
    let root =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sample-corpus");
    let mut seeds: Vec<String> = std::fs::read_dir(&root)
        .expect("examples/sample-corpus")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "txt"))
        .map(|path| std::fs::read_to_string(path).expect("seed text"))
        .collect();
    seeds.sort();
    // `GAZETTE_BENCH_BYTES` shrinks the corpus and `GAZETTE_BENCH_RUNS=1` runs each measure
    // once, for instruction counts under `valgrind --tool=callgrind` (see BENCHMARKS.md).
    let target_bytes = std::env::var("GAZETTE_BENCH_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8 << 20);
    let mut documents = Vec::new();
    let mut total = 0usize;
    while total < target_bytes {
        for seed in &seeds {
            total += seed.len();
            documents.push(seed.clone());
        }
    }
    let config = TaggingConfig::default();
    let earlier: Vec<_> = documents
        .iter()
        .map(|doc| temporal::tag_temporal(doc, &config))
        .collect();
    println!(
        "corpus: {} documents, {:.1} MB (seed articles repeated)",
        documents.len(),
        total as f64 / 1e6
    );
    // `cargo bench --bench tagging -- names` runs only the measures whose name contains `names`.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let wanted = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));
    let measure = |name: &str, bytes: usize, work: &mut dyn FnMut()| {
        if wanted(name) {
            measure(name, bytes, work);
        }
    };
    measure("temporal::tag_temporal", total, &mut || {
        for doc in &documents {
            black_box(temporal::tag_temporal(doc, &config));
        }
    });
    let localities = locality::LocalityTagger::builtin();
    measure("locality::LocalityTagger::tag", total, &mut || {
        for (doc, earlier) in documents.iter().zip(&earlier) {
            black_box(localities.tag(doc, earlier));
        }
    });
    measure("names::tag_names", total, &mut || {
        for (doc, earlier) in documents.iter().zip(&earlier) {
            black_box(names::tag_names(doc, earlier, &config));
        }
    });
    measure("tag_document (all taggers)", total, &mut || {
        for doc in &documents {
            black_box(tag_document(doc, &config));
        }
    });
}

/// Nanoseconds this thread has spent on a CPU (Linux), to measure per core on a shared machine.
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// Runs `work` once to warm up, then repeatedly for about two seconds; prints the best run in
/// wall-clock time and in this thread's CPU time (the per-core figure when other processes
/// compete for the cores).
fn measure(name: &str, bytes: usize, work: &mut dyn FnMut()) {
    let single = std::env::var("GAZETTE_BENCH_RUNS").is_ok_and(|v| v == "1");
    if single {
        work();
        println!("{name:32} ran once");
        return;
    }
    work();
    let mut best = Duration::MAX;
    let mut best_cpu = u64::MAX;
    let started = Instant::now();
    let mut runs = 0;
    while runs < 3 || (started.elapsed() < Duration::from_secs(2) && runs < 20) {
        let cpu = thread_cpu_ns();
        let run = Instant::now();
        work();
        best = best.min(run.elapsed());
        if let (Some(before), Some(after)) = (cpu, thread_cpu_ns()) {
            best_cpu = best_cpu.min(after - before);
        }
        runs += 1;
    }
    let mb = bytes as f64 / 1e6;
    let cpu = if best_cpu == u64::MAX {
        "n/a".to_owned()
    } else {
        format!(
            "{:.1} MB/s per core (CPU time)",
            mb / (best_cpu as f64 / 1e9)
        )
    };
    println!(
        "{name:32} {:7.1} MB/s wall, {cpu}  (best of {runs} runs)",
        mb / best.as_secs_f64(),
    );
}
