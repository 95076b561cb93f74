"""Reading the tables a run wrote into Arrow tables: the one place that knows their file format."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Dict, Iterable

import pyarrow as pa
import pyarrow.parquet as pq

#: The file format the package asks the pipeline for and reads back.
TABLE_SUFFIX = ".parquet"
#: The exporter stage that writes it, named in the error when a pipeline lacks it.
TABLE_EXPORTER = "parquet"


def read_table(path: Path) -> pa.Table:
    """One Parquet table, with the output contract's types (integers for offsets and counts,
    dates, lists, nulls for absent values), read fully into memory: the folder may be a
    temporary one, removed next."""
    return pq.read_table(path, memory_map=False)


def read_tables(folder: Path, files: Iterable[str]) -> Dict[str, pa.Table]:
    """The tables among `files` (names relative to `folder`, as the run reported writing them,
    in its order), by name (`quotes.parquet`, or `dir/quotes.parquet` with the exporter's
    `dir` option, is `quotes`)."""
    tables: Dict[str, pa.Table] = {}
    for name in files:
        if name.endswith(TABLE_SUFFIX):
            tables[PurePosixPath(name).name[: -len(TABLE_SUFFIX)]] = read_table(folder / name)
    return tables
