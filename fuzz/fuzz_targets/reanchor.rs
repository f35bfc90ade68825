//! Fuzz target: annotation re-anchoring after an edit (checks in `gazette_tests::oracles::reanchor`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gazette_tests::oracles::reanchor(data));
