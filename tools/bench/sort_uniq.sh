#!/usr/bin/env bash
# Baseline for BENCHMARKS.md: duplicated lines after a crude ASCII normalisation (lowercase,
# punctuation to spaces, whitespace collapsed), with `sort | uniq -d`. Usage: sort_uniq.sh DIR
set -euo pipefail
find "$1" -name '*.txt' -print0 | sort -z | xargs -0 cat \
  | LC_ALL=C tr 'A-Z' 'a-z' \
  | LC_ALL=C sed -E 's/[[:punct:]]+/ /g; s/[[:space:]]+/ /g; s/^ //; s/ $//' \
  | grep -v '^$' \
  | LC_ALL=C sort -S 512M | LC_ALL=C uniq -d | wc -l
