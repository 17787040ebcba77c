"""End to end: `render --quality-mode real_time` through Wav2Lip, and
`--enhancer gfpgan`, with converted random weights, produce valid MP4s of the
right duration.

A render whose frames never change (Wav2Lip not used) or whose face is not
repainted (GFPGAN not used) is a failure.
"""

import os
import shutil
import subprocess
import unittest

from nets_fixtures import (BIN, TORCH_PYTHON, TempDirTest, convert, make_checkpoint,
                           photo_and_speech, require_binary, run)

SIZE = 256  # output frames are SIZE x SIZE


def require_render_inputs(test):
    """Skips `test` without the binary, ffmpeg/ffprobe or a photo and speech;
    else returns (photo, speech)."""
    require_binary(test)
    for tool in ("ffmpeg", "ffprobe"):
        if not shutil.which(tool):
            test.skipTest(f"{tool} not installed")
    photo, speech = photo_and_speech()
    if not photo:
        test.skipTest("no test photo/speech: AVATAR_TESTDATA and demo/ are both absent")
    return photo, speech


def probe(path):
    p = run(["ffprobe", "-v", "error", "-show_entries",
             "stream=codec_type,codec_name,width,height,nb_frames:format=duration",
             "-of", "default=noprint_wrappers=1", path])
    info = {}
    for line in p.stdout.splitlines():
        k, _, v = line.partition("=")
        info.setdefault(k, []).append(v)
    return info


def frames_rgb(path):
    """Every decoded frame as raw RGB bytes."""
    p = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24",
                        "-"], capture_output=True, timeout=300, check=True)
    n = SIZE * SIZE * 3
    return [p.stdout[i:i + n] for i in range(0, len(p.stdout) - n + 1, n)]


def changed_values(a, b, threshold=4):
    """How many RGB values differ by more than `threshold` between two frames."""
    return sum(1 for x, y in zip(a, b) if abs(x - y) > threshold)


def region_mad(a, b, x0, y0, x1, y1):
    """Mean absolute difference of two RGB frames over a rectangle."""
    total, count = 0, 0
    for y in range(y0, y1):
        row = (y * SIZE) * 3
        for i in range(row + x0 * 3, row + x1 * 3):
            total += abs(a[i] - b[i])
            count += 1
    return total / count


class RenderWithNets(TempDirTest):
    def setUp(self):
        super().setUp()
        self.photo, speech = require_render_inputs(self)
        self.audio = os.path.join(self.tmp, "speech.wav")
        run(["ffmpeg", "-v", "error", "-y", "-i", speech, "-t", "1.2", "-ac", "1", self.audio])
        self.models = os.path.join(self.tmp, "models")
        os.makedirs(self.models)
        face_api = os.path.join(os.environ.get("AVATAR_MODELS_DIR", ""), "face-api")
        if os.path.isdir(face_api):
            os.symlink(face_api, os.path.join(self.models, "face-api"))
        for model, path in (("wav2lip", "wav2lip/wav2lip_gan.safetensors"),
                            ("gfpgan", "gfpgan/GFPGANv1.4.safetensors")):
            target = os.path.join(self.models, path)
            os.makedirs(os.path.dirname(target))
            if TORCH_PYTHON:  # the real path: an official-layout checkpoint, converted
                ckpt = make_checkpoint(self.tmp, model, model, "zip")
                convert(model, ckpt, target)
            else:
                run([BIN, "nets", "random-weights", "--net", model, "--out", target])

    def render(self, out, *flags):
        p = run([BIN, "render", "--image", self.photo, "--audio", self.audio, "-o", out,
                 "--models-dir", self.models, "--size", f"{SIZE}x{SIZE}", "--progress", "json",
                 *flags], check=False)
        self.assertEqual(p.returncode, 0, p.stderr[-3000:])
        return p

    def check_video(self, out, fps):
        info = probe(out)
        self.assertIn("video", info["codec_type"])
        self.assertIn("audio", info["codec_type"])
        self.assertEqual(info["width"][0], str(SIZE))
        duration = float(info["duration"][0])
        self.assertAlmostEqual(duration, 1.2, delta=1.0 / fps + 0.1)
        frames = frames_rgb(out)
        self.assertGreaterEqual(len(frames), int(1.2 * fps) - 1)
        return frames

    def require_lip_motion(self, frames):
        # Random Wav2Lip weights redraw the mouth a little differently for each
        # mel window; a still photo encodes to identical frames.
        moving = max(changed_values(frames[0], f) for f in frames[1:])
        self.assertGreaterEqual(moving, 200, "frames do not change: the mouth is not animated")

    def test_real_time_renders_through_wav2lip(self):
        out = os.path.join(self.tmp, "real_time.mp4")
        p = self.render(out, "--quality-mode", "real_time")
        self.assertNotIn("wav2lip not used", p.stderr)
        frames = self.check_video(out, 25)
        self.require_lip_motion(frames)

    def test_gfpgan_enhancer_changes_the_face_only(self):
        plain = os.path.join(self.tmp, "plain.mp4")
        enhanced = os.path.join(self.tmp, "enhanced.mp4")
        common = ("--quality-mode", "high_quality", "--lip-sync", "wav2lip", "--fps", "5")
        self.render(plain, *common)
        frames_plain = self.check_video(plain, 5)
        self.render(enhanced, *common, "--enhancer", "gfpgan", "--enhancer-strength", "1")
        frames_enh = self.check_video(enhanced, 5)
        # Random GFPGAN weights repaint the face; the frame corners stay.
        centre = region_mad(frames_plain[1], frames_enh[1], SIZE // 3, SIZE // 3,
                            2 * SIZE // 3, 2 * SIZE // 3)
        corner = region_mad(frames_plain[1], frames_enh[1], 0, 0, 12, 12)
        self.assertGreater(centre, 5.0, "the enhancer did not change the face")
        self.assertLess(corner, 3.0, "the enhancer changed pixels far from the face")


if __name__ == "__main__":
    unittest.main()
