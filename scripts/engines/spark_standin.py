#!/usr/bin/env python3
"""Real Spark SQL (pyspark, local JVM) behind a stand-in of the Databricks SQL Statement Execution
API, so that templatec's real DatabricksExecutor (URL `databricks+http://127.0.0.1:PORT/WAREHOUSE`)
runs its statements on Spark's own parser and session catalog.

    python scripts/engines/spark_standin.py [--port 0] [--token T]

Prints `listening databricks+http://127.0.0.1:PORT/standin version=V` once Spark is up (6–10 s),
and stops when its standard input closes (the test process ended) or on SIGTERM.

The API kept (docs.databricks.com/api/workspace/statementexecution):
- `POST /api/2.0/sql/statements` with `{"statement", "warehouse_id", "catalog"?, "schema"?, …}` and
  `Authorization: Bearer <token>`: the statement runs at once; the answer is
  `{"statement_id", "status": {"state": "SUCCEEDED"}, "manifest", "result": {"data_array"}}` or
  `{"statement_id", "status": {"state": "FAILED", "error": {"error_code", "message"}}}` with Spark's
  own message;
- `GET /api/2.0/sql/statements/{id}` answers the same document again.
One statement per request: Spark's parser refuses several, as Databricks does.

For tests only: `POST /standin/hex` with `{"statement": …}` runs a query and answers every cell as
the hex of its UTF-8 bytes, computed in the JVM (`hex(CAST(CAST(c AS STRING) AS BINARY))`), so a
read-back never passes through Python's decoding: `{"columns": [...], "rows": [[hex|null, …]]}`.
"""
import argparse
import http.server
import json
import os
import tempfile
import threading
import uuid

from loopback_server import serve_until_stdin_closes


def start_spark(warehouse: str):
    from pyspark.sql import SparkSession
    builder = (SparkSession.builder.master("local[1]").appName("templatec-spark-standin")
               .config("spark.ui.enabled", "false")
               .config("spark.driver.host", "127.0.0.1")
               .config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.sql.shuffle.partitions", "1")
               .config("spark.sql.warehouse.dir", warehouse)
               .config("spark.sql.variable.substitute", "true")
               .config("spark.sql.session.timeZone", "UTC"))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


class Engine:
    def __init__(self, spark, token: str):
        self.spark = spark
        self.token = token
        self.lock = threading.Lock()
        self.done: dict[str, dict] = {}

    def error_code(self, error: Exception) -> str:
        condition = getattr(error, "getErrorClass", None) or getattr(error, "getCondition", None)
        try:
            value = condition() if condition else None
        except Exception:
            value = None
        return value or type(error).__name__

    def run(self, request: dict) -> dict:
        statement_id = str(uuid.uuid4())
        sql = request.get("statement")
        if not isinstance(sql, str) or not sql.strip():
            answer = {"statement_id": statement_id, "status": {"state": "FAILED", "error": {
                "error_code": "INVALID_PARAMETER_VALUE", "message": "statement is required"}}}
            self.done[statement_id] = answer
            return answer
        with self.lock:
            try:
                if request.get("catalog") or request.get("schema"):
                    catalog = request.get("catalog")
                    schema = request.get("schema")
                    if catalog:
                        self.spark.catalog.setCurrentCatalog(catalog)
                    if schema:
                        self.spark.catalog.setCurrentDatabase(schema)
                frame = self.spark.sql(sql)
                rows = frame.collect()
                columns = [{"name": f.name, "type_text": f.dataType.simpleString(), "position": i}
                           for i, f in enumerate(frame.schema.fields)]
                data = [[None if v is None else str(v) for v in row] for row in rows]
                answer = {"statement_id": statement_id, "status": {"state": "SUCCEEDED"},
                          "manifest": {"format": "JSON_ARRAY", "schema": {"column_count": len(columns), "columns": columns},
                                       "total_row_count": len(data)},
                          "result": {"row_count": len(data), "data_array": data}}
            except Exception as error:  # Spark's AnalysisException, ParseException, …
                message = getattr(error, "getMessage", None)
                try:
                    text = message() if message else str(error)
                except Exception:
                    text = str(error)
                answer = {"statement_id": statement_id, "status": {"state": "FAILED", "error": {
                    "error_code": self.error_code(error), "message": text or type(error).__name__}}}
        self.done[statement_id] = answer
        return answer

    def hex_rows(self, sql: str) -> dict:
        from pyspark.sql import functions as F
        with self.lock:
            frame = self.spark.sql(sql)
            columns = frame.columns
            hexed = frame.select([F.hex(F.col("`" + c.replace("`", "``") + "`").cast("string").cast("binary")).alias(f"c{i}")
                                  for i, c in enumerate(columns)])
            return {"columns": columns, "rows": [list(r) for r in hexed.collect()]}


class Handler(http.server.BaseHTTPRequestHandler):
    engine: Engine
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status: int, document: dict):
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def authorized(self) -> bool:
        if self.headers.get("Authorization") == "Bearer " + self.engine.token:
            return True
        self.reply(401, {"error_code": "UNAUTHENTICATED", "message": "Invalid access token."})
        return False

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not self.authorized():
            return
        try:
            request = json.loads(raw or b"{}")
        except ValueError as error:
            self.reply(400, {"error_code": "MALFORMED_REQUEST", "message": f"invalid JSON: {error}"})
            return
        if self.path == "/api/2.0/sql/statements":
            self.reply(200, self.engine.run(request))
        elif self.path == "/standin/hex":
            try:
                self.reply(200, self.engine.hex_rows(request["statement"]))
            except Exception as error:
                self.reply(400, {"error_code": "FAILED", "message": str(error)})
        elif self.path.endswith("/cancel"):
            self.reply(200, {})
        else:
            self.reply(404, {"error_code": "ENDPOINT_NOT_FOUND", "message": f"no endpoint {self.path}"})

    def do_GET(self):
        if not self.authorized():
            return
        prefix = "/api/2.0/sql/statements/"
        answer = self.engine.done.get(self.path[len(prefix):]) if self.path.startswith(prefix) else None
        if answer is None:
            self.reply(404, {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": f"no statement {self.path}"})
        else:
            self.reply(200, answer)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", default=os.environ.get("DATABRICKS_TOKEN") or "standin-token")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="templatec-spark-")
    os.chdir(work)  # Spark writes derby.log and metastore files into the working folder
    spark = start_spark(os.path.join(work, "warehouse"))
    Handler.engine = Engine(spark, args.token)
    serve_until_stdin_closes(
        Handler, args.port,
        lambda port: f"listening databricks+http://127.0.0.1:{port}/standin version={spark.version} token={args.token}",
        on_stop=spark.stop)

if __name__ == "__main__":
    main()
