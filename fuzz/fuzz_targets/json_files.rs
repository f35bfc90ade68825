//! Fuzz target: annotation files, user gazetteers and import files (checks in `gazette_tests::oracles::json_files`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gazette_tests::oracles::json_files(data));
