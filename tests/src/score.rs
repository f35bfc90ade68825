//! Scoring of the taggers against the gold annotations, in process: a port of `tools/score.py`.
//!
//! The quality tests (`tests/quality_*.rs`) tag the bundled sample corpus with
//! [`gazette_core::tag::tag_document`] and score the result exactly as `tools/score.py` scores the
//! JSONL of `gazette tag`: exact-span precision, recall and F1 per label; value accuracy of
//! dates and durations over exact matches; linking F1 over pairs of matched mentions.

use std::collections::{BTreeMap, HashMap};

use gazette_core::tag::{TaggingConfig, tag_document};
use serde::Deserialize;

/// One span with code-point offsets, as in the gold files and `gazette tag --format jsonl`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct ScoredSpan {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// `LOC`, `PER`, `ORG`, `DATE` or `DURATION`.
    pub label: String,
    /// The normalised value.
    pub norm: Option<String>,
}

/// A gold document: its file name, its text and its spans.
#[derive(Clone, Debug)]
pub struct GoldDocument {
    /// File name of the text (`000_9c21d3f726678668.txt`).
    pub name: String,
    /// The article.
    pub text: String,
    /// The gold spans.
    pub spans: Vec<ScoredSpan>,
}

#[derive(Deserialize)]
struct GoldFile {
    doc: String,
    spans: Vec<ScoredSpan>,
}

/// The figures of one label, as `tools/score.py` reports them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LabelScore {
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Share of exact matches whose norm equals the gold norm (DATE, DURATION).
    pub value_accuracy: Option<f64>,
    /// F1 of "same entity" pairs among exact matches (LOC, PER, ORG).
    pub linking_f1: Option<f64>,
}

impl std::fmt::Display for LabelScore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "P {:.3} R {:.3} F1 {:.3} (tp {} fp {} fn {})",
            self.precision,
            self.recall,
            self.f1,
            self.true_positives,
            self.false_positives,
            self.false_negatives
        )?;
        if let Some(value) = self.value_accuracy {
            write!(f, " value_accuracy={value:.3}")?;
        }
        if let Some(linking) = self.linking_f1 {
            write!(f, " linking_f1={linking:.3}")?;
        }
        Ok(())
    }
}

