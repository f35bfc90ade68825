//! Quality of the date, duration, person and organisation taggers on the seed gold (issue 5).
//!
//! Scores `tag_document` on the bundled sample corpus in process, with the same measures as
//! `tools/score.py`, and fails when a label falls below the bar of the issue. On failure the
//! message lists the missed (`-`) and spurious (`+`) spans of that label.

use gazette_tests::score::{differences, score_sample_corpus};

fn check(label: &str, min_f1: f64, min_value_accuracy: Option<f64>) {
    let scores = score_sample_corpus();
    let score = &scores[label];
    let value_ok = match (min_value_accuracy, score.value_accuracy) {
        (Some(min), Some(value)) => value >= min,
        (Some(_), None) => false,
        (None, _) => true,
    };
    assert!(
        score.f1 >= min_f1 && value_ok,
        "{label}: {score} is below F1 {min_f1} / value accuracy {min_value_accuracy:?}\n{}",
        differences(label)
    );
}

#[test]
fn dates_reach_f1_090_with_value_accuracy_090() {
    check("DATE", 0.90, Some(0.90));
}

#[test]
fn durations_reach_f1_060() {
    check("DURATION", 0.60, None);
}

#[test]
fn persons_reach_f1_085() {
    check("PER", 0.85, None);
}

#[test]
fn organisations_reach_f1_070() {
    check("ORG", 0.70, None);
}
