"""Hostile input to `avatar-renderer render` (issue 12, engine and CLI half),
through the real binary: sizes taken from headers, non-UTF-8 file names,
signals and concurrent writers, bad sample values and unbounded resources.
Each case gets a documented exit code (never a crash), a message naming the
input and the reason, and nothing left at the output path."""

import json
import math
import os
import signal
import struct
import subprocess
import wave

from avatar_cli import (BIN, TempDirTestCase, demo_input, ffprobe, json_lines, media_duration,
                        part_files, run, stream, testdata, tool)

EXIT = {"ok": 0, "usage": 2, "unsupported": 6, "cancelled": 130, "too_large": 18, "too_long": 19}


def sine(seconds, rate=16000, freq=220.0):
    n = int(seconds * rate)
    return [0.4 * math.sin(2 * math.pi * freq * i / rate) for i in range(n)]


def write_pcm16_wav(path, samples, rate):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<h", int(max(-1, min(1, s)) * 32767)) for s in samples))


def write_float_wav(path, samples, rate):
    """IEEE float (format 3) mono WAV: the only kind that can hold NaN/Inf."""
    data = struct.pack("<%df" % len(samples), *samples)
    fmt = struct.pack("<HHIIHH", 3, 1, rate, rate * 4, 4, 32)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + \
        struct.pack("<I", len(data)) + data
    with open(path, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", len(body)) + body)


def decoded_audio(path):
    """The audio track of a file as float samples, decoded by ffmpeg."""
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-f", "f32le", "-ac", "1", "-"],
                         check=True, capture_output=True).stdout
    return struct.unpack("<%df" % (len(raw) // 4), raw)


class Hardening(TempDirTestCase):
    def setUp(self):
        super().setUp()
        self.image = testdata("faces/people_0.png") or demo_input("astronaut.png")
        self.audio = testdata("audio/hello.wav") or demo_input("speech.wav")
        if not self.image or not self.audio:
            self.skipTest("no real photo/speech available (../shared/testdata or demo/)")
        self.out = self.path("out.mp4")

    def render(self, image=None, audio=None, out=None, extra=(), **kw):
        return run(["render", "--image", image or self.image, "--audio", audio or self.audio,
                    "-o", out or self.out, "--size", "96x96", "--progress", "json", *extra], **kw)

    def failure(self, result, code_name, subject, out=None):
        self.assertEqual(result.returncode, EXIT[code_name], result.stderr)
        failure = json_lines(result.stderr)[-1]
        self.assertEqual(failure["event"], "failure")
        self.assertEqual(failure["exitCode"], EXIT[code_name])
        self.assertIn(subject, failure["message"], "the message names the input")
        self.assertNoOutput(out or self.out)
        return failure

    def success(self, result, out=None):
        self.assertEqual(result.returncode, 0, result.stderr)
        out = out or self.out
        self.assertTrue(os.path.exists(out))
        self.assertNoPartFiles(out)
        return json_lines(result.stderr)

    # 1. Sizes taken from untrusted headers.
    def test_wav_at_1_hz_or_268_mhz_is_refused_not_allocated(self):
        wav = self.path("one_hz.wav")
        write_pcm16_wav(wav, [0.1 * ((i % 7) - 3) for i in range(500000)], 1)  # 1 MB, 5.8 days
        f = self.failure(self.render(audio=wav), "unsupported", wav)
        self.assertIn("1 Hz", f["message"])
        fast = self.path("268_mhz.wav")  # found by fuzz_audio_probe: minutes in swr_init
        write_float_wav(fast, sine(0.01), 268443456)
        f = self.failure(self.render(audio=fast, timeout=60), "unsupported", fast)
        self.assertIn("268443456 Hz", f["message"])

    def test_container_claiming_an_enormous_duration_renders_what_is_there(self):
        wav = self.path("claims_days.wav")
        write_pcm16_wav(wav, sine(1.5), 16000)
        with open(wav, "r+b") as f:  # RIFF and data sizes claim ~37 hours
            f.seek(4)
            f.write(struct.pack("<I", 0xFFFFFF00))
            f.seek(40)
            f.write(struct.pack("<I", 0xFFFFFF00 - 36))
        events = self.success(self.render(audio=wav))
        self.assertAlmostEqual(events[-1]["durationSec"], 1.5, delta=0.1)
        self.assertAlmostEqual(media_duration(self.out), 1.5, delta=0.1)

    def test_audio_longer_than_the_limit_is_input_too_long(self):
        wav = self.path("twelve_seconds.wav")
        write_pcm16_wav(wav, sine(12), 16000)
        f = self.failure(self.render(audio=wav, extra=["--max-audio-sec", "5"]), "too_long", wav)
        self.assertEqual(f["code"], "InputTooLong")
        self.assertIn("5 s", f["message"])
        self.success(self.render(audio=wav, extra=["--max-audio-sec", "13"]))

    def test_max_audio_sec_is_bounded(self):
        for bad in ("0", "-3", "abc", "86401", "nan"):
            r = self.render(extra=["--max-audio-sec", bad])
            self.assertEqual(r.returncode, EXIT["usage"], bad)
            self.assertIn("--max-audio-sec", r.stderr)
            self.assertNoOutput(self.out)

    # 2. Non-UTF-8 bytes: file names are bytes on Linux.
    def test_latin1_file_names_render_and_every_json_line_is_utf8(self):
        tmp = os.fsencode(self.tmp)
        image = os.path.join(tmp, b"visage-\xe9t\xe9.png")
        audio = os.path.join(tmp, b"parole-\xe0.wav")
        out = os.path.join(tmp, b"r\xe9sultat.mp4")
        visemes = os.path.join(tmp, b"l\xe8vres.json")
        with open(self.image, "rb") as src, open(image, "wb") as dst:
            dst.write(src.read())
        with open(self.audio, "rb") as src, open(audio, "wb") as dst:
            dst.write(src.read())
        r = subprocess.run([BIN, "render", "-i", image, "-a", audio, "-o", out, "--size", "96x96",
                            "--progress", "json", "--export-visemes", visemes],
                           capture_output=True, timeout=300)
        err = r.stderr.decode("utf-8")  # strict: raises on any invalid byte
        self.assertEqual(r.returncode, 0, err)
        events = json_lines(err)
        self.assertEqual(events[0]["event"], "start")
        self.assertIn("visage-\\xE9t\\xE9.png", events[0]["image"])
        self.assertEqual(events[-1]["event"], "success")
        self.assertTrue(os.path.exists(out), "the output is written at the exact bytes given")
        self.assertIsNotNone(stream(ffprobe(out), "video"))
        self.assertNoPartFiles(out)
        with open(visemes, "rb") as f:
            track = json.loads(f.read().decode("utf-8"))
        self.assertIn("parole-\\xE0.wav", track["metadata"]["soundFile"])
        # --print-options with such paths is valid JSON too.
        r = subprocess.run([BIN, "render", "-i", image, "-a", audio, "-o", out, "--print-options"],
                           capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        json.loads(r.stdout.decode("utf-8"))

    def test_missing_latin1_file_gets_a_utf8_json_failure_naming_it(self):
        missing = os.path.join(os.fsencode(self.tmp), b"caf\xe9.png")
        r = subprocess.run([BIN, "render", "-i", missing, "-a", self.audio, "-o", self.out,
                            "--progress", "json"], capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 3)
        failure = json_lines(r.stderr.decode("utf-8"))[-1]
        self.assertEqual(failure["code"], "InputNotFound")
        self.assertIn("caf\\xE9.png", failure["message"])
        self.assertNoOutput(self.out)

    def test_non_utf8_option_value_is_a_usage_error(self):
        r = subprocess.run([BIN, "render", "-i", self.image, "-a", self.audio, "-o", self.out,
                            "--quality-mode", b"ultr\xe0", "--progress", "json"],
                           capture_output=True, timeout=60)
        self.assertEqual(r.returncode, EXIT["usage"], r.stderr)
        failure = json_lines(r.stderr.decode("utf-8"))[-1]
        self.assertIn("qualityMode", failure["message"])
        self.assertNoOutput(self.out)

    # 8. Signals and concurrent writers.
    def long_render(self, out, stderr=subprocess.PIPE):
        audio = self.path("long.wav")
        if not os.path.exists(audio):
            tool("ffmpeg", "-y", "-v", "error", "-f", "lavfi", "-i", "sine=f=200:d=120", audio)
        return subprocess.Popen([BIN, "render", "-i", self.image, "-a", audio, "-o", out,
                                 "--preset", "slow", "--progress", "json"],
                                stderr=stderr, text=True)

    def wait_for_render_stage(self, p, out):
        for line in p.stderr:
            if '"stage":"render"' in line and part_files(out):
                return
        self.fail("the render ended before its render stage")

    def test_sighup_stops_the_render_and_removes_the_partial_output(self):
        p = self.long_render(self.out)
        self.wait_for_render_stage(p, self.out)
        p.send_signal(signal.SIGHUP)
        err = p.stderr.read()
        p.stderr.close()
        self.assertEqual(p.wait(timeout=60), EXIT["cancelled"], err)
        self.assertEqual(json_lines(err)[-1]["code"], "Cancelled")
        self.assertNoOutput(self.out)

    def test_stderr_reader_gone_sigpipe_stops_the_render_cleanly(self):
        p = self.long_render(self.out)
        self.wait_for_render_stage(p, self.out)
        p.stderr.close()  # like `| head`: the next progress line gets SIGPIPE
        self.assertEqual(p.wait(timeout=60), EXIT["cancelled"])
        self.assertNoOutput(self.out)

    def test_two_renders_to_one_output_never_share_a_partial_file(self):
        procs = [subprocess.Popen([BIN, "render", "-i", self.image, "-a", self.audio, "-o",
                                   self.out, "--size", "96x96", "--progress", "none"],
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
        for p in procs:
            _, err = p.communicate(timeout=300)
            self.assertEqual(p.returncode, 0, err)
        info = ffprobe(self.out)  # -count_frames decodes every frame: a corrupt file fails
        video = stream(info, "video")
        expected = math.ceil(media_duration(self.audio) * 25 - 1e-6)
        self.assertEqual(int(video["nb_read_frames"]), expected)
        self.assertIsNotNone(stream(info, "audio"))
        self.assertNoPartFiles(self.out)

    # 10. Bad sample values and unbounded resources.
    def test_float_wav_with_nan_and_inf_samples_renders_them_as_silence(self):
        samples = sine(2.0)
        for i in range(0, len(samples), 4000):
            samples[i] = float("nan")
        samples[100] = float("inf")
        samples[200] = float("-inf")
        wav = self.path("nan.wav")
        write_float_wav(wav, samples, 16000)
        events = self.success(self.render(audio=wav))
        warnings = [e for e in events if e["event"] == "log" and "NaN" in e["message"]]
        self.assertTrue(warnings, "a warning names the bad samples")
        self.assertIn(wav, warnings[0]["message"])
        decoded = decoded_audio(self.out)
        self.assertGreater(len(decoded), 16000)
        self.assertTrue(all(math.isfinite(x) for x in decoded))
        self.assertGreater(max(abs(x) for x in decoded), 0.1, "the tone is still there")

    def test_threads_is_bounded(self):
        for bad in ("100000", "257", "-1", "4x", "", "1e3"):
            r = self.render(extra=["--threads", bad])
            self.assertEqual(r.returncode, EXIT["usage"], (bad, r.stderr))
            self.assertIn("--threads", r.stderr)
            self.assertNoOutput(self.out)

    def test_huge_options_file_is_refused_before_reading(self):
        preset = self.path("huge.json")
        with open(preset, "wb") as f:
            f.truncate(3 << 30)  # sparse: 3 GB claimed, nothing on disk
        f = self.failure(self.render(extra=["--options", preset], timeout=30), "too_large", preset)
        self.assertEqual(f["code"], "InputTooLarge")
        self.assertIn("1 MiB", f["message"])

    def test_deeply_nested_options_file_is_a_usage_error(self):
        preset = self.path("deep.json")
        with open(preset, "w") as f:
            f.write('{"mouthGain": ' + "[" * 200000 + "]" * 200000 + "}")
        r = self.render(extra=["--options", preset])
        self.assertEqual(r.returncode, EXIT["usage"], r.stderr)
        failure = json_lines(r.stderr)[-1]
        self.assertIn("nested deeper", failure["message"])
        self.assertNoOutput(self.out)

    def test_viseme_json_with_an_out_of_range_number_is_bad_input_not_an_abort(self):
        # Found by fuzz_viseme_formats: nlohmann throws out_of_range, which
        # nothing caught (std::terminate, exit 134).
        track = self.path("overflow.json")
        with open(track, "w") as f:
            f.write('{"mouthCues": [{"start": 4e444, "end": 1, "value": "A"}]}')
        f = self.failure(self.render(extra=["--visemes", track]), "unsupported", track)
        self.assertIn("out of range", f["message"])

    def test_huge_viseme_track_is_refused_before_reading(self):
        track = self.path("huge.json")
        with open(track, "wb") as f:
            f.truncate(1 << 30)
        f = self.failure(self.render(extra=["--visemes", track]), "too_large", track)
        self.assertIn("64 MiB", f["message"])
