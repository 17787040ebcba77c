"""Helpers for integration tests that drive the real avatar-renderer binary."""

import glob
import json
import os
import shutil
import signal
import subprocess
import tempfile
import unittest

BIN = os.environ.get("AVATAR_BIN", "")
SOURCE_DIR = os.environ.get("AVATAR_SOURCE_DIR", "")
TESTDATA = os.environ.get("AVATAR_TESTDATA", "")
TMP_ROOT = os.environ.get("AVATAR_TEST_TMP", tempfile.gettempdir())


def testdata(rel):
    """Path under ../shared/testdata, or None when absent."""
    p = os.path.join(TESTDATA, rel) if TESTDATA else ""
    return p if p and os.path.exists(p) else None


def demo_input(name):
    p = os.path.join(SOURCE_DIR, "demo", name)
    return p if os.path.exists(p) else None


def run(args, timeout=300, **kw):
    """Runs avatar-renderer with args; returns CompletedProcess (text)."""
    return subprocess.run([BIN] + list(args), capture_output=True, text=True, timeout=timeout, **kw)


def tool(*cmd, timeout=120):
    subprocess.run(list(cmd), check=True, capture_output=True, timeout=timeout)


def ffprobe(path):
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-count_frames", "-of", "json", path],
        check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def stream(info, kind):
    for s in info["streams"]:
        if s["codec_type"] == kind:
            return s
    return None


def media_duration(path):
    """Duration of the first audio stream of a file, by ffprobe."""
    info = ffprobe(path)
    return float(stream(info, "audio")["duration"])


def part_files(out):
    """Temporary files of the output `out`: <out>.<tag>.part (and the old <out>.part)."""
    out = os.fsdecode(out)
    return glob.glob(glob.escape(out) + ".part") + glob.glob(glob.escape(out) + ".*.part")


def json_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


class TempDirTestCase(unittest.TestCase):
    """A scratch directory per test, removed afterwards."""

    def setUp(self):
        if not BIN or not os.path.exists(BIN):
            self.skipTest("AVATAR_BIN not set: run through ctest")
        self.tmp = tempfile.mkdtemp(dir=TMP_ROOT)
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def path(self, name):
        return os.path.join(self.tmp, name)

    def assertNoOutput(self, out):
        self.assertFalse(os.path.exists(out), f"{out} must not exist")
        self.assertNoPartFiles(out)

    def assertNoPartFiles(self, out):
        """No temporary file of `out` (<out>.part or <out>.<tag>.part) is left."""
        self.assertEqual(part_files(out), [], "no partial output may be left")
