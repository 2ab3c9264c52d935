"""A small LSP client for LSPProtocolTests: drives `templatec lsp` over stdio and checks the
protocol details with lsprotocol's LSP 3.17 types (every message the server sends must round-trip
through its type unchanged: no missing, misnamed or extra fields).

    python LSPProtocolClient.py TEMPLATEC_BINARY WORKDIR

Exits 0 when every scenario holds, 1 with a message when one does not, 77 when lsprotocol is missing.
"""
import json
import os
import select
import subprocess
import sys
import time

try:
    import lsprotocol.types as T
    from lsprotocol.converters import get_converter
except ImportError as e:  # the test skips
    print(f"lsprotocol is not installed: {e}")
    sys.exit(77)

CONV = get_converter()
BINARY, WORK = sys.argv[1], sys.argv[2]


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


def conforms(message, typ, what):
    """The message is an instance of the protocol type, field for field."""
    try:
        value = CONV.structure(message, typ)
    except Exception as e:  # cattrs raises a group of errors
        raise Failure(f"{what}: not a {typ.__name__}: {e!r}: {json.dumps(message)[:400]}")
    back = CONV.unstructure(value)
    check(back == message, f"{what}: fields not in {typ.__name__}: {json.dumps(message)[:400]} vs {json.dumps(back)[:400]}")
    return value


class Server:
    def __init__(self):
        self.p = subprocess.Popen([BINARY, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, cwd=WORK)
        self.buf = b""
        self.next_id = 0

    def raw(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def send(self, message):
        body = json.dumps(message).encode()
        self.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def _read(self, timeout):
        end = time.time() + timeout
        while b"\r\n\r\n" not in self.buf or len(self.buf) < self._need():
            left = end - time.time()
            if left <= 0:
                raise Failure("no message from the server within %.0f s" % timeout)
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if r:
                chunk = os.read(self.p.stdout.fileno(), 65536)
                if not chunk:
                    raise Failure("the server closed its output")
                self.buf += chunk
        head, rest = self.buf.split(b"\r\n\r\n", 1)
        n = self._length(head)
        body, self.buf = rest[:n], rest[n:]
        return json.loads(body)

    def _length(self, head):
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                return int(value)
        raise Failure(f"a header block without Content-Length: {head!r}")

    def _need(self):
        head, _, _ = self.buf.partition(b"\r\n\r\n")
        return len(head) + 4 + self._length(head)

    def receive(self, timeout=20):
        return self._read(timeout)

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            m = self.receive()
            if m.get("id") == self.next_id and "method" not in m:
                return m

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics(self, uri):
        while True:
            m = self.receive()
            if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri:
                conforms(m["params"], T.PublishDiagnosticsParams, "publishDiagnostics")
                return m["params"]

    def start(self, encodings=None):
        caps = {"general": {"positionEncodings": encodings}} if encodings else {}
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": "initialize",
                   "params": {"processId": None, "rootUri": None, "capabilities": caps}})
        first = self.receive()
        # Nothing may come before the initialize reply.
        check(first.get("id") == self.next_id and "result" in first, f"the first message is not the initialize reply: {first}")
        result = conforms(first["result"], T.InitializeResult, "initialize result")
        self.notify("initialized", {})
        return result

    def stop(self):
        reply = self.request("shutdown", None)
        check("result" in reply and reply["result"] is None, f"shutdown: {reply}")
        self.notify("exit", None)
        status = self.p.wait(timeout=20)
        check(status == 0, f"exit after shutdown: status {status}")


def uri(path):
    return "file://" + path


def check_json(path):
    """`templatec check --format json` on the file: its diagnostics, as check gives them."""
    out = subprocess.run([BINARY, "check", "--format", "json", path], capture_output=True, cwd=WORK)
    doc = json.loads(out.stdout)
    return doc["files"][0]["diagnostics"]


def expected_position(lines, line, column, encoding):
    """check's 1-based line and scalar column as an LSP position in the encoding."""
    before = lines[line - 1][: column - 1]
    width = len(before.encode("utf-16-le")) // 2 if encoding == "utf-16" else len(before.encode("utf-8"))
    return {"line": line - 1, "character": width}


