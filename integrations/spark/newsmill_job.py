"""Run Newsmill as a map step on Apache Spark (PySpark 4).

Each partition of articles is piped through one `newsmill run --input - --output -` process
(`mapPartitions` with a subprocess: `RDD.pipe` would start the binary with an empty
environment and ignore its exit code, turning a crash into an empty result). A task fails
when the binary exits with anything but 0 or 1 (1 means some documents failed, and those
come back as lines with an `error` field), or when it returns fewer lines than it was given,
so Spark retries the task and fails the job rather than succeeding with missing documents.

The results are read with the explicit schema `newsmill schema` prints, quotes are grouped
across documents by the normalized key the binary emits (Spark's shuffle does the
cross-document step), and tables are written as Parquet, CSV or JSON.

    spark-submit --files target/release/newsmill,integrations/spark/stream.toml \\
        integrations/spark/newsmill_job.py \\
        --input data/articles --output out/spark --format parquet

Web archives (`.warc`, `.warc.gz`, e.g. CC-NEWS), named directly or in a `.list` file, are not
shipped through Spark: each task runs the binary on one archive's path (`--input PATH`), so
the paths must be readable from every executor (a shared mount, or files fetched there).

    spark-submit --files target/release/newsmill,integrations/spark/stream.toml \\
        integrations/spark/newsmill_job.py --input cc-news-paths.list --output out/cc-news
"""

import argparse
import json
import os
import re
import subprocess
import sys
import threading

from pyspark import SparkFiles
from pyspark.sql import SparkSession, functions as F
from pyspark.sql.types import StructType


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--input", nargs="+", required=True,
                   help="folders of .txt/.md articles, .jsonl files, .warc/.warc.gz web archives, "
                        "or a .list file of such paths")
    p.add_argument("--output", required=True, help="output folder")
    p.add_argument("--format", choices=["parquet", "csv", "json"], default="parquet")
    p.add_argument("--binary", default="newsmill",
                   help="the newsmill binary: a path, or the name of a file shipped with --files")
    p.add_argument("--config", default="stream.toml",
                   help="pipeline config for the executors: a path, or a file shipped with --files")
    p.add_argument("--partitions", type=int, default=0, help="partitions (0 = Spark's default)")
    return p.parse_args(argv)


def shipped(name):
    """A file shipped with --files, or a path that exists on every executor."""
    if os.path.exists(name):
        return os.path.abspath(name)
    return SparkFiles.get(os.path.basename(name))


def safe_id(stem):
    """The binary's doc_id rule (ingest::safe_id), so ids match a one-machine run."""
    out = re.sub(r"[^A-Za-z0-9._-]", "_", stem).lstrip(".")[:200]
    if out.startswith("-"):
        out = "_" + out[1:]
    return out or "document"


WARC_SUFFIXES = (".warc", ".warc.gz")


def split_inputs(inputs):
    """The inputs with `.list` files expanded: (articles and JSONL, web archive paths)."""
    articles, archives = [], []
    for item in inputs:
        if item.endswith(".list"):
            with open(item, encoding="utf-8") as f:
                listed = [line.strip() for line in f if line.strip()]
            more_articles, more_archives = split_inputs(listed)
            articles += more_articles
            archives += more_archives
        elif item.endswith(WARC_SUFFIXES):
            archives.append(item)
        else:
            articles.append(item)
    return articles, archives


def article_lines(spark, inputs):
    """An RDD of JSONL strings, one article each, from folders and JSONL files (no `.list`)."""
    sc = spark.sparkContext
    parts = []
    for item in inputs:
        if item.endswith(".jsonl"):
            parts.append(sc.textFile(item).filter(lambda line: line.strip() != ""))
        else:
            # Folders and single article files: (path, text) pairs.
            files = sc.wholeTextFiles(item if not os.path.isdir(item) else
                                      os.path.join(item, "*"))

            def to_line(pair):
                path, text = pair
                stem = os.path.splitext(os.path.basename(path))[0]
                return json.dumps({"id": safe_id(stem), "text": text.replace("\r\n", "\n")})

            files = files.filter(lambda pair: pair[0].endswith((".txt", ".md")))
            parts.append(files.map(to_line))
    rdd = parts[0]
    for other in parts[1:]:
        rdd = rdd.union(other)
    return rdd


