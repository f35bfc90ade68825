//! `cargo run -p xtask -- <task>`: developer tasks (corpus generation, schemas, benchmarks).

fn main() {}
