//! Fuzz target: gazette.toml parsing and glob compilation (checks in `gazette_tests::oracles::config`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gazette_tests::oracles::config(data));
