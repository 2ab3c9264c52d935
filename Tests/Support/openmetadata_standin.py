"""A stand-in OpenMetadata server for the batch sync tests: the REST API that
`templatec sync --from-openmetadata` reads, with paging, a bot token, and faults on demand.

Every entity it serves is first validated with OpenMetadata's own generated models
(`Database`, `DatabaseSchema`, `Table`, `DatabaseService` from the openmetadata-ingestion wheel,
imported through openmetadata_models.py): a document no model accepts is never served.

    python openmetadata_standin.py --catalog CATALOG.json [--token T] [--port 0]
    python openmetadata_standin.py --generate service=bench,database=db,schemas=10,tables=10000,columns=10

It prints `PORT <n>` on standard output once it listens on 127.0.0.1, then serves until killed.

The catalog file is a compact description that the server expands into full entities:

    {"service": "svc", "serviceType": "Postgres", "users": ["alice"],
     "databases": [{"name": "db", "description": "…", "owners": ["alice"],
                    "schemas": [{"name": "s", "description": "…", "owners": [{"name": "t", "type": "team"}],
                                 "tables": [{"name": "t", "description": "…", "owners": ["bob"],
                                             "tags": ["PII.Sensitive"], "deleted": false,
                                             "columns": [{"name": "c", "description": "…"}]}]}]}]}

Endpoints (as the real server's, `metadata/ingestion/ometa/`):
    GET /api/v1/system/version
    GET /api/v1/services/databaseServices/name/{name}
    GET /api/v1/databases?service=…            \
    GET /api/v1/databaseSchemas?database=…      > fields=owners,tags,columns, limit, after, include
    GET /api/v1/tables?databaseSchema=…        /
    GET /api/v1/{databases,databaseSchemas,tables}/{id}, …/name/{fqn}   the whole entity
    PATCH /api/v1/{databases,databaseSchemas,tables}/{id} a JSON Patch (RFC 6902: add, replace,
                             remove, test) with Content-Type application/json-patch+json (else 415);
                             the patched entity is validated with OpenMetadata's model (400 when
                             invalid, nothing changed), its version bumped by 0.1, and answered
    GET /api/v1/users/name/{name}   a user of the catalog's `"users": ["alice", …]` (else 404)
Control (tests only):
    POST /_control/faults    {"status": 429, "count": 2, "path": "/api/v1/tables"} answers the next
                             `count` requests whose path starts with `path` with `status`
    POST /_control/catalog   a new catalog (same form as the file), validated like the first
    GET  /_control/requests  the requests so far: [{"method", "path", "query", "authorization"}, with
                             "contentType" and "body" (the parsed JSON, or the text) for a PATCH]
    DELETE /_control/requests
"""
import argparse
import base64
import copy
import json
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

import openmetadata_models as om  # noqa: E402
from metadata.generated.schema.entity.services.databaseService import DatabaseService  # noqa: E402
from metadata.generated.schema.entity.teams.user import User  # noqa: E402

NOW_MS = int(time.time() * 1000)


def quote_name(name):
    """OpenMetadata's FullyQualifiedName.quoteName: a part with a dot is double-quoted."""
    if "." in name:
        return '"' + name.replace('"', '\\"') + '"'
    return name.replace('"', '\\"')


def fqn(*parts):
    return ".".join(quote_name(p) for p in parts)


def entity_id(kind, name):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "standin:" + kind + ":" + name))


def reference(kind, name, full_name=None):
    full_name = full_name or name
    return {"id": entity_id(kind, full_name), "type": kind, "name": name, "fullyQualifiedName": full_name,
            "displayName": name, "deleted": False, "href": "http://localhost:8585/api/v1/%ss/%s" % (kind, entity_id(kind, full_name))}


def owners(spec):
    out = []
    for o in spec.get("owners", []):
        if isinstance(o, str):
            o = {"name": o, "type": "user"}
        out.append(reference(o.get("type", "user"), o["name"]))
    return out


def tags(spec):
    return [{"tagFQN": t, "name": t.split(".")[-1], "source": "Glossary" if t.startswith("Glossary:") else "Classification",
             "labelType": "Manual", "state": "Confirmed"} if isinstance(t, str) else t for t in spec.get("tags", [])]


