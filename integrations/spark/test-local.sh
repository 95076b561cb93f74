#!/usr/bin/env bash
# Runs the Spark job in local[2] on a generated corpus and checks that it equals a one-machine
# run (documents, quotes, quote groups), with the binary and with the installed Python package
# (--package, whose Parquet tables must have the one-machine tables' columns and types), and
# that a binary killed inside a task makes the job fail instead of succeeding empty. Prints
# "N passed, N failed"; exits non-zero on failure.
#
# Needs Java 17 and Python 3; installs PySpark and the newsmill package (`pip install .`) into a
# virtualenv under target/.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
work=target/spark-test
venv=target/spark-venv
docs=${NEWSMILL_SPARK_DOCS:-2000}

# The dev profile by default: CI has just built it for `cargo test`, and a second, optimized
# build of the whole workspace (twice: binary and wheel) would take longer than the test itself.
profile=${NEWSMILL_PROFILE:-dev}
case "$profile" in dev) bin=target/debug ;; *) bin=target/$profile ;; esac
echo "== building newsmill ($profile)"
cargo build --profile "$profile" -q -p runner -p bench

if [ ! -x "$venv/bin/spark-submit" ]; then
  echo "== installing PySpark into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "pyspark==4.0.1"
fi
echo "== installing the newsmill package into $venv (pip install .)"
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}" \
  "$venv/bin/pip" install -q --force-reinstall --no-deps \
  --config-settings=build-args="--profile $profile" .
"$venv/bin/pip" install -q pyarrow

rm -rf "$work" && mkdir -p "$work"
echo "== generating $docs articles"
$bin/newsmill-bench --generate "$docs" --to "$work/corpus.jsonl"
# A folder input too: the seed articles; and a web archive of two pages (plus a request record
# that must be skipped), which the job spreads as a path of its own.
python3 - "$work/pages.warc" <<'PY'
import sys
def record(kind, uri, rid, body):
    head = (f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n"
            f"WARC-Date: 2025-08-20T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:{rid}>\r\n")
    ctype = "application/http; msgtype=" + ("response" if kind == "response" else "request")
    return (head + f"Content-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body + b"\r\n\r\n"
def page(title, para):
    html = (f"<html lang=en><head><title>{title} | The Valley Ledger</title></head><body><nav>Home | World</nav>"
            f"<article><h1>{title}</h1><p>{para}</p></article><footer>Subscribe</footer></body></html>").encode()
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + str(len(html)).encode() + b"\r\n\r\n" + html
with open(sys.argv[1], "wb") as f:
    f.write(record("request", "https://ledger.example/a", "11111111-1111-1111-1111-111111111111", b"GET /a HTTP/1.1\r\n\r\n"))
    f.write(record("response", "https://ledger.example/a", "22222222-2222-2222-2222-222222222222", page(
        "Council backs the new bridge", "\u201cWe have waited long enough for this crossing,\u201d Mayor Ines Okafor said on Tuesday, as the council voted seven to two.".encode().decode("unicode_escape"))))
    f.write(record("response", "https://ledger.example/b", "33333333-3333-3333-3333-333333333333", page(
        "Harbour dredging delayed", "The dredging will start in spring, port director Tomas Reyes told reporters, \u201conce the permits are signed.\u201d".encode().decode("unicode_escape"))))
PY
export PYSPARK_PYTHON="$root/$venv/bin/python"
submit() {
  "$venv/bin/spark-submit" --master "local[2]" \
    --conf spark.ui.enabled=false --conf spark.sql.shuffle.partitions=4 \
    --driver-memory 1g "$@" 2> "$work/last-spark.log"
}

echo "== one-machine run"
cat > "$work/local.toml" <<TOML
[pipeline]
stages = ["extract_html", "clean", "quotes", "entities", "claims", "json", "parquet"]

[stages.json]
per_document = false
TOML
status=0
$bin/newsmill run -c "$work/local.toml" --input "$work/corpus.jsonl" --input data/articles \
  --input "$root/$work/pages.warc" --output "$work/local" --quiet || status=$?
[ "$status" -le 1 ] || { echo "one-machine run failed ($status)"; exit 1; }

echo "== Spark run (local[2])"
submit integrations/spark/newsmill_job.py \
  --input "$work/corpus.jsonl" data/articles "$root/$work/pages.warc" --output "$work/spark" --format json \
  --binary "$root/$bin/newsmill" --config "$root/integrations/spark/stream.toml" \
  --partitions 4 || { tail -40 "$work/last-spark.log"; exit 1; }

echo "== Spark run with the installed package (--package, Parquet)"
submit integrations/spark/newsmill_job.py --package \
  --input "$work/corpus.jsonl" data/articles "$root/$work/pages.warc" --output "$work/spark-package" \
  --format parquet --config "$root/integrations/spark/tables.toml" \
  --partitions 4 || { tail -40 "$work/last-spark.log"; exit 1; }

echo "== Spark run with a binary that is killed inside its task"
cat > "$work/dying-newsmill" <<SH
#!/usr/bin/env bash
# Reads part of its input, then dies the way an OOM kill would.
[ "\$1" = schema ] && exec "$root/$bin/newsmill" schema
head -c 1000 > /dev/null
kill -9 \$\$
SH
chmod +x "$work/dying-newsmill"
crash_status=0
submit --conf spark.task.maxFailures=2 integrations/spark/newsmill_job.py \
  --input "$work/corpus.jsonl" --output "$work/spark-crash" --format json \
  --binary "$root/$work/dying-newsmill" --config "$root/integrations/spark/stream.toml" \
  --partitions 2 || crash_status=$?
echo "spark-submit exit status with a dying binary: $crash_status"

echo "== comparing"
"$venv/bin/python" integrations/spark/compare.py "$work/local" "$work/spark" "$crash_status" \
  "$work/spark-crash" "$work/spark-package"
