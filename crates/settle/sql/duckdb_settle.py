"""Runs ssq_tiers.sql in DuckDB on a sealed file and prints JSON: tier counts and timings.

usage: python3 duckdb_settle.py SQL_FILE SEALED_FILE RED_MASK BLUE [RUNS]
"""
import json
import sys
import time

import duckdb

sql_path, sealed, red, blue = sys.argv[1:5]
runs = int(sys.argv[5]) if len(sys.argv) > 5 else 1
lines = open(sql_path, encoding="utf-8").read().splitlines()
text = "\n".join(l for l in lines if not l.lstrip().startswith("--"))
macro, query = text.split(";", 1)
con = duckdb.connect()
con.execute(macro)
params = {"file": sealed, "red": int(red), "blue": int(blue)}
seconds = []
rows = []
for _ in range(runs):
    start = time.perf_counter()
    rows = con.execute(query, params).fetchall()
    seconds.append(time.perf_counter() - start)
threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
print(json.dumps({
    "duckdb": duckdb.__version__,
    "threads": threads,
    "seconds": seconds,
    "tiers": {tier: bets for tier, bets in rows},
}))