class Catalog:
    """The expanded, validated entities, in the order the server lists them."""

    def __init__(self, spec):
        self.service_name = spec["service"]
        service_type = spec.get("serviceType", "Postgres")
        service = {"id": entity_id("databaseService", self.service_name), "name": self.service_name,
                   "fullyQualifiedName": quote_name(self.service_name), "serviceType": service_type,
                   "href": "http://localhost:8585/api/v1/services/databaseServices/" + entity_id("databaseService", self.service_name),
                   "deleted": False}
        DatabaseService.model_validate(service)
        self.service = service
        service_ref = {"id": service["id"], "type": "databaseService", "name": self.service_name,
                       "fullyQualifiedName": service["fullyQualifiedName"], "deleted": False}
        self.cache = {}              # (id, fields) -> JSON text
        self.users = {}              # name -> User entity
        for name in spec.get("users", []):
            user = {"id": entity_id("user", name), "name": name, "fullyQualifiedName": quote_name(name),
                    "email": "%s@example.com" % name.replace(" ", "_"),
                    "href": "http://localhost:8585/api/v1/users/" + entity_id("user", name), "deleted": False}
            User.model_validate(user)
            self.users[name] = user
        self.databases = []          # entities
        self.schemas = {}            # database FQN -> [entities]
        self.tables = {}             # schema FQN -> [entities]
        for d in spec.get("databases", []):
            d_fqn = fqn(self.service_name, d["name"])
            database = self.common("database", d, d_fqn)
            database["service"] = service_ref
            database["serviceType"] = service_type
            om.Database.model_validate(database)
            self.databases.append(database)
            database_ref = {"id": database["id"], "type": "database", "name": d["name"], "fullyQualifiedName": d_fqn, "deleted": False}
            self.schemas[d_fqn] = []
            for s in d.get("schemas", []):
                s_fqn = fqn(self.service_name, d["name"], s["name"])
                schema = self.common("databaseSchema", s, s_fqn)
                schema.update(service=service_ref, serviceType=service_type, database=database_ref)
                om.DatabaseSchema.model_validate(schema)
                self.schemas[d_fqn].append(schema)
                schema_ref = {"id": schema["id"], "type": "databaseSchema", "name": s["name"], "fullyQualifiedName": s_fqn, "deleted": False}
                self.tables[s_fqn] = []
                for t in s.get("tables", []):
                    t_fqn = fqn(self.service_name, d["name"], s["name"], t["name"])
                    table = self.common("table", t, t_fqn)
                    table.update(tableType=t.get("tableType", "Regular"), service=service_ref, serviceType=service_type,
                                 database=database_ref, databaseSchema=schema_ref)
                    table["columns"] = [self.column(c, t_fqn, i) for i, c in enumerate(t.get("columns", []))]
                    om.Table.model_validate(table)
                    self.tables[s_fqn].append(table)

    def serialized(self, entity, fields):
        """The entity as served with `fields`: the fields a list asks for and none of the others
        of owners, tags and columns (columns stay, empty, as the model requires them). Cached, so
        pages of a large catalog are joined, not encoded again."""
        key = (entity["id"], fields)
        text = self.cache.get(key)
        if text is None:
            doc = {k: v for k, v in entity.items() if k not in ("owners", "tags", "columns") or k in fields}
            if "columns" in entity and "columns" not in fields:
                doc["columns"] = []
            text = json.dumps(doc)
            self.cache[key] = text
        return text

    def find(self, kind, value, key="id"):
        """The entity of `kind` (databases, databaseSchemas, tables) whose `key` is `value`, or None."""
        pools = {"databases": [self.databases], "databaseSchemas": list(self.schemas.values()),
                 "tables": list(self.tables.values())}.get(kind, [])
        for pool in pools:
            for e in pool:
                if e[key] == value:
                    return e
        return None

    MODELS = {"databases": "Database", "databaseSchemas": "DatabaseSchema", "tables": "Table"}

    def patch(self, kind, entity, operations):
        """Applies a JSON Patch to a copy, validates it with the kind's model, then keeps it.
        Raises PatchError (400) with the reason; the entity is unchanged then."""
        patched = apply_json_patch(copy.deepcopy(entity), operations)
        patched["version"] = round(float(entity.get("version", 0.1)) + 0.1, 1)
        patched["updatedAt"] = int(time.time() * 1000)
        patched["updatedBy"] = "templatec-bot"
        try:
            getattr(om, self.MODELS[kind]).model_validate(patched)
        except Exception as e:  # the model's complaint, as the real server answers an invalid entity
            raise PatchError("the patched %s is not valid: %s" % (self.MODELS[kind], e))
        entity.clear()
        entity.update(patched)
        self.cache = {k: v for k, v in self.cache.items() if k[0] != entity["id"]}
        return entity

    def warm(self):
        """Encodes every entity with the fields `templatec sync --from-openmetadata` asks for."""
        for d in self.databases:
            self.serialized(d, frozenset(("owners", "tags")))
        for schemas in self.schemas.values():
            for s in schemas:
                self.serialized(s, frozenset(("owners", "tags")))
        for tables in self.tables.values():
            for t in tables:
                self.serialized(t, frozenset(("owners", "tags", "columns")))

    @staticmethod
    def common(kind, spec, full_name):
        doc = {"id": entity_id(kind, full_name), "name": spec["name"], "fullyQualifiedName": full_name,
               "version": 0.1, "updatedAt": NOW_MS, "updatedBy": "admin",
               "href": "http://localhost:8585/api/v1/%ss/%s" % (kind, entity_id(kind, full_name)),
               "owners": owners(spec), "tags": tags(spec), "deleted": bool(spec.get("deleted", False))}
        if spec.get("description") is not None:
            doc["description"] = spec["description"]
        return doc

    @staticmethod
    def column(spec, table_fqn, position):
        doc = {"name": spec["name"], "dataType": spec.get("dataType", "INT"), "dataTypeDisplay": spec.get("dataType", "INT").lower(),
               "fullyQualifiedName": table_fqn + "." + quote_name(spec["name"]), "ordinalPosition": position + 1,
               "tags": tags(spec)}
        if spec.get("description") is not None:
            doc["description"] = spec["description"]
        return doc


