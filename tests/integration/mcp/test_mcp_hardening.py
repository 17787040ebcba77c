"""Hardening of `avatar-renderer mcp` (issue 12), through the real binary on
stdio: lines that are not UTF-8, deeply nested JSON, path fields outside the
input roots, integers out of range and a failing render. Every reply is one
line of valid UTF-8 JSON, and the server keeps answering ping afterwards."""
import json
import os
import select
import shutil
import struct
import subprocess
import tempfile
import time
import unittest

BIN = os.environ.get("AVATAR_BIN", "")
TESTDATA = os.environ.get("AVATAR_TESTDATA", "")
TMP_ROOT = os.environ.get("AVATAR_TEST_TMP", tempfile.gettempdir())


class Mcp:
    def __init__(self, data_dir, *args):
        self.proc = subprocess.Popen([BIN, "mcp", "--data-dir", data_dir, *args],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.buffer = b""

    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def read_line(self, timeout=120):
        deadline = time.time() + timeout
        while b"\n" not in self.buffer:
            left = deadline - time.time()
            if left <= 0:
                raise AssertionError("no reply from the MCP server")
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                if not chunk:
                    raise AssertionError("the MCP server closed stdout: " +
                                         self.proc.stderr.read().decode(errors="replace"))
                self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return json.loads(line.decode("utf-8", errors="strict"))

    def reply_to(self, request_id, timeout=120):
        while True:
            message = self.read_line(timeout)
            if message.get("id") == request_id or (request_id is None and "id" not in message):
                return message

    def call(self, request_id, method, params=None):
        self.send_raw(json.dumps({"jsonrpc": "2.0", "id": request_id, "method": method,
                                  "params": params or {}}).encode() + b"\n")
        return self.reply_to(request_id)

    def close(self):
        self.proc.stdin.close()
        try:
            rc = self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.proc.stdout.close()
        self.proc.stderr.close()
        return rc


class McpHardeningTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not BIN or not os.path.exists(BIN):
            raise unittest.SkipTest("AVATAR_BIN is not set or missing; run through ctest")
        for name in ("faces/alice.png", "audio/hello.wav"):
            if not os.path.exists(os.path.join(TESTDATA, name)):
                raise unittest.SkipTest(f"test data {name} not found under {TESTDATA!r}")
        cls.base = tempfile.mkdtemp(prefix="mcp-hard-", dir=TMP_ROOT)
        cls.root = os.path.join(cls.base, "inputs")
        os.makedirs(cls.root)
        shutil.copy(os.path.join(TESTDATA, "faces/alice.png"), os.path.join(cls.root, "alice.png"))
        shutil.copy(os.path.join(TESTDATA, "audio/hello.wav"), os.path.join(cls.root, "hello.wav"))
        cls.secret = os.path.join(cls.base, "secret.json")
        with open(cls.secret, "w") as f:
            f.write("TOPSECRET-CONTENT {not json\n")
        os.symlink(os.path.join(cls.base, "missing.wav"), os.path.join(cls.root, "dangling.wav"))
        os.symlink(cls.secret, os.path.join(cls.root, "existing.wav"))
        cls.mcp = Mcp(os.path.join(cls.base, "data"), "--input-root", cls.root)
        init = cls.mcp.call(0, "initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                              "clientInfo": {"name": "t", "version": "1"}})
        assert "result" in init, init
        cls.mcp.send_raw(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')

    @classmethod
    def tearDownClass(cls):
        rc = cls.mcp.close()
        shutil.rmtree(cls.base, ignore_errors=True)
        assert rc == 0, f"mcp exited with {rc}"

    def assertAlive(self, request_id):
        self.assertEqual(self.mcp.call(request_id, "ping"), {"jsonrpc": "2.0", "id": request_id,
                                                            "result": {}})

    def tool(self, request_id, name, arguments):
        reply = self.mcp.call(request_id, "tools/call", {"name": name, "arguments": arguments})
        self.assertIn("result", reply, reply)
        return reply["result"]

    def render_args(self, **extra):
        args = {"avatar_path": os.path.join(self.root, "alice.png"),
                "audio_path": os.path.join(self.root, "hello.wav"), "width": 128, "height": 128,
                "preset": "ultrafast"}
        args.update(extra)
        return args

    def test_line_that_is_not_utf8(self):
        self.mcp.send_raw(b'{"jsonrpc":"2.0","id":7,"method":"p\xffing\xe9"}\n')
        reply = self.mcp.reply_to(None)
        self.assertEqual(reply["error"]["code"], -32700, reply)
        self.mcp.send_raw(b'\xc3\x28\xfe\xff\n')
        self.assertEqual(self.mcp.reply_to(None)["error"]["code"], -32700)
        self.assertAlive(8)

    def test_deep_nesting(self):
        line = ('{"jsonrpc":"2.0","id":10,"method":"tools/call","params":{"name":"list_jobs",'
                '"arguments":{"state":' + "[" * 70000 + "]" * 70000 + "}}}\n")
        self.mcp.send_raw(line.encode())
        reply = self.mcp.reply_to(None)
        self.assertEqual(reply["error"]["code"], -32700, reply)
        self.assertIn("nested deeper than", reply["error"]["message"])
        self.assertAlive(11)

    def test_path_fields_outside_roots(self):
        answers = set()
        for i, (field, value) in enumerate((("viseme_json", self.secret),
                                            ("driver_video", self.secret),
                                            ("audio_path", "dangling.wav"),
                                            ("audio_path", "existing.wav"),
                                            ("avatar_path", self.secret))):
            result = self.tool(20 + i, "render_avatar", self.render_args(**{field: value}))
            self.assertTrue(result["isError"], result)
            text = result["content"][0]["text"]
            self.assertTrue(text.startswith("PathNotAllowed"), text)
            self.assertNotIn("TOPSECRET", text)
            if field == "audio_path":
                answers.add(text.replace(value, "<given>"))
        self.assertEqual(len(answers), 1, answers)  # a missing and an existing target alike
        self.assertAlive(30)

    def test_integer_out_of_range(self):
        for i, args in enumerate(({"offset": 2 ** 32 + 1}, {"limit": 2 ** 31}, {"offset": -1})):
            result = self.tool(40 + i, "list_jobs", args)
            self.assertTrue(result["isError"], result)
            self.assertTrue(result["content"][0]["text"].startswith("InvalidArgument"), result)
        self.assertAlive(45)

    def test_failing_render_fails_only_its_call(self):
        days = os.path.join(self.root, "days.wav")
        data = b"\0" * 4_000_000  # 2e6 samples at 1 Hz: 23 days of "audio"
        with open(days, "wb") as f:
            f.write(b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt " +
                    struct.pack("<IHHIIHH", 16, 1, 1, 1, 2, 2, 16) + b"data" +
                    struct.pack("<I", len(data)) + data)
        result = self.tool(50, "render_avatar", self.render_args(audio_path=days))
        self.assertTrue(result["isError"], result)
        self.assertAlive(51)
        ok = self.tool(52, "render_avatar", self.render_args())
        self.assertFalse(ok["isError"], ok)


if __name__ == "__main__":
    unittest.main()
