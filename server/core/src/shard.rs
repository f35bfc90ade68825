//! Shard records: what one document contributes to a corpus-wide pass run elsewhere (Spark).
//!
//! A corpus too large for one machine is cut into shards; each shard's documents are reduced to
//! records, and a distributed engine joins the records of every shard. The rules split cleanly
//! in two:
//!
//! - **local** rules need only the document itself: GZ001 (a paragraph repeated in the same
//!   document), GZ004 (punctuation-only lines) and GZ900 (unreadable document). Their findings
//!   are computed here, complete, by the same rule code that `gazette check` runs.
//! - **global** rules compare paragraphs across documents: GZ002 (exact copies in other
//!   documents) and GZ003 (near duplicates). For them each paragraph becomes a
//!   [`ParagraphRecord`]: its fingerprint, its MinHash signature and LSH band keys, and everything
//!   the global pass needs to print the same message and fix as `gazette check` (line numbers,
//!   the deletion range, whether it already repeats an earlier paragraph of its document).
//!
//! The global pass must reproduce the core's semantics exactly; `scale/spark/global_pass.py`
//! documents how, rule by rule, and `tests/scale_spark.rs` checks it against `gazette check`.

use std::collections::HashSet;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::minhash::{self, BANDS, Signature};
use crate::normalize::Fingerprint;
use crate::text::TextRange;
use crate::workspace::{DocumentSummary, Workspace};

/// The rules whose findings depend on other documents, computed by the global pass.
pub const GLOBAL_RULES: [&str; 2] = [
    crate::rules::cross_document_duplicate::META.code,
    crate::rules::near_duplicate::META.code,
];

/// What the global pass needs to know about one paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParagraphRecord {
    /// The paragraph's index in its document.
    pub paragraph: u32,
    /// Its trimmed byte range (the range of GZ002/GZ003 findings).
    pub range: TextRange,
    /// Its first 0-based line (messages say "line N" with N = first_line + 1).
    pub first_line: u32,
    /// Its last 0-based line.
    pub last_line: u32,
    /// The range the "delete this copy" fix removes.
    pub deletion: TextRange,
    /// The fingerprint of its normalised text.
    pub fingerprint: Fingerprint,
    /// Its number of normalised words.
    pub words: u32,
    /// True when it has enough words (`paragraphs.min-words`) to be an exact duplicate.
    pub counts_as_duplicate: bool,
    /// True when it repeats an earlier paragraph of the same document (GZ001 reports it, GZ002
    /// and GZ003 stay quiet about it).
    pub repeats_in_document: bool,
    /// Its MinHash signature and band keys, when near-duplicate detection applies to it.
    pub near: Option<NearRecord>,
}

/// The near-duplicate part of a [`ParagraphRecord`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NearRecord {
    /// The b-bit MinHash signature.
    pub signature: Signature,
    /// Its LSH band keys, band 0 first.
    pub band_keys: [u64; BANDS],
}

/// Everything one document contributes to a shard.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocumentRecords {
    /// The paragraphs that can take part in a global rule (long enough to be exact duplicates,
    /// or signed for near duplicates), in text order.
    pub paragraphs: Vec<ParagraphRecord>,
    /// The complete findings of the local rules, sorted like [`Workspace::diagnostics`].
    pub local: Vec<Diagnostic>,
}

/// Turns document summaries into shard records. Keep one per thread: it reuses a one-document
/// workspace to run the local rules with exactly the code `gazette check` runs.
pub struct ShardRecorder {
    workspace: Workspace,
}

impl ShardRecorder {
    /// A recorder for documents summarised under `config`.
    pub fn new(config: Config) -> ShardRecorder {
        ShardRecorder {
            workspace: Workspace::new(config),
        }
    }

