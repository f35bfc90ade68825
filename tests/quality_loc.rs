//! Quality of locality recognition and linking on the seed gold (issue 4).
//!
//! Tags the bundled sample corpus in process with `tag_document` (built-in gazetteer), scores
//! it exactly as `tools/score.py` does (span F1 and linking F1 over pairs of matched mentions)
//! and fails below the bar of the issue: LOC F1 ≥ 0.95 and LOC linking F1 ≥ 0.95. On failure
//! the message lists the missed (`-`) and spurious (`+`) locality spans.

use gazette_tests::score::{differences, score_sample_corpus};

fn check(min_f1: f64, min_linking_f1: f64) {
    let scores = score_sample_corpus();
    let score = &scores["LOC"];
    let linking = score.linking_f1.unwrap_or(0.0);
    assert!(
        score.f1 >= min_f1 && linking >= min_linking_f1,
        "LOC: {score} is below F1 {min_f1} / linking F1 {min_linking_f1}\n{}",
        differences("LOC")
    );
}

#[test]
fn localities_reach_f1_095_and_linking_f1_095() {
    check(0.95, 0.95);
}
