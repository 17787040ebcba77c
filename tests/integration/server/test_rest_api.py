"""Every REST route of the real server, through http.client on loopback."""
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

from server_harness import (BIN, Server, ffprobe, make_long_audio, make_workspace, multipart,
                            require_binary_and_testdata, sha256, small_request)


class RestApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        require_binary_and_testdata(cls)
        cls.base, cls.root = make_workspace("rest-api")
        make_long_audio(os.path.join(cls.root, "long.wav"), 40)
        cls.server = Server(cls.base, "--input-root", cls.root).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.base, ignore_errors=True)

    def finished_job(self):
        job_id = self.server.submit(small_request(self.root))
        job = self.server.wait_job(job_id)
        self.assertEqual(job["state"], "succeeded", job)
        return job

    def test_health_live_and_ready(self):
        r = self.server.request("GET", "/health/live")
        self.assertEqual((r.status, r.json()["status"]), (200, "alive"))
        r = self.server.request("GET", "/health/ready")
        self.assertEqual(r.status, 200, r)
        ready = r.json()
        self.assertEqual(ready["status"], "ready")
        self.assertTrue(all(c["ok"] for c in ready["checks"].values()), ready)

    def test_avatars_has_seed_shape(self):
        r = self.server.request("GET", "/avatars")
        self.assertEqual(r.status, 200, r)
        body = r.json()
        for key in ("status", "models", "system", "rendering_modes"):
            self.assertIn(key, body)
        self.assertEqual(set(body["rendering_modes"]), {"real_time", "high_quality", "auto"})
        self.assertIn("face-api-tiny-face-detector", body["models"])

    def test_models(self):
        r = self.server.request("GET", "/models")
        self.assertEqual(r.status, 200, r)
        ids = [m["id"] for m in r.json()["models"]]
        self.assertIn("wav2lip", ids)

    def test_render_status_then_mp4(self):
        r = self.server.request("POST", "/render", small_request(self.root))
        self.assertEqual(r.status, 202, r)
        reply = r.json()
        job_id = reply["jobId"]
        self.assertRegex(job_id, r"^[0-9a-f-]{36}$")
        self.assertEqual(reply["statusUrl"], f"/status/{job_id}")
        self.assertIs(reply["async"], True)
        self.assertEqual(r.headers["location"], f"/jobs/{job_id}")
        seen = set()
        deadline = time.time() + 120
        while time.time() < deadline:
            s = self.server.request("GET", f"/status/{job_id}")
            if s.headers["content-type"] == "video/mp4":
                break
            self.assertEqual(s.status, 200, s)
            seen.add(s.json()["state"])
            time.sleep(0.02)
        self.assertEqual(s.status, 200)
        self.assertTrue(seen <= {"queued", "processing"}, seen)
        self.assertEqual(s.body[4:8], b"ftyp")
        job = self.server.job(job_id)
        self.assertEqual(job["video"]["sha256"], sha256(s.body))
        self.assertEqual(job["video"]["bytes"], len(s.body))
        path = os.path.join(self.base, "status.mp4")
        with open(path, "wb") as f:
            f.write(s.body)
        probe = ffprobe(path)
        if probe:
            width, height, duration = probe
            self.assertEqual((width, height), (128, 128))
            self.assertAlmostEqual(duration, 2.5, delta=0.3)

    def test_job_record_fields(self):
        job = self.finished_job()
        self.assertEqual(job["progress"], 1.0)
        self.assertEqual(job["attempts"], 1)
        self.assertEqual(job["origin"], "rest")
        self.assertEqual(job["qualityMode"], "auto")
        self.assertIsNone(job["error"])
        self.assertIn(job["backends"]["videoEncoder"], ("libx264", "h264_nvenc"))
        self.assertEqual((job["video"]["width"], job["video"]["height"]), (128, 128))
        self.assertGreater(job["timings"]["runSec"], 0)
        for key in ("createdAt", "startedAt", "finishedAt"):
            self.assertRegex(job[key], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertNotIn("path", job["video"])  # no server paths over REST

    def test_list_jobs_with_filters(self):
        first = self.finished_job()["jobId"]
        second = self.finished_job()["jobId"]
        r = self.server.request("GET", "/jobs?state=succeeded&limit=2")
        self.assertEqual(r.status, 200, r)
        listing = r.json()
        self.assertEqual([j["jobId"] for j in listing["jobs"]], [second, first])
        self.assertGreaterEqual(listing["total"], 2)
        self.assertTrue(all(j["state"] == "succeeded" for j in listing["jobs"]))
        r = self.server.request("GET", "/jobs?state=failed")
        self.assertNotIn(first, [j["jobId"] for j in r.json()["jobs"]])
        r = self.server.request("GET", "/jobs?limit=1&offset=1")
        self.assertEqual(len(r.json()["jobs"]), 1)

    def test_video_full_range_and_head(self):
        job = self.finished_job()
        url = job["video"]["url"]
        full = self.server.request("GET", url)
        self.assertEqual(full.status, 200)
        self.assertEqual(full.headers["accept-ranges"], "bytes")
        self.assertEqual(full.headers["etag"], f"\"{sha256(full.body)}\"")
        size = len(full.body)
        cases = {"bytes=0-99": (0, 99), "bytes=100-": (100, size - 1),
                 "bytes=-500": (size - 500, size - 1), f"bytes=10-{size + 1000}": (10, size - 1)}
        for header, (first, last) in cases.items():
            r = self.server.request("GET", url, headers={"Range": header})
            self.assertEqual(r.status, 206, header)
            self.assertEqual(r.headers["content-range"], f"bytes {first}-{last}/{size}")
            self.assertEqual(r.body, full.body[first:last + 1], header)
        for header in (f"bytes={size}-", f"bytes={size + 5}-{size + 10}", "bytes=-0"):
            r = self.server.request("GET", url, headers={"Range": header})
            self.assertEqual(r.status, 416, header)
            self.assertEqual(r.headers["content-range"], f"bytes */{size}")
            self.assertEqual(r.json()["error"]["code"], "RangeNotSatisfiable")
        for header in ("bytes=5-2", "items=0-1", "bytes=0-1,4-5"):  # ignored: the whole file
            r = self.server.request("GET", url, headers={"Range": header})
            self.assertEqual((r.status, len(r.body)), (200, size), header)
        head = self.server.request("HEAD", url)
        self.assertEqual((head.status, head.body), (200, b""))
        self.assertEqual(int(head.headers["content-length"]), size)

    def test_keep_alive_serves_several_requests(self):
        job = self.finished_job()
        conn = self.server.connection()
        try:
            for _ in range(3):
                r = self.server.request("GET", job["video"]["url"], conn=conn)
                self.assertEqual(r.status, 200)
                r = self.server.request("GET", "/health/live", conn=conn)
                self.assertEqual(r.status, 200)
        finally:
            conn.close()

    def test_upload_multipart(self):
        with open(os.path.join(self.root, "alice.png"), "rb") as f:
            photo = f.read()
        with open(os.path.join(self.root, "hello.wav"), "rb") as f:
            speech = f.read()
        body, content_type = multipart(
            {"qualityMode": "real_time", "enhancements": "false", "transcript": "hello",
             "width": "96", "options": '{"height": 96, "fps": 20}'},
            {"avatar": ("me.png", photo), "audio": ("speech.wav", speech)})
        r = self.server.request("POST", "/render-upload", body, {"Content-Type": content_type})
        self.assertEqual(r.status, 202, r)
        job = self.server.wait_job(r.json()["jobId"])
        self.assertEqual(job["state"], "succeeded", job)
        self.assertEqual(job["origin"], "upload")
        self.assertEqual(job["qualityMode"], "real_time")
        self.assertEqual((job["video"]["width"], job["video"]["height"], job["video"]["fps"]),
                         (96, 96, 20))

    def test_delete_finished_job_removes_it(self):
        job = self.finished_job()
        r = self.server.request("DELETE", f"/jobs/{job['jobId']}")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["result"], "deleted")
        self.assertEqual(self.server.request("GET", f"/jobs/{job['jobId']}").status, 404)
        self.assertEqual(self.server.request("GET", job["video"]["url"]).status, 404)
        self.assertFalse(os.path.exists(os.path.join(self.server.data_dir, "jobs", job["jobId"])))

    def test_cancel_running_job_removes_partial_output(self):
        job_id = self.server.submit(small_request(self.root, audioPath=os.path.join(self.root, "long.wav"),
                                                  width=512, height=512, preset="medium"))
        self.server.wait_processing(job_id)
        r = self.server.request("DELETE", f"/jobs/{job_id}")
        self.assertEqual(r.status, 202, r)
        self.assertEqual(r.json()["result"], "cancelling")
        job = self.server.wait_job(job_id, timeout=60)
        self.assertEqual(job["state"], "cancelled", job)
        self.assertIsNone(job["video"])
        self.assertFalse(os.path.exists(os.path.join(self.server.data_dir, "jobs", job_id)))
        s = self.server.request("GET", f"/status/{job_id}")
        self.assertEqual(s.status, 410)
        self.assertEqual(s.json()["state"], "cancelled")
        self.assertEqual(self.server.request("GET", f"/jobs/{job_id}/video").status, 410)

    def test_cancel_queued_job(self):
        long_job = self.server.submit(small_request(self.root, audioPath=os.path.join(self.root, "long.wav"),
                                                    width=512, height=512, preset="medium"))
        queued = self.server.submit(small_request(self.root))
        self.assertEqual(self.server.job(queued)["state"], "queued")
        r = self.server.request("DELETE", f"/jobs/{queued}")
        self.assertEqual((r.status, r.json()["result"]), (200, "cancelled"))
        self.assertEqual(self.server.job(queued)["state"], "cancelled")
        self.server.request("DELETE", f"/jobs/{long_job}")
        self.assertEqual(self.server.wait_job(long_job)["state"], "cancelled")

    def test_openapi_lists_every_route_from_the_command_table(self):
        r = self.server.request("GET", "/openapi.json")
        self.assertEqual(r.status, 200)
        doc = r.json()
        self.assertEqual(doc["openapi"], "3.1.0")
        expected = {("/render", "post"), ("/render-upload", "post"), ("/status/{jobId}", "get"),
                    ("/avatars", "get"), ("/health/live", "get"), ("/health/ready", "get"),
                    ("/jobs", "get"), ("/jobs/{jobId}", "get"), ("/jobs/{jobId}", "delete"),
                    ("/jobs/{jobId}/video", "get"), ("/openapi.json", "get"), ("/metrics", "get"),
                    ("/models", "get")}
        found = {(p, m) for p, ops in doc["paths"].items() for m in ops}
        self.assertEqual(found, expected)
        for path, ops in doc["paths"].items():
            for method, op in ops.items():
                self.assertIn("responses", op, (path, method))
                self.assertTrue(op["operationId"])
        # The same definitions feed the MCP tools: same fields, other naming style.
        manifest = __import__("json").loads(
            subprocess.run([BIN, "mcp", "--print-manifest"], check=True,
                           capture_output=True).stdout)
        tool = next(t for t in manifest["tools"] if t["name"] == "render_avatar")
        rest = doc["paths"]["/render"]["post"]["requestBody"]["content"]["application/json"]["schema"]
        snake = {re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), k) for k in rest["properties"]}
        self.assertEqual(snake, set(tool["inputSchema"]["properties"]))
        self.assertEqual(rest["required"], ["avatarPath", "audioPath"])
        self.assertEqual(tool["inputSchema"]["required"], ["avatar_path", "audio_path"])

    def test_metrics_prometheus_text(self):
        self.server.request("GET", "/health/live")
        r = self.server.request("GET", "/metrics")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.headers["content-type"].startswith("text/plain; version=0.0.4"))
        text = r.body.decode()
        sample = re.compile(
            r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_]+="([^"\\]|\\.)*",?)*\})? -?[0-9.e+Inf-]+$')
        for line in text.splitlines():
            if line and not line.startswith("#"):
                self.assertRegex(line, sample)
        self.assertRegex(text, r'avatar_http_requests_total\{method="GET",route="/health/live",status="200"\} [1-9]')
        self.assertIn("# TYPE avatar_http_request_duration_seconds histogram", text)
        self.assertRegex(text, r"process_resident_memory_bytes [1-9]\d+")
        self.finished_job()
        text = self.server.request("GET", "/metrics").body.decode()
        self.assertRegex(text, r'avatar_jobs_finished_total\{state="succeeded"\} [1-9]')
        self.assertRegex(text, r'avatar_jobs\{state="succeeded"\} [1-9]')


class QueueLimitTest(unittest.TestCase):
    def test_full_queue_answers_503_and_not_ready(self):
        require_binary_and_testdata(self)
        base, root = make_workspace("rest-queue")
        make_long_audio(os.path.join(root, "long.wav"), 40)
        server = Server(base, "--input-root", root, "--max-queue", "1").start()
        try:
            long_job = server.submit(small_request(root, audioPath="long.wav", width=512, height=512))
            server.wait_processing(long_job, min_progress=0.0)
            waiting = server.submit(small_request(root))
            r = server.request("POST", "/render", small_request(root))
            self.assertEqual(r.status, 503, r)
            self.assertEqual(r.json()["error"]["code"], "QueueFull")
            self.assertEqual(r.headers["retry-after"], "5")
            ready = server.request("GET", "/health/ready")
            self.assertEqual(ready.status, 503)
            self.assertEqual(ready.json()["status"], "not_ready")
            self.assertFalse(ready.json()["checks"]["queue"]["ok"])
            server.request("DELETE", f"/jobs/{long_job}")
            self.assertEqual(server.wait_job(waiting)["state"], "succeeded")
            self.assertEqual(server.request("GET", "/health/ready").status, 200)
        finally:
            server.stop()
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