/// Loads the gold annotations and the texts of the sample corpus.
pub fn load_gold() -> Vec<GoldDocument> {
    let mut names: Vec<_> = std::fs::read_dir(crate::gold_dir())
        .expect("gold directory")
        .map(|entry| entry.expect("gold entry").path())
        .filter(|path| path.to_string_lossy().ends_with(".gold.json"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|path| {
            let json = std::fs::read_to_string(&path).expect("gold file");
            let gold: GoldFile = serde_json::from_str(&json).expect("gold JSON");
            let name = gold.doc.rsplit('/').next().unwrap_or(&gold.doc).to_owned();
            let text = std::fs::read_to_string(crate::sample_corpus().join(&name))
                .expect("sample corpus text");
            GoldDocument {
                name,
                text,
                spans: gold.spans,
            }
        })
        .collect()
}

/// Tags `text` with the whole pipeline and returns spans in code points.
pub fn predict(text: &str, config: &TaggingConfig) -> Vec<ScoredSpan> {
    let tags = tag_document(text, config);
    let mut code_points = vec![0usize; text.len() + 1];
    let mut count = 0;
    for (byte, _) in text.char_indices() {
        code_points[byte] = count;
        count += 1;
    }
    code_points[text.len()] = count;
    tags.spans
        .iter()
        .map(|span| ScoredSpan {
            start: code_points[span.range.start as usize],
            end: code_points[span.range.end as usize],
            label: span.label.as_str().to_owned(),
            norm: span.norm.clone(),
        })
        .collect()
}

fn prf(tp: usize, fp: usize, fn_: usize) -> (f64, f64, f64) {
    let p = if tp + fp > 0 {
        tp as f64 / (tp + fp) as f64
    } else {
        0.0
    };
    let r = if tp + fn_ > 0 {
        tp as f64 / (tp + fn_) as f64
    } else {
        0.0
    };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

/// Scores predictions against the gold for one label; documents are paired by index.
pub fn score_label(
    gold: &[GoldDocument],
    predicted: &[Vec<ScoredSpan>],
    label: &str,
) -> LabelScore {
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    let (mut value_ok, mut value_n) = (0, 0);
    let mut matched: Vec<(Option<&str>, Option<&str>)> = Vec::new();
    for (document, prediction) in gold.iter().zip(predicted) {
        let gold_spans: HashMap<(usize, usize), &ScoredSpan> = document
            .spans
            .iter()
            .filter(|s| s.label == label)
            .map(|s| ((s.start, s.end), s))
            .collect();
        // Like score.py, a later prediction with the same offsets replaces an earlier one.
        let mut predicted_spans: BTreeMap<(usize, usize), &ScoredSpan> = BTreeMap::new();
        for span in prediction.iter().filter(|s| s.label == label) {
            predicted_spans.insert((span.start, span.end), span);
        }
        for (key, span) in &predicted_spans {
            match gold_spans.get(key) {
                Some(gold_span) => {
                    tp += 1;
                    matched.push((gold_span.norm.as_deref(), span.norm.as_deref()));
                    value_n += 1;
                    value_ok += usize::from(gold_span.norm == span.norm);
                }
                None => fp += 1,
            }
        }
        fn_ += gold_spans
            .keys()
            .filter(|key| !predicted_spans.contains_key(key))
            .count();
    }
    let (precision, recall, f1) = prf(tp, fp, fn_);
    let mut score = LabelScore {
        true_positives: tp,
        false_positives: fp,
        false_negatives: fn_,
        precision,
        recall,
        f1,
        value_accuracy: None,
        linking_f1: None,
    };
    if matches!(label, "DATE" | "DURATION") {
        score.value_accuracy = Some(if value_n > 0 {
            value_ok as f64 / value_n as f64
        } else {
            0.0
        });
    }
    if matches!(label, "LOC" | "PER" | "ORG") && matched.len() > 1 {
        let (mut ltp, mut lfp, mut lfn) = (0, 0, 0);
        for i in 0..matched.len() {
            for j in i + 1..matched.len() {
                let (g1, p1) = matched[i];
                let (g2, p2) = matched[j];
                let same_gold = g1.is_some() && g1 == g2;
                let same_predicted = p1.is_some() && p1 == p2;
                ltp += usize::from(same_gold && same_predicted);
                lfp += usize::from(!same_gold && same_predicted);
                lfn += usize::from(same_gold && !same_predicted);
            }
        }
        score.linking_f1 = Some(prf(ltp, lfp, lfn).2);
    }
    score
}

/// Tags the sample corpus with the default configuration and scores every label.
pub fn score_sample_corpus() -> BTreeMap<&'static str, LabelScore> {
    let gold = load_gold();
    let config = TaggingConfig::default();
    let predicted: Vec<_> = gold.iter().map(|doc| predict(&doc.text, &config)).collect();
    ["LOC", "PER", "ORG", "DATE", "DURATION"]
        .into_iter()
        .map(|label| (label, score_label(&gold, &predicted, label)))
        .collect()
}

/// The spans of one label that differ between gold and prediction, for failure messages:
/// `- missed` and `+ spurious` lines, and `~ gold → predicted` for a date whose value differs.
pub fn differences(label: &str) -> String {
    let gold = load_gold();
    let config = TaggingConfig::default();
    let mut out = String::new();
    for document in &gold {
        let predicted = predict(&document.text, &config);
        let chars: Vec<char> = document.text.chars().collect();
        let text_of = |s: &ScoredSpan| chars[s.start..s.end].iter().collect::<String>();
        let of_label = |spans: &[ScoredSpan]| -> BTreeMap<(usize, usize), ScoredSpan> {
            spans
                .iter()
                .filter(|s| s.label == label)
                .map(|s| ((s.start, s.end), s.clone()))
                .collect()
        };
        let (gold_spans, predicted_spans) = (of_label(&document.spans), of_label(&predicted));
        for (key, span) in &gold_spans {
            match predicted_spans.get(key) {
                None => out.push_str(&format!(
                    "{} - {:?} {:?}\n",
                    document.name,
                    text_of(span),
                    span.norm
                )),
                Some(found) if matches!(label, "DATE" | "DURATION") && found.norm != span.norm => {
                    out.push_str(&format!(
                        "{} ~ {:?} {:?} -> {:?}\n",
                        document.name,
                        text_of(span),
                        span.norm,
                        found.norm
                    ))
                }
                Some(_) => {}
            }
        }
        for (key, span) in &predicted_spans {
            if !gold_spans.contains_key(key) {
                out.push_str(&format!(
                    "{} + {:?} {:?}\n",
                    document.name,
                    text_of(span),
                    span.norm
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize, label: &str, norm: &str) -> ScoredSpan {
        ScoredSpan {
            start,
            end,
            label: label.to_owned(),
            norm: Some(norm.to_owned()),
        }
    }

    fn document(spans: Vec<ScoredSpan>) -> GoldDocument {
        GoldDocument {
            name: "doc.txt".into(),
            text: String::new(),
            spans,
        }
    }

    #[test]
    fn exact_spans_values_and_links_are_scored_like_score_py() {
        let gold = [document(vec![
            span(0, 4, "DATE", "2016"),
            span(10, 14, "DATE", "2017"),
            span(20, 23, "PER", "a"),
            span(30, 33, "PER", "a"),
            span(40, 43, "PER", "b"),
        ])];
        let predicted = [vec![
            span(0, 4, "DATE", "2016"),
            span(10, 14, "DATE", "XXXX"),
            span(15, 16, "DATE", "2018"),
            span(20, 23, "PER", "x"),
            span(30, 33, "PER", "x"),
            span(40, 43, "PER", "x"),
        ]];
        let date = score_label(&gold, &predicted, "DATE");
        assert_eq!(
            (
                date.true_positives,
                date.false_positives,
                date.false_negatives
            ),
            (2, 1, 0)
        );
        assert!((date.f1 - 0.8).abs() < 1e-9);
        assert_eq!(date.value_accuracy, Some(0.5));
        let person = score_label(&gold, &predicted, "PER");
        assert_eq!(person.f1, 1.0);
        // Gold links one pair; the prediction links three, one of them right.
        assert!((person.linking_f1.unwrap() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn predictions_use_code_point_offsets() {
        let spans = predict("Ngày 17 tháng 10 năm 2016", &TaggingConfig::default());
        let date = spans.iter().find(|s| s.label == "DATE").expect("a date");
        assert_eq!((date.start, date.end), (0, 25));
    }
}
