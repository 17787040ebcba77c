"""A real redis-server, `avatar-renderer worker`s and `serve|mcp --queue` replicas.

redis-server runs on a free loopback port in a temp directory with AOF on
(appendfsync always); each test starts and stops its own. Inspection goes
through redis-cli, the API through http.client (server_harness.Server).
"""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "server"))
from server_harness import BIN, TERMINAL, Server  # noqa: E402

STREAM = "avatar:jobs"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Redis:
    def __init__(self, base):
        self.dir = tempfile.mkdtemp(prefix="redis-", dir=base)
        self.port = free_port()
        self.proc = None
        self.url = f"redis://127.0.0.1:{self.port}"

    def start(self, timeout=20):
        self.log = open(os.path.join(self.dir, "redis.log"), "ab")
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.dir,
             "--appendonly", "yes", "--appendfsync", "always", "--save", "",
             "--daemonize", "no", "--protected-mode", "yes"],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("redis-server exited: " + open(self.log.name).read())
            r = subprocess.run(["redis-cli", "-p", str(self.port), "PING"], capture_output=True,
                               text=True)
            if r.stdout.strip() == "PONG":
                return self
            time.sleep(0.05)
        raise AssertionError("redis-server did not answer PING")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # SHUTDOWN: AOF flushed
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.log.close()

    def cli(self, *args):
        r = subprocess.run(["redis-cli", "-p", str(self.port), "--raw", *args],
                           capture_output=True, text=True, timeout=30)
        if r.returncode != 0:
            raise AssertionError(f"redis-cli {args}: {r.stderr}")
        return r.stdout

    def xlen(self, key):
        return int(self.cli("XLEN", key).strip() or 0)

    def pending(self):
        out = self.cli("XPENDING", STREAM, "renderers").split()
        return int(out[0]) if out else 0


class Worker:
    def __init__(self, base, redis, name, data_dir, *args, env=None):
        self.name = name
        self.env = dict(os.environ, **(env or {}))
        self.cmd = [BIN, "worker", "--redis", redis.url, "--name", name, "--data-dir", data_dir,
                    *args]
        self.log_path = os.path.join(base, f"worker-{name}-{time.time_ns()}.log")
        self.proc = None

    def start(self, timeout=60):
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL, stderr=self.log,
                                     env=self.env)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if " ready (data: " in self.log_text():
                return self
            if self.proc.poll() is not None:
                raise AssertionError(f"worker {self.name} exited: {self.log_text()}")
            time.sleep(0.05)
        raise AssertionError(f"worker {self.name} not ready: {self.log_text()}")

    def log_text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig):
        self.proc.send_signal(sig)

    def wait(self, timeout=120):
        rc = self.proc.wait(timeout=timeout)
        self.log.close()
        return rc

    def stop(self):
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc and not self.log.closed:
            self.log.close()


class Mcp:
    """`avatar-renderer mcp --queue URL` spoken to over stdio (JSON-RPC 2.0 lines)."""

    def __init__(self, base, *args):
        self.log = open(os.path.join(base, f"mcp-{time.time_ns()}.log"), "wb")
        self.proc = subprocess.Popen([BIN, "mcp", *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.log)
        self.next_id = 1
        self.send({"jsonrpc": "2.0", "id": 0, "method": "initialize",
                   "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                              "clientInfo": {"name": "queue-test", "version": "1"}}})
        self.read_reply(0)
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})

    def send(self, message):
        self.proc.stdin.write((json.dumps(message) + "\n").encode())
        self.proc.stdin.flush()

    def read_reply(self, want_id):
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise AssertionError("the MCP server closed stdout")
            msg = json.loads(line)
            if msg.get("id") == want_id:
                return msg

    def call_render(self, arguments):
        call_id = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": call_id, "method": "tools/call",
                   "params": {"name": "render_avatar", "arguments": arguments}})
        return call_id

    def replies(self, ids):
        """Reads until every id in `ids` has its reply; returns {id: result}."""
        out = {}
        while len(out) < len(ids):
            msg = json.loads(self.proc.stdout.readline() or "null")
            if msg is None:
                raise AssertionError("the MCP server closed stdout")
            if msg.get("id") in ids:
                out[msg["id"]] = msg
        return out

    def close(self):
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        self.log.close()


def api(base, redis, data_dir, *args):
    return Server(base, "--queue", redis.url, *args, data_dir=data_dir).start()


def job_or_none(server, job_id):
    """GET /jobs/{id}, or None while the API cannot answer (Redis restarting)."""
    try:
        r = server.request("GET", f"/jobs/{job_id}")
    except OSError:
        return None
    return r.json() if r.status == 200 else None


def wait_all(server, job_ids, timeout=600, states=TERMINAL):
    deadline = time.time() + timeout
    jobs = {}
    while time.time() < deadline:
        for job_id in job_ids:
            if jobs.get(job_id, {}).get("state") in states:
                continue
            job = job_or_none(server, job_id)
            if job:
                jobs[job_id] = job
        if all(jobs.get(j, {}).get("state") in states for j in job_ids):
            return jobs
        time.sleep(0.2)
    raise AssertionError(f"jobs not finished after {timeout}s: "
                         f"{ {j: jobs.get(j, {}).get('state') for j in job_ids} }")


def wait_for(predicate, what, timeout=120, step=0.05):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out waiting for {what}")


def metric(server, name):
    """{labels: value} of one Prometheus family from GET /metrics."""
    text = server.request("GET", "/metrics").body.decode()
    out = {}
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            key, value = line.rsplit(" ", 1)
            out[key[len(name):]] = float(value)
    return out


def videos_of(data_dir, job_id):
    """Every file in the job's directory (the final video and any leftovers)."""
    d = os.path.join(data_dir, "jobs", job_id)
    return sorted(os.listdir(d)) if os.path.isdir(d) else []
