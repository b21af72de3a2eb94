#!/usr/bin/env bash
# The issue's acceptance check against the published folder, by hand: out/azure/Orders as a custom handler with Azurite
# (source tests/emulators/.env first) and a stand-in Event Grid endpoint (a few lines of Python that accept POSTs).
# Usage: bench/Azure/acceptance.sh [out/azure]
set -euo pipefail
dir="${1:-out/azure}"
: "${AZURE_STORAGE_CONNECTION_STRING:?source tests/emulators/.env first (bash tests/emulators/start.sh)}"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
port=$(free_port); eg=$(free_port)
python3 - "$eg" <<'PY' &
import sys, http.server
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        print("EVENT GRID got", self.path, self.headers.get("aeg-sas-key"), body.decode()[:200], flush=True)
        self.send_response(200); self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
egpid=$!
AzureWebJobsStorage="$AZURE_STORAGE_CONNECTION_STRING" \
Portable__Azure__Topics__order_confirmations__Endpoint="http://127.0.0.1:$eg/api/events" \
Portable__Azure__Topics__order_confirmations__Key="k" \
FUNCTIONS_CUSTOMHANDLER_PORT="$port" "$dir/Orders" &
pid=$!
trap 'kill $pid $egpid 2>/dev/null' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done
echo "GET / -> $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")"
echo "GET /hello?name=Ada -> $(curl -s "http://127.0.0.1:$port/hello?name=Ada")"
placed=$(curl -s -X POST "http://127.0.0.1:$port/orders" -H 'Content-Type: application/json' -d '{"customerId":"c-1","items":[{"sku":"A","quantity":2,"unitPrice":21.25}]}')
echo "POST /orders -> $placed"
id=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["orderId"])' "$placed")
payload=$(python3 -c 'import json,sys; print(json.dumps({"Data":{"message":json.dumps({"orderId":sys.argv[1]})},"Metadata":{"DequeueCount":1,"Id":"m-1","InsertionTime":"2026-11-24T00:00:00+00:00"}}))' "$id")
echo "POST /SendConfirmation -> $(curl -s -w ' (%{http_code} %{content_type})' -X POST "http://127.0.0.1:$port/SendConfirmation" -H 'Content-Type: application/json' -H 'X-Azure-Functions-InvocationId: acc-1' -d "$payload")"
echo "GET /orders/$id -> $(curl -s "http://127.0.0.1:$port/orders/$id")"
python3 - "$dir" <<'PY'
import json, os, sys
d = sys.argv[1]
host = json.load(open(os.path.join(d, "host.json")))
print("host.json:", host["version"], host["customHandler"]["description"]["defaultExecutablePath"], host["customHandler"]["enableForwardingHttpRequest"], host["extensionBundle"]["version"])
for f in sorted(os.listdir(d)):
    p = os.path.join(d, f, "function.json")
    if os.path.isfile(p):
        print(f"{f}/function.json:", [(b["type"], b["direction"]) for b in json.load(open(p))["bindings"]])
PY
