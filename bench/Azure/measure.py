#!/usr/bin/env python3
"""Start-to-first-answer: start the executable with FUNCTIONS_CUSTOMHANDLER_PORT set, poll GET /hello?name=Ada until it
answers 200 'Hello, Ada', stop it. Each process runs in its own folder (a crowded working directory slows a host that
watches its content root, which would not be a fair comparison). Runs the variants interleaved, N rounds, and prints medians and ratios."""
import os, socket, statistics, subprocess, sys, time

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def first_answer(cmd, timeout=20.0):
    port = free_port()
    env = dict(os.environ, FUNCTIONS_CUSTOMHANDLER_PORT=str(port), DOTNET_TieredPGO="1")
    request = f"GET /hello?name=Ada HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=os.path.dirname(cmd[0]), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - start < timeout:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                    s.sendall(request)
                    data = b""
                    while chunk := s.recv(4096):
                        data += chunk
                if data.startswith(b"HTTP/1.1 200") and data.endswith(b"Hello, Ada"):
                    return (time.perf_counter() - start) * 1000
            except OSError:
                time.sleep(0.001)
        raise RuntimeError(f"{cmd} gave no answer in {timeout} s")
    finally:
        proc.terminate()
        proc.wait()

def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    variants = {name: cmd.split("|") for name, cmd in (a.split("=", 1) for a in sys.argv[2:])}
    results = {name: [] for name in variants}
    for _ in range(rounds):
        for name, cmd in variants.items():
            results[name].append(first_answer(cmd))
    for name, times in results.items():
        print(f"{name:28} median {statistics.median(times):7.1f} ms  min {min(times):7.1f}  max {max(times):7.1f}  (n={len(times)})")
    return results

if __name__ == "__main__":
    r = main()
    med = {k: statistics.median(v) for k, v in r.items()}
    for mode in ("aot", "jit"):
        a, b = f"portable-azure-{mode}", f"bare-minimal-api-{mode}"
        if a in med and b in med:
            print(f"ratio {a} / {b}: {med[a] / med[b]:.2f}")
