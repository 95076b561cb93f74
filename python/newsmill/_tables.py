"""Reading the tables a run wrote into Arrow tables: the one place that knows their file format."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Dict, Iterable

import pyarrow as pa
import pyarrow.csv as pacsv

#: The file format the package asks the pipeline for and reads back.
TABLE_SUFFIX = ".csv"
#: The exporter stage that writes it, named in the error when a pipeline lacks it.
TABLE_EXPORTER = "csv"


def read_table(path: Path) -> pa.Table:
    """One CSV table with every column typed as a string, read fully into memory.

    Typed explicitly rather than guessed: pyarrow would guess an all-digit id column as an
    integer, or a column's type from its first rows only. Empty cells stay empty strings, as
    the binary wrote them.
    """
    with open(path, newline="", encoding="utf-8") as f:
        header = next(csv.reader(f), [])
    return pacsv.read_csv(
        path,
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in header},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


def read_tables(folder: Path, files: Iterable[str]) -> Dict[str, pa.Table]:
    """The tables among `files` (names the run reported writing, in its order), by stem."""
    tables: Dict[str, pa.Table] = {}
    for name in files:
        if name.endswith(TABLE_SUFFIX) and "/" not in name:
            tables[name[: -len(TABLE_SUFFIX)]] = read_table(folder / name)
    return tables
