"""Runs a game's tier query (ssq_tiers.sql, qlc_tiers.sql, kl8_tiers.sql, fc3d_tiers.sql) in
DuckDB on a sealed file and prints JSON: tier counts and timings.

usage: python3 duckdb_settle.py SQL_FILE SEALED_FILE NAME=VALUE… [RUNS]
       python3 duckdb_settle.py ssq_tiers.sql SEALED_FILE RED_MASK BLUE [RUNS]   (双色球, as before)
"""
import json
import sys
import time

import duckdb

sql_path, sealed = sys.argv[1:3]
rest = sys.argv[3:]
params = {"file": sealed}
runs = 1
if rest and "=" not in rest[0]:
    params["red"], params["blue"] = int(rest[0]), int(rest[1])
    rest = rest[2:]
for arg in rest:
    if "=" in arg:
        name, value = arg.split("=", 1)
        params[name] = int(value)
    else:
        runs = int(arg)
lines = open(sql_path, encoding="utf-8").read().splitlines()
text = "\n".join(l for l in lines if not l.lstrip().startswith("--"))
statements = [s for s in text.split(";") if s.strip()]
con = duckdb.connect()
for setup in statements[:-1]:
    con.execute(setup)
query = statements[-1]
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
