#!/usr/bin/env python3
"""Time from process start to the first 200 of GET /hello?name=Ada: Orders on the GCP adapter vs a bare ASP.NET Core slim
minimal API, Native AOT and JIT, interleaved in the same run. Usage: python3 bench/Gcp/run.py [rounds] (after bench/Gcp/publish.sh)."""
import http.client, os, signal, socket, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "out", "bench")
VARIANTS = {
    "orders-aot": [os.path.join(OUT, "orders-aot", "Orders")],
    "bare-aot": [os.path.join(OUT, "bare-aot", "BareSlim")],
    "orders-jit": ["dotnet", os.path.join(OUT, "orders-jit", "Orders.dll")],
    "bare-jit": ["dotnet", os.path.join(OUT, "bare-jit", "BareSlim.dll")],
}

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def first_200(command):
    port = free_port()
    env = dict(os.environ, PORT=str(port), FUNCTION_TARGET="Hello")
    for name in ("K_SERVICE", "DOTNET_RUNNING_IN_CONTAINER", "PORTABLE_PLATFORM"):
        env.pop(name, None)
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
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    samples = {name: [] for name in VARIANTS}
    for name, command in VARIANTS.items():  # warm the file cache once
        first_200(command)
    for _ in range(rounds):
        for name, command in VARIANTS.items():
            samples[name].append(first_200(command))
    print(f"| variant | median ms | p90 ms | min ms | ratio to bare (median) |  ({rounds} rounds, interleaved)")
    print("| --- | --- | --- | --- | --- |")
    for name, values in samples.items():
        values.sort()
        median = statistics.median(values)
        p90 = values[int(len(values) * 0.9) - 1]
        bare = statistics.median(samples[name.replace("orders", "bare")])
        print(f"| {name} | {median:.1f} | {p90:.1f} | {values[0]:.1f} | {median / bare:.2f} |")

if __name__ == "__main__":
    main()
