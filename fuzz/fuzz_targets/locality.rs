//! Fuzz target: the gazetteer matcher and the tagging pipeline (checks in `gazette_tests::oracles::locality`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gazette_tests::oracles::locality(data));
