//! Fuzz target: paragraph segmentation, fingerprints and the duplicate rules (checks in `gazette_tests::oracles::segment`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gazette_tests::oracles::segment(data));
