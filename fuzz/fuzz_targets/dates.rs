//! Fuzz target: the date grammar (checks in `gazette_tests::oracles::dates`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gazette_tests::oracles::dates(data));
