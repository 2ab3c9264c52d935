#!/usr/bin/env python3
"""ClickHouse 26 (chdb, in process) behind a small front of ClickHouse's HTTP interface, so that
templatec's real ClickHouseExecutor talks to it over HTTP on a loopback port as it does to a server.

    python scripts/engines/chdb_front.py [--port 0] [--data DIR]

Prints `listening http://127.0.0.1:PORT version=V` on its first line once it serves, and stops when
its standard input closes (the test process that started it ended) or on SIGTERM.

What it keeps of the HTTP interface (docs: clickhouse.com/docs/interfaces/http):
- the query is the POST body, or `query=` in the URL (then a POST body is appended to it);
- `database=` selects the current database (an unknown one is an error, code 81);
- one statement per request: a body with several statements is refused with the server's own
  message, which chdb's `formatQuery` gives ("Multi-statements are not allowed");
- 200 with the result in TabSeparated (or the query's FORMAT), else 500 with `Code: N. DB::Exception…`
  as the body; 404 for an unknown database, as the server answers.
Other URL parameters are settings: they are passed as `SET name = value` for the request.
"""
import argparse
import http.server
import re
import tempfile
import threading
import urllib.parse

from chdb import session as chdb_session

from loopback_server import serve_until_stdin_closes


def literal(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


class Engine:
    def __init__(self, path: str):
        self.session = chdb_session.Session(path)
        self.lock = threading.Lock()
        self.version = self.session.query("SELECT version()", "TabSeparatedRaw").bytes().decode().strip()

    def run(self, sql: str, database: str | None, settings: dict[str, str]) -> tuple[int, bytes]:
        with self.lock:
            try:
                # A server parses the body as one statement: formatQuery refuses several.
                self.session.query("SELECT formatQuery(" + literal(sql) + ") FORMAT Null", "TabSeparated")
                self.session.query("USE " + ("`" + database.replace("`", "``") + "`" if database else "default"))
                for name, value in settings.items():
                    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                        return 400, f"Code: 115. DB::Exception: Unknown setting {name}. (UNKNOWN_SETTING)\n".encode()
                    self.session.query(f"SET {name} = {literal(value)}")
                result = self.session.query(sql, "TabSeparated")
                return 200, result.bytes()
            except Exception as error:  # chdb raises its server's exception text
                # Drop the part naming our formatQuery wrapper: the server's message ends before it.
                message = re.sub(r" : In scope SELECT formatQuery\(.*\)\.( \(SYNTAX_ERROR\))$", r"\1", str(error), flags=re.S)
                status = 404 if "(UNKNOWN_DATABASE)" in message else 500
                return status, (message.rstrip("\n") + "\n").encode()


class Handler(http.server.BaseHTTPRequestHandler):
    engine: Engine
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet: tests read stdout
        pass

    def handle_query(self, body: bytes):
        url = urllib.parse.urlsplit(self.path)
        params = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        sql = params.pop("query", "")
        if body:
            sql = (sql + "\n" if sql else "") + body.decode("utf-8", errors="surrogateescape")
        database = params.pop("database", None)
        for ignored in ("user", "password", "default_format", "query_id", "session_id"):
            params.pop(ignored, None)
        if url.path == "/ping":
            status, out = 200, b"Ok.\n"
        elif not sql.strip():
            status, out = 400, b"Code: 62. DB::Exception: Empty query. (SYNTAX_ERROR)\n"
        else:
            status, out = self.engine.run(sql, database, params)
        self.send_response(status)
        self.send_header("Content-Type", "text/tab-separated-values; charset=UTF-8")
        self.send_header("X-ClickHouse-Server-Display-Name", "chdb-front")
        if status != 200:
            self.send_header("X-ClickHouse-Exception-Code", re.sub(r"^Code: (\d+).*", r"\1", out.decode(errors="replace").splitlines()[0]))
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def do_GET(self):
        self.handle_query(b"")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.handle_query(self.rfile.read(length) if length else b"")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--data", default=None, help="chdb data folder (default: a fresh temporary one)")
    args = parser.parse_args()
    data = args.data or tempfile.mkdtemp(prefix="templatec-chdb-")
    Handler.engine = Engine(data)
    serve_until_stdin_closes(Handler, args.port, lambda port: f"listening http://127.0.0.1:{port} version={Handler.engine.version}")

if __name__ == "__main__":
    main()
