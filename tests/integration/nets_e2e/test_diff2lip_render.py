"""End to end: `render --lip-sync diff2lip` with random Diff2Lip weights
(natural motion, still mode, GFPGAN after it) gives a valid MP4 of the
audio's duration, and only the lower face differs from the motion stage's
frame (the same render with the built-in mouth at gain 0: head motion and
blinks, the photo's own mouth). Bad input: a tiny face, an impossible step
count, the licence policy.

Diff2Lip's weights are converted from an official-layout checkpoint of random
weights when a Python with PyTorch is there (the real path), else written by
the net itself. Diffusion on a CPU is slow (about 2 s per UNet call per frame here), so the
clip is 0.4 s at 5 fps (2 frames) with 2 DDIM steps.
"""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

from nets_fixtures import BIN, TORCH_PYTHON, TempDirTest, convert, make_checkpoint, run
from test_render_e2e import (SIZE, frames_rgb, photo_and_speech, probe, region_mad,
                             require_render_inputs)

FPS = 5
STEPS = "2"


def changed_band(a, b, threshold=12):
    """(first, last) row of the middle 95% of the values that differ by more
    than `threshold` between frames a and b (the encoder's scattered
    one-off differences elsewhere fall outside it), or None."""
    rows = []
    for y in range(SIZE):
        o = y * SIZE * 3
        rows += [y] * sum(1 for i in range(o, o + SIZE * 3) if abs(a[i] - b[i]) > threshold)
    if len(rows) < 100:
        return None
    return rows[len(rows) * 25 // 1000], rows[len(rows) * 975 // 1000]


def frames_rgb_any(path):
    """Decoded frames of a video of any size (count only)."""
    p = run(["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
             "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path])
    return range(int(p.stdout.strip()))


class Diff2LipRender(TempDirTest):
    models = None  # made once for the class

    def setUp(self):
        super().setUp()
        self.photo, speech = require_render_inputs(self)
        self.audio = os.path.join(self.tmp, "speech.wav")
        run(["ffmpeg", "-v", "error", "-y", "-i", speech, "-ss", "0.5", "-t", "0.4", "-ac", "1",
             self.audio])
        if Diff2LipRender.models is None:
            Diff2LipRender.models = self.make_models()
        self.models = Diff2LipRender.models

    @classmethod
    def tearDownClass(cls):
        if cls.models:
            shutil.rmtree(cls.models, ignore_errors=True)

    def make_models(self):
        """face-api, Diff2Lip converted from an official-layout checkpoint
        (random weights; written by the net itself without a PyTorch Python)
        and random GFPGAN weights, once for the class (about 500 MB)."""
        base = os.environ.get("AVATAR_TEST_TMP") or tempfile.gettempdir()
        models = os.path.join(base, "diff2lip-render-%d" % os.getpid())
        shutil.rmtree(models, ignore_errors=True)
        os.makedirs(os.path.join(models, "diff2lip"))
        os.makedirs(os.path.join(models, "gfpgan"))
        face_api = os.path.join(os.environ.get("AVATAR_MODELS_DIR", ""), "face-api")
        if os.path.isdir(face_api):
            os.symlink(face_api, os.path.join(models, "face-api"))
        target = os.path.join(models, "diff2lip", "diff2lip.safetensors")
        if TORCH_PYTHON:
            convert("diff2lip", make_checkpoint(self.tmp, "diff2lip", "plain", "zip"), target)
        else:
            run([BIN, "nets", "random-weights", "--net", "diff2lip", "--out", target])
        run([BIN, "nets", "random-weights", "--net", "gfpgan", "--out",
             os.path.join(models, "gfpgan", "GFPGANv1.4.safetensors")])
        return models

    def render(self, out, *flags, size=SIZE, code=0):
        p = run([BIN, "render", "--image", self.photo, "--audio", self.audio, "-o", out,
                 "--models-dir", self.models, "--size", f"{size}x{size}", "--fps", str(FPS),
                 "--progress", "json", *flags], check=False)
        self.assertEqual(p.returncode, code, p.stderr[-3000:])
        return p

    def video(self, out):
        info = probe(out)
        self.assertIn("video", info["codec_type"])
        self.assertIn("audio", info["codec_type"])
        self.assertAlmostEqual(float(info["duration"][0]), 0.4, delta=1.0 / FPS + 0.1)
        frames = frames_rgb(out)
        self.assertGreaterEqual(len(frames), 2)
        return frames

    def success(self, p):
        return json.loads(p.stderr.strip().splitlines()[-1])

    def test_only_the_lower_face_changes_after_motion(self):
        for mode in ("natural", "still"):
            with self.subTest(head_motion=mode):
                d2l, base = (os.path.join(self.tmp, f"{mode}-{n}.mp4") for n in ("d2l", "base"))
                p = self.render(d2l, "--lip-sync", "diff2lip", "--diffusion-steps", STEPS,
                                "--head-motion", mode, "--seed", "3")
                self.assertIn(f"diff2lip: {STEPS} DDIM steps, seed 3", self.success(p)["notes"])
                self.render(base, "--lip-sync", "builtin", "--mouth-gain", "0", "--head-motion",
                            mode, "--seed", "3")
                fd, fb = self.video(d2l), self.video(base)
                for k in range(2):
                    band = changed_band(fd[k], fb[k])
                    self.assertIsNotNone(band, "diff2lip did not change the frame")
                    # The change is a band of the lower face (nose to chin):
                    # below the frame's top 30% and under a third of its height.
                    print(f"[diff2lip] {mode} frame {k}: changed rows {band}")
                    self.assertGreater(band[0], SIZE * 0.3, band)
                    self.assertLess(band[1] - band[0], SIZE / 3, band)
                    self.assertLess(region_mad(fd[k], fb[k], 0, 0, SIZE, int(SIZE * 0.3)), 1.0,
                                    "pixels above the face changed")

    def test_enhancer_after_diff2lip_and_determinism(self):
        a, b, e = (os.path.join(self.tmp, n + ".mp4") for n in ("a", "b", "e"))
        common = ("--lip-sync", "diff2lip", "--diffusion-steps", STEPS, "--head-motion", "still")
        self.render(a, *common)
        self.render(b, *common)
        fa, fb = self.video(a), self.video(b)
        self.assertEqual(fa, fb, "the same seed gives identical frames")
        self.render(e, *common, "--enhancer", "gfpgan", "--enhancer-strength", "1")
        fe = self.video(e)
        centre = region_mad(fa[1], fe[1], SIZE // 3, SIZE // 3, 2 * SIZE // 3, 2 * SIZE // 3)
        corner = region_mad(fa[1], fe[1], 0, 0, 12, 12)
        self.assertGreater(centre, 5.0, "GFPGAN did not repaint the face after diff2lip")
        self.assertLess(corner, 3.0, "GFPGAN changed pixels far from the face")

    def test_face_at_the_frame_edge_renders_or_fails_clearly(self):
        # The photo cropped through the face: its box leaves the frame on the
        # right. Diff2Lip works on the part inside (the crop is clamped), or
        # the face is not found; never a crash or a partial file.
        edge = os.path.join(self.tmp, "edge.png")
        run(["ffmpeg", "-v", "error", "-y", "-i", self.photo, "-vf",
             "crop=iw*0.56:ih*0.8:0:0", edge])
        out = os.path.join(self.tmp, "edge.mp4")
        p = run([BIN, "render", "--image", edge, "--audio", self.audio, "-o", out,
                 "--models-dir", self.models, "--fps", str(FPS), "--lip-sync", "diff2lip",
                 "--diffusion-steps", STEPS, "--progress", "json"], check=False)
        self.assertIn(p.returncode, (0, 12), p.stderr[-2000:])
        if p.returncode == 0:
            self.assertGreaterEqual(len(frames_rgb_any(out)), 2)
        else:
            self.assertIn("face", p.stderr)
            self.assertFalse(os.path.exists(out))
        self.assertEqual([n for n in os.listdir(self.tmp) if n.endswith(".part")], [])

    def peak_rss_mb(self, seconds, out):
        """Peak RSS of one 2048x2048 Diff2Lip render of `seconds` of speech."""
        audio = os.path.join(self.tmp, f"long-{seconds}.wav")
        speech = photo_and_speech()[1]
        run(["ffmpeg", "-v", "error", "-y", "-stream_loop", "-1", "-i", speech, "-t",
             str(seconds), "-ac", "1", audio])
        child = subprocess.Popen(
            [BIN, "render", "--image", self.photo, "--audio", audio, "-o", out, "--models-dir",
             self.models, "--size", "2048x2048", "--fps", "2", "--lip-sync", "diff2lip",
             "--diffusion-steps", "2", "--diffusion-batch", "1", "--preset", "ultrafast",
             "--progress", "none"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        err = child.stderr.read().decode(errors="replace")
        child.stderr.close()
        self.assertEqual(child.returncode, 0, err[-2000:])
        return usage.ru_maxrss / 1024.0

    def test_long_clip_memory_is_bounded(self):
        # Frames are streamed through the chain and the encoder, not held: 16
        # frames of 12 MB each peak no higher than 2 frames, within a few frames.
        short = self.peak_rss_mb(1, os.path.join(self.tmp, "short.mp4"))
        long = self.peak_rss_mb(8, os.path.join(self.tmp, "long.mp4"))
        print(f"[diff2lip] peak RSS 2 frames {short:.0f} MB, 16 frames {long:.0f} MB")
        self.assertLess(long - short, 100, "memory grows with the clip's length")

    def test_bad_requests_fail_before_rendering(self):
        out = os.path.join(self.tmp, "bad.mp4")
        # A face below 64 px in the output frame.
        p = self.render(out, "--lip-sync", "diff2lip", size=64, code=12)
        self.assertIn("Diff2Lip needs at least 64 px", p.stderr)
        # 240 steps: no integer stride of 1000 gives exactly 240 timesteps.
        p = self.render(out, "--lip-sync", "diff2lip", "--diffusion-steps", "240", code=2)
        self.assertIn("diffusionSteps", p.stderr)
        # CC-BY-NC weights under the commercial policy: refused, naming the licence.
        p = self.render(out, "--lip-sync", "diff2lip", "--licence", "commercial", code=2)
        self.assertIn("CC-BY-NC-4.0", p.stderr)
        self.assertFalse(os.path.exists(out))
        self.assertEqual([n for n in os.listdir(self.tmp) if n.endswith(".part")], [])


if __name__ == "__main__":
    unittest.main()
