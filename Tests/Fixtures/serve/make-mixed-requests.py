#!/usr/bin/env python3
"""Writes mixed-requests.jsonl: `render --serve` request lines of every kind (valid, each error
kind, unicode, escapes, lone surrogates, missing keys, compiled artifacts, blank lines, CRLF,
invalid UTF-8), for the tests that compare the fast request reader with the general path and for
comparing two templatec builds byte for byte:

    templatec render --serve < mixed-requests.jsonl > answers.jsonl

Usage: make-mixed-requests.py ARTIFACT.json > mixed-requests.jsonl  (ARTIFACT from `templatec compile`
of `COMMENT ON TABLE {schema}.{table} IS {description};`, PostgreSQL, description, table)."""
import json
import sys

artifact = open(sys.argv[1], "rb").read().strip()
T = "COMMENT ON TABLE {schema}.{table} IS {description};"
lines = []


def add(raw):
    lines.append(raw if isinstance(raw, bytes) else raw.encode())


def req(**kw):
    return json.dumps(kw)


def compact(**kw):
    return json.dumps(kw, separators=(",", ":"), ensure_ascii=False)


base = dict(template=T, dialect="postgres", update="description", level="table")
good = {"schema": "sales", "table": "orders", "description": "Orders; it's one row per order."}

# Valid requests, in several spellings.
add(req(id=1, **base, vars=good))
add(compact(id=2, **base, vars=good))
add(compact(vars=good, level="table", update="description", dialect="postgres", template=T, id=3))
add('  { "id" : 4 , "template" : %s , "dialect" : "postgres" , "vars" : { "schema" : "s" , "table" : "t" , "description" : "d" } }  ' % json.dumps(T))
add('\t{"id":5,"template":%s,"dialect":"postgres","vars":{"schema":"s","table":"t","description":"d"}}\t' % json.dumps(T))
add(req(**base, vars=good))                                   # no id
add(req(id=6, template=T, vars=good))                          # no settings: the template alone
add(req(id=7, template="-- templatec: dialect=postgres update=description level=table\n" + T, vars=good))
add(req(id=8, **base, vars=good, extra={"a": [1, 2, {"b": None}], "c": True}, more=1.5))

# Ids of every shape.
for i in ['0', '-5', '-0', '007', '1.5', '1.0', '1e3', '1E3', '-1e-3', '123456789012345', '1234567890123456',
          '99999999999999999999', '1e400', '"abc"', '"a\\"b"', '"\\u00e9"', '"é"', '"\\u2028"', '"\u2028"',
          '"\\ud800"', '"\\ud83d\\ude00"', '"\x7f"', '"tab\\t"', 'null', 'true', 'false', '[1,"x",null]',
          '{"b":1,"a":[2]}', '{}', '[]', '""', '-', '1.', '.5', '+1', '--1', '1-2', '0x10', 'nul', 'tru']:
    add('{"id":%s,"template":%s,"dialect":"postgres","vars":{"schema":"s","table":"t","description":"d"}}' % (i, json.dumps(T)))
add('{"id":1,"id":"second","template":%s,"dialect":"postgres","vars":{"schema":"s","table":"t","description":"d"}}' % json.dumps(T))
add('{"id":"first","template":%s,"dialect":"postgres","vars":{"schema":"s","table":"t","description":"d"},"id":2}' % json.dumps(T))

