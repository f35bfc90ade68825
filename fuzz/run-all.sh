#!/usr/bin/env bash
# Builds the fuzz targets and runs each one for SECONDS (default 25) seconds, starting from the
# committed seed corpus and regression inputs. Fails on the first crash, leak-free timeout or
# oracle failure; the crashing input is left in fuzz/artifacts/<target>/ (add it to
# fuzz/regressions/<target>/ once fixed; tests/fuzz_replay.rs then replays it in `cargo test`).
#
#   fuzz/run-all.sh 25              # every target, 25 s each (what CI runs)
#   fuzz/run-all.sh 600 incremental_edits # one target, ten minutes
#
# cargo-fuzz needs nightly-only compiler flags; the project's toolchain is stable, so the build
# sets RUSTC_BOOTSTRAP=1, which lets a stable compiler accept them. No sanitizer is used (`-s
# none`): Gazette forbids `unsafe` code, so AddressSanitizer would mostly slow the search down;
# debug assertions and overflow checks stay on (`-a`).
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-25}"
shift || true
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
    targets=(segment locality dates reanchor config json_files incremental_edits)
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz/run-all.sh: cargo-fuzz is missing: run .ci/run (it installs it) or 'cargo install cargo-fuzz --locked'" >&2
    exit 2
fi
export RUSTC_BOOTSTRAP=1
cargo fuzz build -s none -a
mkdir -p target
for target in "${targets[@]}"; do
    work="target/corpus-work/$target"
    log="target/$target.log"
    mkdir -p "$work" "corpus/$target" "regressions/$target" "artifacts/$target"
    echo "fuzz/run-all.sh: $target for ${seconds}s"
    # New inputs go to the scratch directory (the first one); the committed corpus is read-only.
    if ! cargo fuzz run -s none -a "$target" "$work" "corpus/$target" "regressions/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=3072 -max_len=8192 \
        -print_final_stats=1 -artifact_prefix="artifacts/$target/" >"$log" 2>&1; then
        cat "$log"
        echo "fuzz/run-all.sh: $target FAILED; the input is in fuzz/artifacts/$target/" >&2
        exit 1
    fi
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|Done)" "$log" || tail -n 3 "$log"
done
