"""1 API + 3 workers on a real redis-server: 20 jobs from REST and MCP finish
exactly once, and a second API replica answers for every one of them."""
import os
import shutil
import unittest

from queue_harness import STREAM, Mcp, Redis, Worker, api, metric, videos_of, wait_all
from server_harness import make_workspace, require_binary_and_testdata, sha256


def tiny(root, **extra):
    body = {"avatarPath": os.path.join(root, "alice.png"),
            "audioPath": os.path.join(root, "hello.wav"),
            "width": 96, "height": 96, "fps": 10, "preset": "ultrafast"}
    body.update(extra)
    return body


class ScaleOutTest(unittest.TestCase):
    def setUp(self):
        require_binary_and_testdata(self)
        self.base, self.root = make_workspace("queue-scale")
        self.data = os.path.join(self.base, "shared-data")
        self.redis = Redis(self.base).start()
        self.procs = []

    def tearDown(self):
        for p in reversed(self.procs):
            p.stop() if hasattr(p, "stop") else p.close()
        self.redis.stop()
        shutil.rmtree(self.base, ignore_errors=True)

    def test_twenty_jobs_from_rest_and_mcp_finish_exactly_once(self):
        a = api(self.base, self.redis, self.data, "--input-root", self.root)
        self.procs.append(a)
        b = api(self.base, self.redis, self.data, "--input-root", self.root)
        self.procs.append(b)
        workers = [Worker(self.base, self.redis, f"w{i}", self.data).start() for i in range(3)]
        self.procs.extend(workers)
        mcp = Mcp(self.base, "--queue", self.redis.url, "--data-dir", self.data)
        self.procs.append(mcp)

        rest_ids = [a.submit(tiny(self.root)) for _ in range(14)]
        call_ids = [mcp.call_render({"avatar_path": os.path.join(self.root, "alice.png"),
                                     "audio_path": os.path.join(self.root, "hello.wav"),
                                     "width": 96, "height": 96, "fps": 10})
                    for _ in range(6)]
        # The second replica knows the REST jobs at once.
        for job_id in rest_ids:
            self.assertIn(b.job(job_id)["state"], ("queued", "processing", "succeeded"))
        replies = mcp.replies(set(call_ids))
        mcp_ids = []
        for call_id, msg in replies.items():
            result = msg["result"]
            self.assertFalse(result.get("isError"), msg)
            mcp_ids.append(result["structuredContent"]["jobId"])
        ids = rest_ids + mcp_ids
        self.assertEqual(len(set(ids)), 20)

        jobs = wait_all(b, ids)
        for job_id, job in jobs.items():
            self.assertEqual(job["state"], "succeeded", job)
            # Exactly once: one finishing worker, one video, no attempt files left.
            finished = [n for n in job["notes"] if n.startswith("finished on worker")]
            self.assertEqual(len(finished), 1, job["notes"])
            self.assertEqual(videos_of(self.data, job_id), [f"{job_id}.mp4"])
            video = b.request("GET", f"/jobs/{job_id}/video")
            self.assertEqual(video.status, 200)
            self.assertEqual(sha256(video.body), job["video"]["sha256"])
        self.assertEqual({j["origin"] for j in jobs.values()}, {"rest", "mcp"})

        listing = b.request("GET", "/jobs?limit=100").json()
        self.assertEqual(listing["total"], 20)
        self.assertEqual(len(b.request("GET", "/jobs?state=succeeded&limit=5").json()["jobs"]), 5)
        per_worker = metric(b, "avatar_worker_jobs_total")
        self.assertEqual(sum(per_worker.values()), 20, per_worker)
        self.assertEqual(metric(b, "avatar_queue_dead_letters"), {"": 0})
        self.assertEqual(metric(b, "avatar_queue_in_flight"), {"": 0})
        self.assertEqual(metric(b, "avatar_queue_lag"), {"": 0})
        self.assertEqual(self.redis.pending(), 0)
        self.assertEqual(self.redis.xlen(STREAM + ":dead"), 0)
        self.assertTrue(all(w.alive() for w in workers))

        # Cancel across processes: a finished job is deleted through the other replica.
        gone = ids[0]
        self.assertEqual(a.request("DELETE", f"/jobs/{gone}").json()["result"], "deleted")
        self.assertEqual(b.request("GET", f"/jobs/{gone}").status, 404)
        self.assertFalse(os.path.exists(os.path.join(self.data, "jobs", gone)))

    def test_health_and_unreachable_redis(self):
        a = api(self.base, self.redis, self.data, "--input-root", self.root)
        self.procs.append(a)
        self.assertEqual(a.request("GET", "/health/ready").status, 200)
        self.redis.stop()
        ready = a.request("GET", "/health/ready")
        self.assertEqual(ready.status, 503, ready)
        self.assertFalse(ready.json()["checks"]["jobStore"]["ok"])
        r = a.request("POST", "/render", tiny(self.root))
        self.assertEqual(r.status, 503, r)
        self.assertEqual(r.json()["error"]["code"], "QueueUnavailable")
        self.redis.start()
        self.assertEqual(a.request("GET", "/health/ready").status, 200)


if __name__ == "__main__":
    unittest.main()
