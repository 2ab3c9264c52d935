#!/usr/bin/env python3
"""Grammar oracles: independent parsers read what templatec rendered.

Reads JSON lines on standard input, one per rendered template:

    {"id": "...", "dialect": "mssql", "statements": 1,
     "reference": "<the template rendered with plain marker values>",
     "sql": "<the same template rendered with one hostile value>",   (absent for the plain case)
     "marker": "zqdescription", "value": "it's"}                      (with "sql")

and answers one JSON line per (case, parser) (`--parsers KIND,…`: only those kinds, of sqlglot,
sqloxide, sqlfluff, zetasql, trino):

    {"id": "...", "parser": "sqlglot 30.30.0 (tsql)", "status": "passed|failed|unsupported|skipped",
     "detail": "..."}

What "passed" means: the parser reads the reference as exactly `statements` statements, each marker
value appears decoded in the tree, and the hostile rendering gives the same tree as the reference
with the marker replaced by the hostile value in every decoded literal and name (so the value was
read back exactly, as one literal or one name, and nothing else changed). "unsupported": the parser
cannot parse the template's construct at all (its reference fails, or sqlglot falls back to an
unparsed Command): it verifies nothing. "skipped": a parser known to be wrong for this construct or
value (KNOWN_WRONG below says which and why).
"""
import hashlib
import json
import os
import sys

# ---------------------------------------------------------------------------------------------
# Parsers. Each returns a list of statement trees (plain JSON values) or raises.

# The machine's cache, outside the clone, so a fresh clone on the same machine (CI's) reuses it:
# TEMPLATEC_CACHE_DIR, else ~/.cache/templatec (.build/cache without a home). Keyed by content.
def machine_cache(name):
    base = os.environ.get("TEMPLATEC_CACHE_DIR") or (
        os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.environ["HOME"], ".cache"), "templatec")
        if os.environ.get("HOME") else os.path.join(os.getcwd(), ".build", "cache"))
    return os.path.join(base, name)


ORACLE_CACHE = os.environ.get("TEMPLATEC_ORACLE_CACHE") or machine_cache("oracle")

# Keys that record how something was written, not what it is (spans, quoting style, raw images).
IGNORED_KEYS = {"span", "quote_style", "quoted", "isQuoted", "parseLocationRange", "image", "meta"}


def normalize(value):
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items() if k not in IGNORED_KEYS}
    if isinstance(value, list):
        return [normalize(v) for v in value]
    return value


class SqlglotParser:
    def __init__(self, dialect):
        import sqlglot
        from sqlglot import expressions
        self.sqlglot, self.expressions, self.dialect = sqlglot, expressions, dialect
        self.name = f"sqlglot {sqlglot.__version__} ({dialect})"

    def tree(self, node):
        if isinstance(node, self.expressions.Expression):
            if isinstance(node, self.expressions.Command):
                raise Unsupported(f"sqlglot keeps `{str(node)[:60]}` as an unparsed Command")
            return {"type": type(node).__name__,
                    "args": {k: self.tree(v) for k, v in node.args.items() if k not in IGNORED_KEYS and v is not None and v != []}}
        if isinstance(node, list):
            return [self.tree(v) for v in node]
        return node

    def parse(self, sql):
        from sqlglot.errors import ErrorLevel
        statements = self.sqlglot.parse(sql, read=self.dialect, error_level=ErrorLevel.RAISE)
        return [self.tree(s) for s in statements if s is not None]


class SqloxideParser:
    def __init__(self, dialect):
        import importlib.metadata
        import sqloxide
        self.sqloxide, self.dialect = sqloxide, dialect
        self.name = f"sqlparser-rs (sqloxide {importlib.metadata.version('sqloxide')}, {dialect})"

    def parse(self, sql):
        return normalize(self.sqloxide.parse_sql(sql, dialect=self.dialect))


