"""Runs the real `avatar-renderer serve` on a free loopback port for tests.

The server is started with --port 0; it prints the port it bound on its
first stdout line. Requests go through http.client (a real HTTP client);
`raw_exchange` speaks HTTP over a plain socket for the cases a client
library hides (Expect: 100-continue, slow or idle clients, chunked bodies).
"""
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

BIN = os.environ.get("AVATAR_BIN", "")
TESTDATA = os.environ.get("AVATAR_TESTDATA", "")
TMP_ROOT = os.environ.get("AVATAR_TEST_TMP", tempfile.gettempdir())
TERMINAL = ("succeeded", "failed", "cancelled", "expired")


def require_binary_and_testdata(test):
    """Skips (with the reason) when the binary or ../shared/testdata is absent."""
    if not BIN or not os.path.exists(BIN):
        raise unittest.SkipTest("AVATAR_BIN is not set or missing; run through ctest")
    for name in ("faces/alice.png", "audio/hello.wav"):
        if not os.path.exists(os.path.join(TESTDATA, name)):
            raise unittest.SkipTest(f"test data {name} not found under AVATAR_TESTDATA={TESTDATA!r}")


def make_workspace(name):
    """A fresh directory with an input root holding a photo and short speech."""
    base = tempfile.mkdtemp(prefix=f"{name}-", dir=TMP_ROOT)
    root = os.path.join(base, "inputs")
    os.makedirs(root)
    shutil.copy(os.path.join(TESTDATA, "faces/alice.png"), os.path.join(root, "alice.png"))
    shutil.copy(os.path.join(TESTDATA, "audio/hello.wav"), os.path.join(root, "hello.wav"))
    return base, root


def make_long_audio(path, seconds):
    """A tone of the given length (sox or ffmpeg), for renders that take a while."""
    if shutil.which("sox"):
        cmd = ["sox", "-n", "-r", "16000", "-c", "1", path, "synth", str(seconds), "sine", "220",
               "vol", "0.3"]
    else:
        cmd = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
               f"sine=frequency=220:duration={seconds}", "-ar", "16000", path]
    subprocess.run(cmd, check=True)
    return path


def sha256(data):
    return hashlib.sha256(data).hexdigest()


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"<{self.status} {self.body[:300]!r}>"


class Server:
    def __init__(self, workspace, *args, data_dir=None, env=None):
        self.workspace = workspace
        self.args = list(args)
        self.data_dir = data_dir or os.path.join(workspace, "data")
        self.env = dict(os.environ, **(env or {}))
        self.proc = None
        self.port = None
        self.host = "127.0.0.1"
        self.log_path = os.path.join(workspace, f"server-{time.time_ns()}.log")

    def start(self, timeout=30):
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [BIN, "serve", "--port", "0", "--data-dir", self.data_dir, *self.args],
            stdout=subprocess.PIPE, stderr=self.log, env=self.env)
        line = self.proc.stdout.readline().decode()
        m = re.search(r"listening on http://([^:]+):(\d+)", line)
        if not m:
            self.proc.wait(timeout=10)
            raise AssertionError(f"server did not start: {line!r}\n{self.log_text()}")
        self.host, self.port = m.group(1), int(m.group(2))
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if self.request("GET", "/health/live").status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError("server never became live\n" + self.log_text())

    def log_text(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def connection(self, timeout=30):
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, timeout=30, conn=None):
        own = conn is None
        conn = conn or self.connection(timeout)
        try:
            if isinstance(body, (dict, list)):
                body = json.dumps(body).encode()
                headers = {"Content-Type": "application/json", **(headers or {})}
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return Response(r.status, r.getheaders(), r.read())
        finally:
            if own:
                conn.close()

    def submit(self, body, headers=None):
        r = self.request("POST", "/render", body, headers)
        if r.status != 202:
            raise AssertionError(f"render not accepted: {r}")
        return r.json()["jobId"]

    def job(self, job_id, headers=None):
        r = self.request("GET", f"/jobs/{job_id}", headers=headers)
        if r.status != 200:
            raise AssertionError(f"GET /jobs/{job_id}: {r}")
        return r.json()

    def wait_job(self, job_id, states=TERMINAL, timeout=180, headers=None):
        deadline = time.time() + timeout
        while time.time() < deadline:
            job = self.job(job_id, headers)
            if job["state"] in states:
                return job
            time.sleep(0.05)
        raise AssertionError(f"job {job_id} not in {states} after {timeout}s: {job}")

    def wait_processing(self, job_id, min_progress=0.1, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            job = self.job(job_id)
            if job["state"] == "processing" and job["progress"] >= min_progress:
                return job
            if job["state"] in TERMINAL:
                raise AssertionError(f"job ended before it could be interrupted: {job}")
            time.sleep(0.02)
        raise AssertionError(f"job {job_id} never processing")

    def rss_bytes(self, field="VmRSS"):
        """Resident memory now (VmRSS) or its peak so far (VmHWM)."""
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
        return 0

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.proc.stdout.close()
            self.log.close()
        return self.proc.returncode if self.proc else None

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.proc.stdout.close()
        self.log.close()


def raw_exchange(server, data, read_timeout=5.0, send_after=None):
    """Sends raw bytes; returns everything the server sends until it closes or goes quiet."""
    s = socket.create_connection((server.host, server.port), timeout=read_timeout)
    try:
        s.sendall(data)
        if send_after is not None:
            send_after(s)
        chunks = []
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        s.close()


def status_of(raw):
    m = re.match(rb"HTTP/1\.1 (\d{3})", raw)
    return int(m.group(1)) if m else None


def json_body_of(raw):
    head, _, body = raw.partition(b"\r\n\r\n")
    return json.loads(body)


def small_request(root, **extra):
    """A render request for a 128x128 video of 2.5 s speech."""
    body = {"avatarPath": os.path.join(root, "alice.png"),
            "audioPath": os.path.join(root, "hello.wav"),
            "width": 128, "height": 128, "preset": "ultrafast"}
    body.update(extra)
    return body


def multipart(fields, files):
    """Encodes a multipart/form-data body: fields {name: text}, files {name: (filename, bytes)}."""
    boundary = "----avatar-test-" + str(time.time_ns())
    out = bytearray()
    for name, value in fields.items():
        out += f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n".encode()
        out += value.encode() + b"\r\n"
    for name, (filename, data) in files.items():
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; "
                f"filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").encode()
        out += data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def ffprobe(path):
    """(width, height, duration) of a video, or None without ffprobe."""
    if not shutil.which("ffprobe"):
        return None
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "stream=width,height:format=duration", "-of", "json", path],
                         check=True, capture_output=True).stdout
    info = json.loads(out)
    s = info["streams"][0]
    return s["width"], s["height"], float(info["format"]["duration"])