class PatchError(Exception):
    pass


def pointer(path):
    """An RFC 6901 JSON Pointer as its reference tokens."""
    if path == "":
        return []
    if not path.startswith("/"):
        raise PatchError("path %r is not a JSON Pointer" % path)
    return [t.replace("~1", "/").replace("~0", "~") for t in path[1:].split("/")]


def apply_json_patch(doc, operations):
    """RFC 6902 add, replace, remove and test (move and copy are refused: templatec sends neither)."""
    if not isinstance(operations, list):
        raise PatchError("a JSON Patch is an array of operations")
    for op in operations:
        if not isinstance(op, dict) or "op" not in op or "path" not in op:
            raise PatchError("an operation needs `op` and `path`: %r" % (op,))
        tokens = pointer(op["path"])
        if not tokens:
            raise PatchError("the stand-in does not patch the whole document")
        parent = doc
        for t in tokens[:-1]:
            if isinstance(parent, list):
                if not t.isdigit() or int(t) >= len(parent):
                    raise PatchError("path %s: no element %s" % (op["path"], t))
                parent = parent[int(t)]
            elif isinstance(parent, dict) and t in parent:
                parent = parent[t]
            else:
                raise PatchError("path %s: no member %s" % (op["path"], t))
        last = tokens[-1]
        kind = op["op"]
        if kind in ("add", "replace", "test") and "value" not in op:
            raise PatchError("%s needs a value" % kind)
        if isinstance(parent, list):
            if last == "-" and kind == "add":
                parent.append(op["value"])
                continue
            if not last.isdigit():
                raise PatchError("path %s: %s is not an array index" % (op["path"], last))
            i = int(last)
            exists = i < len(parent)
            if kind == "add":
                if i > len(parent):
                    raise PatchError("path %s: index out of range" % op["path"])
                parent.insert(i, op["value"])
                continue
        elif isinstance(parent, dict):
            i = last
            exists = last in parent
            if kind == "add":
                parent[last] = op["value"]
                continue
        else:
            raise PatchError("path %s: the parent is not a container" % op["path"])
        if not exists:
            raise PatchError("%s %s: the target does not exist (RFC 6902 requires it)" % (kind, op["path"]))
        if kind == "replace":
            parent[i] = op["value"]
        elif kind == "remove":
            del parent[i]
        elif kind == "test":
            if parent[i] != op["value"]:
                raise PatchError("test %s failed" % op["path"])
        else:
            raise PatchError("operation %r is not supported by the stand-in" % kind)
    return doc