class ZetaSQLParser:
    """Google's ZetaSQL (BigQuery's parser) compiled to WebAssembly. Compiling the module takes
    about 25 s; the compiled module is cached in the machine's cache (ORACLE_CACHE), keyed by the
    module's content and wasmtime's version, so every clone and venv on the machine shares it."""

    def __init__(self):
        import importlib.metadata
        import wasmtime
        from zetasql.core import wasm_client

        class CachedModule:
            @staticmethod
            def from_file(engine, path):
                digest = hashlib.sha256(importlib.metadata.version("wasmtime").encode())
                with open(path, "rb") as f:
                    for block in iter(lambda: f.read(1 << 20), b""):
                        digest.update(block)
                key = digest.hexdigest()[:16]
                os.makedirs(ORACLE_CACHE, exist_ok=True)
                cache = os.path.join(ORACLE_CACHE, f"zetasql-{key}.cwasm")
                if os.path.exists(cache):
                    try:
                        return wasmtime.Module.deserialize_file(engine, cache)
                    except Exception:
                        pass
                module = wasmtime.Module.from_file(engine, path)
                with open(cache + ".tmp", "wb") as f:
                    f.write(module.serialize())
                os.replace(cache + ".tmp", cache)
                return module

        wasm_client.Module = CachedModule
        from google.protobuf.json_format import MessageToDict
        from zetasql.api import Parser
        self.parser, self.to_dict = Parser, MessageToDict
        self.name = f"ZetaSQL (zetasql {importlib.metadata.version('zetasql')}, WASM)"

    def parse(self, sql):
        script = self.parser.parse_script_static(sql)
        tree = normalize(self.to_dict(script.to_proto()))
        statements = tree.get("statementListNode", {}).get("statementList", [])
        return statements


class TrinoParser:
    """Trino's own ANTLR grammar (trino-query-parser). Its wrapper upper-cases the input, which
    destroys literals, so the lexer reads a case-insensitive stream of the original text instead
    (the grammar's keywords are upper case). Literals and quoted names are decoded here by the
    grammar's own rules ('' in strings, "" in names)."""

    def __init__(self):
        import importlib.metadata
        from antlr4 import CommonTokenStream, InputStream
        from antlr4.error.ErrorListener import ErrorListener
        from trino_query_parser.SqlBaseLexer import SqlBaseLexer
        from trino_query_parser.SqlBaseParser import SqlBaseParser
        self.CommonTokenStream, self.Lexer, self.Parser = CommonTokenStream, SqlBaseLexer, SqlBaseParser

        class UpperStream(InputStream):
            def LA(self, offset):
                c = super().LA(offset)
                return ord(chr(c).upper()) if 97 <= c <= 122 else c

        class Raise(ErrorListener):
            def syntaxError(self, recognizer, symbol, line, column, message, e):
                raise SyntaxError(f"line {line}:{column} {message}")

        self.Stream, self.Raise = UpperStream, Raise
        self.name = f"Trino ANTLR grammar (trino-query-parser {importlib.metadata.version('trino-query-parser')})"

    def decode(self, token):
        names = self.Parser.symbolicNames
        text = token.text
        kind = names[token.type] if 0 < token.type < len(names) else ("EOF" if token.type < 0 else text.upper())
        if kind == "STRING":
            return {"string": text[1:-1].replace("''", "'")}
        if kind == "UNICODE_STRING":
            raise Unsupported("U&'…' literal (not decoded here)")
        if kind == "QUOTED_IDENTIFIER":
            return {"name": text[1:-1].replace('""', '"')}
        if kind == "IDENTIFIER":
            return {"name": text}
        return {kind: text.upper()}

    def tree(self, node):
        from antlr4.tree.Tree import TerminalNodeImpl
        if isinstance(node, TerminalNodeImpl):
            return self.decode(node.symbol)
        rule = type(node).__name__
        # How a name was written (quoted or not) is not what it is.
        if rule in ("QuotedIdentifierContext", "UnquotedIdentifierContext", "DigitIdentifierContext"):
            rule = "IdentifierContext"
        return {rule: [self.tree(c) for c in (node.children or [])]}

    def parse(self, sql):
        # The grammar parses one statement without a trailing `;` (the client protocol's form).
        lexer = self.Lexer(self.Stream(sql))
        lexer.removeErrorListeners()
        lexer.addErrorListener(self.Raise())
        parser = self.Parser(self.CommonTokenStream(lexer))
        parser.removeErrorListeners()
        parser.addErrorListener(self.Raise())
        return [self.tree(parser.singleStatement())]


