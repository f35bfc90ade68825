#!/usr/bin/env python3
"""Baselines for the locality tagging benchmark (server/core/benches/locality.rs runs this).

Usage: bench_baseline.py NAMES.txt TEXT.txt
Builds pyahocorasick and flashtext matchers over the same names as Gazette's gazetteer and
scans the same text, lower-cased (the cheapest case-insensitive match they offer; neither folds
diacritics, normalisation or tone placement, nor picks between places). Prints MB/s, best of 3.
Install: pip install pyahocorasick==2.3.1 flashtext==2.7
"""
import sys
import time


def best_of(runs, fn):
    """Best wall time and best CPU time (process_time: the CPU is shared) over `runs` runs."""
    best = best_cpu = float("inf")
    result = None
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = fn()
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - cpu_started)
    return best, best_cpu, result


def main():
    names_path, text_path = sys.argv[1], sys.argv[2]
    with open(names_path, encoding="utf-8") as f:
        names = sorted({line.strip().lower() for line in f if line.strip()})
    with open(text_path, encoding="utf-8") as f:
        text = f.read()
    mb = len(text.encode("utf-8")) / 1e6

    import ahocorasick

    started = time.perf_counter()
    automaton = ahocorasick.Automaton()
    for i, name in enumerate(names):
        automaton.add_word(name, i)
    automaton.make_automaton()
    build = time.perf_counter() - started

    def scan_aho():
        lowered = text.lower()
        return sum(1 for _ in automaton.iter_long(lowered))

    seconds, cpu, found = best_of(3, scan_aho)
    print(f"pyahocorasick: {len(names)} names built in {build * 1e3:.0f} ms; {mb:.1f} MB, "
          f"{found} matches, best of 3: {seconds * 1e3:.0f} ms wall = {mb / seconds:.1f} MB/s; "
          f"{cpu * 1e3:.0f} ms CPU = {mb / cpu:.1f} MB/s per core")

    from flashtext import KeywordProcessor

    started = time.perf_counter()
    processor = KeywordProcessor(case_sensitive=False)
    for name in names:
        processor.add_keyword(name)
    build = time.perf_counter() - started
    seconds, cpu, found = best_of(1, lambda: len(processor.extract_keywords(text)))
    print(f"flashtext: {len(names)} names built in {build * 1e3:.0f} ms; {mb:.1f} MB, "
          f"{found} matches, {seconds * 1e3:.0f} ms wall = {mb / seconds:.1f} MB/s; "
          f"{cpu * 1e3:.0f} ms CPU = {mb / cpu:.1f} MB/s per core")


if __name__ == "__main__":
    main()
