#!/usr/bin/env python3
"""Run dolma's paragraph deduper (Rust, from the PyPI wheel) on a corpus of .txt files.

Usage: run_dolma.py CORPUS_DIR WORK_DIR PATH/TO/dolma.cpython-311-x86_64-linux-gnu.so

Only the compiled extension of the `dolma` wheel is loaded (pip download dolma==1.2.1 --no-deps,
unzip), so none of dolma's heavy Python dependencies are needed. The corpus is converted to
dolma's documents format first (not timed); the deduper call is timed. dolma splits on "\n" and
hashes raw paragraphs (no normalisation), so it is an exact, un-normalised baseline.
"""
import gzip, importlib.util, json, os, sys, time, glob, shutil

corpus, work, so_path = sys.argv[1], sys.argv[2], sys.argv[3]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(f"{work}/documents")
paths = sorted(glob.glob(f"{corpus}/**/*.txt", recursive=True))
total = 0
paragraphs = 0
shard, per_shard = 0, 2000
for start in range(0, len(paths), per_shard):
    with gzip.open(f"{work}/documents/{shard:05d}.jsonl.gz", "wt", compresslevel=1) as out:
        for path in paths[start:start + per_shard]:
            text = open(path, encoding="utf-8").read()
            total += len(text.encode())
            paragraphs += sum(1 for line in text.split("\n") if line.strip())
            out.write(json.dumps({"id": path, "text": text, "source": "bench"}) + "\n")
    shard += 1

spec = importlib.util.spec_from_file_location("dolma", so_path)
ext = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ext)
config = {
    "documents": [f"{work}/documents/*.jsonl.gz"],
    "work_dir": {"input": f"{work}/tmp/input", "output": f"{work}/tmp/output"},
    "dedupe": {
        "name": "bench",
        "paragraphs": {"attribute_name": "bff_duplicate_paragraph_spans"},
        "skip_empty": True,
    },
    "bloom_filter": {
        "file": f"{work}/bloom.bin",
        "read_only": False,
        "estimated_doc_count": max(paragraphs, 1),
        "desired_false_positive_rate": 1e-6,
        "size_in_bytes": 0,
    },
    "processes": int(os.environ.get("DOLMA_PROCESSES", "1")),
}
started = time.perf_counter()
cpu_started = time.process_time()
ext.deduper_entrypoint(json.dumps(config))
elapsed = time.perf_counter() - started
cpu = time.process_time() - cpu_started
flagged = 0
for attr in sorted(set(glob.glob(f"{work}/**/attributes/**/*.jsonl.gz", recursive=True))):
    with gzip.open(attr, "rt") as f:
        for line in f:
            spans = json.loads(line)["attributes"].get("bff_duplicate_paragraph_spans", [])
            flagged += len(spans)
mib = total / (1 << 20)
print(f"dolma dedupe: {mib:.1f} MiB, {paragraphs} paragraphs, {elapsed:.2f} s wall, "
      f"{mib / elapsed:.1f} MiB/s wall, {cpu:.2f} s CPU ({mib / cpu:.1f} MiB/s per core), processes={config['processes']}, flagged spans={flagged}")