class SqlfluffParser:
    """sqlfluff's T-SQL grammar: a second T-SQL parser beside sqlparser-rs that has T-SQL's control
    flow (IF … BEGIN … END ELSE BEGIN … END), which sqlglot lacks. sqlfluff is a linter: it does
    not fail on what it cannot read but keeps it as an `unparsable` segment, so any such segment (or
    a lexing error) is a parse failure here. Literals and names are decoded by T-SQL's rules
    (N'…' and '…' with '' for ', […] and "…" with "" for ").

    Its parser is slow (about 30 ms a statement), and most renderings differ from one another only
    inside quoted tokens. Every rendering is lexed; a rendering whose tokens are those of one
    already parsed, but for the contents of its quoted literals and names (same kinds of quotes, in
    the same places), gets that parse's tree with its own quoted tokens in place: the grammar
    matches a quoted token by its kind, never by its contents. A value that escapes its quotes
    changes the tokens, and that rendering is parsed in full."""

    SKIPPED = ("whitespace", "newline", "indent", "dedent", "comment", "end_of_file")
    QUOTES = ("N'", "n'", "'", "[", '"')

    def __init__(self, dialect):
        import sqlfluff
        from sqlfluff.core import FluffConfig, Lexer, Parser
        # The lexer and parser directly: the linter's parse_string also rewrites \r\n and \r to
        # \n before lexing (and would run the text through Jinja), which changes the literals.
        config = FluffConfig(overrides={"dialect": dialect, "templater": "raw"})
        self.lexer, self.parser = Lexer(config=config), Parser(config=config)
        self.name = f"sqlfluff {sqlfluff.__version__} ({dialect})"
        self.shapes = {}  # token shape -> (root, the root's leaves in token order)

    def quote_kind(self, raw):
        return next((q for q in self.QUOTES if raw.startswith(q) and len(raw) > len(q)), None)

    def shape(self, tokens):
        return tuple(("quoted", self.quote_kind(t.raw)) if self.quote_kind(t.raw) else (t.type, t.raw) for t in tokens)

    def leaf(self, segment, raw):
        if segment.is_type("literal") and (raw[:2].upper() == "N'" or raw[:1] == "'"):
            body = raw[1:] if raw[:1] == "'" else raw[2:]
            if len(body) < 1 or body[-1] != "'":
                raise SyntaxError(f"unterminated literal {raw[:60]}")
            return {"string": body[:-1].replace("''", "'")}
        if segment.is_type("identifier"):
            if raw[:1] == "[" and raw[-1:] == "]":
                return {"name": raw[1:-1].replace("]]", "]")}
            if raw[:1] == '"' and raw[-1:] == '"':
                return {"name": raw[1:-1].replace('""', '"')}
            return {"name": raw}
        if segment.is_type("keyword"):
            return {"keyword": raw.upper()}
        return {segment.type: raw}

    def tree(self, segment, raws):
        if segment.is_type("unparsable"):
            raise SyntaxError(f"unparsable section: {segment.raw[:200]!r}")
        if not segment.segments:
            return self.leaf(segment, raws.get(id(segment), segment.raw))
        return {segment.type: [self.tree(s, raws) for s in segment.segments if not s.is_type(*self.SKIPPED)]}

    def parse(self, sql):
        tokens, errors = self.lexer.lex(sql)
        if errors:
            raise SyntaxError("; ".join(str(e) for e in errors)[:300])
        tokens = [t for t in tokens if not t.is_meta]
        key = self.shape(tokens)
        raws = {}
        if key in self.shapes:
            root, leaves = self.shapes[key]
            raws = {id(leaf): token.raw for leaf, token in zip(leaves, tokens)}
        else:
            root = self.parser.parse(tokens)
            if root is None:
                raise SyntaxError("sqlfluff could not parse the text")
            leaves = [s for s in root.raw_segments if not s.is_meta]
            if [s.raw for s in leaves] == [t.raw for t in tokens]:
                self.shapes[key] = (root, leaves)
        statements = []
        for batch in root.segments:
            if batch.is_type("unparsable"):
                raise SyntaxError(f"unparsable section: {batch.raw[:200]!r}")
            if batch.is_type("batch"):
                statements += [self.tree(s, raws) for s in batch.segments if s.is_type("statement")]
        return statements


