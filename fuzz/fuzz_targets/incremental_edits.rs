//! Fuzz target: incremental LSP edits against a model and against a fresh analysis (checks in `gazette_tests::oracles::incremental_edits`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gazette_tests::oracles::incremental_edits(data));
