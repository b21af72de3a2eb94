# A one-invocation fake Lambda Runtime API for bench/Callgrind/aws.sh: serves one HTTP API v2 event for GET /hello?name=Ada,
# takes the response, then writes it to the flag file named by argv[2] and keeps every later /next waiting. Usage: PORT FLAG
import http.server, sys, time, threading
port, flag = int(sys.argv[1]), sys.argv[2]
EVENT = b'{"version":"2.0","routeKey":"$default","rawPath":"/hello","rawQueryString":"name=Ada","headers":{"host":"x"},"requestContext":{"http":{"method":"GET","path":"/hello","protocol":"HTTP/1.1","sourceIp":"192.0.2.1","userAgent":"bench"},"requestId":"r","routeKey":"$default","stage":"$default"},"isBase64Encoded":false}'
served = [False]
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_GET(self):
        if served[0]:
            time.sleep(3600)
        served[0] = True
        self.send_response(200)
        self.send_header("Lambda-Runtime-Aws-Request-Id", "cold-1")
        self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 600000))
        self.send_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:hello")
        self.send_header("Lambda-Runtime-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(EVENT)))
        self.end_headers()
        self.wfile.write(EVENT)
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0")); body = self.rfile.read(n)
        self.send_response(202); self.send_header("Content-Length", "0"); self.end_headers()
        if "/response" in self.path or "/error" in self.path:
            open(flag, "w").write(self.path + " " + body.decode("utf-8", "replace")[:200])
http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
