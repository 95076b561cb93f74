"""Checks a Spark run of newsmill_job.py against a one-machine run of the same articles."""

import csv
import glob
import json
import os
import sys
from collections import defaultdict


def spark_rows(folder):
    rows = []
    for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
        with open(path, encoding="utf-8") as f:
            rows.extend(json.loads(line) for line in f if line.strip())
    return rows


def main(local, spark, crash_status, crash_out):
    checks = []

    def check(name, ok, detail=""):
        checks.append(ok)
        print(f"{'ok  ' if ok else 'FAIL'} {name}" + (f": {detail}" if detail and not ok else ""))

    with open(os.path.join(local, "documents.jsonl"), encoding="utf-8") as f:
        local_docs = [json.loads(line) for line in f]
    spark_docs = spark_rows(os.path.join(spark, "documents"))
    doc_key = lambda d: (d["id"], d["status"], d.get("title"), d.get("published"), d["words"], d["paragraphs"])
    local_set = sorted(doc_key(d) for d in local_docs)
    spark_set = sorted((d["doc_id"], d["status"], d.get("title"), d.get("published"), d["words"], d["paragraphs"]) for d in spark_docs)
    differences = [(a, b) for a, b in zip(local_set, spark_set) if a != b]
    detail = f"first difference: {differences[0]}" if differences else "counts differ"
    check(f"documents: {len(local_set)} one-machine = {len(spark_set)} Spark", local_set == spark_set,
          detail)

    warc_ids = {"22222222-2222-2222-2222-222222222222", "33333333-3333-3333-3333-333333333333"}
    check("the web archive's two pages are in both runs",
          warc_ids <= {d["id"] for d in local_docs} and warc_ids <= {d["doc_id"] for d in spark_docs})

    fields = ("doc_id", "quote_id", "text", "speaker", "kind", "key", "start", "end", "source_start", "source_end")
    local_quotes = sorted(
        tuple([d["id"]] + [q.get(k if k != "quote_id" else "id") for k in fields[1:]])
        for d in local_docs for q in d["quotes"])
    spark_quotes = sorted(tuple(q.get(k) for k in fields) for q in spark_rows(os.path.join(spark, "quotes")))
    check(f"quotes: {len(local_quotes)} one-machine = {len(spark_quotes)} Spark", local_quotes == spark_quotes)
    check("there are quotes to compare", len(local_quotes) > 100)

    groups = defaultdict(set)
    for d in local_docs:
        for q in d["quotes"]:
            if q["kind"] in ("full", "partial"):
                groups[q["key"]].add(d["id"])
    local_groups = sorted((k, "|".join(sorted(v))) for k, v in groups.items())
    spark_groups = sorted((g["key"], g["doc_ids"]) for g in spark_rows(os.path.join(spark, "quote_groups")))
    check(f"quote groups: {len(local_groups)} one-machine = {len(spark_groups)} Spark", local_groups == spark_groups)
    check("some quote groups span several documents", sum(1 for _, d in local_groups if "|" in d) > 10)

    crashed = int(crash_status)
    check(f"a binary killed inside a task fails the job (spark-submit exit {crashed})", crashed != 0)
    check("the failed job wrote no quote table", not glob.glob(os.path.join(crash_out, "quotes", "*.json")))

    passed = sum(checks)
    print(f"{passed} passed, {len(checks) - passed} failed")
    sys.exit(0 if passed == len(checks) else 1)


if __name__ == "__main__":
    main(*sys.argv[1:])
