"""A bounded soak of the REST server (issue 12): for SOAK_SECONDS (default 60)
valid renders, hostile requests, slow bodies and big uploads hit one server
at once on loopback. Afterwards every valid job succeeded with a correct
video, health probes were answered throughout, and the server is back to
where it started: RSS within a bound of its warm baseline, no leaked file
descriptors, no partial files and no job folders without a job."""
import json
import os
import random
import shutil
import socket
import threading
import time
import unittest

from server_harness import (Server, make_workspace, multipart, require_binary_and_testdata,
                            sha256, small_request, status_of)

SOAK_SECONDS = float(os.environ.get("AVATAR_SOAK_SECONDS", "60"))
RSS_BOUND = 160 << 20  # growth over the warm baseline allowed after the soak


def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


class RestSoakTest(unittest.TestCase):
    def setUp(self):
        require_binary_and_testdata(self)
        self.base, self.root = make_workspace("rest-soak")
        self.server = Server(self.base, "--input-root", self.root, "--max-connections", "16",
                             "--header-timeout-sec", "2", "--idle-timeout-sec", "5",
                             "--min-body-kbps", "32", "--max-upload-mb", "8",
                             "--max-inflight-body-mb", "24", "--max-queue", "64").start()
        with open(os.path.join(self.root, "alice.png"), "rb") as f:
            self.photo = f.read()
        with open(os.path.join(self.root, "hello.wav"), "rb") as f:
            self.speech = f.read()
        self.stop = threading.Event()
        self.errors = []
        self.lock = threading.Lock()

    def tearDown(self):
        self.stop.set()
        self.server.stop()
        shutil.rmtree(self.base, ignore_errors=True)

    def fail_later(self, message):
        with self.lock:
            self.errors.append(message)

    def retrying(self, fn):
        """A well-behaved client: on 503 it waits and retries (bounded)."""
        for _ in range(200):
            try:
                r = fn()
            except OSError:
                time.sleep(0.2)
                continue
            if r.status != 503:
                return r
            time.sleep(0.2)
        raise AssertionError("still 503 after 200 tries")

    # --- the load ---------------------------------------------------------

    def valid_client(self, submitted):
        i = 0
        while not self.stop.is_set() and i < 8:
            if i % 2:
                body, ctype = multipart({"width": "128", "height": "128", "preset": "ultrafast"},
                                        {"avatar": ("a.png", self.photo),
                                         "audio": ("b.wav", self.speech)})
                r = self.retrying(lambda: self.server.request(
                    "POST", "/render-upload", body, {"Content-Type": ctype}, timeout=60))
            else:
                r = self.retrying(lambda: self.server.request("POST", "/render",
                                                              small_request(self.root)))
            if r.status != 202:
                self.fail_later(f"valid render refused: {r}")
                return
            with self.lock:
                submitted.append(r.json()["jobId"])
            i += 1
            time.sleep(2)

    def hostile_client(self, seed):
        rng = random.Random(seed)
        hostile = [
            lambda: self.raw(b"G\xe9T /jobs HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
            lambda: self.raw(b"POST /render HTTP/1.1\r\nContent-Type: a/\xff\r\nContent-Length: 2"
                             b"\r\nConnection: close\r\n\r\n{}"),
            lambda: self.server.request("POST", "/render", ('{"audioPath":' + "[" * 50000 +
                                                            "]" * 50000 + "}").encode(),
                                        {"Content-Type": "application/json"}),
            lambda: self.server.request("GET", "/jobs?offset=4294967297"),
            lambda: self.server.request("POST", "/render",
                                        small_request(self.root, visemeJson="/etc/passwd")),
            lambda: self.upload_raw({"options": json.dumps({"driverVideo": "/etc/passwd"})}),
            lambda: self.upload_raw({"w\xff": "1"}),
            lambda: self.raw(b"POST /render HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
                             b"Connection: close\r\n\r\n"),
            lambda: self.raw(os.urandom(rng.randint(1, 3000)) + b"\r\n\r\n"),
        ]
        while not self.stop.is_set():
            try:
                r = rng.choice(hostile)()
            except OSError:
                continue
            status = r if isinstance(r, int) or r is None else r.status
            if status is not None and not 400 <= status < 600:
                self.fail_later(f"hostile request answered {status}")
            if status == 500:
                self.fail_later("hostile request answered 500")

    def raw(self, data):
        s = socket.create_connection((self.server.host, self.server.port), timeout=10)
        try:
            s.sendall(data)
            out = b""
            while chunk := s.recv(65536):
                out += chunk
            return status_of(out)
        except OSError:
            return None
        finally:
            s.close()

    def upload_raw(self, fields):
        body, ctype = multipart(fields, {"avatar": ("a.png", self.photo),
                                         "audio": ("b.wav", self.speech)})
        return self.server.request("POST", "/render-upload", body, {"Content-Type": ctype})

    def slow_client(self):
        while not self.stop.is_set():
            s = None
            try:
                s = socket.create_connection((self.server.host, self.server.port), timeout=10)
                s.sendall(b"POST /render HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          b"Content-Length: 100000\r\n\r\n{")
                while not self.stop.is_set():
                    s.sendall(b" ")
                    time.sleep(0.5)
            except OSError:
                pass  # refused (408, 503) or closed: start over
            finally:
                if s:
                    s.close()

    def big_uploads(self):
        junk = os.urandom(7 << 20)
        while not self.stop.is_set():
            # A 7 MiB photo that is not one: buffered, stored, then refused at
            # submission (415), so the queue stays for the valid jobs.
            body, ctype = multipart({"width": "128", "height": "128"},
                                    {"avatar": ("big.png", junk), "audio": ("b.wav", self.speech)})
            try:
                r = self.server.request("POST", "/render-upload", body, {"Content-Type": ctype},
                                        timeout=60)
            except OSError:
                continue
            if r.status not in (415, 422, 503):
                self.fail_later(f"big upload answered {r}")

    def prober(self, failures, answered):
        """An orchestrator's liveness probe: a failure is two failed probes in a row
        (a kubelet's failureThreshold is 3): connections may all be taken for an
        instant by clients that are being refused."""
        last = None
        while not self.stop.is_set():
            try:
                r = self.server.request("GET", "/health/live", timeout=10)
                now = None if r.status == 200 else repr(r)
            except OSError as e:
                now = repr(e)
            if now is None:
                answered.append(1)
            elif last is not None:
                failures.append((last, now))
            last = now
            time.sleep(0.5 if now else 0.25)

    # --- the test ---------------------------------------------------------

    def test_soak(self):
        pid = self.server.proc.pid
        warm = self.server.wait_job(self.server.submit(small_request(self.root)))
        self.assertEqual(warm["state"], "succeeded", warm)
        time.sleep(1)
        rss0, fds0 = self.server.rss_bytes(), fd_count(pid)

        submitted, probe_failures, probes = [], [], []
        threads = [threading.Thread(target=self.valid_client, args=(submitted,))]
        threads += [threading.Thread(target=self.hostile_client, args=(s,)) for s in range(3)]
        threads += [threading.Thread(target=self.slow_client) for _ in range(12)]
        threads += [threading.Thread(target=self.big_uploads) for _ in range(4)]
        threads += [threading.Thread(target=self.prober, args=(probe_failures, probes))]
        for t in threads:
            t.daemon = True
            t.start()
        time.sleep(SOAK_SECONDS)
        self.stop.set()
        for t in threads:
            t.join(timeout=120)
        self.assertEqual(self.errors, [])
        self.assertEqual(probe_failures, [])
        self.assertIsNone(self.server.proc.poll(), self.server.log_text())

        self.assertGreaterEqual(len(submitted), 2)
        for job_id in submitted:
            job = self.server.wait_job(job_id, timeout=600)
            self.assertEqual(job["state"], "succeeded", job)
            video = self.server.request("GET", job["video"]["url"])
            self.assertEqual(video.body[4:8], b"ftyp")
            self.assertEqual(sha256(video.body), job["video"]["sha256"])
        listing = self.server.request("GET", "/jobs?limit=1000").json()["jobs"]
        for job in listing:  # every job the soak queued ends
            self.server.wait_job(job["jobId"], timeout=600)
        listing = self.server.request("GET", "/jobs?limit=1000").json()["jobs"]
        self.assertFalse([j for j in listing if j["state"] in ("queued", "processing")])

        # Back to rest: idle connections closed, buffers released.
        deadline = time.time() + 30
        while time.time() < deadline and fd_count(pid) > fds0:
            time.sleep(0.5)
        self.assertLessEqual(fd_count(pid), fds0, os.listdir(f"/proc/{pid}/fd"))
        rss = self.server.rss_bytes()
        print(f"soak: {len(submitted)} valid jobs, {len(probes)} probes answered; RSS warm {rss0 >> 20} MiB, after {rss >> 20} "
              f"MiB, peak {self.server.rss_bytes('VmHWM') >> 20} MiB; fds {fds0} -> "
              f"{fd_count(pid)}")
        self.assertLess(rss - rss0, RSS_BOUND)
        jobs_dir = os.path.join(self.server.data_dir, "jobs")
        keep = {j["jobId"] for j in listing if j["state"] in ("queued", "succeeded")}
        self.assertEqual(set(os.listdir(jobs_dir)) - keep, set())
        parts = [f for _, _, fs in os.walk(self.server.data_dir) for f in fs if f.endswith(".part")]
        self.assertEqual(parts, [])
        self.assertEqual(self.server.request("GET", "/health/live").status, 200)


if __name__ == "__main__":
    unittest.main()
