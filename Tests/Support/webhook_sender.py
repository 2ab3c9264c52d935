"""A stand-in OpenMetadata server's Generic Webhook destination: builds ChangeEvents the way the
catalog does, validates every one with OpenMetadata's own generated models, and POSTs it, signed
as the catalog signs (X-OM-Signature: sha256=<Base64(HMAC-SHA256(secret, body))>).

    python webhook_sender.py URL [--secret S] [--signature good|wrong|none] [--retry SECONDS]
                             [--connections N] < changes.jsonl

Each input line is one change, in a compact form:

    {"entityType": "table", "fqn": "svc.db.sch.tbl", "eventType": "entityUpdated",
     "added":   [{"name": "tags", "new": [TagLabel, …]}],
     "updated": [{"name": "description", "old": "a", "new": "b"}],
     "deleted": [{"name": "owners", "old": [EntityReference, …]}]}

Owners and tags are given as lists of objects: each object is validated (EntityReference,
TagLabel), then encoded as JSON text, as the server writes those values. Descriptions stay plain
text. The event carries both `changeDescription` and `incrementalChangeDescription`, unless the
line says `"incremental": false`.

Output: one JSON line per event, in input order: {"id", "status", "body", "attempts"}.
`--retry S` sends again, like the catalog, while the answer is not 200 (or the connection fails)
for up to S seconds. `--connections N` sends on N keep-alive connections at once (order within one
entity is kept only with N = 1). `--count K` sends the first line K times, with new ids (for
load); then the output is one summary line: {"sent", "ok", "seconds"}.
"""
import argparse
import logging
import base64
import hashlib
import hmac
import http.client
import json
import sys
import threading
import time
import urllib.parse
import uuid

import openmetadata_models as om
from metadata.generated.schema.type.entityReference import EntityReference
from metadata.generated.schema.type.tagLabel import TagLabel

# The models log a warning per document for a name transformation that needs sqlalchemy (not installed).
logging.disable(logging.WARNING)

JSON_VALUED = ("owners", "owner", "tags")


def field_value(name, value):
    """The FieldChange value as the catalog writes it: JSON text for owners and tags."""
    if value is None:
        return None
    leaf = name.rsplit(".", 1)[-1]
    if leaf in JSON_VALUED:
        model = TagLabel if leaf == "tags" else EntityReference
        items = value if isinstance(value, list) else [value]
        for item in items:
            model.model_validate(item)
        return json.dumps(value, separators=(",", ":"))
    return value


def build(change):
    def fields(kind):
        out = []
        for f in change.get(kind, []):
            fc = {"name": f["name"]}
            if "old" in f:
                fc["oldValue"] = field_value(f["name"], f["old"])
            if "new" in f:
                fc["newValue"] = field_value(f["name"], f["new"])
            out.append(fc)
        return out

    description = {"fieldsAdded": fields("added"), "fieldsUpdated": fields("updated"),
                   "fieldsDeleted": fields("deleted"), "previousVersion": 0.1}
    event = {
        "id": str(uuid.uuid4()),
        "eventType": change.get("eventType", "entityUpdated"),
        "entityType": change["entityType"],
        "entityId": change.get("entityId", str(uuid.uuid4())),
        "entityFullyQualifiedName": change["fqn"],
        "previousVersion": 0.1,
        "currentVersion": 0.2,
        "userName": "admin",
        "timestamp": int(time.time() * 1000),
        "changeDescription": description,
    }
    if change.get("incremental", True):
        event["incrementalChangeDescription"] = description
    body = json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    # Every document the stand-in sends is one OpenMetadata's own model accepts.
    om.ChangeEvent.model_validate_json(body)
    return event["id"], body


def signature(secret, body, mode):
    if mode == "none" or secret is None:
        return None
    if mode == "wrong":
        secret = secret + "-wrong"
    return "sha256=" + base64.b64encode(hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()).decode("ascii")


class Sender:
    def __init__(self, url, secret, mode):
        self.url = urllib.parse.urlsplit(url)
        self.secret = secret
        self.mode = mode
        self.connection = None

    def post(self, body):
        headers = {"Content-Type": "application/json"}
        sig = signature(self.secret, body, self.mode)
        if sig:
            headers["X-OM-Signature"] = sig
        for attempt in range(2):  # a keep-alive connection the server closed: once more, fresh
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=30)
                self.connection.request("POST", self.url.path or "/", body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                if response.getheader("Connection", "").lower() == "close":
                    self.connection.close()
                    self.connection = None
                return response.status, text
            except (OSError, http.client.HTTPException) as e:
                if self.connection is not None:
                    self.connection.close()
                self.connection = None
                if attempt == 1:
                    return 0, str(e)
        return 0, "unreachable"

    def deliver(self, body, retry):
        deadline = time.time() + retry
        attempts = 0
        while True:
            attempts += 1
            status, text = self.post(body)
            if status == 200 or time.time() >= deadline:
                return status, text, attempts
            time.sleep(0.2)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("--secret")
    p.add_argument("--signature", choices=["good", "wrong", "none"], default="good")
    p.add_argument("--retry", type=float, default=0)
    p.add_argument("--connections", type=int, default=1)
    p.add_argument("--count", type=int, default=0)
    a = p.parse_args()
    changes = [json.loads(line) for line in sys.stdin if line.strip()]
    if a.count:
        bodies = [build(changes[0])[1] for _ in range(a.count)]
        ok = [0]
        lock = threading.Lock()

        def work(part):
            s = Sender(a.url, a.secret, a.signature)
            for b in part:
                status, _, _ = s.deliver(b, a.retry)
                if status == 200:
                    with lock:
                        ok[0] += 1
        started = time.time()
        threads = [threading.Thread(target=work, args=(bodies[i::a.connections],)) for i in range(a.connections)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(json.dumps({"sent": len(bodies), "ok": ok[0], "seconds": time.time() - started}))
        return
    sender = Sender(a.url, a.secret, a.signature)
    for change in changes:
        event_id, body = build(change)
        status, text, attempts = sender.deliver(body, a.retry)
        print(json.dumps({"id": event_id, "status": status, "body": text, "attempts": attempts}), flush=True)


if __name__ == "__main__":
    main()