class Unsupported(Exception):
    pass


# The strongest independent parsers of each templatec dialect, strongest first.
PARSERS = {
    "postgres": [("sqlglot", "postgres"), ("sqloxide", "postgres")],
    "redshift": [("sqlglot", "redshift"), ("sqloxide", "redshift")],
    "mysql": [("sqlglot", "mysql"), ("sqloxide", "mysql")],
    # sqlglot's T-SQL has no ELSE block after IF … BEGIN … END (it keeps it as an unparsed Command,
    # so the add-or-update defaults are "unsupported" there) and reads any statement after an IF
    # block as part of the block. sqlfluff's T-SQL grammar has the control flow and ALTER
    # AUTHORIZATION, so every MSSQL default has two T-SQL parsers (sqlparser-rs and sqlfluff).
    "mssql": [("sqlglot", "tsql"), ("sqloxide", "mssql"), ("sqlfluff", "tsql")],
    "oracle": [("sqlglot", "oracle")],  # sqlparser-rs has no Oracle dialect
    "snowflake": [("sqlglot", "snowflake"), ("sqloxide", "snowflake")],
    "bigquery": [("zetasql", None), ("sqlglot", "bigquery"), ("sqloxide", "bigquery")],
    "clickhouse": [("sqlglot", "clickhouse"), ("sqloxide", "clickhouse")],
    "databricks": [("sqlglot", "databricks"), ("sqloxide", "databricks")],
    "trino": [("trino", None), ("sqlglot", "trino")],
    "athena": [("sqlglot", "athena"), ("sqloxide", "hive")],
}

# Parsers known to read a construct or a value wrongly: (parser prefix, dialect, test, why).
# `test(case)` sees the case's JSON; a match skips that parser for the case, with the reason.
def has(*pieces):
    return lambda case: any(p in case["value"] for p in pieces)


def control(case):
    return any(ord(c) < 0x20 or ord(c) == 0x7F for c in case["value"])


KNOWN_WRONG = [
    ("sqlparser-rs", "athena", has("\\", "'"),
     "sqlparser-rs's Hive dialect reads backslash escapes literally (Hive and Athena's DDL decode \\' and \\\\)"),
    ("sqlparser-rs", "bigquery", lambda c: c["marker"] in ("zqdescription", "zqtagvalue") and control(c),
     "sqlparser-rs's BigQuery dialect does not decode \\xNN escapes (ZetaSQL does)"),
    ("sqlparser-rs", "bigquery", lambda c: c["marker"] not in ("zqdescription", "zqtagvalue") and (has("`", "\\")(c) or control(c)),
     "sqlparser-rs's BigQuery dialect does not decode escapes inside backtick-quoted names (ZetaSQL does)"),
    # A dot inside a backtick-quoted BigQuery name: ZetaSQL's parser keeps one name; sqlglot and
    # sqlparser-rs split it into path parts. templatec refuses a dot in a dataset, table or column
    # name (RND305: BigQuery's resolver splits it too); a domain-scoped project id
    # (`example.com:my-project`) keeps its dot and is one part to ZetaSQL and to BigQuery.
    ("sqlparser-rs", "bigquery", lambda c: c["marker"] == "zqdatabase" and "." in c["value"],
     "this parser splits a backtick-quoted project id at its dot (ZetaSQL and BigQuery keep one part)"),
    ("sqlglot", "bigquery", lambda c: c["marker"] == "zqdatabase" and "." in c["value"],
     "this parser splits a backtick-quoted project id at its dot (ZetaSQL and BigQuery keep one part)"),
]

