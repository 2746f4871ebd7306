"""The breakdown the suite measures, done by pandas and by DuckDB on the
same frame (written to Parquet by the suite and loaded into memory here
first): counts of each answer per stakeholder group, the base per group and
the percentages. Prints the median time of each and their counts as JSON.

usage: compare.py FRAME.parquet QUESTION BY RUNS
"""
import json
import statistics
import sys
import time

import duckdb
import pandas as pd


def timed(f, runs):
    f()
    f()
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        samples.append((time.perf_counter() - t) * 1000.0)
    return statistics.median(samples)


def main():
    path, question, by, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

    df = pd.read_parquet(path)
    # Categories: pandas' fastest form for this (about twice as fast as str).
    for name in df.columns:
        if df[name].dtype == object or str(df[name].dtype).startswith("string"):
            df[name] = df[name].astype("category")

    def with_pandas():
        counts = pd.crosstab(df[by], df[question])
        base = counts.sum(axis=1)
        percent = counts.div(base, axis=0) * 100.0
        return counts, base, percent

    con = duckdb.connect()
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_parquet('{path}')")
    sql = f"""
        SELECT "{by}" AS g, "{question}" AS a, count(*) AS k,
               100.0 * count(*) / sum(count(*)) OVER (PARTITION BY "{by}") AS pct
        FROM t
        WHERE "{question}" IS NOT NULL AND "{by}" IS NOT NULL
        GROUP BY 1, 2
    """

    def with_duckdb():
        return con.execute(sql).fetchall()

    counts, _, _ = with_pandas()
    pandas_counts = {
        str(g): {str(a): int(counts.loc[g, a]) for a in counts.columns} for g in counts.index
    }
    duck_counts = {}
    for g, a, k, _ in with_duckdb():
        duck_counts.setdefault(g, {})[a] = int(k)

    print(json.dumps({
        "pandas": {"version": pd.__version__, "median_ms": timed(with_pandas, runs), "counts": pandas_counts},
        "duckdb": {"version": duckdb.__version__, "median_ms": timed(with_duckdb, runs), "counts": duck_counts},
        "rows": len(df),
    }))


if __name__ == "__main__":
    main()
