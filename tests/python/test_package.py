"""The installed `newsmill` package against the `newsmill` binary on the seed articles.

Run by tests/python/run.sh, which installs the package into a fresh virtual environment and
sets NEWSMILL_BINARY to the binary built from the same sources. Every table the package
returns (read from the parquet exporter's files, typed) must hold the rows of the CSV file the
binary writes for the same stages, read through pandas and Polars; errors must carry the
binary's messages.
"""

from __future__ import annotations

import csv
import datetime
import json
import math
import os
import subprocess
from pathlib import Path

import pytest

import newsmill

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = ROOT / "data" / "articles"
BINARY = Path(os.environ.get("NEWSMILL_BINARY", ROOT / "target" / "debug" / "newsmill"))


def binary(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The binary, run in `cwd`."""
    return subprocess.run([str(BINARY), *args], cwd=cwd, capture_output=True, text=True)


def csv_config(folder: Path) -> str:
    """The package's pipeline with the csv exporter in place of parquet, cells as they are
    (no formula guard, which Parquet does not need), written into `folder`."""
    text = Path(newsmill.DEFAULT_CONFIG).read_text(encoding="utf-8")
    assert '"parquet"]' in text
    text = text.replace('"parquet"]', '"csv"]') + "\n[stages.csv]\nformula_guard = false\n"
    path = folder / "csv.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def csv_tables(folder: Path) -> dict:
    """Every CSV table the binary wrote: name → rows (dicts of strings)."""
    tables = {}
    for path in sorted(folder.glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as f:
            tables[path.stem] = list(csv.DictReader(f))
    return tables


def cell(value) -> str:
    """A value from pandas or Polars as the CSV writes it (missing → empty)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, (list, tuple)) or type(value).__name__ in ("ndarray", "Series"):
        return "|".join(cell(v) for v in value)
    return str(value)


def pandas_rows(frame) -> list:
    return [{k: cell(v) for k, v in row.items()} for row in frame.to_dict("records")]


def polars_rows(frame) -> list:
    return [{k: cell(v) for k, v in row.items()} for row in frame.rows(named=True)]


def assert_same_tables(result: newsmill.Result, expected: dict) -> None:
    assert sorted(result.tables) == sorted(expected)
    pandas_frames = result.to_pandas()
    polars_frames = result.to_polars()
    for name, rows in expected.items():
        assert result.tables[name].num_rows == len(rows), name
        assert pandas_rows(pandas_frames[name]) == rows, name
        assert polars_rows(polars_frames[name]) == rows, name