_instances = {}


def parser(kind, dialect):
    key = (kind, dialect)
    if key not in _instances:
        try:
            _instances[key] = {"sqlglot": lambda: SqlglotParser(dialect), "sqloxide": lambda: SqloxideParser(dialect),
                               "sqlfluff": lambda: SqlfluffParser(dialect),
                               "zetasql": ZetaSQLParser, "trino": TrinoParser}[kind]()
        except Exception as error:  # the tool is not installed: every case is unsupported
            _instances[key] = error
    return _instances[key]


def strings(tree, out):
    if isinstance(tree, dict):
        for v in tree.values():
            strings(v, out)
    elif isinstance(tree, list):
        for v in tree:
            strings(v, out)
    elif isinstance(tree, str):
        out.append(tree)
    return out


def substitute(tree, marker, value):
    if isinstance(tree, dict):
        return {k: substitute(v, marker, value) for k, v in tree.items()}
    if isinstance(tree, list):
        return [substitute(v, marker, value) for v in tree]
    if isinstance(tree, str):
        return tree.replace(marker, value)
    return tree


def first_difference(a, b, path="$"):
    if type(a) is not type(b):
        return f"{path}: {json.dumps(a)[:120]} vs {json.dumps(b)[:120]}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}.{k}: only in one tree"
            d = first_difference(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} vs {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if a == b else f"{path}: expected {json.dumps(a)[:160]}, parsed {json.dumps(b)[:160]}"


def check(case, p, reference_cache):
    ref_key = (p.name, case["reference"])
    if ref_key not in reference_cache:
        try:
            reference_cache[ref_key] = ("ok", p.parse(case["reference"]))
        except Unsupported as why:
            reference_cache[ref_key] = ("unsupported", str(why))
        except Exception as error:
            reference_cache[ref_key] = ("unsupported", f"cannot parse the template with plain values: {str(error)[:300]}")
    state, reference = reference_cache[ref_key]
    if state != "ok":
        return "unsupported", reference
    if len(reference) != case["statements"]:
        return "failed", f"{len(reference)} statements, the template has {case['statements']}"
    decoded = strings(reference, [])
    missing = [m for m in case.get("markers", []) if not any(m in s for s in decoded)]
    if missing:
        return "failed", f"marker values not found decoded in the tree: {missing}"
    if "sql" not in case:
        return "passed", ""
    for prefix, dialect, test, why in KNOWN_WRONG:
        if p.name.startswith(prefix) and dialect == case["dialect"] and test(case):
            return "skipped", why
    try:
        parsed = p.parse(case["sql"])
    except Unsupported as why:
        return "skipped", str(why)
    except Exception as error:
        return "failed", f"the hostile rendering does not parse: {str(error)[:300]}"
    expected = substitute(reference, case["marker"], case["value"])
    difference = first_difference(expected, parsed)
    return ("failed", difference) if difference else ("passed", "")


def main():
    # `--parsers sqlglot,sqloxide`: only these kinds of parser (the test runs two processes, one per
    # half of the parsers, on the two halves of a 2-core machine).
    only = None
    if len(sys.argv) == 3 and sys.argv[1] == "--parsers":
        only = set(sys.argv[2].split(","))
    reference_cache = {}
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        case = json.loads(line)
        for kind, dialect in PARSERS.get(case["dialect"], []):
            if only is not None and kind not in only:
                continue
            p = parser(kind, dialect)
            if isinstance(p, Exception):
                out.write(json.dumps({"id": case["id"], "parser": f"{kind} ({dialect})", "status": "unsupported",
                                      "detail": f"not available: {p}"}) + "\n")
                continue
            status, detail = check(case, p, reference_cache)
            out.write(json.dumps({"id": case["id"], "parser": p.name, "status": status, "detail": detail}) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
