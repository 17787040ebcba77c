#!/usr/bin/env python3
"""Loopback load on `avatar-renderer serve` while a render runs.

N clients (threads, each on its own keep-alive connection, or a new
connection per request with --new-connections) poll GET /status/{jobId}
for a fixed time while one long render occupies the render slot. Prints
throughput, latency percentiles, the error count and the server's resident
memory before, during (peak) and after the run. Figures, not pass/fail.

  python3 bench/server/bench_server_load.py --bin build/release/app/avatar-renderer \
      --testdata ../shared/testdata [--clients 50] [--seconds 20]
(or: cmake --build build/release --target bench_server)
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time


def rss(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def tone(path, seconds):
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"sine=frequency=220:duration={seconds}", "-ar", "16000", "-ac", "1", path],
                   check=True)


def request(conn, method, path, body=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    return r.status, r.read()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--bin", default=os.environ.get("AVATAR_BIN", "build/release/app/avatar-renderer"))
    ap.add_argument("--testdata", default=os.environ.get("AVATAR_TESTDATA", "../shared/testdata"))
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--new-connections", action="store_true",
                    help="open a new TCP connection for every request")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="bench-server-")
    root = os.path.join(work, "inputs")
    os.makedirs(root)
    shutil.copy(os.path.join(args.testdata, "faces/alice.png"), os.path.join(root, "alice.png"))
    tone(os.path.join(root, "long.wav"), int(args.seconds * 6) + 60)
    proc = subprocess.Popen([args.bin, "serve", "--port", "0", "--data-dir", os.path.join(work, "data"),
                             "--input-root", root, "--max-connections", str(args.clients + 64),
                             "--quiet"], stdout=subprocess.PIPE)
    port = int(re.search(rb":(\d+) ", proc.stdout.readline()).group(1))
    try:
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(200):
            request(warm, "GET", "/health/live")
        status, body = request(warm, "POST", "/render", json.dumps(
            {"avatarPath": "alice.png", "audioPath": "long.wav", "width": 512, "height": 512}))
        assert status == 202, body
        job = json.loads(body)["jobId"]
        while json.loads(request(warm, "GET", f"/jobs/{job}")[1])["state"] != "processing":
            time.sleep(0.05)
        # The render's own memory settles first (~160 MiB at 512x512): wait until
        # the server's RSS is steady, so the run measures the HTTP side.
        settle_end, last, steady = time.time() + 20, rss(proc.pid), 0
        while time.time() < settle_end and steady < 4:
            time.sleep(0.5)
            now = rss(proc.pid)
            steady = steady + 1 if abs(now - last) < (1 << 20) else 0
            last = now
        rss_before = rss(proc.pid)

        latencies, errors, lock = [], [0], threading.Lock()
        stop = time.time() + args.seconds
        peak = [rss_before]
        samples = []  # (seconds into the run, RSS)

        def client():
            conn = None
            mine, bad = [], 0
            while time.time() < stop:
                if conn is None or args.new_connections:
                    if conn:
                        conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                t0 = time.perf_counter()
                try:
                    status, body = request(conn, "GET", f"/status/{job}")
                    ok = status == 200 and json.loads(body)["state"] == "processing"
                except Exception:  # noqa: BLE001 - every failure counts as an error
                    ok, conn = False, None
                mine.append(time.perf_counter() - t0)
                bad += 0 if ok else 1
            if conn:
                conn.close()
            with lock:
                latencies.extend(mine)
                errors[0] += bad

        def sampler():
            start = time.time()
            while time.time() < stop:
                now = rss(proc.pid)
                peak[0] = max(peak[0], now)
                samples.append((time.time() - start, now))
                time.sleep(0.2)

        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        threads.append(threading.Thread(target=sampler))
        t0 = time.time()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.time() - t0
        warm.close()  # idle through the run: the server closed it
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        progress = json.loads(request(warm, "GET", f"/jobs/{job}")[1])
        rss_after = rss(proc.pid)
        request(warm, "DELETE", f"/jobs/{job}")
        metrics = request(warm, "GET", "/metrics")[1].decode()
        opened = re.search(r"^avatar_http_connections_total (\d+)", metrics, re.M).group(1)

        lat = sorted(latencies)
        pct = lambda p: lat[min(len(lat) - 1, int(p / 100 * len(lat)))] * 1000  # noqa: E731
        print(f"clients                {args.clients} ({'new connection per request' if args.new_connections else 'keep-alive'})")
        print(f"duration               {elapsed:.1f} s while a 512x512 render ran "
              f"(progress {progress['progress']:.2f}, state {progress['state']})")
        print(f"requests               {len(lat)}  ({len(lat) / elapsed:.0f} req/s)")
        print(f"latency ms             p50 {pct(50):.2f}  p90 {pct(90):.2f}  p99 {pct(99):.2f}  "
              f"max {lat[-1] * 1000:.2f}  mean {statistics.mean(lat) * 1000:.2f}")
        print(f"errors                 {errors[0]}")
        print(f"connections accepted   {opened}")
        print(f"server RSS MiB         before {rss_before / 2**20:.1f}  peak {peak[0] / 2**20:.1f}  "
              f"after {rss_after / 2**20:.1f}")
        quarters = [samples[min(len(samples) - 1, len(samples) * q // 4)] for q in range(1, 5)]
        print("server RSS MiB by time " +
              "  ".join(f"{t:.0f}s:{m / 2**20:.1f}" for t, m in quarters))
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