def same_positions_as_check(path, encoding):
    text = open(path, encoding="utf-8").read()
    lines = text.split("\n")
    s = Server()
    s.start([encoding])
    s.notify("textDocument/didOpen", {"textDocument": {"uri": uri(path), "languageId": "sql", "version": 3, "text": text}})
    published = s.diagnostics(uri(path))
    check(published["version"] == 3, f"version {published.get('version')}")
    expected = sorted((d["code"], json.dumps(expected_position(lines, d["line"], d["column"], encoding), sort_keys=True),
                       json.dumps(expected_position(lines, d["endLine"], d["endColumn"], encoding), sort_keys=True)) for d in check_json(path))
    got = sorted((d["code"], json.dumps(d["range"]["start"], sort_keys=True), json.dumps(d["range"]["end"], sort_keys=True)) for d in published["diagnostics"])
    check(expected == got, f"{path} in {encoding}: check says {expected}, the server {got}")
    check(len(got) >= 2, f"{path}: the scenario needs findings, got {got}")
    s.stop()


def scenario_positions():
    sql = os.path.join(WORK, "emoji.sql")
    with open(sql, "w", encoding="utf-8") as f:
        f.write("-- templatec: dialect=postgres update=description level=table\n"
                "-- 說明: 😀😀 ünïcode\n"
                "COMMENT ON TABLE {schema}.{table} IS '日本 😀 ' || {descripton} || {Table};\n")
    js = os.path.join(WORK, "channels.json")
    with open(js, "w", encoding="utf-8") as f:
        f.write('{"channels": [{"name": "說明😀", "filter": {"level": "table"}, "updateDescriptions": true,\n'
                '  "updateOwners": false, "updateTags": false,\n'
                '  "sqlTemplate": "-- templatec: dialect=postgres\\nCOMMENT ON TABLE {schema}.{table} IS \'😀 \\u00e9\\" \' || {descripton} || {Table};"}]}\n')
    for path in (sql, js):
        for encoding in ("utf-16", "utf-8"):
            same_positions_as_check(path, encoding)


