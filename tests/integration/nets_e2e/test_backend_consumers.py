"""The engine's backend table as every consumer shows it, the Engine-owned
nets, and notes for options a chosen backend ignores.

With random-weight Wav2Lip written by the binary (`nets random-weights`):
- CLI `models --json`, REST `/health/ready` and `/models`, and MCP
  `list_models` list the same backends (the studio's Model Manager is
  compared in tests/gui/studio);
- two server jobs in a row load Wav2Lip once (the engine logs each load with
  a running count);
- an option the chosen mouth ignores (mouthGain with Wav2Lip) is a note in the
  CLI's JSON success event, the job record and MCP structuredContent;
- the commercial licence policy makes auto pick the built-in mouth and say
  why; a driver video without FOMM weights goes to the built-in rig.
"""

import json
import os
import shutil
import subprocess
import sys
import unittest

from nets_fixtures import BIN, SOURCE, TempDirTest, photo_and_speech, require_binary, run

sys.path.insert(0, os.path.join(SOURCE, "tests", "integration", "server"))
from server_harness import Server  # noqa: E402


class McpClient:
    """JSON-RPC over the real binary's stdin/stdout (one message a line)."""

    def __init__(self, env, data_dir):
        self.proc = subprocess.Popen([BIN, "mcp", "--data-dir", data_dir], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                                     text=True)
        self.next_id = 1
        self.call("initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                                 "clientInfo": {"name": "backend-consumers", "version": "1"}})
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})

    def send(self, message):
        self.proc.stdin.write(json.dumps(message) + "\n")
        self.proc.stdin.flush()

    def call(self, method, params):
        my_id = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": my_id, "method": method, "params": params})
        for _ in range(100000):  # notifications (progress) come before the answer
            line = self.proc.stdout.readline()
            if not line:
                raise AssertionError("the MCP server closed its output")
            message = json.loads(line)
            if message.get("id") == my_id:
                if "error" in message:
                    raise AssertionError(f"{method}: {message['error']}")
                return message["result"]
        raise AssertionError("no answer")

    def tool(self, name, arguments):
        result = self.call("tools/call", {"name": name, "arguments": arguments})
        if result.get("isError"):
            raise AssertionError(f"{name} failed: {result}")
        return result["structuredContent"]

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=60)
        self.proc.stdout.close()