# Templates and settings.
add(req(id=10, template="COMMENT ON TABLE {table} IS {description};\n", dialect="postgres", vars=good))
add(req(id=11, template="\u0043OMMENT ON TABLE {table} IS {description};", dialect="postgres", vars=good))
add('{"id":12,"template":"\\u0043OMMENT ON TABLE {table} IS {description};","dialect":"postgres","vars":{"table":"t","description":"d"}}')
add(compact(id=13, template="COMMENT ON TABLE {table} IS {description}; -- é ☃ 😀", dialect="postgres", vars=good))
add(b'{"id":14,"template":"COMMENT ON TABLE {table} IS {description}; -- \xff","dialect":"postgres","vars":{"table":"t","description":"d"}}')
add('{"id":15,"template":"COMMENT ON TABLE {table} IS {description}; -- \\ud800","dialect":"postgres","vars":{"table":"t","description":"d"}}')
add(req(id=16, template=T, dialect=["postgres"], vars=good))
add(req(id=17, template=T, dialect=None, vars=good))
add(req(id=18, template=T, dialect=5, vars=good))
add(req(id=19, template=T, dialect="nope", vars=good))
add(req(id=20, template=T, dialect="", vars=good))
add(req(id=21, template=T, dialect="postgres", update="description,owner", vars=good))
add(req(id=22, template=T, dialect="postgres", update=["description", "owner"], vars=good))
add(req(id=23, template=T, dialect="postgres", level="galaxy", vars=good))
add(req(id=24, template=T, dialect="postgres", update=[1], vars=good))
add(req(id=25, template=T, dialect="postgres", level=[], vars=good))
add('{"id":26,"template":%s,"dialect":"post\\u0067res","vars":{"schema":"s","table":"t","description":"d"}}' % json.dumps(T))
add('{"id":27,"template":%s,"dialect":"\\ud800","vars":{"schema":"s","table":"t","description":"d"}}' % json.dumps(T))
add(b'{"id":28,"template":"COMMENT ON TABLE {table} IS {description};","dialect":"postgres\xc3","vars":{"table":"t","description":"d"}}')
add(req(id=29, dialect="postgres", vars=good))                 # no template
add(req(id=30, template=None, dialect="postgres", vars=good))
add(req(id=31, template=42, dialect="postgres", vars=good))
add(req(id=32, template="COMMENT ON TABLE {table IS x;", dialect="postgres", vars={}))
add(req(id=33, template="COMMENT ON TABLE {tabel} IS {description};", dialect="postgres", vars=good))
add(req(id=34, template="", dialect="postgres", vars={}))
add(req(id=35, template=T, dialect="mysql", vars=good))
add(req(id=36, template=T, dialect="postgres", vars=good, compiled=None))
add('{"id":37,"template":%s,"template":"COMMENT ON TABLE {table} IS {description};","dialect":"postgres","vars":{"table":"t","description":"d"}}' % json.dumps(T))

# Compiled artifacts.
add(b'{"id":40,"compiled":' + artifact + b',"vars":{"schema":"s","table":"t","description":"d"}}')
add(b'{"id":41,"compiled":' + artifact + b',"vars":{"schema":"s","table":"t","description":"d"}}')
add(b'{"id":42,"compiled":' + artifact + b',"template":"x","vars":{"schema":"s","table":"t"}}')
add(b'{"id":43,"compiled":{"version":99},"vars":{}}')
add(b'{"id":44,"compiled":"nope","vars":{}}')

# Values.
def v(i, vars_json):
    add('{"id":%d,"template":%s,"dialect":"postgres","update":"description","level":"table","vars":%s}' % (i, json.dumps(T), vars_json))

