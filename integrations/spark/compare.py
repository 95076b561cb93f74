"""Checks Spark runs of newsmill_job.py against a one-machine run of the same articles: the
binary's run (JSON output), the package's run (--package, Parquet output) when given, and
that a binary killed inside a task failed its job.

    compare.py LOCAL SPARK CRASH_STATUS CRASH_OUT [PACKAGE_OUT]
"""

import csv
import glob
import json
import os
import re
import sys
from collections import defaultdict


def json_rows(folder):
    rows = []
    for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
        with open(path, encoding="utf-8") as f:
            rows.extend(json.loads(line) for line in f if line.strip())
    return rows


def parquet_rows(folder):
    import pyarrow.parquet as pq

    return pq.read_table(folder).to_pylist()


def cell(value):
    """A value as the CSV tables write it, so typed and text outputs compare."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "|".join(cell(v) for v in value)
    return str(value)


class Checks:
    def __init__(self):
        self.results = []

    def __call__(self, name, ok, detail=""):
        self.results.append(ok)
        print(f"{'ok  ' if ok else 'FAIL'} {name}" + (f": {detail}" if detail and not ok else ""))

    def finish(self):
        passed = sum(self.results)
        print(f"{passed} passed, {len(self.results) - passed} failed")
        sys.exit(0 if passed == len(self.results) else 1)


DOC_FIELDS = ("status", "title", "published", "words", "paragraphs")
QUOTE_FIELDS = ("quote_id", "text", "speaker", "kind", "key", "start", "end", "source_start",
                "source_end")


def compare_run(check, label, local_docs, spark, read):
    """The documents, quotes and quote groups of one Spark run against the one-machine run's."""
    local_set = sorted((d["id"],) + tuple(cell(d.get(k)) for k in DOC_FIELDS) for d in local_docs)
    spark_docs = read(os.path.join(spark, "documents"))
    spark_set = sorted((d["doc_id"],) + tuple(cell(d.get(k)) for k in DOC_FIELDS)
                       for d in spark_docs)
    differences = [(a, b) for a, b in zip(local_set, spark_set) if a != b]
    detail = f"first difference: {differences[0]}" if differences else "counts differ"
    check(f"{label}: documents: {len(local_set)} one-machine = {len(spark_set)} Spark",
          local_set == spark_set, detail)

    warc_ids = {"22222222-2222-2222-2222-222222222222", "33333333-3333-3333-3333-333333333333"}
    check(f"{label}: the web archive's two pages are in both runs",
          warc_ids <= {d["id"] for d in local_docs} and warc_ids <= {d["doc_id"] for d in spark_docs})

    local_quotes = sorted(
        (d["id"],) + tuple(cell(q.get(k if k != "quote_id" else "id")) for k in QUOTE_FIELDS)
        for d in local_docs for q in d["quotes"])
    spark_quotes = sorted((q["doc_id"],) + tuple(cell(q.get(k)) for k in QUOTE_FIELDS)
                          for q in read(os.path.join(spark, "quotes")))
    check(f"{label}: quotes: {len(local_quotes)} one-machine = {len(spark_quotes)} Spark",
          local_quotes == spark_quotes)
    check(f"{label}: there are quotes to compare", len(local_quotes) > 100)

    groups = defaultdict(set)
    for d in local_docs:
        for q in d["quotes"]:
            if q["kind"] in ("full", "partial"):
                groups[q["key"]].add(d["id"])
    local_groups = sorted((k, "|".join(sorted(v))) for k, v in groups.items())
    spark_groups = sorted((g["key"], g["doc_ids"])
                          for g in read(os.path.join(spark, "quote_groups")))
    check(f"{label}: quote groups: {len(local_groups)} one-machine = {len(spark_groups)} Spark",
          local_groups == spark_groups)
    check(f"{label}: some quote groups span several documents",
          sum(1 for _, d in local_groups if "|" in d) > 10)


def type_name(arrow_type):
    """An Arrow type's name without its list item's field name, which writers choose
    (arrow-rs `item`, Spark `element`)."""
    return re.sub(r"list<\w+: ", "list<", str(arrow_type))


def local_columns(local, name):
    """A one-machine table's columns: (name, type) from its Parquet file, or names from its CSV."""
    parquet = os.path.join(local, f"{name}.parquet")
    if os.path.exists(parquet):
        import pyarrow.parquet as pq

        return [(f.name, type_name(f.type)) for f in pq.read_schema(parquet)]
    with open(os.path.join(local, f"{name}.csv"), newline="", encoding="utf-8") as f:
        return [(column, None) for column in next(csv.reader(f))]


def compare_schemas(check, local, spark):
    """Every per-document table the package run wrote has the one-machine table's columns,
    and their types where the one-machine run wrote Parquet."""
    import pyarrow.parquet as pq

    for name in ("documents", "quotes", "entities", "mentions", "claims", "removed", "errors"):
        expected = local_columns(local, name)
        schema = pq.read_table(os.path.join(spark, name)).schema
        typed = expected and expected[0][1] is not None
        got = [(f.name, type_name(f.type) if typed else None) for f in schema]
        check(f"package: {name}: the one-machine run's {len(expected)} columns"
              + (" and types" if typed else ""), got == expected, f"{got} != {expected}")


def main(local, spark, crash_status, crash_out, package=None):
    check = Checks()
    with open(os.path.join(local, "documents.jsonl"), encoding="utf-8") as f:
        local_docs = [json.loads(line) for line in f]
    compare_run(check, "binary", local_docs, spark, json_rows)
    crashed = int(crash_status)
    check(f"a binary killed inside a task fails the job (spark-submit exit {crashed})", crashed != 0)
    check("the failed job wrote no quote table", not glob.glob(os.path.join(crash_out, "quotes", "*.json")))
    if package:
        compare_run(check, "package", local_docs, package, parquet_rows)
        compare_schemas(check, local, package)
    check.finish()


if __name__ == "__main__":
    main(*sys.argv[1:])
