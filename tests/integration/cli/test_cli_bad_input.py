"""Bad input to `avatar-renderer render`: each case gets a clear message that
names the input, its own documented exit code, no crash, and nothing at the
output path."""

import os
import shutil
import struct
import zlib

from avatar_cli import TempDirTestCase, demo_input, json_lines, run, testdata, tool

# Documented exit codes (README, `avatar-renderer --help`).
EXIT = {"usage": 2, "not_found": 3, "not_readable": 4, "empty": 5, "unsupported": 6,
        "too_large": 7, "no_audio_stream": 8, "audio_empty": 9, "output_not_writable": 10,
        "output_same_as_input": 11}


def png_claiming(width, height):
    ihdr = b"IHDR" + struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + ihdr +
            struct.pack(">I", zlib.crc32(ihdr)) + b"\x00\x00\x00\x04IDAT\x01\x02\x03\x04\x00\x00\x00\x00")


class BadInput(TempDirTestCase):
    def setUp(self):
        super().setUp()
        self.image = testdata("faces/people_0.png") or demo_input("astronaut.png")
        self.audio = testdata("audio/hello.wav") or demo_input("speech.wav")
        if not self.image or not self.audio:
            self.skipTest("no real photo/speech available (../shared/testdata or demo/)")
        self.out = self.path("out.mp4")

    def write(self, name, data):
        p = self.path(name)
        with open(p, "wb") as f:
            f.write(data)
        return p

    def render(self, image=None, audio=None, out=None, extra=()):
        return run(["render", "--image", image or self.image, "--audio", audio or self.audio,
                    "-o", out or self.out, "--size", "96x96", "--progress", "json", *extra])

    def check(self, result, code_name, subject, out=None):
        out = out or self.out
        self.assertEqual(result.returncode, EXIT[code_name], result.stderr)
        events = json_lines(result.stderr)
        failure = events[-1]
        self.assertEqual(failure["event"], "failure")
        self.assertEqual(failure["exitCode"], EXIT[code_name])
        self.assertIn(subject, failure["message"], "the message names the input")
        self.assertNoOutput(out)
        return failure

    # Photo problems.
    def test_missing_photo(self):
        missing = self.path("nope.png")
        f = self.check(self.render(image=missing), "not_found", missing)
        self.assertIn("not found", f["message"])

    def test_directory_as_photo(self):
        self.check(self.render(image=self.tmp), "not_readable", self.tmp)

    def test_corrupt_photo(self):
        bad = self.write("corrupt.png", os.urandom(2048))
        self.check(self.render(image=bad), "unsupported", bad)

    def test_truncated_photo(self):
        with open(self.image, "rb") as f:
            data = f.read()
        cut = self.write("cut.png", data[: len(data) // 3])
        f = self.check(self.render(image=cut), "unsupported", cut)
        self.assertIn("truncated", f["message"])

    def test_photo_header_claims_30000x30000(self):
        huge = self.write("huge.png", png_claiming(30000, 30000))
        f = self.check(self.render(image=huge), "too_large", huge)
        self.assertIn("30000x30000", f["message"])

    def test_zero_length_photo(self):
        empty = self.write("empty.jpg", b"")
        self.check(self.render(image=empty), "empty", empty)

    # Audio problems.
    def test_corrupt_audio(self):
        bad = self.write("corrupt.wav", bytes((i * 7919 >> 3) & 0xFF for i in range(8192)))
        self.check(self.render(audio=bad), "unsupported", bad)

    def test_empty_audio(self):
        empty = self.path("silence0.wav")
        tool("ffmpeg", "-y", "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "0", empty)
        self.check(self.render(audio=empty), "audio_empty", empty)

    def test_zero_length_audio(self):
        zero = self.write("zero.mp3", b"")
        self.check(self.render(audio=zero), "empty", zero)

    def test_video_without_audio_stream(self):
        video = self.path("silent.mp4")
        tool("ffmpeg", "-y", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x64:rate=25:duration=1",
             "-c:v", "libx264", video)
        f = self.check(self.render(audio=video), "no_audio_stream", video)
        self.assertIn("no audio stream", f["message"])

    def test_missing_audio(self):
        missing = self.path("nope.wav")
        self.check(self.render(audio=missing), "not_found", missing)

    # Output problems.
    def test_unwritable_output_directory(self):
        if os.geteuid() == 0:
            out = "/sys/avatar-out.mp4"  # root ignores permissions; sysfs refuses new files
        else:
            ro = self.path("readonly")
            os.mkdir(ro, 0o555)
            out = os.path.join(ro, "out.mp4")
        self.check(self.render(out=out), "output_not_writable", os.path.dirname(out), out=out)

    def test_missing_output_directory(self):
        out = self.path("no/such/dir/out.mp4")
        self.check(self.render(out=out), "output_not_writable", out, out=out)

    def test_output_same_as_input(self):
        copy = self.path("speech.mp4")
        tool("ffmpeg", "-y", "-v", "error", "-i", self.audio, "-c:a", "aac", copy)
        with open(copy, "rb") as f:
            before = f.read()
        r = self.render(audio=copy, out=copy)
        self.assertEqual(r.returncode, EXIT["output_same_as_input"], r.stderr)
        self.assertIn(copy, json_lines(r.stderr)[-1]["message"])
        with open(copy, "rb") as f:
            self.assertEqual(f.read(), before, "the input must be untouched")
        self.assertFalse(os.path.exists(copy + ".part"))

    # Command-line problems.
    def test_bad_option_values_name_the_flag(self):
        for args, needle in ((["--fps", "0"], "fps"), (["--fps", "abc"], "--fps"),
                             (["--quality-mode", "ultra"], "qualityMode"),
                             (["--size", "12by12"], "--size")):
            r = self.render(extra=args)
            self.assertEqual(r.returncode, EXIT["usage"], args)
            self.assertIn(needle, r.stderr)
            self.assertNoOutput(self.out)

    def test_bad_preset_file(self):
        preset = self.write("p.json", b'{"mouthGain": 3, "wobble": 1}')
        r = self.render(extra=["--options", preset])
        self.assertEqual(r.returncode, EXIT["usage"])
        self.assertIn("wobble", r.stderr)
        self.assertIn(preset, r.stderr)
        r = self.render(extra=["--options", self.path("nope.json")])
        self.assertEqual(r.returncode, EXIT["not_found"])
