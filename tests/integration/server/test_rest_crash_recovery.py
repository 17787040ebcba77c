"""Crash safety: kill -9 the server during a render, restart it on the same
data directory, and check every job's state and every finished video."""
import os
import random
import shutil
import subprocess
import unittest

from server_harness import (BIN, Server, make_long_audio, make_workspace,
                            require_binary_and_testdata, sha256, small_request)


def files_under(path, suffix):
    return [os.path.join(d, f) for d, _, fs in os.walk(path) for f in fs if f.endswith(suffix)]


class CrashRecoveryTest(unittest.TestCase):
    def setUp(self):
        require_binary_and_testdata(self)
        self.base, self.root = make_workspace("rest-crash")
        make_long_audio(os.path.join(self.root, "long.wav"), 20)
        with open(os.path.join(self.root, "noise.wav"), "wb") as f:
            f.write(random.Random(3).randbytes(5000))
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            if s.proc and s.proc.poll() is None:
                s.stop()
        shutil.rmtree(self.base, ignore_errors=True)

    def start(self, *args):
        server = Server(self.base, "--input-root", self.root, *args,
                        data_dir=os.path.join(self.base, "data")).start()
        self.servers.append(server)
        return server

    def long_request(self):
        return small_request(self.root, audioPath="long.wav", width=384, height=384, preset="medium")

    def download(self, server, job):
        r = server.request("GET", job["video"]["url"])
        self.assertEqual(r.status, 200, r)
        return r.body

    def test_kill_during_render_then_restart(self):
        a = self.start("--max-attempts", "2")
        done = [a.submit(small_request(self.root)) for _ in range(2)]
        finished = {job_id: a.wait_job(job_id) for job_id in done}
        videos = {job_id: self.download(a, job) for job_id, job in finished.items()}
        failed = a.submit(small_request(self.root, audioPath="noise.wav"))
        self.assertEqual(a.wait_job(failed)["state"], "failed")
        running = a.submit(self.long_request())
        a.wait_processing(running)
        queued = a.submit(small_request(self.root))
        self.assertEqual(a.job(queued)["state"], "queued")
        a.kill9()

        b = self.start("--max-attempts", "2")
        listing = {j["jobId"]: j for j in b.request("GET", "/jobs?limit=100").json()["jobs"]}
        self.assertEqual(set(listing), set(done) | {failed, running, queued})
        for job_id, before in finished.items():
            after = listing[job_id]
            self.assertEqual(after["state"], "succeeded")
            self.assertEqual(after["video"]["sha256"], before["video"]["sha256"])
            body = self.download(b, after)
            self.assertEqual(body, videos[job_id])
            self.assertEqual(sha256(body), after["video"]["sha256"])
        self.assertEqual(listing[failed]["state"], "failed")
        self.assertEqual(listing[failed]["error"]["code"], "UnsupportedMedia")
        interrupted = listing[running]
        self.assertIn(interrupted["state"], ("queued", "processing"))
        self.assertIn("re-queued after the server stopped during attempt 1", interrupted["notes"])
        self.assertIn(listing[queued]["state"], ("queued", "processing", "succeeded"))

        for job_id in (running, queued):
            job = b.wait_job(job_id)
            self.assertEqual(job["state"], "succeeded", job)
            self.assertEqual(self.download(b, job)[4:8], b"ftyp")
        self.assertEqual(b.job(running)["attempts"], 2)
        self.assertEqual(files_under(b.data_dir, ".part"), [])

    def test_running_job_fails_with_reason_after_attempt_limit(self):
        a = self.start("--max-attempts", "1")
        running = a.submit(self.long_request())
        a.wait_processing(running)
        a.kill9()
        b = self.start("--max-attempts", "1")
        job = b.job(running)
        self.assertEqual(job["state"], "failed", job)
        self.assertEqual(job["error"]["code"], "Interrupted")
        self.assertIn("attempt limit 1", job["error"]["message"])
        s = b.request("GET", f"/status/{running}")
        self.assertEqual(s.status, 500)
        self.assertEqual(s.json()["state"], "error")
        self.assertFalse(os.path.exists(os.path.join(b.data_dir, "jobs", running)))
        self.assertEqual(files_under(b.data_dir, ".mp4"), [])

    def test_clean_stop_requeues_without_using_an_attempt(self):
        a = self.start("--max-attempts", "1")
        running = a.submit(self.long_request())
        a.wait_processing(running)
        self.assertEqual(a.stop(), 0)
        b = self.start("--max-attempts", "1")
        job = b.wait_job(running)
        self.assertEqual(job["state"], "succeeded", job)
        self.assertEqual(job["attempts"], 1)
        self.assertIn("re-queued: the server shut down during the render", job["notes"])

    def test_one_server_per_data_directory(self):
        self.start()
        p = subprocess.run([BIN, "serve", "--port", "0", "--data-dir", os.path.join(self.base, "data")],
                           capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 1)
        self.assertIn(b"in use by another server", p.stderr)


if __name__ == "__main__":
    unittest.main()
