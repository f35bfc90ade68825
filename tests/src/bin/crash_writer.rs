//! A helper process for the crash-safety test: rewrites one annotation file forever, alternating
//! two large versions, until it is killed with SIGKILL at a random moment.

use std::path::PathBuf;

use gazette_core::annotation::{Annotation, AnnotationFile, AnnotationStatus, NewAnnotation};
use gazette_core::tag::EntityLabel;
use gazette_core::text::TextRange;
use gazette_store::atomic_write;

/// How many annotations each version holds (the test checks the count).
const COPIES: usize = 300;

/// Builds a large annotation file; `variant` changes every annotation's status.
pub fn version(variant: bool) -> String {
    let text = "Đà Nẵng và Daegu. ".repeat(COPIES);
    let mut file = AnnotationFile::new("big.txt");
    let status = if variant {
        AnnotationStatus::Accepted
    } else {
        AnnotationStatus::Rejected
    };
    for (index, _) in text.match_indices("Daegu") {
        let annotation = Annotation::new(
            &text,
            NewAnnotation {
                range: TextRange::new(index as u32, index as u32 + 5),
                label: EntityLabel::Loc,
                norm: Some("KR:daegu".into()),
                status,
                creator: None,
                created: None,
            },
        )
        .expect("in range");
        file.annotations.push(annotation);
    }
    file.render()
}

fn main() {
    let path = PathBuf::from(std::env::args().nth(1).expect("usage: crash_writer PATH"));
    let versions = [version(false), version(true)];
    // Tell the test the versions are ready, so that it kills us while writing, not while building.
    println!("ready");
    for round in 0usize.. {
        atomic_write(&path, versions[round % 2].as_bytes()).expect("write");
    }
}
