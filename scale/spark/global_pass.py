"""Gazette's corpus-wide pass on Apache Spark: cross-document and near duplicates from shards.

Input: the output directory of ``gazette fingerprint --shard i/n --out DIR`` for every i
(``paragraphs/``, ``bands/``, ``local_findings/``, ``mentions/``, ``meta/``). Output, under
``--out``: ``findings/`` (Parquet, the schema of ``local_findings``), which
``gazette check --findings OUT PATHS`` prints exactly like ``gazette check PATHS``, and
``localities/`` (mentions and documents per locality id).

The pass reproduces the core's rules (``server/core/src/rules/``) as joins and group-bys; each
step below names the Rust it mirrors. Corpus order is the byte order of document keys (Spark
compares strings as UTF-8 bytes, like Rust); "indexing order" is (ordinal, paragraph), the
order in which ``gazette check`` inserts paragraphs into its indexes.

Run locally:   python scale/spark/global_pass.py --shards DIR --out OUT --master 'local[2]'
On a cluster:  spark-submit --master yarn scale/spark/global_pass.py --shards s3a://... --out ...
"""

import argparse
import sys

from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F

# server/core/src/minhash.rs
SIGNATURE_LEN = 80
# server/core/src/rules/cross_document_duplicate.rs: MAX_RELATED
MAX_RELATED_COPIES = 10
# server/core/src/rules/near_duplicate.rs: MAX_RELATED, MAX_CANDIDATES
MAX_RELATED_SIMILAR = 5
MAX_CANDIDATES = 256
# The core walks a paragraph's bands in order and each band's occurrences in indexing order,
# stops after MAX_CANDIDATES distinct candidates, and skips itself and candidates already seen
# in earlier bands (at most MAX_CANDIDATES of them). So within one band it never looks past
# position 1 + MAX_CANDIDATES + 1: longer lists (boilerplate) are cut there before the join.
BAND_PREFIX = MAX_CANDIDATES + 2

FINDING_COLUMNS = ["document", "code", "range_start", "range_end", "message", "related", "fix"]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shards", required=True, help="the --out directory of gazette fingerprint")
    parser.add_argument("--out", required=True, help="output directory (findings/, localities/)")
    parser.add_argument("--master", help="Spark master when not set by spark-submit, e.g. local[2]")
    parser.add_argument(
        "--shuffle-partitions",
        type=int,
        help="spark.sql.shuffle.partitions (default: Spark's, or 4 with a local master)",
    )
    return parser.parse_args(argv)


def check_meta(spark, shards):
    """All shards are present and were made from the same walk with the same settings."""
    rows = [row.asDict(recursive=True) for row in spark.read.json(f"{shards}/meta").collect()]
    if not rows:
        sys.exit(f"global_pass: no shard metadata under {shards}/meta")
    count = rows[0]["shards"]
    identity = {(r["format"], r["shards"], r["corpus_documents"], r["corpus_hash"]) for r in rows}
    settings = {tuple(sorted(r["settings"].items())) for r in rows}
    if len(identity) != 1 or len(settings) != 1:
        sys.exit("global_pass: shards come from different corpora, walks or settings: re-run "
                 "gazette fingerprint on every shard with the same paths and gazette.toml")
    present = sorted(r["shard"] for r in rows)
    if present != list(range(count)):
        missing = sorted(set(range(count)) - set(present))
        sys.exit(f"global_pass: shards {missing} of {count} are missing (or some are duplicated)")
    return rows[0]["settings"], sum(r["documents"] for r in rows)


def fix_json(title, document, start, end):
    """The JSON of a one-edit deletion fix, as `Fix` in the core (unsafe)."""
    edit = F.struct(
        document.alias("document"),
        start.alias("start"),
        end.alias("end"),
        F.lit("").alias("replacement"),
    )
    return F.to_json(
        F.struct(
            F.lit(title).alias("title"),
            F.lit("unsafe").alias("applicability"),
            F.array(edit).alias("edits"),
        )
    )


