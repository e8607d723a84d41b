"""One Markdown row from oha's JSON output: label, requests/s, p50 and p99 in ms, status codes.

Usage: python3 oha_row.py LABEL OHA_JSON_FILE   (the benchmark scripts' tables)
"""
import json
import sys

label, path = sys.argv[1], sys.argv[2]
result = json.load(open(path))
summary, latency = result["summary"], result["latencyPercentiles"]
codes = result.get("statusCodeDistribution", {})
print(f"| {label} | {summary['requestsPerSec']:,.0f} | {latency['p50'] * 1000:.2f} | "
      f"{latency['p99'] * 1000:.2f} | {dict(codes)} |")
