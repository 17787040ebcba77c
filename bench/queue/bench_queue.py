#!/usr/bin/env python3
"""Per-job overhead of the Redis queue against the embedded runner, and
throughput with 1 and 2 workers, on this machine. Figures, not pass/fail.

Overhead: the same tiny render, one at a time, N times in each mode; a job's
overhead is its wall time (submit -> succeeded, polled every 5 ms) minus the
engine's own time for it (analyseSec + renderSec in the job's result), so
render speed drops out. Throughput: M jobs submitted at once, jobs/min.

  AVATAR_BIN=build/release/app/avatar-renderer AVATAR_TESTDATA=../shared/testdata \
      python3 bench/queue/bench_queue.py [--jobs 8] [--burst 8]
(or: cmake --build build/release --target bench_queue)
"""
import argparse
import os
import shutil
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "integration", "queue"))
from queue_harness import Redis, Worker, api  # noqa: E402
from server_harness import Server, make_workspace  # noqa: E402


def tiny(root):
    return {"avatarPath": os.path.join(root, "alice.png"),
            "audioPath": os.path.join(root, "hello.wav"),
            "width": 96, "height": 96, "fps": 10, "preset": "ultrafast"}


def run_one(server, root):
    t0 = time.perf_counter()
    job_id = server.submit(tiny(root))
    while True:
        job = server.job(job_id)
        if job["state"] in ("succeeded", "failed", "cancelled"):
            break
        time.sleep(0.005)
    wall = time.perf_counter() - t0
    assert job["state"] == "succeeded", job
    r = server.request("GET", f"/jobs/{job_id}").json()
    engine = (r.get("timings") or {})
    inner = (engine.get("analyseSec") or 0) + (engine.get("renderSec") or 0)
    return wall, inner


def overhead(server, root, n):
    run_one(server, root)  # warm-up (models, caches)
    rows = [run_one(server, root) for _ in range(n)]
    walls = [w for w, _ in rows]
    over = [(w - i) * 1000 for w, i in rows]
    return statistics.median(walls), statistics.median(over)


def burst(server, root, m):
    t0 = time.perf_counter()
    ids = [server.submit(tiny(root)) for _ in range(m)]
    pending = set(ids)
    while pending:
        for job_id in list(pending):
            if server.job(job_id)["state"] in ("succeeded", "failed", "cancelled"):
                pending.discard(job_id)
        time.sleep(0.02)
    return m / (time.perf_counter() - t0) * 60


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=8)
    ap.add_argument("--burst", type=int, default=8)
    args = ap.parse_args()
    base, root = make_workspace("bench-queue")
    procs = []
    try:
        emb = Server(base, "--input-root", root, data_dir=os.path.join(base, "emb")).start()
        procs.append(emb)
        e_wall, e_over = overhead(emb, root, args.jobs)
        e_tput = burst(emb, root, args.burst)
        emb.stop()
        procs.remove(emb)

        redis = Redis(base).start()
        procs.append(redis)
        data = os.path.join(base, "shared")
        q = api(base, redis, data, "--input-root", root)
        procs.append(q)
        w1 = Worker(base, redis, "b1", data).start()
        procs.append(w1)
        q_wall, q_over = overhead(q, root, args.jobs)
        q_tput1 = burst(q, root, args.burst)
        w2 = Worker(base, redis, "b2", data).start()
        procs.append(w2)
        q_tput2 = burst(q, root, args.burst)

        print(f"tiny render (96x96, 2.5 s speech, 10 fps), median of {args.jobs} sequential jobs:")
        print(f"  embedded: wall {e_wall * 1000:.0f} ms, outside the engine {e_over:.0f} ms")
        print(f"  queue (1 worker): wall {q_wall * 1000:.0f} ms, outside the engine {q_over:.0f} ms")
        print(f"  queue overhead per job: {q_over - e_over:+.0f} ms "
              f"(wall ratio queue/embedded {q_wall / e_wall:.2f})")
        print(f"throughput, {args.burst} jobs submitted at once:")
        print(f"  embedded (1 render slot): {e_tput:.1f} jobs/min")
        print(f"  queue, 1 worker: {q_tput1:.1f} jobs/min")
        print(f"  queue, 2 workers: {q_tput2:.1f} jobs/min (x{q_tput2 / q_tput1:.2f} of 1 worker)")
    finally:
        for p in reversed(procs):
            p.stop()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