class BackendConsumers(TempDirTest):
    def setUp(self):
        super().setUp()
        require_binary(self)
        if not shutil.which("ffmpeg"):
            self.skipTest("ffmpeg not installed")
        photo, speech = photo_and_speech()
        if not photo:
            self.skipTest("no test photo/speech: AVATAR_TESTDATA and demo/ are both absent")
        self.photo = os.path.join(self.tmp, "photo" + os.path.splitext(photo)[1])
        shutil.copy(photo, self.photo)
        self.servers = []
        self.audio = os.path.join(self.tmp, "speech.wav")
        run(["ffmpeg", "-v", "error", "-y", "-i", speech, "-t", "1.0", "-ac", "1", self.audio])
        self.models = os.path.join(self.tmp, "models")
        os.makedirs(os.path.join(self.models, "wav2lip"))
        face_api = os.path.join(os.environ.get("AVATAR_MODELS_DIR", ""), "face-api")
        if os.path.isdir(face_api):
            os.symlink(face_api, os.path.join(self.models, "face-api"))
        run([BIN, "nets", "random-weights", "--net", "wav2lip", "--out",
             os.path.join(self.models, "wav2lip", "wav2lip_gan.safetensors")])
        self.env = dict(os.environ, AVATAR_MODELS_DIR=self.models)

    def cli_render(self, out, *flags, check=True):
        p = subprocess.run([BIN, "render", "--image", self.photo, "--audio", self.audio, "-o", out,
                            "--size", "128x128", "--progress", "json", *flags],
                           capture_output=True, text=True, timeout=900, env=self.env)
        if check:
            self.assertEqual(p.returncode, 0, p.stderr[-3000:])
        return p

    def success_event(self, p):
        for line in p.stderr.splitlines():
            event = json.loads(line)
            if event.get("event") == "success":
                return event
        self.fail("no success event:\n" + p.stderr[-3000:])

    def serve(self):
        server = Server(self.tmp, "--input-root", self.tmp, env=self.env)
        self.servers.append(server)
        server.start()
        return server

    def tearDown(self):
        for server in getattr(self, "servers", []):
            server.stop()
        super().tearDown()

    def test_every_consumer_lists_the_same_backend_table(self):
        p = subprocess.run([BIN, "models", "--json"], capture_output=True, text=True, env=self.env,
                           timeout=120, check=True)
        cli = json.loads(p.stdout)["backends"]
        by_key = {(b["role"], b["id"]): b for b in cli}
        self.assertTrue(by_key[("mouth", "wav2lip")]["usable"])
        self.assertTrue(by_key[("mouth", "diff2lip")]["implemented"])
        self.assertIn("is missing", by_key[("mouth", "diff2lip")]["reason"])
        self.assertTrue(by_key[("motion", "fomm")]["implemented"])
        self.assertIn("is missing", by_key[("motion", "fomm")]["reason"])
        self.assertTrue(by_key[("mouth", "builtin")]["usable"])
        self.assertTrue(by_key[("enhance", "gfpgan")]["implemented"])
        self.assertFalse(by_key[("enhance", "gfpgan")]["usable"], "no GFPGAN file was written")

        server = self.serve()
        ready = server.request("GET", "/health/ready")
        self.assertEqual(ready.status, 200, ready)
        self.assertEqual(ready.json()["backends"], cli)
        self.assertTrue(ready.json()["checks"]["backends"]["ok"])
        models = server.request("GET", "/models")
        self.assertEqual(models.status, 200, models)
        self.assertEqual(models.json()["backends"], cli)
        # The seed-compatible listing reads the same table: its installed
        # backends per role are exactly the usable ones.
        avatars = server.request("GET", "/avatars")
        self.assertEqual(avatars.status, 200, avatars)
        self.assertEqual(avatars.json()["backends"], cli)
        usable = {}
        for b in cli:
            if b["usable"]:
                usable.setdefault(b["role"], []).append(b["id"])
        self.assertEqual(
            avatars.json()["rendering_modes"]["high_quality"]["installedModels"], usable)
        self.assertIn("wav2lip", usable["mouth"])

        mcp = McpClient(self.env, os.path.join(self.tmp, "mcp-data"))
        try:
            self.assertEqual(mcp.tool("list_models", {})["backends"], cli)
        finally:
            mcp.close()

    def test_two_server_jobs_load_wav2lip_once_and_record_ignored_options(self):
        server = self.serve()
        jobs = []
        for i in range(2):
            job_id = server.submit({"avatarPath": self.photo, "audioPath": self.audio,
                                    "width": 128, "height": 128, "lipSync": "wav2lip",
                                    "mouthGain": 3})
            jobs.append(server.wait_job(job_id, timeout=600))
        for job in jobs:
            self.assertEqual(job["state"], "succeeded", job)
            self.assertTrue(any("mouthGain ignored" in n for n in job["notes"]), job["notes"])
        log = server.log_text()
        loads = [line for line in log.splitlines() if "wav2lip loaded from" in line]
        self.assertEqual(len(loads), 1, "\n".join(loads) or log[-3000:])
        self.assertIn("net loads of wav2lip in this process: 1", loads[0])

    def test_cli_and_mcp_results_carry_the_notes(self):
        p = self.cli_render(os.path.join(self.tmp, "w2l.mp4"), "--lip-sync", "wav2lip",
                            "--mouth-gain", "3", "--smoothing-ms", "200")
        notes = self.success_event(p)["notes"]
        self.assertTrue(any("mouthGain ignored" in n for n in notes), notes)
        self.assertTrue(any("smoothingMs ignored" in n for n in notes), notes)

        mcp = McpClient(self.env, os.path.join(self.tmp, "mcp-data"))
        try:
            out = mcp.tool("render_avatar", {"avatar_path": self.photo, "audio_path": self.audio,
                                             "width": 128, "height": 128, "lip_sync": "wav2lip",
                                             "mouth_gain": 3})
        finally:
            mcp.close()
        self.assertEqual(out["state"], "succeeded", out)
        self.assertTrue(any("mouthGain ignored" in n for n in out["notes"]), out["notes"])

    def test_commercial_policy_picks_the_builtin_mouth_and_says_why(self):
        p = self.cli_render(os.path.join(self.tmp, "commercial.mp4"), "--licence", "commercial")
        notes = self.success_event(p)["notes"]
        self.assertTrue(any("wav2lip not used: licence policy commercial" in n for n in notes),
                        notes)
        self.assertIn("mouth: builtin (auto choice)", notes)
        p = self.cli_render(os.path.join(self.tmp, "refused.mp4"), "--licence", "commercial",
                            "--lip-sync", "wav2lip", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("licence", p.stderr)

    def test_driver_video_without_fomm_weights_is_followed_by_the_builtin_rig(self):
        # A file without a video stream is refused naming it; FOMM asked for
        # without its weights names them; auto says it took the built-in rig.
        notvideo = os.path.join(self.tmp, "driver.mp4")
        shutil.copy(self.audio, notvideo)
        out = os.path.join(self.tmp, "driven.mp4")
        p = self.cli_render(out, "--driver-video", notvideo, check=False)
        self.assertNotEqual(p.returncode, 0, "a driver without video was silently ignored")
        self.assertIn("driver.mp4", p.stderr)
        self.assertIn("no video stream", p.stderr)
        self.assertFalse(os.path.exists(out))
        p = self.cli_render(out, "--motion-backend", "fomm", check=False)
        self.assertEqual(p.returncode, 13, p.stderr)  # model missing
        self.assertIn("vox-cpk.safetensors", p.stderr)
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main()