@pytest.fixture(scope="module")
def binary_run(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("binary")
    done = binary("run", "-c", csv_config(folder), "--input", str(ARTICLES), "--output", "out",
                  "--quiet", cwd=folder)
    out = folder / "out"
    assert done.returncode == 0, done.stderr
    return csv_tables(out)


def test_run_gives_the_binarys_tables_in_pandas_and_polars(binary_run):
    result = newsmill.run(ARTICLES)
    assert result.documents_read == 5 and result.documents_failed == 0
    assert result.output is None  # written to a temporary folder, removed
    assert len(binary_run["quotes"]) > 20 and len(binary_run["quote_groups"]) > 0
    assert_same_tables(result, binary_run)
    assert result.quotes is result.tables["quotes"]
    quotes = result.to_pandas("quotes")
    assert str(quotes["start"].dtype) == "int64"
    speakers = quotes.groupby("speaker").size()  # quotes without a speaker (null) left out
    assert speakers.max() >= 2 and "" not in speakers.index
    assert str(result.documents.schema.field("published").type) == "date32[day]"


def test_run_keeps_the_output_folder_it_is_given(tmp_path):
    result = newsmill.run([str(ARTICLES)], output=tmp_path / "kept", threads=2)
    assert result.output == tmp_path / "kept"
    assert (tmp_path / "kept" / "quotes.parquet").exists()


def seed_records() -> list:
    return [{"id": p.stem, "text": p.read_text(encoding="utf-8"), "source": "Seed Wire"}
            for p in sorted(ARTICLES.glob("*.txt"))]


def test_process_gives_the_tables_of_the_binary_on_the_same_jsonl(tmp_path):
    records = seed_records()
    # The binary reads the same records from texts.jsonl, the name process() gives its file.
    (tmp_path / "texts.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    done = binary("run", "-c", csv_config(tmp_path), "--input", "texts.jsonl", "--output", "out",
                  "--quiet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    expected = csv_tables(tmp_path / "out")
    assert expected["documents"][0]["source"] == "texts.jsonl:1"
    assert expected["documents"][0]["outlet"] == "Seed Wire"
    assert_same_tables(newsmill.process(records), expected)


def test_process_takes_plain_texts_and_lists_failed_documents_as_errors():
    text = ("\u201cWe will open the new bridge in May,\u201d Mayor Ines Okafor said on Tuesday. "
            "The council approved the budget by seven votes to two.")
    result = newsmill.process([text, {"id": "blank", "text": "   "},
                               {"id": "dated", "text": text,
                                "published": datetime.date(2025, 3, 4)}])
    assert result.documents_read == 3 and result.documents_failed == 1
    documents = result.to_polars("documents")
    assert documents["doc_id"].to_list() == ["line-1", "blank", "dated"]
    assert cell(documents.row(2, named=True)["published"]) == "2025-03-04"
    errors = result.to_pandas("errors")
    assert errors["doc_id"].tolist() == ["blank"]
    assert "empty" in errors["message"][0]
    speakers = {cell(s) for s in result.to_pandas("quotes")["speaker"]}
    assert speakers == {"Ines Okafor"}


def test_process_refuses_what_is_not_a_text():
    with pytest.raises(TypeError, match=r"texts\[1\]"):
        newsmill.process(["fine", 42])


def error_of(call) -> newsmill.NewsmillError:
    with pytest.raises(newsmill.NewsmillError) as caught:
        call()
    return caught.value


def test_a_missing_input_raises_the_binarys_message(tmp_path):
    done = binary("run", "-c", newsmill.DEFAULT_CONFIG, "--input", "no-such-folder", "--output",
                  "out", cwd=tmp_path)
    os.chdir(tmp_path)
    error = error_of(lambda: newsmill.run("no-such-folder"))
    assert done.returncode == 2 and error.exit_code == 2
    assert "no-such-folder" in str(error)
    assert str(error) == done.stderr.rstrip("\n")


def test_a_config_error_raises_the_binarys_message(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text('[pipeline]\nstages = ["clean", "qoutes", "csv"]\n', encoding="utf-8")
    done = binary("run", "-c", str(config), "--input", str(ARTICLES), "--output", "out",
                  cwd=tmp_path)
    error = error_of(lambda: newsmill.run(ARTICLES, config=config))
    assert done.returncode == 2 and error.exit_code == 2
    assert "qoutes" in str(error) and "quotes" in str(error)  # did you mean
    assert str(error) == done.stderr.rstrip("\n")


def test_a_pipeline_without_tables_is_an_error(tmp_path):
    config = tmp_path / "report-only.toml"
    config.write_text('[pipeline]\nstages = ["clean", "quotes", "csv"]\n', encoding="utf-8")
    assert "add" in str(error_of(lambda: newsmill.run(ARTICLES, config=config)))


def script(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["newsmill", *args], cwd=cwd, capture_output=True, text=True)


def test_the_script_is_the_binary(tmp_path):
    assert script("--help", cwd=tmp_path).stdout == binary("--help", cwd=tmp_path).stdout
    unknown = script("frobnicate", cwd=tmp_path)
    assert unknown.returncode == 2
    assert unknown.stderr == binary("frobnicate", cwd=tmp_path).stderr
    ran = script("run", "--input", str(ARTICLES), "--output", "by-script", "--quiet",
                 cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    by_binary = binary("run", "--input", str(ARTICLES), "--output", "by-binary", "--quiet",
                       cwd=tmp_path)
    assert by_binary.returncode == 0
    written = sorted(p.name for p in (tmp_path / "by-script").glob("*.csv"))
    assert "quotes.csv" in written
    for name in written:
        assert (tmp_path / "by-script" / name).read_bytes() == \
            (tmp_path / "by-binary" / name).read_bytes(), name
