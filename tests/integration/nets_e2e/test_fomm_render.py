"""End to end: `render --motion-backend fomm` with random FOMM weights
(converted from an official-layout vox-cpk.pth.tar when a Python with
PyTorch is there, the real path; else written by the net itself), with and
without a driver video, with Wav2Lip, Diff2Lip and GFPGAN after it: valid
MP4s of the audio's duration. FOMM animates a crop around the face and pastes it back: pixels far
from the face stay the photo's; the options relative/absolute reach the net.

The driver video is rendered by the built-in renderer (the test photo with
large head motion). Random weights make noise of the face; the tests check
the pipeline, not the look. CPU FOMM is about 1.5 s a frame here, so clips
are 0.8 s at 5 fps (4 frames).
"""

import json
import os
import shutil
import tempfile
import unittest

from nets_fixtures import BIN, TORCH_PYTHON, TempDirTest, convert, run
from test_fomm_eval import MAKE_VOX_CPK
from test_render_e2e import SIZE, frames_rgb, probe, region_mad, require_render_inputs

FPS = 5
SECONDS = 0.8


class FommRender(TempDirTest):
    shared = None  # (models, driver), made once for the class

    def setUp(self):
        super().setUp()
        self.photo, speech = require_render_inputs(self)
        self.audio = os.path.join(self.tmp, "speech.wav")
        run(["ffmpeg", "-v", "error", "-y", "-i", speech, "-ss", "0.3", "-t", str(SECONDS), "-ac",
             "1", self.audio])
        if FommRender.shared is None:
            FommRender.shared = self.make_shared()
        self.models, self.driver = FommRender.shared

    @classmethod
    def tearDownClass(cls):
        if cls.shared:
            shutil.rmtree(os.path.dirname(cls.shared[0]), ignore_errors=True)

    def make_shared(self):
        base = os.path.join(os.environ.get("AVATAR_TEST_TMP") or tempfile.gettempdir(),
                            "fomm-render-%d" % os.getpid())
        shutil.rmtree(base, ignore_errors=True)
        models = os.path.join(base, "models")
        os.makedirs(os.path.join(models, "fomm"))
        for d in ("wav2lip", "diff2lip", "gfpgan"):
            os.makedirs(os.path.join(models, d))
        face_api = os.path.join(os.environ.get("AVATAR_MODELS_DIR", ""), "face-api")
        if os.path.isdir(face_api):
            os.symlink(face_api, os.path.join(models, "face-api"))
        target = os.path.join(models, "fomm", "vox-cpk.safetensors")
        if TORCH_PYTHON:
            weights = os.path.join(base, "fomm-random.safetensors")
            run([BIN, "nets", "random-weights", "--net", "fomm", "--seed", "3", "--out", weights])
            ckpt = os.path.join(base, "vox-cpk.pth.tar")
            run([TORCH_PYTHON, "-c", MAKE_VOX_CPK, weights, ckpt])
            convert("fomm", ckpt, target)
        else:
            run([BIN, "nets", "random-weights", "--net", "fomm", "--seed", "3", "--out", target])
        for net, path in (("wav2lip", "wav2lip/wav2lip_gan.safetensors"),
                          ("diff2lip", "diff2lip/diff2lip.safetensors"),
                          ("gfpgan", "gfpgan/GFPGANv1.4.safetensors")):
            run([BIN, "nets", "random-weights", "--net", net, "--out", os.path.join(models, path)])
        driver = os.path.join(base, "driver.mp4")
        run([BIN, "render", "--image", self.photo, "--audio", self.audio, "-o", driver,
             "--size", "256x256", "--motion-scale", "3", "--progress", "none"])
        return models, driver

    def render(self, out, *flags, code=0):
        p = run([BIN, "render", "--image", self.photo, "--audio", self.audio, "-o", out,
                 "--models-dir", self.models, "--size", f"{SIZE}x{SIZE}", "--fps", str(FPS),
                 "--progress", "json", *flags], check=False)
        self.assertEqual(p.returncode, code, p.stderr[-3000:])
        return json.loads(p.stderr.strip().splitlines()[-1])

    def video(self, out):
        info = probe(out)
        self.assertIn("video", info["codec_type"])
        self.assertIn("audio", info["codec_type"])
        self.assertAlmostEqual(float(info["duration"][0]), SECONDS, delta=1.0 / FPS + 0.1)
        frames = frames_rgb(out)
        self.assertEqual(len(frames), round(SECONDS * FPS))
        return frames

    def test_audio_driven_fomm_keeps_the_frame_outside_the_face(self):
        out, still = (os.path.join(self.tmp, n) for n in ("fomm.mp4", "still.mp4"))
        done = self.render(out, "--motion-backend", "fomm")
        self.assertEqual(done["frames"], round(SECONDS * FPS))
        self.assertNotIn("motion: builtin", " ".join(done["notes"]))
        frames = self.video(out)
        self.render(still, "--motion-backend", "builtin", "--still", "--mouth-gain", "0")
        base = self.video(still)[0]
        # The face's crop is FOMM's (random weights: far from the photo) ...
        centre = region_mad(frames[0], base, SIZE * 3 // 8, SIZE * 3 // 8, SIZE * 5 // 8,
                            SIZE * 5 // 8)
        # ... the bottom corners (outside the crop) are the photo's.
        corner = region_mad(frames[0], base, 0, SIZE - 16, 16, SIZE)
        print(f"[fomm] audio-driven: centre MAD {centre:.1f}, corner MAD {corner:.1f}")
        self.assertGreater(centre, 10, "FOMM did not paint the face")
        self.assertLess(corner, 2.0, "FOMM changed pixels far from the face")

    def test_driver_video_with_fomm_and_wav2lip_on_top(self):
        out, w2l = (os.path.join(self.tmp, n) for n in ("driven.mp4", "w2l.mp4"))
        done = self.render(out, "--driver-video", self.driver, "--lip-sync", "builtin")
        notes = " ".join(done["notes"])
        self.assertIn("motion: fomm (auto choice)", notes)
        self.assertIn("driver: ", notes)
        fomm = self.video(out)
        self.render(w2l, "--driver-video", self.driver, "--lip-sync", "wav2lip")
        mouth = self.video(w2l)
        # Wav2Lip repaints the lower half of the moved face's box; above the
        # box the frame is FOMM's.
        lower = region_mad(fomm[1], mouth[1], SIZE // 4, SIZE // 2, SIZE * 3 // 4, SIZE * 7 // 8)
        top = region_mad(fomm[1], mouth[1], 0, 0, SIZE, SIZE // 8)
        print(f"[fomm] + wav2lip: lower face MAD {lower:.1f}, top MAD {top:.1f}")
        self.assertGreater(lower, 1.0, "Wav2Lip did not paint over FOMM's frame")
        self.assertLess(top, 1.0)

    def test_diff2lip_and_gfpgan_after_fomm(self):
        plain, d2l, enh = (os.path.join(self.tmp, n) for n in ("p.mp4", "d.mp4", "e.mp4"))
        self.render(plain, "--motion-backend", "fomm", "--lip-sync", "builtin")
        self.render(d2l, "--motion-backend", "fomm", "--lip-sync", "diff2lip",
                    "--diffusion-steps", "2")
        done = self.render(enh, "--motion-backend", "fomm", "--lip-sync", "builtin",
                           "--enhancer", "gfpgan", "--enhancer-strength", "1")
        self.assertEqual(done["frames"], round(SECONDS * FPS))
        p, d, e = self.video(plain), self.video(d2l), self.video(enh)
        lower = region_mad(p[1], d[1], SIZE // 4, SIZE // 2, SIZE * 3 // 4, SIZE * 7 // 8)
        face = region_mad(p[1], e[1], SIZE // 3, SIZE // 3, SIZE * 2 // 3, SIZE * 2 // 3)
        print(f"[fomm] + diff2lip lower face MAD {lower:.1f}; + gfpgan face MAD {face:.1f}")
        self.assertGreater(lower, 1.0, "Diff2Lip did not paint over FOMM's frame")
        self.assertGreater(face, 3.0, "GFPGAN did not repaint FOMM's face")

    def test_relative_and_absolute_keypoints_differ(self):
        rel, ab = (os.path.join(self.tmp, n) for n in ("rel.mp4", "abs.mp4"))
        self.render(rel, "--driver-video", self.driver, "--motion-backend", "fomm")
        self.render(ab, "--driver-video", self.driver, "--motion-backend", "fomm",
                    "--fomm-movement", "absolute", "--fomm-scale", "none")
        a, b = self.video(rel), self.video(ab)
        self.assertNotEqual(a[2], b[2], "fommMovement did not reach the keypoints")

    def test_fomm_refused_under_the_commercial_policy(self):
        out = os.path.join(self.tmp, "refused.mp4")
        p = run([BIN, "render", "--image", self.photo, "--audio", self.audio, "-o", out,
                 "--models-dir", self.models, "--motion-backend", "fomm", "--licence",
                 "commercial"], check=False)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("licence", p.stderr)
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main()