def cross_document(paragraphs):
    """GZ002 findings, and for every paragraph whether it is an exact duplicate (GZ003 skips those).

    Mirrors cross_document_duplicate::check: a paragraph long enough to count that does not repeat
    an earlier paragraph of its own document is reported when a document before it in corpus
    order has the same fingerprint. The message names the first such document; related locations
    are the first copy in each other document (the first ten in corpus order).
    """
    counting = paragraphs.where("counts")
    per_document = counting.groupBy("fingerprint", "document").agg(
        F.min(F.struct("paragraph", "first_line", "range_start", "range_end")).alias("copy")
    )
    ranked = per_document.withColumn(
        "rank", F.row_number().over(Window.partitionBy("fingerprint").orderBy("document"))
    )
    groups = (
        ranked.groupBy("fingerprint")
        .agg(
            F.count(F.lit(1)).alias("documents"),
            F.min("document").alias("first_document"),
            # Enough to list ten copies besides any one document.
            F.sort_array(
                F.collect_list(
                    F.when(
                        F.col("rank") <= MAX_RELATED_COPIES + 1,
                        F.struct("document", "copy.first_line", "copy.range_start", "copy.range_end"),
                    )
                )
            ).alias("copies"),
        )
        .where("documents > 1")
    )
    flagged = paragraphs.join(
        groups.select("fingerprint", "first_document"), "fingerprint", "left"
    ).withColumn(
        "exact_duplicate",
        F.col("repeat")
        | (F.col("counts") & F.coalesce(F.col("first_document") < F.col("document"), F.lit(False))),
    )

    reported = (
        counting.where("NOT repeat")
        .join(groups, "fingerprint")
        .where(F.col("first_document") < F.col("document"))
        .withColumn(
            "others",
            F.slice(F.filter("copies", lambda c: c["document"] != F.col("document")), 1, MAX_RELATED_COPIES),
        )
    )
    first = F.col("others")[0]
    more = F.col("documents") - 2
    others = (
        F.when(more == 0, F.lit(""))
        .when(more == 1, F.lit(" and 1 other document"))
        .otherwise(F.concat(F.lit(" and "), more.cast("string"), F.lit(" other documents")))
    )
    related = F.transform(
        "others",
        lambda c: F.struct(
            c["document"].alias("document"),
            c["range_start"].alias("start"),
            c["range_end"].alias("end"),
            F.concat(F.lit("copy at line "), (c["first_line"] + 1).cast("string")).alias("message"),
        ),
    )
    findings = reported.select(
        "document",
        F.lit("GZ002").alias("code"),
        "range_start",
        "range_end",
        F.concat(
            F.lit("paragraph repeats line "),
            (first["first_line"] + 1).cast("string"),
            F.lit(" of "),
            first["document"],
            others,
        ).alias("message"),
        F.to_json(related).alias("related"),
        fix_json("Delete this copy", F.col("document"), F.col("delete_start"), F.col("delete_end")).alias(
            "fix"
        ),
    )
    return findings, flagged


def percent(similarity):
    """`(similarity * 100.0).round()` in Rust: half away from zero, on the same double."""
    scaled = similarity * F.lit(100.0)
    return (F.floor(scaled) + F.when(scaled - F.floor(scaled) >= 0.5, 1).otherwise(0)).cast("long")