def run_partition(binary, config):
    """The mapPartitions function: one newsmill process per partition."""

    def run(lines):
        lines = list(lines)
        if not lines:
            return iter(())
        env = dict(os.environ)
        proc = subprocess.Popen(
            [binary, "run", "-c", config, "--input", "-", "--output", "-", "--quiet",
             "--threads", "1"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=env,
        )

        def feed():
            try:
                for line in lines:
                    proc.stdin.write(line.encode("utf-8"))
                    proc.stdin.write(b"\n")
                proc.stdin.close()
            except BrokenPipeError:
                pass  # the binary died; its exit code tells the rest

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        stderr_chunks = []
        reader = threading.Thread(target=lambda: stderr_chunks.append(proc.stderr.read()),
                                  daemon=True)
        reader.start()
        out = [line.decode("utf-8") for line in proc.stdout]
        code = proc.wait()
        writer.join()
        reader.join()
        stderr = b"".join(stderr_chunks).decode("utf-8", "replace")[-4000:]
        if code not in (0, 1):
            raise RuntimeError(f"newsmill exited with {code} (negative: killed by signal): {stderr}")
        if len(out) != len(lines):
            raise RuntimeError(
                f"newsmill returned {len(out)} lines for {len(lines)} documents: {stderr}")
        return iter(out)

    return run


def run_archives(binary, config):
    """The mapPartitions function for web archives: one newsmill process per archive path,
    its result lines streamed back (an archive gives as many documents as it has HTML
    responses, so there is no count to check; a crash fails the task)."""

    def run(paths):
        for path in paths:
            proc = subprocess.Popen(
                [binary, "run", "-c", config, "--input", path, "--output", "-", "--quiet",
                 "--threads", "1"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ),
            )
            stderr_chunks = []
            reader = threading.Thread(target=lambda: stderr_chunks.append(proc.stderr.read()),
                                      daemon=True)
            reader.start()
            for line in proc.stdout:
                yield line.decode("utf-8")
            code = proc.wait()
            reader.join()
            if code not in (0, 1):
                stderr = b"".join(stderr_chunks).decode("utf-8", "replace")[-4000:]
                raise RuntimeError(f"newsmill exited with {code} on {path}: {stderr}")

    return run


def schema_of(binary):
    printed = subprocess.run([binary, "schema"], check=True, capture_output=True).stdout
    return StructType.fromJson(json.loads(printed))


def main(argv):
    args = parse_args(argv)
    spark = SparkSession.builder.appName("newsmill").getOrCreate()
    sc = spark.sparkContext
    binary = shipped(args.binary)
    config = shipped(args.config)
    article_inputs, archives = split_inputs(args.input)
    parts = []
    if article_inputs:
        lines = article_lines(spark, article_inputs)
        if args.partitions:
            lines = lines.repartition(args.partitions)
        parts.append(lines.mapPartitions(run_partition(binary, config)))
    if archives:
        # One archive per partition: each is a process of its own, and CC-NEWS files are big.
        paths = sc.parallelize(archives, len(archives))
        parts.append(paths.mapPartitions(run_archives(binary, config)))
    results = parts[0]
    for other in parts[1:]:
        results = results.union(other)
    documents = spark.read.json(results, schema=schema_of(binary)).cache()

    quotes = documents.select("id", F.explode("quotes").alias("q")).select(
        F.col("id").alias("doc_id"), F.col("q.id").alias("quote_id"), F.col("q.text").alias("text"),
        F.col("q.speaker").alias("speaker"), F.col("q.kind").alias("kind"),
        F.col("q.key").alias("key"), F.col("q.start").alias("start"), F.col("q.end").alias("end"),
        F.col("q.source_start").alias("source_start"), F.col("q.source_end").alias("source_end"),
    )
    # The cross-document step is a shuffle on the binary's normalized quote key.
    groups = (
        quotes.where(F.col("kind").isin("full", "partial"))
        .groupBy("key")
        .agg(
            F.min(F.struct("doc_id", "quote_id", "text")).alias("first"),
            F.array_sort(F.collect_set("doc_id")).alias("doc_ids"),
            F.array_sort(F.collect_set("speaker")).alias("speakers"),
            F.count("*").alias("members"),
        )
        .select(
            "key", F.col("first.text").alias("text"), F.size("doc_ids").alias("sources"),
            F.array_join("doc_ids", "|").alias("doc_ids"),
            F.array_join("speakers", "|").alias("speakers"), "members",
        )
    )
    table_documents = documents.select(
        F.col("id").alias("doc_id"), "source", "status", "title", "published",
        F.array_join("authors", "|").alias("author"),
        F.array_join("image_credits", "|").alias("image_credit"), "words", "paragraphs",
        F.col("error.message").alias("error"),
        "url", "outlet", "modified", "language", "section",
    )
    tables = {"documents": table_documents, "quotes": quotes, "quote_groups": groups}
    for name, frame in tables.items():
        writer = frame.write.mode("overwrite")
        path = os.path.join(args.output, name)
        if args.format == "parquet":
            writer.parquet(path)
        elif args.format == "csv":
            writer.option("header", True).csv(path)
        else:
            writer.json(path)
    counts = {name: frame.count() for name, frame in tables.items()}
    print(json.dumps(counts), file=sys.stderr)
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
