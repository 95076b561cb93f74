"""Load every table of an output folder from CSV and from Parquet (pandas, pandas with Arrow
dtypes, Polars); print sizes and best-of-3 load times."""
import sys, time, pathlib
import pandas as pd, polars as pl

out = pathlib.Path(sys.argv[1])
tables = sorted(p.stem for p in out.glob("*.parquet"))
def best(f, n=3):
    times = []
    for _ in range(n):
        t = time.perf_counter(); f(); times.append(time.perf_counter() - t)
    return min(times)
csv_bytes = sum((out / f"{t}.csv").stat().st_size for t in tables)
pq_bytes = sum((out / f"{t}.parquet").stat().st_size for t in tables)
print(f"pandas {pd.__version__}, polars {pl.__version__}; {len(tables)} tables")
print(f"size: CSV {csv_bytes/1e6:.1f} MB, Parquet {pq_bytes/1e6:.1f} MB ({pq_bytes/csv_bytes:.3f} of CSV)")
runs = {
    "pandas": (lambda t: pd.read_csv(out / f"{t}.csv", keep_default_na=False),
               lambda t: pd.read_parquet(out / f"{t}.parquet")),
    "pandas, Arrow dtypes": (lambda t: pd.read_csv(out / f"{t}.csv", keep_default_na=False, dtype_backend="pyarrow"),
               lambda t: pd.read_parquet(out / f"{t}.parquet", dtype_backend="pyarrow")),
    "polars": (lambda t: pl.read_csv(out / f"{t}.csv", infer_schema_length=10000),
               lambda t: pl.read_parquet(out / f"{t}.parquet")),
}
for name, (csv, parquet) in runs.items():
    c = best(lambda: [csv(t) for t in tables]); p = best(lambda: [parquet(t) for t in tables])
    print(f"{name}: CSV {c:.2f} s, Parquet {p:.2f} s ({c/p:.1f}x)")