def near_duplicates(flagged, bands, settings):
    """GZ003 findings. Mirrors near_duplicate::check; see BAND_PREFIX for the candidate cap."""
    min_words = int(settings["near_min_words"])
    threshold = float(settings["near_threshold"])
    queries = flagged.where(
        F.col("signature").isNotNull() & (F.col("words") >= min_words) & ~F.col("exact_duplicate")
    )
    band_lists = bands.withColumn(
        "position",
        F.row_number().over(Window.partitionBy("band_key").orderBy("ordinal", "paragraph")),
    ).where(F.col("position") <= BAND_PREFIX)
    query_bands = bands.join(queries.select("ordinal", "paragraph"), ["ordinal", "paragraph"]).select(
        "band_key",
        "band",
        F.col("ordinal").alias("q_ordinal"),
        F.col("paragraph").alias("q_paragraph"),
    )
    pairs = (
        query_bands.join(band_lists.select("band_key", "ordinal", "paragraph"), "band_key")
        .where((F.col("ordinal") != F.col("q_ordinal")) | (F.col("paragraph") != F.col("q_paragraph")))
        .groupBy("q_ordinal", "q_paragraph", "ordinal", "paragraph")
        .agg(F.min("band").alias("first_band"))
    )
    # The first MAX_CANDIDATES distinct candidates in the order the core meets them.
    examined = pairs.withColumn(
        "rank",
        F.row_number().over(
            Window.partitionBy("q_ordinal", "q_paragraph").orderBy("first_band", "ordinal", "paragraph")
        ),
    ).where(F.col("rank") <= MAX_CANDIDATES)

    q = queries.select([F.col(c).alias("q_" + c) for c in queries.columns])
    c = flagged.select(
        "ordinal", "paragraph", "document", "range_start", "range_end", "first_line", "fingerprint",
        "words", "signature",
    )
    joined = examined.join(q, ["q_ordinal", "q_paragraph"]).join(c, ["ordinal", "paragraph"])
    earlier = (F.col("document") < F.col("q_document")) | (
        (F.col("document") == F.col("q_document")) & (F.col("paragraph") < F.col("q_paragraph"))
    )
    equal = F.aggregate(
        F.zip_with("q_signature", "signature", lambda x, y: F.when(x == y, 1).otherwise(0)),
        F.lit(0),
        lambda acc, x: acc + x,
    )
    similar = (
        joined.where(
            earlier
            & (F.col("fingerprint") != F.col("q_fingerprint"))
            & (F.col("words") >= min_words)
            & F.col("signature").isNotNull()
        )
        .withColumn("equal", equal)
        .withColumn("similarity", F.col("equal").cast("double") / F.lit(float(SIGNATURE_LEN)))
        .where(F.col("similarity") >= F.lit(threshold))
        .withColumn("percent", percent(F.col("similarity")))
    )
    # Most similar first, then corpus order (document, start).
    grouped = similar.groupBy(
        "q_document", "q_range_start", "q_range_end", "q_delete_start", "q_delete_end"
    ).agg(
        F.sort_array(
            F.collect_list(
                F.struct(
                    (-F.col("equal")).alias("order"),
                    "document",
                    "range_start",
                    "range_end",
                    "first_line",
                    "percent",
                )
            )
        ).alias("similar")
    )
    best = F.col("similar")[0]
    line = F.concat(F.lit("line "), (best["first_line"] + 1).cast("string"))
    place = F.when(best["document"] == F.col("q_document"), line).otherwise(
        F.concat(line, F.lit(" of "), best["document"])
    )
    related = F.transform(
        F.slice("similar", 1, MAX_RELATED_SIMILAR),
        lambda s: F.struct(
            s["document"].alias("document"),
            s["range_start"].alias("start"),
            s["range_end"].alias("end"),
            F.concat(s["percent"].cast("string"), F.lit("% similar")).alias("message"),
        ),
    )
    return grouped.select(
        F.col("q_document").alias("document"),
        F.lit("GZ003").alias("code"),
        F.col("q_range_start").alias("range_start"),
        F.col("q_range_end").alias("range_end"),
        F.concat(
            F.lit("paragraph is "), best["percent"].cast("string"), F.lit("% similar to "), place
        ).alias("message"),
        F.to_json(related).alias("related"),
        fix_json(
            "Delete this near-duplicate paragraph",
            F.col("q_document"),
            F.col("q_delete_start"),
            F.col("q_delete_end"),
        ).alias("fix"),
    )


def localities(spark, shards):
    """Mentions and documents per locality id, when the shards have a mentions table."""
    try:
        mentions = spark.read.parquet(f"{shards}/mentions")
    except Exception:  # noqa: BLE001 - no mentions table (gazette fingerprint --no-entities)
        return None
    return (
        mentions.where((F.col("label") == "LOC") & F.col("norm").isNotNull())
        .groupBy("norm")
        .agg(F.count(F.lit(1)).alias("mentions"), F.countDistinct("document").alias("documents"))
    )


def main(argv):
    args = parse_args(argv)
    builder = SparkSession.builder.appName("gazette-global-pass")
    if args.master:
        builder = builder.master(args.master)
    partitions = args.shuffle_partitions
    if partitions is None and (args.master or "").startswith("local"):
        partitions = 4
    if partitions:
        builder = builder.config("spark.sql.shuffle.partitions", str(partitions))
    # Progress bars would interleave with the summary lines on stdout.
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")

    settings, documents = check_meta(spark, args.shards)
    paragraphs = spark.read.parquet(f"{args.shards}/paragraphs")
    local = spark.read.parquet(f"{args.shards}/local_findings")
    exact, flagged = cross_document(paragraphs)
    findings = local.select(FINDING_COLUMNS).unionByName(exact.select(FINDING_COLUMNS))
    if settings["near_enabled"]:
        bands = spark.read.parquet(f"{args.shards}/bands")
        near = near_duplicates(flagged, bands, settings)
        findings = findings.unionByName(near.select(FINDING_COLUMNS))
    findings.write.mode("overwrite").parquet(f"{args.out}/findings")
    written = spark.read.parquet(f"{args.out}/findings")
    counts = {row["code"]: row["count"] for row in written.groupBy("code").count().collect()}
    per_locality = localities(spark, args.shards)
    if per_locality is not None:
        per_locality.write.mode("overwrite").parquet(f"{args.out}/localities")
        top = spark.read.parquet(f"{args.out}/localities").orderBy(F.desc("mentions"), "norm").limit(5)
        for row in top.collect():
            print(f"global_pass: locality {row['norm']} {row['mentions']} mentions in {row['documents']} documents")
    summary = ", ".join(f"{code} {counts[code]}" for code in sorted(counts)) or "none"
    print(f"global_pass: {documents} documents; findings: {summary}; written to {args.out}")
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
