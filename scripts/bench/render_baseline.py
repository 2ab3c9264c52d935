#!/usr/bin/env python3
"""The baseline for `templatec render --serve`: the same JSON-lines work in Python, with a plain
`str.format` (no validation, no escaping: what the catalog UI does today).

Usage:
  scripts/bench/render_baseline.py --generate N > requests.jsonl   # N request lines
  scripts/bench/render_baseline.py < requests.jsonl > answers.jsonl  # answer them
Compare: time templatec render --serve < requests.jsonl > /dev/null
"""
import json
import sys


def generate(n):
    template = "COMMENT ON TABLE {schema}.{table} IS {description};"
    out = sys.stdout
    for i in range(n):
        out.write(json.dumps({
            "id": i, "template": template, "dialect": "postgres", "update": "description", "level": "table",
            "vars": {"schema": "sales", "table": "orders_%d" % (i % 10),
                     "description": "Orders placed by customer %d; it's one row per order." % i},
        }) + "\n")


def serve():
    write = sys.stdout.write
    flush = sys.stdout.flush
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            sql = request["template"].format(**request["vars"])
            write(json.dumps({"id": request.get("id"), "sql": sql}) + "\n")
        except Exception as e:  # a bad line is answered and the loop goes on
            write(json.dumps({"id": None, "error": {"code": "error", "message": str(e)}}) + "\n")
        flush()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--generate":
        generate(int(sys.argv[2]))
    else:
        serve()