v(50, '{}')
v(51, '[]')
v(52, '"x"')
v(53, 'null')
v(54, '{"schema":"s","table":"t"}')
v(55, '{"schema":"s","table":"t","description":"d","Table":"x"}')
v(56, '{"schema":"s","table":"t","description":"d","zeta":"x","alpha":"y"}')
v(57, '{"schema":"s","table":"t","description":5}')
v(58, '{"schema":"s","table":"t","description":null}')
v(59, '{"schema":"s","table":"t","description":"\\ud800"}')
v(60, '{"schema":"s","table":"t","description":"\\udc00 x"}')
v(61, '{"schema":"s","table":"t","description":"\\ud83d\\ude00 \\ud83dx"}')
v(62, '{"schema":"s","table":"t","description":"pair \\ud83d\\ude00 and 😀"}')
v(63, '{"schema":"s","table":"t","description":"line\\u2028sep\\u2029para \u2028 \u2029"}')
v(64, '{"schema":"s","table":"t","description":"q\\" b\\\\ s\\/ \\b\\f\\n\\r\\t"}')
v(65, '{"schema":"s","table":"t","description":"nul \\u0000 here"}')
v(66, '{"schema":"s","table":"t","description":"ctl \\u0001 \\u001f \\u007f \x7f"}')
v(67, '{"schema":"s","table":"t","description":"raw\ttab"}')
v(68, '{"schema":"s","table":"t","description":"bad \\x escape"}')
v(69, '{"schema":"s","table":"t","description":"bad \\u12"}')
v(70, '{"schema":"s","table":"%s","description":"d"}' % ("x" * 70))
v(71, '{"schema":"s","table":"Order Items","description":"d"}')
v(72, '{"schema":"s","table":"t","description":"d","table":"second"}')
v(73, '{"schema":"s","table":"t","description":"d"},"vars":{"schema":"s2","table":"t2","description":"d2"}')
v(74, '{"schema":"s","table":5,"description":"d"},"vars":{"schema":"s2","table":"t2","description":"d2"}')
v(75, '{"schema":"s","t\\u0061ble":"t","description":"d"}')
v(76, '{"schema":"s","table":"t","description":"d","tags":[["k","v"],["k2","v2"]]}')
v(77, '{"schema":"s","table":"t","description":"d","tags":[["k"]]}')
v(78, '{"schema":"s","table":"t","description":"d","tags":"x"}')
v(79, '{"schema":"s","table":"t","description":"d","tags":[["k",1]]}')
v(80, '{"schema":"s","table":"t","description":"d","tags":[["k","\\ud800"]]}')
v(81, '{"schema":"s","table":"t","description":"d","owner":"o","column":"c","database":"db"}')
v(82, '{"schema":"ünïcödé","table":"表","description":"日本語 ☃ 😀"}')
add(b'{"id":83,"template":"COMMENT ON TABLE {table} IS {description};","dialect":"postgres","vars":{"table":"t","description":"bad \xc3\x28 utf8"}}')
add(b'{"id":84,"template":"COMMENT ON TABLE {table} IS {description};","dialect":"postgres","vars":{"table":"t","description":"overlong \xc0\xaf"}}')
add(b'{"id":85,"template":"COMMENT ON TABLE {table} IS {description};","dialect":"postgres","vars":{"table":"t","description":"surrogate \xed\xa0\x80"}}')
add(b'{"id":86,"template":"COMMENT ON TABLE {table} IS {description};","dialect":"postgres","vars":{"table":"t","description":"cut \xe2\x82"}}')
v(87, '{"schema":"s","table":"t","description":"%s"}' % ("long " * 2000))
v(88, '{"schema":"s","table":"t","description":"d","tag_key":"k","tag_value":"v"}')
add('{"id":89,"template":"ALTER TABLE {table} SET TAGS {tags};","dialect":"databricks","update":"tags","level":"table","vars":{"table":"t","tags":[["k","v"],["it\'s","x\\"y"]]}}')
add('{"id":90,"template":"ALTER TABLE `{table}` SET OPTIONS (labels = {tags});","dialect":"bigquery","update":"tags","level":"table","vars":{"table":"t","tags":[["Bad Key","v"]]}}')
add('{"id":91,"template":"COMMENT ON TABLE {table} IS $c${description}$c$;","dialect":"postgres","vars":{"table":"t","description":"has $c$ inside"}}')
add('{"id":92,"template":"COMMENT ON TABLE stg_{table} IS {description};","dialect":"postgres","vars":{"table":"Bad-Name","description":"d"}}')

# Syntax.
for s in ['{', '}', '[]', '"str"', '42', 'null', '{}', '{"id":1,}', '{"id":1', '{"id" 1}', '{"id":1}}', '{"id":1} x',
          '{id:1}', "{'id':1}", '{"id":1,"template":"x"', '{"template":"x" "dialect":"y"}', 'garbage', '\u00ef\u00bb\u00bf{}',
          '{"id":1,"template":%s,"vars":{"table":"t",}}' % json.dumps(T), '{"id":1,"template":%s,"vars":{"table"}}' % json.dumps(T),
          '{"id":1,"template":%s,"vars":{"table":"t"' % json.dumps(T), '{"id":1,"template":"unterminated}',
          '{"id":1,"template":"raw \x01 control","vars":{}}', '{"\\u0069d":1,"template":%s,"vars":{}}' % json.dumps(T),
          '{"id":1,"template":%s,"vars":{},"deep":%s%s}' % (json.dumps(T), "[" * 300, "]" * 300),
          '{"id":1,"template":%s,"vars":{},"deep":%s%s}' % (json.dumps(T), "[" * 200, "]" * 200),
          '{"id":%s1%s,"template":"x"}' % ("[" * 300, "]" * 300)]:
    add(s)
add(b'{"id":1,"template":"x","vars":{}}\x00')
add(b'\xff\xfe')

# Blank lines, CRLF, a line of spaces.
add('')
add('   ')
add('\t')
add(req(id=100, **base, vars=good) + '\r')
add('\r')

# The usual request again, after all that (the caches must still answer right).
add(req(id=101, **base, vars=good))
add(compact(id=102, **base, vars={"schema": "s", "table": "t", "description": "again"}))

sys.stdout.buffer.write(b"\n".join(lines) + b"\n")
