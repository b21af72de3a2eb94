#!/usr/bin/env python3
"""Time from process start to the first 200 of GET /hello?name=Ada: Orders on the GCP adapter vs a bare ASP.NET Core slim
minimal API, Native AOT and JIT, interleaved in the same run; orders-aot-otlp is Orders AOT with OTEL_EXPORTER_OTLP_ENDPOINT set
(a loopback receiver that answers 200), so the cost of configuring the exporter shows beside the same binary without it.
Usage: python3 bench/Gcp/run.py [rounds] [variant ...] (after bench/Gcp/publish.sh)."""
import http.client, http.server, os, signal, socket, statistics, subprocess, sys, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "out", "bench")
VARIANTS = {
    "orders-aot": [os.path.join(OUT, "orders-aot", "Orders")],
    "orders-aot-otlp": [os.path.join(OUT, "orders-aot", "Orders")],
    "bare-aot": [os.path.join(OUT, "bare-aot", "BareSlim")],
    "orders-jit": ["dotnet", os.path.join(OUT, "orders-jit", "Orders.dll")],
    "bare-jit": ["dotnet", os.path.join(OUT, "bare-jit", "BareSlim.dll")],
}

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

class Receiver(http.server.BaseHTTPRequestHandler):
    """An OTLP/HTTP endpoint that accepts everything (the exporter's cost, not a collector's, is measured)."""
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass

def start_receiver():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"

OTLP_ENDPOINT = None

def first_200(command, otlp=False):
    port = free_port()
    env = dict(os.environ, PORT=str(port), FUNCTION_TARGET="Hello")
    for name in ("K_SERVICE", "DOTNET_RUNNING_IN_CONTAINER", "PORTABLE_PLATFORM", "OTEL_EXPORTER_OTLP_ENDPOINT"):
        env.pop(name, None)
    if otlp:
        env.update(OTEL_EXPORTER_OTLP_ENDPOINT=OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL="http/protobuf")
    start = time.perf_counter()
    # Run from the app's own folder, as the container's WORKDIR /app would.
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=os.path.dirname(command[-1]))
    try:
        while time.perf_counter() - start < 30:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/hello?name=Ada")
                response = connection.getresponse()
                body = response.read()
                if response.status == 200 and body == b"Hello, Ada":
                    return (time.perf_counter() - start) * 1000
            except OSError:
                time.sleep(0.001)
        raise RuntimeError(f"{command} did not answer 200 within 30 s")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(10)

def main():
    global OTLP_ENDPOINT
    OTLP_ENDPOINT = start_receiver()
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    variants = {name: VARIANTS[name] for name in sys.argv[2:]} or VARIANTS
    samples = {name: [] for name in variants}
    for name, command in variants.items():  # warm the file cache once
        first_200(command, name.endswith("-otlp"))
    for _ in range(rounds):
        for name, command in variants.items():
            samples[name].append(first_200(command, name.endswith("-otlp")))
    print(f"| variant | median ms | p90 ms | min ms | ratio to bare (median) |  ({rounds} rounds, interleaved)")
    print("| --- | --- | --- | --- | --- |")
    for name, values in samples.items():
        values.sort()
        median = statistics.median(values)
        p90 = values[int(len(values) * 0.9) - 1]
        bare_name = name.replace("orders", "bare").removesuffix("-otlp")
        ratio = f"{median / statistics.median(samples[bare_name]):.2f}" if bare_name in samples else "n/a"
        print(f"| {name} | {median:.1f} | {p90:.1f} | {values[0]:.1f} | {ratio} |")

if __name__ == "__main__":
    main()
