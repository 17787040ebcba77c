"""Hardening (issue 12), one class of defect per test case, through the real
binary: hostile bytes, deep nesting, failing renders, path fields hidden in
options, slow bodies, the body budget, integer ranges, leftovers on disk and
file-system oracles. After each: a documented 4xx/5xx JSON answer (valid
UTF-8), no partial file, and /health/live still answers."""
import json
import os
import re
import shutil
import socket
import struct
import time
import unittest
import uuid

from server_harness import (Server, make_workspace, multipart, raw_exchange,
                            require_binary_and_testdata, small_request, status_of)


def strict_json(raw_body):
    """The body as JSON, failing unless it is valid UTF-8."""
    return json.loads(raw_body.decode("utf-8", errors="strict"))


def raw_body(raw):
    return raw.partition(b"\r\n\r\n")[2]


def files_under(path, suffix):
    return [os.path.join(d, f) for d, _, fs in os.walk(path) for f in fs if f.endswith(suffix)]


def wav_bytes(sample_rate, samples, bits=16):
    """A valid PCM WAV: mono, `samples` zero samples at `sample_rate` Hz."""
    data = b"\0" * (samples * bits // 8)
    fmt = struct.pack("<HHIIHH", 1, 1, sample_rate, sample_rate * bits // 8, bits // 8, bits)
    return (b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt " + struct.pack("<I", 16) +
            fmt + b"data" + struct.pack("<I", len(data)) + data)


def nested(depth, leaf="x"):
    return "[" * depth + json.dumps(leaf) + "]" * depth


class HardeningBase(unittest.TestCase):
    server_args = ()

    @classmethod
    def setUpClass(cls):
        require_binary_and_testdata(cls)
        cls.base, cls.root = make_workspace("rest-hard")
        with open(os.path.join(cls.root, "alice.png"), "rb") as f:
            cls.photo = f.read()
        with open(os.path.join(cls.root, "hello.wav"), "rb") as f:
            cls.speech = f.read()
        cls.outside = os.path.join(cls.base, "outside")
        os.makedirs(cls.outside)
        cls.secret = os.path.join(cls.outside, "secret.json")
        with open(cls.secret, "w") as f:
            f.write("TOPSECRET-CONTENT {not json at all\n")
        cls.server = Server(cls.base, "--input-root", cls.root, *cls.server_args).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.base, ignore_errors=True)

    def assertAlive(self):
        self.assertIsNone(self.server.proc.poll(), "the server exited\n" + self.server.log_text())
        self.assertEqual(self.server.request("GET", "/health/live").status, 200)

    def assertNoPartialFiles(self):
        self.assertEqual(files_under(self.server.data_dir, ".part"), [])

    def assertErrorJson(self, response, status, code):
        self.assertEqual(response.status, status, response)
        body = strict_json(response.body)
        self.assertEqual(body["error"]["code"], code, body)
        self.assertTrue(body["detail"])
        return body

    def job_dirs(self):
        jobs = os.path.join(self.server.data_dir, "jobs")
        return sorted(os.listdir(jobs)) if os.path.isdir(jobs) else []

    def upload(self, fields, files=None, timeout=30):
        files = files if files is not None else {"avatar": ("alice.png", self.photo),
                                                 "audio": ("hello.wav", self.speech)}
        body, ctype = multipart(fields, files)
        return self.server.request("POST", "/render-upload", body, {"Content-Type": ctype},
                                   timeout=timeout)


class NonUtf8Test(HardeningBase):
    """Class 2: bytes that are not UTF-8 anywhere in a request."""

    def test_method_bytes(self):
        raw = raw_exchange(self.server, b"G\xe9T /jobs HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertEqual(status_of(raw), 405, raw[:200])
        self.assertEqual(strict_json(raw_body(raw))["error"]["code"], "MethodNotAllowed")
        self.assertAlive()

    def test_header_value_bytes(self):
        r = self.server.request("POST", "/render", b"{}",
                                {"Content-Type": b"text/\xff\xfe\xe9".decode("latin-1")})
        self.assertErrorJson(r, 415, "UnsupportedMedia")
        raw = raw_exchange(self.server, b"POST /render-upload HTTP/1.1\r\nHost: x\r\nContent-Type: "
                           b"multipart/\xc3\x28\xff; boundary=b\r\nContent-Length: 2\r\n"
                           b"Connection: close\r\n\r\n{}")
        self.assertEqual(status_of(raw), 415, raw[:300])
        strict_json(raw_body(raw))
        self.assertAlive()

    def test_multipart_part_name_and_value_bytes(self):
        boundary = b"xyzzy"
        body = (b"--" + boundary + b"\r\nContent-Disposition: form-data; name=\"w\xff\xe9dth\"\r\n\r\n"
                b"12\xfe\r\n--" + boundary + b"--\r\n")
        r = self.server.request("POST", "/render-upload", body,
                                {"Content-Type": "multipart/form-data; boundary=xyzzy"})
        self.assertIn(r.status, (400, 422), r)
        strict_json(r.body)
        # A value that is not UTF-8 in a number field.
        r = self.upload({"width": "12\udcff".encode("utf-8", "surrogateescape").decode("latin-1")})
        self.assertIn(r.status, (400, 422), r)
        strict_json(r.body)
        self.assertAlive()

    def test_latin1_upload_file_name_renders(self):
        name = "caf\xe9 \xff.png"  # sent as Latin-1 bytes by http.client
        body, ctype = multipart({"width": "128", "height": "128", "preset": "ultrafast"},
                                {"avatar": ("x.png", self.photo), "audio": ("a.wav", self.speech)})
        body = body.replace(b'filename="x.png"', b'filename="' + name.encode("latin-1") + b'"')
        r = self.server.request("POST", "/render-upload", body, {"Content-Type": ctype})
        self.assertEqual(r.status, 202, r)
        job = self.server.wait_job(strict_json(r.body)["jobId"])
        self.assertEqual(job["state"], "succeeded", job)
        video = self.server.request("GET", job["video"]["url"])
        self.assertEqual(video.body[4:8], b"ftyp")
        self.assertAlive()

    def test_json_and_query_bytes(self):
        r = self.server.request("POST", "/render", b'{"avatarPath": "caf\xe9.png"}',
                                {"Content-Type": "application/json"})
        self.assertErrorJson(r, 400, "MalformedRequest")
        r = self.server.request("GET", "/jobs?state=%FF%FE")
        self.assertErrorJson(r, 422, "InvalidArgument")
        r = self.server.request("GET", "/jobs/%FF%C3%28")
        self.assertErrorJson(r, 404, "NotFound")
        self.assertAlive()


class NestingTest(HardeningBase):
    """Class 3: JSON nested far deeper than any request needs, inside a field."""

    def test_deep_arrays_in_a_field(self):
        body = '{"avatarPath": "alice.png", "audioPath": ' + nested(70000) + "}"
        r = self.server.request("POST", "/render", body.encode(),
                                {"Content-Type": "application/json"})
        err = self.assertErrorJson(r, 400, "MalformedRequest")
        self.assertIn("nested deeper than", err["error"]["message"])
        self.assertAlive()

    def test_deep_objects_in_a_field(self):
        body = '{"transcript": ' + '{"a":' * 60000 + "1" + "}" * 60000 + "}"
        r = self.server.request("POST", "/render", body.encode(),
                                {"Content-Type": "application/json"})
        self.assertErrorJson(r, 400, "MalformedRequest")
        self.assertAlive()

    def test_deep_options_in_an_upload(self):
        r = self.upload({"options": '{"transcript": ' + nested(70000) + "}"})
        err = self.assertErrorJson(r, 422, "InvalidArgument")
        self.assertEqual(err["error"]["subject"], "options")
        r = self.upload({"width": nested(70000, 1)})
        self.assertErrorJson(r, 422, "InvalidArgument")
        self.assertEqual(self.job_dirs(), [])
        self.assertAlive()

    def test_moderate_nesting_still_parses(self):
        # 60 levels is under the limit: the request reaches the render command.
        r = self.server.request("POST", "/render", small_request(self.root, transcript=json.loads(
            nested(60))))
        self.assertErrorJson(r, 422, "InvalidArgument")
        self.assertAlive()


class FailingRenderTest(HardeningBase):
    """Class 4: a render that fails inside the worker fails that job with its
    reason; the server lives on, and after a restart the job is not run again.
    The input: a valid 4 MB WAV at 1 Hz, i.e. 23 days of "audio", which the
    decoder on main reserved memory for (std::bad_alloc escaping the render
    thread: std::terminate, the whole server gone)."""

    def test_failing_input_fails_only_its_job(self):
        before = self.server.proc.pid
        r = self.upload({"width": "128", "height": "128"},
                        {"avatar": ("a.png", self.photo),
                         "audio": ("days.wav", wav_bytes(1, 2_000_000))})
        if r.status == 202:
            job = self.server.wait_job(strict_json(r.body)["jobId"])
            self.assertEqual(job["state"], "failed", job)
            self.assertTrue(job["error"]["code"] and job["error"]["message"], job)
            self.assertNotIn(self.server.data_dir, json.dumps(job))
            failed_id = job["jobId"]
        else:  # refused up front as bad input is fine too
            self.assertIn(r.status, (413, 415, 422), r)
            failed_id = None
        self.assertEqual(self.server.proc.pid, before)
        self.assertAlive()
        # The next valid job still renders.
        ok = self.server.wait_job(self.server.submit(small_request(self.root)))
        self.assertEqual(ok["state"], "succeeded", ok)
        self.assertNoPartialFiles()
        if failed_id:
            self.server.stop()
            self.server.start()
            job = self.server.job(failed_id)
            self.assertEqual(job["state"], "failed")
            self.assertEqual(job["attempts"], 1)
            self.assertAlive()


class PathFieldsTest(HardeningBase):
    """Class 5: every path field, wherever it is in a request, goes through the
    input-root policy, and errors never quote what the client could not read."""

    def assertRefused(self, response):
        err = self.assertErrorJson(response, 403, "PathNotAllowed")
        self.assertNotIn("TOPSECRET", response.body.decode())
        return err

    def test_upload_options_cannot_name_outside_files(self):
        dirs = self.job_dirs()
        for field in ("visemeJson", "visemes", "visemeTrack", "driverVideo", "driverVideoPath",
                      "viseme_json", "driver_video"):
            r = self.upload({"options": json.dumps({field: self.secret})})
            self.assertRefused(r)
        # As plain text fields of the form too.
        for field in ("driverVideoPath", "visemeTrack", "visemes"):
            self.assertRefused(self.upload({field: self.secret}))
        # The uploaded files' own fields cannot be redirected either.
        for field in ("avatar", "image", "imagePath", "audio"):
            r = self.upload({"options": json.dumps({field: self.secret})})
            self.assertIn(r.status, (403, 422), r)
            self.assertNotIn("TOPSECRET", r.body.decode())
        self.assertEqual(self.job_dirs(), dirs)  # nothing reserved is left behind
        self.assertAlive()

    def test_upload_without_input_roots_refuses_every_path_field(self):
        server = Server(self.base, data_dir=os.path.join(self.base, "noroot")).start()
        try:
            body, ctype = multipart({"options": json.dumps({"visemeJson": self.secret})},
                                    {"avatar": ("a.png", self.photo),
                                     "audio": ("b.wav", self.speech)})
            r = server.request("POST", "/render-upload", body, {"Content-Type": ctype})
            self.assertEqual(r.status, 403, r)
            self.assertNotIn("TOPSECRET", r.body.decode())
        finally:
            server.stop()

    def test_path_fields_in_render_body(self):
        for field in ("visemeJson", "visemes", "driverVideo", "image", "audio"):
            r = self.server.request("POST", "/render",
                                    small_request(self.root, **{field: self.secret}))
            self.assertIn(r.status, (403, 422), r)
            self.assertNotIn("TOPSECRET", r.body.decode())
        self.assertAlive()


class OracleTest(HardeningBase):
    """Class 11: the same answer for outside paths whether or not they exist,
    through symbolic links too; no data-directory paths in answers."""

    def test_symlink_to_existing_and_missing_outside_files(self):
        links = {"to-existing.wav": os.path.join(self.outside, "secret.json"),
                 "to-missing.wav": os.path.join(self.outside, "no-such-file.wav"),
                 "to-missing-dir.wav": os.path.join(self.outside, "nodir", "x.wav"),
                 "to-outside-dir": self.outside}
        for name, target in links.items():
            path = os.path.join(self.root, name)
            if not os.path.lexists(path):
                os.symlink(target, path)
        answers = []
        for given in ("to-existing.wav", "to-missing.wav", "to-missing-dir.wav",
                      "to-outside-dir/secret.json", "to-outside-dir/missing.wav"):
            r = self.server.request("POST", "/render", small_request(self.root, audioPath=given))
            err = self.assertErrorJson(r, 403, "PathNotAllowed")
            answers.append((r.status, err["error"]["message"].replace(given, "<given>")))
        self.assertEqual(len(set(answers)), 1, answers)
        # Absolute paths outside: existing or not, one answer.
        a = self.server.request("POST", "/render", small_request(self.root, audioPath=self.secret))
        b = self.server.request("POST", "/render", small_request(
            self.root, audioPath=os.path.join(self.outside, "nope.wav")))
        self.assertEqual((a.status, b.status), (403, 403))
        # A missing file inside the roots is still "not found".
        dangling = os.path.join(self.root, "dangling-inside.wav")
        if not os.path.lexists(dangling):
            os.symlink(os.path.join(self.root, "gone.wav"), dangling)
        r = self.server.request("POST", "/render",
                                small_request(self.root, audioPath="dangling-inside.wav"))
        self.assertErrorJson(r, 422, "InputNotFound")
        self.assertAlive()

    def test_failed_upload_job_does_not_show_data_dir(self):
        r = self.upload({"width": "128", "height": "128"},
                        {"avatar": ("a.png", self.photo), "audio": ("n.wav", os.urandom(4000))})
        self.assertEqual(r.status, 202, r)
        job = self.server.wait_job(strict_json(r.body)["jobId"])
        self.assertEqual(job["state"], "failed", job)
        text = json.dumps(job)
        self.assertNotIn(self.server.data_dir, text)
        self.assertNotIn(os.path.realpath(self.server.data_dir), text)
        self.assertAlive()


class IntegerTest(HardeningBase):
    """Class 7: integers outside the type they are stored in are refused."""

    def test_list_offsets_and_limits(self):
        for query in ("offset=4294967297", "offset=2147483648", "offset=-1",
                      "offset=99999999999999999999", "limit=4294967297", "limit=0",
                      "limit=1e3", "offset=1.5"):
            r = self.server.request("GET", "/jobs?" + query)
            self.assertErrorJson(r, 422, "InvalidArgument")
        r = self.server.request("GET", "/jobs?offset=2147483647")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["jobs"], [])
        self.assertAlive()

    def test_render_integer_fields(self):
        dirs = self.job_dirs()
        for field, value in (("width", 2 ** 32 + 128), ("height", -(2 ** 31) - 1),
                             ("width", 1e300), ("fps", 2 ** 63)):
            r = self.server.request("POST", "/render", small_request(self.root, **{field: value}))
            self.assertErrorJson(r, 422, "InvalidArgument")
            r = self.upload({field: str(value)})
            self.assertErrorJson(r, 422, "InvalidArgument")
        self.assertEqual(self.job_dirs(), dirs)
        self.assertAlive()


class SlowBodyTest(HardeningBase):
    """Class 6: slow bodies on every connection neither lock out health probes
    nor hold connections past the body deadline; the body budget answers 503."""
    server_args = ("--max-connections", "4", "--header-timeout-sec", "1", "--min-body-kbps", "1",
                   "--idle-timeout-sec", "30", "--max-upload-mb", "2",
                   "--max-inflight-body-mb", "2")

    def wait_no_other_connections(self):
        """Connections of earlier tests may still be closing on the server side."""
        deadline = time.time() + 10
        while time.time() < deadline:
            text = self.server.request("GET", "/metrics").body.decode()
            m = re.search(r"^avatar_http_connections_open (\d+)", text, re.M)
            if m and int(m.group(1)) <= 1:  # the /metrics request itself
                return
            time.sleep(0.1)
        self.fail("connections of earlier tests never closed")

    def slow_clients(self, n, length=1500):
        self.wait_no_other_connections()
        socks = []
        tries = 0
        while len(socks) < n and tries < 50:
            tries += 1
            s = socket.create_connection((self.server.host, self.server.port), timeout=10)
            s.sendall(b"POST /render HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: " + str(length).encode() + b"\r\n\r\n{")
            s.settimeout(0.3)
            try:
                # Answered at once: it landed on a probe connection because one of
                # ours was still closing on the server side. Try again.
                reply = s.recv(4096)
                self.assertEqual(status_of(reply), 503, reply[:200])
                s.close()
                time.sleep(0.1)
                continue
            except socket.timeout:
                pass
            socks.append(s)
        self.assertEqual(len(socks), n)
        return socks

    def test_slow_bodies_do_not_lock_out(self):
        socks = self.slow_clients(4)
        try:
            # Every regular connection is taken: probes still answer, others get 503.
            self.assertEqual(self.server.request("GET", "/health/live").status, 200)
            r = self.server.request("GET", "/jobs")
            self.assertErrorJson(r, 503, "TooManyConnections")
            self.assertIn("retry-after", r.headers)
            # Trickle a byte now and then; the body deadline still ends each one (408).
            deadline = time.time() + 30
            answers = [b""] * len(socks)
            while time.time() < deadline and not all(answers):
                for i, s in enumerate(socks):
                    if answers[i]:
                        continue
                    try:
                        s.sendall(b" ")
                        s.settimeout(0.2)
                        answers[i] = s.recv(4096)
                    except (socket.timeout, BlockingIOError):
                        pass
                    except OSError:
                        answers[i] = b"closed"
            for a in answers:
                if a != b"closed":
                    self.assertEqual(status_of(a), 408, a[:200])
        finally:
            for s in socks:
                s.close()
        # Capacity is back for everyone.
        deadline = time.time() + 10
        while time.time() < deadline and self.server.request("GET", "/jobs").status != 200:
            time.sleep(0.1)
        self.assertEqual(self.server.request("GET", "/jobs").status, 200)
        self.assertAlive()

    def test_inflight_body_budget(self):
        length = 1500 * 1024
        first = socket.create_connection((self.server.host, self.server.port), timeout=10)
        try:
            first.sendall(b"POST /render-upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/"
                          b"form-data; boundary=b\r\nConnection: close\r\nContent-Length: " +
                          str(length).encode() + b"\r\n\r\n" + b"x" * 1000)
            time.sleep(0.3)  # let the server admit the first body
            r = self.server.request("POST", "/render-upload", b"y" * length,
                                    {"Content-Type": "multipart/form-data; boundary=b"})
            self.assertErrorJson(r, 503, "ServerBusy")
            self.assertIn("retry-after", r.headers)
            self.assertEqual(self.server.request("GET", "/health/live").status, 200)
            first.sendall(b"x" * (length - 1000))
            reply = b""
            while chunk := first.recv(65536):
                reply += chunk
            self.assertEqual(status_of(reply), 400, reply[:200])  # not multipart: refused
        finally:
            first.close()
        # The budget is free again.
        r = self.server.request("POST", "/render-upload", b"y" * length,
                                {"Content-Type": "multipart/form-data; boundary=b"})
        self.assertErrorJson(r, 400, "MalformedRequest")
        self.assertAlive()


class LeftoversTest(unittest.TestCase):
    """Class 9: folders the job store does not account for are removed on start."""

    def setUp(self):
        require_binary_and_testdata(self)
        self.base, self.root = make_workspace("rest-left")

    def tearDown(self):
        shutil.rmtree(self.base, ignore_errors=True)

    def test_orphans_removed_and_jobs_adopted(self):
        data = os.path.join(self.base, "data")
        a = Server(self.base, "--input-root", self.root, data_dir=data).start()
        done = a.wait_job(a.submit(small_request(self.root)))
        self.assertEqual(done["state"], "succeeded")
        failed = a.wait_job(a.submit(small_request(self.root, audioPath="alice.png")))
        self.assertEqual(failed["state"], "failed")
        a.kill9()
        jobs = os.path.join(data, "jobs")
        orphan = os.path.join(jobs, str(uuid.uuid4()))
        os.makedirs(os.path.join(orphan, "inputs"))
        with open(os.path.join(orphan, "inputs", "audio.wav"), "wb") as f:
            f.write(b"\0" * 1000)  # an upload cut short by kill -9
        os.makedirs(os.path.join(jobs, failed["jobId"], "inputs"))  # a clean-up cut short
        with open(os.path.join(jobs, "stray.part"), "wb") as f:
            f.write(b"x")
        b = Server(self.base, "--input-root", self.root, data_dir=data).start()
        try:
            self.assertEqual(sorted(os.listdir(jobs)), [done["jobId"]])
            log = b.log_text()
            self.assertIn("removed leftover jobs/" + os.path.basename(orphan), log)
            self.assertIn("1 job folder(s) adopted, 3 leftover(s) removed", log)
            video = b.request("GET", f"/jobs/{done['jobId']}/video")
            self.assertEqual(video.status, 200)
            self.assertEqual(b.request("GET", "/health/live").status, 200)
        finally:
            b.stop()


if __name__ == "__main__":
    unittest.main()