def generated(params):
    """A large catalog: `tables` tables spread over `schemas` schemas, `columns` columns each."""
    p = dict(kv.split("=", 1) for kv in params.split(",") if kv)
    schemas, tables, columns = int(p.get("schemas", 10)), int(p.get("tables", 10000)), int(p.get("columns", 10))
    prefix = p.get("schemaPrefix", "batch_bench_")
    per_schema = (tables + schemas - 1) // schemas
    spec = {"service": p.get("service", "bench"), "databases": [{"name": p.get("database", "templatec"), "schemas": []}]}
    n = 0
    for k in range(schemas):
        schema = {"name": "%s%d" % (prefix, k), "tables": []}
        for _ in range(per_schema):
            if n == tables:
                break
            schema["tables"].append({"name": "t%d" % n, "description": "Table %d: it's the bench's" % n,
                                     "columns": [{"name": "c%d" % j, "description": "Column %d of t%d" % (j, n)} for j in range(columns)]})
            n += 1
        spec["databases"][0]["schemas"].append(schema)
    return spec


class State:
    def __init__(self, catalog, token):
        self.catalog = catalog
        self.token = token
        self.lock = threading.Lock()
        self.faults = []      # [{"status", "count", "path"}]
        self.requests = []


def make_handler(state):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, *args):
            pass

        def answer(self, status, body):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def error(self, status, message):
            self.answer(status, {"code": status, "message": message})

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
            path = urlsplit(self.path).path
            try:
                doc = json.loads(body)
                if path == "/_control/faults":
                    with state.lock:
                        state.faults.append(doc)
                    return self.answer(200, {"ok": True})
                if path == "/_control/catalog":
                    catalog = Catalog(doc)
                    with state.lock:
                        state.catalog = catalog
                    return self.answer(200, {"ok": True})
            except Exception as e:  # a control request the test got wrong: say why
                return self.error(400, "%s: %s" % (type(e).__name__, e))
            self.error(404, "no such control endpoint")

        def do_DELETE(self):
            if urlsplit(self.path).path == "/_control/requests":
                with state.lock:
                    state.requests.clear()
                return self.answer(200, {"ok": True})
            self.error(404, "no such control endpoint")

        def do_GET(self):
            parts = urlsplit(self.path)
            path = parts.path
            if path == "/_control/requests":
                with state.lock:
                    return self.answer(200, list(state.requests))
            query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            auth = self.headers.get("Authorization")
            with state.lock:
                state.requests.append({"method": "GET", "path": path, "query": query, "authorization": auth})
                fault = next((f for f in state.faults if f.get("count", 1) > 0 and path.startswith(f.get("path", "/"))), None)
                if fault:
                    fault["count"] = fault.get("count", 1) - 1
                catalog = state.catalog
            if fault:
                messages = {401: "Not Authorized! Token not present", 403: "Principal: CatalogPrincipal{name='templatec-bot'} operations [ViewAll] not allowed",
                            429: "Too many requests", 500: "Internal Server Error", 503: "Service Unavailable"}
                return self.error(fault["status"], messages.get(fault["status"], "fault"))
            if path != "/api/v1/system/version" and not self.authorized(auth):
                return
            if path == "/api/v1/system/version":
                return self.answer(200, {"version": "1.6.0-standin", "revision": "standin", "timestamp": NOW_MS})
            prefix = "/api/v1/users/name/"
            if path.startswith(prefix):
                user = catalog.users.get(unquote(path[len(prefix):]))
                if user is None:
                    return self.error(404, "user instance for %s not found" % unquote(path[len(prefix):]))
                return self.answer(200, user)
            found = self.entity_at(catalog, path)
            if found is not None:
                return self.answer(200, found[1]) if found[1] else self.error(404, "entity %s not found" % path)
            prefix = "/api/v1/services/databaseServices/name/"
            if path.startswith(prefix):
                name = unquote(path[len(prefix):])
                if name != catalog.service_name:
                    return self.error(404, "databaseService instance for %s not found" % name)
                return self.answer(200, catalog.service)
            lists = {"/api/v1/databases": ("service", lambda k: catalog.databases if k == catalog.service_name else None),
                     "/api/v1/databaseSchemas": ("database", catalog.schemas.get),
                     "/api/v1/tables": ("databaseSchema", catalog.tables.get)}
            if path in lists:
                key, find = lists[path]
                if key not in query:
                    return self.error(400, "query param %s is required by this stand-in" % key)
                found = find(query[key])
                if found is None:
                    return self.error(404, "%s instance for %s not found" % (key, query[key]))
                return self.page(catalog, found, query)
            self.error(404, "no such endpoint in the stand-in: %s" % path)

        @staticmethod
        def entity_at(catalog, path):
            """(kind, entity or None) for /api/v1/{kind}/{id} or /api/v1/{kind}/name/{fqn}; None when
            the path is neither."""
            parts = path.split("/")
            if len(parts) not in (5, 6) or parts[:3] != ["", "api", "v1"] or parts[3] not in Catalog.MODELS:
                return None
            if len(parts) == 6:
                if parts[4] != "name":
                    return None
                return parts[3], catalog.find(parts[3], unquote(parts[5]), key="fullyQualifiedName")
            return parts[3], catalog.find(parts[3], parts[4])

        def authorized(self, auth):
            if state.token is None:
                return True
            if not auth or not auth.startswith("Bearer "):
                self.error(401, "Not Authorized! Token not present")
                return False
            if auth[len("Bearer "):] != state.token:
                self.error(401, "Not Authorized! Invalid Token")
                return False
            return True

        def do_PATCH(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
            path = urlsplit(self.path).path
            auth = self.headers.get("Authorization")
            content_type = self.headers.get("Content-Type", "")
            try:
                recorded = json.loads(body)
            except ValueError:
                recorded = body.decode("utf-8", "replace")
            with state.lock:
                state.requests.append({"method": "PATCH", "path": path, "query": {}, "authorization": auth,
                                       "contentType": content_type, "body": recorded})
                fault = next((f for f in state.faults if f.get("count", 1) > 0 and path.startswith(f.get("path", "/"))), None)
                if fault:
                    fault["count"] = fault.get("count", 1) - 1
            if fault:
                return self.error(fault["status"], "fault")
            if not self.authorized(auth):
                return
            if content_type.split(";")[0].strip().lower() != "application/json-patch+json":
                return self.error(415, "HTTP 415 Unsupported Media Type: a PATCH takes application/json-patch+json")
            with state.lock:
                found = self.entity_at(state.catalog, path)
                if found is None:
                    return self.error(404, "no such endpoint in the stand-in: %s" % path)
                kind, entity = found
                if entity is None:
                    return self.error(404, "%s instance for %s not found" % (kind, path.rsplit("/", 1)[-1]))
                if isinstance(recorded, str):
                    return self.error(400, "the body is not JSON")
                try:
                    patched = state.catalog.patch(kind, entity, recorded)
                except PatchError as e:
                    return self.error(400, str(e))
                return self.answer(200, patched)

        def page(self, catalog, entities, query):
            try:
                limit = int(query.get("limit", "10"))
                offset = int(base64.b64decode(query["after"]).decode()) if "after" in query else 0
            except (ValueError, KeyError, UnicodeDecodeError):
                return self.error(400, "bad limit or after")
            if not 0 < limit <= 1000000:
                return self.error(400, "limit must be between 1 and 1000000")
            include = query.get("include", "non-deleted")
            listed = [e for e in entities if include == "all" or (include == "deleted") == e.get("deleted", False)]
            fields = frozenset(f for f in query.get("fields", "").split(",") if f)
            data = [catalog.serialized(e, fields) for e in listed[offset:offset + limit]]
            paging = {"total": len(listed)}
            if offset + limit < len(listed):
                paging["after"] = base64.b64encode(str(offset + limit).encode()).decode()
            if offset > 0:
                paging["before"] = base64.b64encode(str(max(offset - limit, 0)).encode()).decode()
            self.answer(200, ('{"data": [' + ", ".join(data) + '], "paging": ' + json.dumps(paging) + "}").encode())

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--catalog", help="the catalog file")
    parser.add_argument("--generate", help="generate a large catalog: service=,database=,schemas=,tables=,columns=,schemaPrefix=")
    parser.add_argument("--token", help="answer 401 to requests without `Authorization: Bearer TOKEN`")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    if args.catalog:
        with open(args.catalog) as f:
            spec = json.load(f)
    elif args.generate is not None:
        spec = generated(args.generate)
    else:
        parser.error("give --catalog or --generate")
    catalog = Catalog(spec)
    catalog.warm()
    state = State(catalog, args.token)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(state))
    server.daemon_threads = True
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
