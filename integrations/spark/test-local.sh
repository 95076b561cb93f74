#!/usr/bin/env bash
# Runs the Spark job in local[2] on a generated corpus and checks that it equals a one-machine
# run (documents, quotes, quote groups), and that a binary killed inside a task makes the job
# fail instead of succeeding empty. Prints "N passed, N failed"; exits non-zero on failure.
#
# Needs Java 17 and Python 3; installs PySpark into a virtualenv under target/.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
work=target/spark-test
venv=target/spark-venv
docs=${NEWSMILL_SPARK_DOCS:-2000}

echo "== building newsmill (release)"
cargo build --release -q -p runner -p bench

if [ ! -x "$venv/bin/spark-submit" ]; then
  echo "== installing PySpark into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "pyspark==4.0.1"
fi

rm -rf "$work" && mkdir -p "$work"
echo "== generating $docs articles"
target/release/newsmill-bench --generate "$docs" --to "$work/corpus.jsonl"
# A folder input too: the seed articles.
export PYSPARK_PYTHON="$root/$venv/bin/python"
submit() {
  "$venv/bin/spark-submit" --master "local[2]" \
    --conf spark.ui.enabled=false --conf spark.sql.shuffle.partitions=4 \
    --driver-memory 1g "$@" 2> "$work/last-spark.log"
}

echo "== one-machine run"
cat > "$work/local.toml" <<TOML
[pipeline]
stages = ["clean", "quotes", "entities", "claims", "json"]

[stages.json]
per_document = false
TOML
status=0
target/release/newsmill run -c "$work/local.toml" --input "$work/corpus.jsonl" --input data/articles \
  --output "$work/local" --quiet || status=$?
[ "$status" -le 1 ] || { echo "one-machine run failed ($status)"; exit 1; }

echo "== Spark run (local[2])"
submit integrations/spark/newsmill_job.py \
  --input "$work/corpus.jsonl" data/articles --output "$work/spark" --format json \
  --binary "$root/target/release/newsmill" --config "$root/integrations/spark/stream.toml" \
  --partitions 4 || { tail -40 "$work/last-spark.log"; exit 1; }

echo "== Spark run with a binary that is killed inside its task"
cat > "$work/dying-newsmill" <<SH
#!/usr/bin/env bash
# Reads part of its input, then dies the way an OOM kill would.
[ "\$1" = schema ] && exec "$root/target/release/newsmill" schema
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
  "$work/spark-crash"
