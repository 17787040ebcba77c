"""Security of the REST server: loopback by default, bearer tokens, input roots,
body limits enforced before buffering, idle and slow connections closed."""
import os
import re
import shutil
import socket
import time
import unittest

from server_harness import (Server, json_body_of, make_workspace, raw_exchange,
                            require_binary_and_testdata, small_request, status_of)


def listening_addresses(port):
    """Local addresses in LISTEN state for `port`, from /proc/net/tcp{,6}."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                rows = f.readlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            addr, hexport = local.split(":")
            if int(hexport, 16) == port and state == "0A":
                found.append(addr)
    return found


class DefaultsAndAuthOffTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        require_binary_and_testdata(cls)
        cls.base, cls.root = make_workspace("rest-sec")
        # Under AddressSanitizer freed memory sits in quarantine and would look like
        # buffering in the peak-RSS check; without quarantine the check means the same.
        asan = os.environ.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=0"
        cls.server = Server(cls.base, "--input-root", cls.root, "--max-upload-mb", "1",
                            "--idle-timeout-sec", "1", "--header-timeout-sec", "1",
                            "--max-connections", "8", env={"ASAN_OPTIONS": asan}).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.base, ignore_errors=True)

    def test_binds_loopback_only_by_default(self):
        self.assertEqual(self.server.host, "127.0.0.1")
        self.assertEqual(listening_addresses(self.server.port), ["0100007F"])

    def test_no_token_needed_without_token(self):
        self.assertEqual(self.server.request("GET", "/jobs").status, 200)

    def test_dotdot_is_refused_even_inside_the_root(self):
        for given in ("../alice.png", "sub/../alice.png", os.path.join(self.root, "..", "x.png")):
            r = self.server.request("POST", "/render", small_request(self.root, avatarPath=given))
            self.assertEqual(r.status, 403, given)
            self.assertEqual(r.json()["error"]["code"], "PathNotAllowed")
            self.assertIn("..", r.json()["error"]["message"])

    def test_absolute_path_outside_roots(self):
        outside = os.path.join(self.base, "outside.png")
        shutil.copy(os.path.join(self.root, "alice.png"), outside)
        r = self.server.request("POST", "/render", small_request(self.root, avatarPath=outside))
        self.assertEqual(r.status, 403, r)
        self.assertIn("outside the server's input roots", r.json()["error"]["message"])

    def test_symlink_escape(self):
        outside = os.path.join(self.base, "secret.wav")
        shutil.copy(os.path.join(self.root, "hello.wav"), outside)
        link = os.path.join(self.root, "escape.wav")
        if not os.path.lexists(link):
            os.symlink(outside, link)
        r = self.server.request("POST", "/render", small_request(self.root, audioPath="escape.wav"))
        self.assertEqual(r.status, 403, r)
        self.assertIn("symbolic link", r.json()["error"]["message"])
        # A link that stays inside the roots is fine.
        inner = os.path.join(self.root, "inner.wav")
        if not os.path.lexists(inner):
            os.symlink(os.path.join(self.root, "hello.wav"), inner)
        r = self.server.request("POST", "/render", small_request(self.root, audioPath="inner.wav"))
        self.assertEqual(r.status, 202, r)
        self.server.wait_job(r.json()["jobId"])

    def test_relative_and_absolute_paths_inside_roots(self):
        for avatar in ("alice.png", os.path.join(self.root, "alice.png")):
            r = self.server.request("POST", "/render", small_request(self.root, avatarPath=avatar))
            self.assertEqual(r.status, 202, r)
            self.assertEqual(self.server.wait_job(r.json()["jobId"])["state"], "succeeded")

    def test_oversized_body_refused_before_it_is_sent(self):
        head = (b"POST /render-upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
                b"boundary=b\r\nContent-Length: 52428800\r\nExpect: 100-continue\r\n\r\n")
        t0 = time.time()
        raw = raw_exchange(self.server, head, read_timeout=5)
        self.assertEqual(status_of(raw), 413, raw)
        self.assertLess(time.time() - t0, 3)
        self.assertEqual(json_body_of(raw)["error"]["code"], "PayloadTooLarge")

    def test_oversized_body_is_not_buffered(self):
        peak_before = self.server.rss_bytes("VmHWM")
        body = b"\0" * (48 << 20)
        r = self.server.request("POST", "/render-upload", body,
                                {"Content-Type": "multipart/form-data; boundary=b"}, timeout=60)
        self.assertEqual(r.status, 413, r)
        growth = self.server.rss_bytes("VmHWM") - peak_before
        self.assertLess(growth, 16 << 20, f"peak RSS grew by {growth} bytes for a refused 48 MiB body")

    def test_accepted_expect_continue_gets_100(self):
        body = b'{"avatarPath": "alice.png"}'
        head = (b"POST /render HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Connection: close\r\nExpect: 100-continue\r\nContent-Length: "
                + str(len(body)).encode() + b"\r\n\r\n")
        s = socket.create_connection((self.server.host, self.server.port), timeout=5)
        try:
            s.sendall(head)
            self.assertTrue(s.recv(100).startswith(b"HTTP/1.1 100 Continue"))
            s.sendall(body)
            raw = b""
            while chunk := s.recv(65536):
                raw += chunk
        finally:
            s.close()
        self.assertEqual(status_of(raw), 422)  # audioPath missing: the request reached the command

    def test_header_too_large(self):
        raw = raw_exchange(self.server, b"GET /jobs HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70000 +
                           b"\r\n\r\n")
        self.assertEqual(status_of(raw), 431, raw[:200])

    def test_chunked_body_refused(self):
        raw = raw_exchange(self.server, b"POST /render HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                           b"chunked\r\nContent-Type: application/json\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
        self.assertEqual(status_of(raw), 411, raw[:200])

    def test_pipelined_requests_answered_in_order(self):
        raw = raw_exchange(self.server, b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n"
                           b"POST /jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"
                           b"GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        self.assertEqual(re.findall(rb"HTTP/1\.1 (\d{3})", raw), [b"200", b"405", b"404"])

    def test_unknown_method_gets_an_answer(self):
        raw = raw_exchange(self.server, b"BREW /coffee HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertEqual(status_of(raw), 405, raw[:200])
        self.assertEqual(json_body_of(raw)["error"]["code"], "MethodNotAllowed")

    def test_idle_connection_closed(self):
        s = socket.create_connection((self.server.host, self.server.port), timeout=10)
        try:
            t0 = time.time()
            self.assertEqual(s.recv(10), b"")  # the server closes it
            self.assertGreater(time.time() - t0, 0.5)
            self.assertLess(time.time() - t0, 5)
        finally:
            s.close()

    def test_idle_keep_alive_connection_closed_after_a_request(self):
        conn = self.server.connection()
        self.assertEqual(self.server.request("GET", "/health/live", conn=conn).status, 200)
        time.sleep(2)
        with self.assertRaises((ConnectionError, OSError, Exception)):
            self.server.request("GET", "/health/live", conn=conn)
        conn.close()

    def test_slow_request_head_times_out(self):
        raw = raw_exchange(self.server, b"GET /jobs HTTP/1.1\r\nHost: x\r\n", read_timeout=6)
        self.assertEqual(status_of(raw), 408, raw[:200])

    def test_too_many_connections(self):
        # 8 connections, plus 4 kept for /health probes, are accepted; the rest refused at once.
        sockets = [socket.create_connection((self.server.host, self.server.port)) for _ in range(16)]
        try:
            refused = 0
            for s in sockets:
                s.settimeout(0.3)
                try:
                    data = s.recv(4096)
                except socket.timeout:
                    continue
                if status_of(data) == 503:
                    refused += 1
                    self.assertEqual(json_body_of(data)["error"]["code"], "TooManyConnections")
            self.assertGreaterEqual(refused, 4)
        finally:
            for s in sockets:
                s.close()


class AuthOnTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        require_binary_and_testdata(cls)
        cls.base, cls.root = make_workspace("rest-auth")
        cls.token = "s3cret-token"
        cls.server = Server(cls.base, "--input-root", cls.root, "--token", cls.token).start()
        cls.auth = {"Authorization": f"Bearer {cls.token}"}

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.base, ignore_errors=True)

    def test_missing_or_wrong_token(self):
        for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": f"Basic {self.token}"},
                        {"Authorization": f"Bearer {self.token}x"}):
            for method, path in (("GET", "/jobs"), ("GET", "/openapi.json"), ("GET", "/metrics"),
                                 ("GET", "/avatars"), ("GET", "/jobs/x/video")):
                r = self.server.request(method, path, headers=headers)
                self.assertEqual(r.status, 401, (path, headers))
                self.assertEqual(r.headers["www-authenticate"], "Bearer")
                self.assertEqual(r.json()["error"]["code"], "Unauthorized")

    def test_render_needs_token_before_its_body_is_read(self):
        r = self.server.request("POST", "/render", small_request(self.root))
        self.assertEqual(r.status, 401)
        head = (b"POST /render-upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n"
                b"Expect: 100-continue\r\n\r\n")
        self.assertEqual(status_of(raw_exchange(self.server, head)), 401)

    def test_right_token(self):
        r = self.server.request("POST", "/render", small_request(self.root), self.auth)
        self.assertEqual(r.status, 202, r)
        job = self.server.wait_job(r.json()["jobId"], headers=self.auth)
        self.assertEqual(job["state"], "succeeded")
        video = self.server.request("GET", job["video"]["url"], headers=self.auth)
        self.assertEqual(video.status, 200)
        self.assertEqual(self.server.request("GET", job["video"]["url"]).status, 401)

    def test_health_probes_are_public(self):
        self.assertEqual(self.server.request("GET", "/health/live").status, 200)
        self.assertEqual(self.server.request("GET", "/health/ready").status, 200)

    def test_token_from_environment(self):
        other = Server(self.base, env={"AVATAR_SERVER_TOKEN": "from-env"},
                       data_dir=os.path.join(self.base, "env-data")).start()
        try:
            self.assertEqual(other.request("GET", "/jobs").status, 401)
            self.assertEqual(other.request("GET", "/jobs", headers={"Authorization": "Bearer from-env"}).status, 200)
        finally:
            other.stop()


class NoRootsTest(unittest.TestCase):
    def test_server_paths_disabled_without_input_root(self):
        require_binary_and_testdata(self)
        base, root = make_workspace("rest-noroot")
        server = Server(base).start()
        try:
            r = server.request("POST", "/render", small_request(root))
            self.assertEqual(r.status, 403, r)
            self.assertIn("/render-upload", r.json()["error"]["message"])
        finally:
            server.stop()
            shutil.rmtree(base, ignore_errors=True)

    def test_missing_input_root_is_a_usage_error(self):
        require_binary_and_testdata(self)
        import subprocess
        from server_harness import BIN
        p = subprocess.run([BIN, "serve", "--port", "0", "--input-root", "/no/such/dir"],
                           capture_output=True, timeout=30)
        self.assertEqual(p.returncode, 2)
        self.assertIn(b"/no/such/dir", p.stderr)


if __name__ == "__main__":
    unittest.main()
