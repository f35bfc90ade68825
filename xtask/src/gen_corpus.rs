//! `cargo xtask gen-corpus`: a deterministic corpus with known duplication, for benchmarks.
//!
//! Paragraphs are made from real multilingual text shipped in the repository (the five seed
//! articles in English, Vietnamese and Polish, and the annotation guidelines): each fresh
//! paragraph has the length of a real paragraph and words drawn from the words of one source
//! file with their real frequencies, so word and byte statistics stay those of real text while
//! every paragraph is new. Into that stream the generator inserts, with fixed probabilities, exact
//! copies of earlier paragraphs (in the same or another document), near copies (two words
//! changed) and repeated blocks, and records how many of each it inserted in `manifest.json`.
//! The same seed and size always give the same bytes.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;

/// Arguments of `gen-corpus`.
#[derive(Args)]
pub struct GenCorpusArgs {
    /// Output directory (created; existing generated files are overwritten).
    #[arg(long, default_value = "bench-data/corpus")]
    pub out: PathBuf,
    /// Approximate corpus size, in MiB.
    #[arg(long, default_value_t = 64)]
    pub size_mib: u64,
    /// Seed of the generator.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Probability that a paragraph is an exact copy of an earlier one.
    #[arg(long, default_value_t = 0.03)]
    pub exact: f64,
    /// Probability that a paragraph is a near copy (two words changed) of an earlier one.
    #[arg(long, default_value_t = 0.02)]
    pub near: f64,
    /// Stop after this many documents (whatever the size reached).
    #[arg(long)]
    pub documents: Option<u64>,
    /// Fewest paragraphs in a document.
    #[arg(long, default_value_t = 5)]
    pub min_paragraphs: usize,
    /// Most paragraphs in a document (`--min-paragraphs 1 --max-paragraphs 3` makes many small
    /// documents, as in the 1,000,000-document benchmark).
    #[arg(long, default_value_t = 40)]
    pub max_paragraphs: usize,
}

/// SplitMix64: tiny, fast and identical everywhere.
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
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 > 1.0 - p
    }
}

/// Generates the corpus.
pub fn run(args: GenCorpusArgs) -> Result<()> {
    let root = crate::repo_root();
    let mut sources = Vec::new();
    let mut seed_files: Vec<PathBuf> = std::fs::read_dir(root.join("examples/sample-corpus"))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    seed_files.sort();
    seed_files.push(root.join("tests/fixtures/gold/GUIDELINES.md"));
    for (file, path) in seed_files.iter().enumerate() {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        for line in text.lines() {
            let words: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
            if words.len() >= 8 && !line.starts_with('#') && !line.starts_with('|') {
                sources.push((file, words));
            }
        }
    }
    anyhow::ensure!(!sources.is_empty(), "no source paragraphs found");
    // One vocabulary per source file, so that replaced words stay in the paragraph's language.
    let vocabularies: Vec<Vec<&str>> = (0..seed_files.len())
        .map(|file| {
            sources
                .iter()
                .filter(|(f, _)| *f == file)
                .flat_map(|(_, words)| words.iter().map(String::as_str))
                .collect()
        })
        .collect();

    let mut rng = Rng(args.seed);
    let target = args.size_mib << 20;
    let mut written = 0u64;
    let mut recent: Vec<String> = Vec::new();
    let (mut documents, mut paragraphs, mut exact, mut near, mut repeated_blocks) = (0, 0, 0, 0, 0);
    std::fs::create_dir_all(&args.out)?;
    let span = args.max_paragraphs.max(args.min_paragraphs) - args.min_paragraphs + 1;
    while written < target
        && args
            .documents
            .is_none_or(|limit| (documents as u64) < limit)
    {
        let mut document: Vec<String> = Vec::new();
        let count = args.min_paragraphs.max(1) + rng.below(span);
        while document.len() < count {
            let paragraph = if !recent.is_empty() && rng.chance(args.exact) {
                exact += 1;
                recent[rng.below(recent.len())].clone()
            } else if !recent.is_empty() && rng.chance(args.near) {
                near += 1;
                let original = &recent[rng.below(recent.len())];
                let mut words: Vec<&str> = original.split(' ').collect();
                for _ in 0..2 {
                    // Replace a word with another word of the same paragraph (same language).
                    let at = rng.below(words.len());
                    words[at] = words[rng.below(words.len())];
                }
                words.join(" ")
            } else if document.len() >= 3 && rng.chance(0.005) {
                // A repeated block: the last three paragraphs again (GZ001 reports one finding).
                repeated_blocks += 1;
                let block: Vec<String> = document[document.len() - 3..].to_vec();
                document.extend(block);
                continue;
            } else {
                // A fresh paragraph: as many words as a real paragraph, drawn from the words of
                // its language with their real frequencies, so no two fresh paragraphs share
                // more than chance bigrams.
                let (file, source) = &sources[rng.below(sources.len())];
                let vocabulary = &vocabularies[*file];
                let words: Vec<&str> = (0..source.len())
                    .map(|_| vocabulary[rng.below(vocabulary.len())])
                    .collect();
                words.join(" ")
            };
            if recent.len() < 20_000 {
                recent.push(paragraph.clone());
            } else {
                let at = rng.below(recent.len());
                recent[at] = paragraph.clone();
            }
            document.push(paragraph);
        }
        let separator = if documents % 2 == 0 { "\n" } else { "\n\n" };
        let text = document.join(separator) + "\n";
        let path = args
            .out
            .join(format!("d{:04}", documents / 1000))
            .join(format!("doc-{documents:07}.txt"));
        write(&path, text.as_bytes())?;
        written += text.len() as u64;
        paragraphs += document.len();
        documents += 1;
    }
    let manifest = format!(
        "{{\n  \"seed\": {},\n  \"bytes\": {written},\n  \"documents\": {documents},\n  \
         \"paragraphs\": {paragraphs},\n  \"exact_copies\": {exact},\n  \"near_copies\": {near},\n  \
         \"repeated_blocks\": {repeated_blocks}\n}}\n",
        args.seed
    );
    write(&args.out.join("manifest.json"), manifest.as_bytes())?;
    eprint!("{manifest}");
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut file =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(bytes)?;
    Ok(())
}
