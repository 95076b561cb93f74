"""Newsmill from Python: mill news articles into Arrow tables.

    >>> import newsmill
    >>> result = newsmill.run("data/articles")
    >>> quotes = result.to_pandas("quotes")
    >>> quotes.groupby("speaker").size().sort_values(ascending=False).head()

``run`` reads files and folders (the inputs the ``newsmill`` command reads), ``process`` reads
texts already in memory; both run the same pipeline in the same native code as the command and
return a :class:`Result` of Arrow tables (``result.tables["quotes"]``, or ``result.quotes``).
A run that cannot happen (a config error, a missing input) raises :class:`NewsmillError` with the
message the command prints; documents that fail are rows of ``result.errors``, not exceptions.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import tempfile
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Union

import pyarrow as pa

from . import _native
from ._native import NewsmillError
from ._tables import TABLE_EXPORTER, read_tables

if TYPE_CHECKING:  # optional dependencies: imported only when a conversion asks for them
    import pandas
    import polars

__all__ = ["DEFAULT_CONFIG", "NewsmillError", "Result", "process", "run", "__version__"]
__version__: str = _native.__version__

#: The pipeline run when no config is given: the built-in default pipeline's stages with the
#: parquet exporter, whose files the tables are read from (see its comments).
DEFAULT_CONFIG: str = str(Path(__file__).with_name("pipeline.toml"))

PathLike = Union[str, "os.PathLike[str]"]


class Result:
    """The tables of one run, as Arrow tables by name (``documents``, ``quotes``, ``entities``,
    ``mentions``, ``claims``, ``removed``, ``errors``, and the corpus tables such as
    ``quote_groups``: those the pipeline's stages fill).

    ``result.quotes`` is ``result.tables["quotes"]`` (and ``result.documents`` the documents
    table). ``documents_read`` and ``documents_failed`` count the documents read and those that
    failed (listed in ``errors``); ``warnings`` are the config's warnings; ``output`` is the
    folder the files are in, or None when it was temporary.
    """

    def __init__(
        self,
        tables: Dict[str, pa.Table],
        documents_read: int,
        documents_failed: int,
        warnings: List[str],
        output: Optional[Path],
    ) -> None:
        self.tables = tables
        self.documents_read = documents_read
        self.documents_failed = documents_failed
        self.warnings = warnings
        self.output = output

    def __getattr__(self, name: str) -> pa.Table:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(
            f"no table {name!r} in this result (tables: {', '.join(tables) or 'none'})"
        )

    def __dir__(self) -> List[str]:
        return sorted(set(super().__dir__()) | set(self.tables))

    def __repr__(self) -> str:
        rows = ", ".join(f"{name}: {table.num_rows}" for name, table in self.tables.items())
        return (f"<newsmill.Result documents_read={self.documents_read} "
                f"documents_failed={self.documents_failed} rows {{{rows}}}>")

    def to_pandas(self, table: Optional[str] = None) -> Any:
        """One table (``to_pandas("quotes")``) or all of them (a dict by name) as pandas
        DataFrames. Needs pandas."""
        if table is not None:
            return self._table(table).to_pandas()
        return {name: t.to_pandas() for name, t in self.tables.items()}

    def to_polars(self, table: Optional[str] = None) -> Any:
        """One table (``to_polars("quotes")``) or all of them (a dict by name) as Polars
        DataFrames, sharing the Arrow buffers. Needs polars."""
        import polars as pl

        if table is not None:
            return pl.from_arrow(self._table(table))
        return {name: pl.from_arrow(t) for name, t in self.tables.items()}

    def _table(self, name: str) -> pa.Table:
        try:
            return self.tables[name]
        except KeyError:
            raise KeyError(
                f"no table {name!r} in this result (tables: {', '.join(self.tables) or 'none'})"
            ) from None


def run(
    inputs: Union[PathLike, Sequence[PathLike]],
    config: Optional[PathLike] = None,
    output: Optional[PathLike] = None,
    threads: Optional[int] = None,
) -> Result:
    """Run a pipeline over files and folders and return its tables.

    ``inputs``: a path or a list of paths, as ``newsmill run --input`` takes them (folders of
    ``.txt``/``.md`` articles, ``.jsonl``, ``.html``, ``.warc`` files, ``.list`` files); an
    empty list runs the config's own inputs. ``config``: a ``pipeline.toml``; None runs
    :data:`DEFAULT_CONFIG` (the stages of ``newsmill init``'s pipeline, with the ``parquet``
    exporter), whatever the current folder holds. The pipeline must include the ``parquet``
    exporter: the tables are read from its files, with their types.
    ``output``: the folder to write every output file to (kept); None writes them to a
    temporary folder that is removed once the tables are read into memory. ``threads``:
    worker threads (0 = one per core; None = the config's).

    Raises :class:`NewsmillError` with the command's message when the run cannot happen or
    a stage with ``on_error = "fail"`` stops it. Documents that fail are rows of
    ``result.errors``. The run happens in native code with the GIL released (other Python
    threads go on); Ctrl-C takes effect when it returns.
    """
    paths = [inputs] if isinstance(inputs, (str, os.PathLike)) else list(inputs)
    return _run([os.fspath(p) for p in paths], config, output, threads)


def process(
    texts: Sequence[Union[str, Mapping[str, Any]]],
    config: Optional[PathLike] = None,
    output: Optional[PathLike] = None,
    threads: Optional[int] = None,
) -> Result:
    """Run a pipeline over texts already in memory and return its tables.

    Each item is an article's text, or a dict in the form of a JSONL input line:
    ``{"id", "text"}`` (or ``"html"`` for a web page) plus optional ``"title"``, ``"url"``,
    ``"published"`` (``YYYY-MM-DD``, RFC 3339, or a ``datetime.date``), ``"author"`` (a string
    or a list) and ``"source"`` (the outlet). A text without an id gets ``line-N``, N its
    position from 1, as a JSONL line without one does. The texts are handed to the pipeline as
    a JSONL file, ``texts.jsonl``, in a temporary folder removed afterwards; the ``source``
    columns say ``texts.jsonl:N`` (the folder left out, so the tables are the same every
    time). ``config``, ``output`` and ``threads`` are as for :func:`run` (the config's inputs
    are not read).
    """
    with tempfile.TemporaryDirectory(prefix="newsmill-input-") as folder:
        path = Path(folder) / "texts.jsonl"
        with open(path, "w", encoding="utf-8") as f:
            for number, item in enumerate(texts, start=1):
                f.write(_jsonl_line(item, number))
                f.write("\n")
        result = _run([str(path)], config, output, threads)
    result.tables = {
        name: _strip_source_prefix(table, f"{folder}{os.sep}")
        for name, table in result.tables.items()
    }
    return result


def _strip_source_prefix(table: pa.Table, prefix: str) -> pa.Table:
    """``table`` with ``prefix`` taken off the start of its ``source`` column, if it has one."""
    import pyarrow.compute as pc

    index = table.schema.get_field_index("source")
    if index < 0:
        return table
    column = table.column(index)
    stripped = pc.if_else(
        pc.starts_with(column, prefix),
        pc.utf8_slice_codeunits(column, len(prefix)),
        column,
    )
    return table.set_column(index, "source", stripped)


def _jsonl_line(item: Union[str, Mapping[str, Any]], number: int) -> str:
    if isinstance(item, str):
        record: Mapping[str, Any] = {"text": item}
    elif isinstance(item, Mapping):
        record = item
    else:
        raise TypeError(f"texts[{number - 1}]: expected a str or a dict, got {type(item).__name__}")
    return json.dumps(record, ensure_ascii=False, default=_json_value)


def _json_value(value: Any) -> Any:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a JSON value")


def _run(
    inputs: List[str],
    config: Optional[PathLike],
    output: Optional[PathLike],
    threads: Optional[int],
) -> Result:
    config_path = os.fspath(config) if config is not None else DEFAULT_CONFIG
    if output is not None:
        return _run_into(Path(output), inputs, config_path, threads, keep=True)
    with tempfile.TemporaryDirectory(prefix="newsmill-") as folder:
        return _run_into(Path(folder), inputs, config_path, threads, keep=False)


def _run_into(
    folder: Path, inputs: List[str], config: Optional[str], threads: Optional[int], keep: bool
) -> Result:
    summary = _native.run(inputs, str(folder), config, threads)
    for line in summary["warnings"]:
        warnings.warn(line, stacklevel=4)
    files = [name for name, _rows in summary["files"]]
    tables = read_tables(folder, files)
    if not tables:
        raise NewsmillError(
            f"the pipeline wrote no tables: add \"{TABLE_EXPORTER}\" to its stages "
            f"(newsmill.run reads the tables from its files)"
        )
    return Result(tables, summary["documents"], summary["failed"], summary["warnings"],
                  folder if keep else None)
