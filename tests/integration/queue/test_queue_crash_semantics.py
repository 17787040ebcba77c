"""Crash semantics of the Redis queue, with real processes: kill -9 and
SIGTERM of a worker mid-render, a poison job, a redis-server restart, and
cancel across processes."""
import os
import shutil
import signal
import unittest

from queue_harness import (STREAM, Redis, Worker, api, job_or_none, metric, videos_of, wait_all,
                           wait_for)
from server_harness import make_long_audio, make_workspace, require_binary_and_testdata


class CrashSemanticsTest(unittest.TestCase):
    def setUp(self):
        require_binary_and_testdata(self)
        self.base, self.root = make_workspace("queue-crash")
        make_long_audio(os.path.join(self.root, "long.wav"), 8)
        self.data = os.path.join(self.base, "shared-data")
        self.redis = Redis(self.base).start()
        self.procs = []
        self.api = api(self.base, self.redis, self.data, "--input-root", self.root)
        self.procs.append(self.api)

    def tearDown(self):
        for p in reversed(self.procs):
            p.stop()
        self.redis.stop()
        shutil.rmtree(self.base, ignore_errors=True)

    def worker(self, name, *args):
        w = Worker(self.base, self.redis, name, self.data, "--lease-sec", "2", *args).start()
        self.procs.append(w)
        return w

    def request(self, audio="hello.wav", **extra):
        long = audio == "long.wav"  # a render that lasts a few seconds on a busy machine
        body = {"avatarPath": os.path.join(self.root, "alice.png"),
                "audioPath": os.path.join(self.root, audio),
                "width": 128 if long else 96, "height": 128 if long else 96,
                "fps": 25 if long else 10, "preset": "ultrafast"}
        body.update(extra)
        return body

    def running_on(self, job_id, min_progress=0.02):
        """The worker name rendering the job, once it is past min_progress."""
        def check():
            job = job_or_none(self.api, job_id)
            if job and job["state"] in ("succeeded", "failed", "cancelled"):
                raise AssertionError(f"job ended before it could be interrupted: {job}")
            if job and job["state"] == "processing" and job["progress"] >= min_progress:
                starts = [n for n in job["notes"] if n.startswith("attempt ")]
                return starts[-1].rsplit(" ", 1)[1] if starts else None
            return None
        return wait_for(check, f"job {job_id} rendering", timeout=180, step=0.02)

    def assert_one_output(self, job_id):
        self.assertEqual(videos_of(self.data, job_id), [f"{job_id}.mp4"])

    def test_kill9_worker_mid_render_is_reclaimed(self):
        workers = {n: self.worker(n) for n in ("w1", "w2")}
        job_id = self.api.submit(self.request("long.wav"))
        victim = self.running_on(job_id)
        workers[victim].proc.kill()
        workers[victim].wait()
        job = wait_all(self.api, [job_id])[job_id]
        self.assertEqual(job["state"], "succeeded", job)
        survivor = next(n for n in workers if n != victim)
        self.assertTrue(any(n.startswith(f"reclaimed by worker {survivor}: worker {victim} stopped")
                            for n in job["notes"]), job["notes"])
        self.assertEqual([n for n in job["notes"] if n.startswith("finished on worker")],
                         [f"finished on worker {survivor}"])
        self.assertEqual(job["attempts"], 2)
        self.assert_one_output(job_id)
        self.assertEqual(metric(self.api, "avatar_queue_reclaims_total"), {"": 1})
        self.assertEqual(self.redis.pending(), 0)

    def test_sigterm_finishes_within_grace_or_releases(self):
        # A long grace period: the worker finishes its job, then exits 0.
        w1 = self.worker("w1", "--grace-sec", "600")
        first = self.api.submit(self.request("long.wav"))
        self.running_on(first)
        w1.signal(signal.SIGTERM)
        self.assertEqual(w1.wait(), 0, w1.log_text())
        job = self.api.job(first)
        self.assertEqual(job["state"], "succeeded", job)
        self.assertEqual(job["attempts"], 1)
        self.assert_one_output(first)
        # No grace: the job is handed back and another worker finishes it.
        w2 = self.worker("w2", "--grace-sec", "0")
        second = self.api.submit(self.request("long.wav"))
        self.running_on(second)
        w2.signal(signal.SIGTERM)
        self.assertEqual(w2.wait(), 0, w2.log_text())
        self.assertEqual(self.api.job(second)["state"], "queued")
        self.worker("w3")
        job = wait_all(self.api, [second])[second]
        self.assertEqual(job["state"], "succeeded", job)
        self.assertTrue(any(n.startswith("released by worker w2") for n in job["notes"]),
                        job["notes"])
        self.assertIn("finished on worker w3", job["notes"])
        self.assertEqual(job["attempts"], 1)  # a release does not count as a delivery
        self.assert_one_output(second)

    def test_poison_job_is_dead_lettered_and_workers_stay_up(self):
        poison = self.api.submit(self.request())
        # Its job directory becomes a file: every render attempt fails to write.
        job_dir = os.path.join(self.data, "jobs", poison)
        shutil.rmtree(job_dir)
        with open(job_dir, "w") as f:
            f.write("not a directory")
        workers = [self.worker(n, "--max-deliveries", "3") for n in ("w1", "w2")]
        job = wait_all(self.api, [poison])[poison]
        self.assertEqual(job["state"], "failed", job)
        self.assertEqual(job["error"]["code"], "OutputNotWritable", job)
        self.assertIn("dead-lettered after 3 deliveries", job["error"]["message"])
        self.assertEqual(job["attempts"], 3)
        dead = self.redis.cli("XRANGE", STREAM + ":dead", "-", "+").split("\n")
        self.assertIn(poison, dead)
        self.assertTrue(any("OutputNotWritable" in line for line in dead), dead)
        self.assertEqual(metric(self.api, "avatar_queue_dead_letters"), {"": 1})
        self.assertTrue(all(w.alive() for w in workers))
        good = self.api.submit(self.request())
        self.assertEqual(wait_all(self.api, [good])[good]["state"], "succeeded")

    def test_redis_restart_loses_and_duplicates_nothing(self):
        self.worker("w1")
        self.worker("w2")
        before = [self.api.submit(self.request("long.wav" if i < 2 else "hello.wav"))
                  for i in range(6)]
        self.running_on(before[0])
        self.redis.stop()
        self.redis.start()
        after = [self.api.submit(self.request()) for _ in range(2)]
        jobs = wait_all(self.api, before + after)
        for job_id, job in jobs.items():
            self.assertEqual(job["state"], "succeeded", job)
            self.assertEqual(len([n for n in job["notes"] if n.startswith("finished on")]), 1,
                             job["notes"])
            self.assert_one_output(job_id)
        self.assertEqual(sum(metric(self.api, "avatar_worker_jobs_total").values()), 8)
        self.assertEqual(self.redis.pending(), 0)

    def test_cancel_from_another_replica_stops_the_worker(self):
        w = self.worker("w1")
        other = api(self.base, self.redis, self.data, "--input-root", self.root)
        self.procs.append(other)
        job_id = self.api.submit(self.request("long.wav"))
        self.running_on(job_id)
        r = other.request("DELETE", f"/jobs/{job_id}")
        self.assertEqual(r.status, 202, r)
        job = wait_all(self.api, [job_id])[job_id]
        self.assertEqual(job["state"], "cancelled", job)
        self.assertLess(job["progress"], 1.0)
        self.assertFalse(os.path.exists(os.path.join(self.data, "jobs", job_id)))
        queued = self.api.submit(self.request())
        self.assertEqual(self.api.request("DELETE", f"/jobs/{queued}").status in (200, 202), True)
        self.assertTrue(w.alive())
        nxt = self.api.submit(self.request())
        self.assertEqual(wait_all(self.api, [nxt])[nxt]["state"], "succeeded")


if __name__ == "__main__":
    unittest.main()