def scenario_incremental_and_actions():
    s = Server()
    result = s.start(["utf-16"])
    caps = result.capabilities
    check(caps.position_encoding == "utf-16", f"encoding {caps.position_encoding}")
    check(caps.text_document_sync.change == T.TextDocumentSyncKind.Incremental, f"sync {caps.text_document_sync}")
    check(caps.hover_provider is True and caps.completion_provider is not None and caps.code_action_provider is not None, "features")
    path = os.path.join(WORK, "edit.sql")
    text = "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS '😀' || {descripton};\n"
    s.notify("textDocument/didOpen", {"textDocument": {"uri": uri(path), "languageId": "sql", "version": 1, "text": text}})
    first = s.diagnostics(uri(path))
    tpl = [d for d in first["diagnostics"] if d["code"] == "TPL009"]
    check(len(tpl) == 1, f"TPL009 expected: {first}")
    # `'😀' || {` is 8 utf-16 units after `IS ` (the emoji counts 2).
    check(tpl[0]["range"]["start"] == {"line": 1, "character": 45}, f"range {tpl[0]['range']}")
    # Two incremental changes in one notification, the second relative to the first's result.
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri(path), "version": 2}, "contentChanges": [
        {"range": {"start": {"line": 1, "character": 37}, "end": {"line": 1, "character": 41}}, "text": "'日本'"},
        {"range": {"start": {"line": 1, "character": 54}, "end": {"line": 1, "character": 54}}, "text": "i"},
    ]})
    second = s.diagnostics(uri(path))
    check(second["version"] == 2, f"version {second['version']}")
    check(not [d for d in second["diagnostics"] if d["code"] == "TPL009"], f"the edit fixed the name: {second}")
    # Back to the typo with a full change, then the code actions.
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri(path), "version": 3}, "contentChanges": [{"text": text}]})
    third = s.diagnostics(uri(path))
    check(third["version"] == 3, "version 3")
    diag = [d for d in third["diagnostics"] if d["code"] == "TPL009"][0]
    reply = s.request("textDocument/codeAction", {"textDocument": {"uri": uri(path)}, "range": diag["range"],
                                                   "context": {"diagnostics": [diag]}})
    actions = [conforms(a, T.CodeAction, "code action") for a in reply["result"]]
    quick = [a for a in actions if a.kind == T.CodeActionKind.QuickFix]
    check(quick and quick[0].is_preferred and quick[0].diagnostics[0].code == "TPL009", f"quickfix: {reply}")
    check(any(a.kind == "source.fixAll.templatec" and a.title.startswith("Fix all safe") for a in actions), "fix all")
    edit = quick[0].edit.changes[uri(path)][0]
    lines = text.split("\n")
    line = lines[edit.range.start.line].encode("utf-16-le")
    fixed_line = (line[: 2 * edit.range.start.character] + edit.new_text.encode("utf-16-le") + line[2 * edit.range.end.character:]).decode("utf-16-le")
    check("{description}" in fixed_line, f"the fix gives {fixed_line}")
    # Hover and completion have their types.
    hover = s.request("textDocument/hover", {"textDocument": {"uri": uri(path)}, "position": {"line": 1, "character": 20}})
    h = conforms(hover["result"], T.Hover, "hover")
    check("identifier" in h.contents.value, h.contents.value)
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri(path), "version": 4}, "contentChanges": [
        {"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}}, "text": "SELECT {"}]})
    s.diagnostics(uri(path))
    comp = s.request("textDocument/completion", {"textDocument": {"uri": uri(path)}, "position": {"line": 2, "character": 8}})
    c = conforms(comp["result"], T.CompletionList, "completion")
    check(sorted(i.label for i in c.items) == ["database", "description", "schema", "table"], f"completion {[i.label for i in c.items]}")
    s.notify("textDocument/didClose", {"textDocument": {"uri": uri(path)}})
    closed = s.diagnostics(uri(path))
    check(closed["diagnostics"] == [], f"after close: {closed}")
    s.stop()


def scenario_bad_input():
    s = Server()
    s.start()
    # Malformed JSON: a ParseError response with a null id.
    body = b'{"jsonrpc": "2.0", "id": 5, "method": '
    s.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    m = s.receive()
    check(m.get("id") is None and m["error"]["code"] == -32700, f"parse error: {m}")
    # Not JSON-RPC 2.0: InvalidRequest with the id echoed.
    s.send({"id": 6, "method": "textDocument/hover"})
    m = s.receive()
    check(m.get("id") == 6 and m["error"]["code"] == -32600, f"invalid request: {m}")
    # A Content-Length too small: the rest is junk before the next header; the server recovers.
    body = json.dumps({"jsonrpc": "2.0", "id": 7, "method": "nothing/here"}).encode()
    s.raw(b"Content-Length: %d\r\n\r\n" % (len(body) - 5) + body)
    m = s.receive()
    check(m["error"]["code"] == -32700, f"short length: {m}")
    # A header block without a length is dropped; an unsupported request is MethodNotFound.
    s.raw(b"Content-Type: application/vscode-jsonrpc\r\n\r\n")
    reply = s.request("workspace/executeCommand", {"command": "x"})
    check(reply["error"]["code"] == -32601, f"method not found: {reply}")
    # Unknown notifications are ignored: the next request is answered first.
    s.notify("$/somethingElse", {})
    reply = s.request("textDocument/hover", {"textDocument": {"uri": "file:///nowhere.sql"}, "position": {"line": 0, "character": 0}})
    check(reply["error"]["code"] == -32602, f"hover on an unopened document: {reply}")
    # A huge document (8 MB of one line) is checked, not a hang.
    path = os.path.join(WORK, "huge.sql")
    big = "COMMENT ON TABLE {schema}.{table} IS '" + "x" * (8 << 20) + "' || {descripton};"
    s.notify("textDocument/didOpen", {"textDocument": {"uri": uri(path), "languageId": "sql", "version": 1, "text": big}})
    d = s.diagnostics(uri(path))
    check(any(x["code"] == "TPL009" for x in d["diagnostics"]), "huge document diagnosed")
    s.stop()
    # Exit without shutdown: status 1.
    s = Server()
    s.start()
    s.notify("exit", None)
    check(s.p.wait(timeout=20) == 1, "exit without shutdown must be status 1")
    # The input ends inside a message: the server logs and ends.
    s = Server()
    s.start()
    s.raw(b"Content-Length: 100\r\n\r\n{\"jsonrpc\"")
    s.p.stdin.close()
    status = s.p.wait(timeout=20)
    err = s.p.stderr.read().decode()
    check(status == 1 and "ended inside a message" in err, f"cut short: status {status}, stderr {err!r}")


def main():
    scenarios = [scenario_positions, scenario_incremental_and_actions, scenario_bad_input]
    for run in scenarios:
        try:
            run()
            print(f"ok {run.__name__}")
        except Failure as f:
            print(f"FAILED {run.__name__}: {f}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