    /// The records of document `key`.
    pub fn record(&mut self, key: &str, summary: DocumentSummary) -> DocumentRecords {
        let config = self.workspace.config();
        let min_words = config.paragraphs.min_words.max(1);
        let mut seen = HashSet::new();
        let mut paragraphs = Vec::new();
        for (index, paragraph) in summary.paragraphs().iter().enumerate() {
            let counts_as_duplicate = paragraph.words >= min_words;
            // Mirrors `duplicate_paragraph::first_copies`: only paragraphs long enough to count.
            let repeats_in_document = counts_as_duplicate && !seen.insert(paragraph.fingerprint);
            let near = summary.signature(index).map(|signature| NearRecord {
                signature: *signature,
                band_keys: minhash::band_keys(signature),
            });
            if !counts_as_duplicate && near.is_none() {
                continue;
            }
            paragraphs.push(ParagraphRecord {
                paragraph: index as u32,
                range: paragraph.range,
                first_line: paragraph.first_line,
                last_line: paragraph.last_line,
                deletion: summary.deletion_range(index, index),
                fingerprint: paragraph.fingerprint,
                words: paragraph.words,
                counts_as_duplicate,
                repeats_in_document,
                near,
            });
        }
        // Alone in a workspace, a document gets exactly its local findings (plus near duplicates
        // of its own paragraphs, which the global pass recomputes with the whole corpus).
        self.workspace.set_summary(key, summary);
        let local = self
            .workspace
            .diagnostics(key)
            .into_iter()
            .filter(|diagnostic| !GLOBAL_RULES.contains(&diagnostic.code))
            .collect();
        self.workspace.remove_document(key);
        DocumentRecords { paragraphs, local }
    }
}

/// The shard (0-based, below `shards`) a document key belongs to: a hash of the key, so that
/// the assignment is the same on every machine and needs no coordination.
pub fn shard_of(key: &str, shards: u32) -> u32 {
    (xxhash_rust::xxh3::xxh3_64(key.as_bytes()) % u64::from(shards.max(1))) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> DocumentRecords {
        let config = Config::default();
        let summary = DocumentSummary::new(text, &config);
        ShardRecorder::new(config).record("a.txt", summary)
    }

    #[test]
    fn local_findings_are_those_of_check_without_global_rules() {
        let near = "one two three four five six seven eight nine ten eleven twelve";
        let text = format!(
            "Mayor Kwon and Chairman Tho\n.\nMayor Kwon and Chairman Tho\n{near}\n{}\n",
            near.replace("twelve", "thirteen")
        );
        let records = records(&text);
        let codes: Vec<&str> = records.local.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["GZ004", "GZ001"]);
        let mut workspace = Workspace::new(Config::default());
        workspace.set_document("a.txt", &text);
        let with_global: Vec<&str> = workspace
            .diagnostics("a.txt")
            .iter()
            .map(|d| d.code)
            .collect();
        assert_eq!(with_global, ["GZ004", "GZ001", "GZ003"]);
    }

    #[test]
    fn paragraphs_record_repeats_and_signatures() {
        let text = "Mayor Kwon and Chairman Tho\nshort line\nMayor Kwon and Chairman Tho\n\
            one two three four five six seven eight nine\n";
        let records = records(text);
        let summary: Vec<(u32, bool, bool, bool)> = records
            .paragraphs
            .iter()
            .map(|p| {
                (
                    p.paragraph,
                    p.counts_as_duplicate,
                    p.repeats_in_document,
                    p.near.is_some(),
                )
            })
            .collect();
        // "short line" has two words: below `min-words`, not signed, so not recorded.
        assert_eq!(
            summary,
            [
                (0, true, false, false),
                (2, true, true, false),
                (3, true, false, true)
            ]
        );
        assert_eq!(records.paragraphs[1].first_line, 2);
        assert_eq!(
            records.paragraphs[0].deletion,
            DocumentSummary::new(text, &Config::default()).deletion_range(0, 0)
        );
    }

    #[test]
    fn shard_assignment_is_stable_and_in_range() {
        assert_eq!(shard_of("corpus/a.txt", 1), 0);
        let shards: Vec<u32> = (0..100)
            .map(|i| shard_of(&format!("corpus/{i}.txt"), 4))
            .collect();
        assert!(shards.iter().all(|&s| s < 4));
        assert!((0..4).all(|s| shards.contains(&s)), "{shards:?}");
        assert_eq!(shard_of("corpus/a.txt", 4), shard_of("corpus/a.txt", 4));
    }
}
