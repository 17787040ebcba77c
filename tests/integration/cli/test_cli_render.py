"""End-to-end: the real avatar-renderer binary renders real inputs."""

import json
import os
import signal
import subprocess
import time
import unittest

from avatar_cli import (BIN, TempDirTestCase, demo_input, ffprobe, json_lines, media_duration,
                        part_files, run, stream, testdata, tool)


class RenderDemo(TempDirTestCase):
    def test_demo_video_is_h264_aac_with_the_audio_duration(self):
        image, audio = demo_input("astronaut.png"), demo_input("speech.wav")
        if not image or not audio:
            self.skipTest("demo inputs absent: run scripts/setup.sh --demo-inputs")
        out = self.path("demo.mp4")
        r = run(["render", "--image", image, "--audio", audio, "-o", out, "--progress", "json"])
        self.assertEqual(r.returncode, 0, r.stderr)
        json_lines(r.stderr)  # every stderr line is JSON, even for a PNG libpng warns about
        info = ffprobe(out)
        video, sound = stream(info, "video"), stream(info, "audio")
        self.assertEqual(video["codec_name"], "h264")
        self.assertEqual(sound["codec_name"], "aac")
        self.assertEqual((video["width"], video["height"]), (512, 512))
        fps = 25
        audio_sec = media_duration(audio)
        video_sec = int(video["nb_read_frames"]) / fps
        self.assertLessEqual(abs(video_sec - audio_sec), 1.0 / fps,
                             f"video {video_sec:.3f} s vs audio {audio_sec:.3f} s")
        self.assertLessEqual(abs(float(sound["duration"]) - audio_sec), 1.0 / fps)
        # faststart: the moov atom precedes the media data.
        with open(out, "rb") as f:
            head = f.read(4096)
        self.assertLess(head.find(b"moov"), head.find(b"mdat") if b"mdat" in head else 1 << 30)

    def test_progress_json_lines(self):
        image, audio = testdata("faces/people_0.png"), testdata("audio/hello.wav")
        if not image:
            self.skipTest("../shared/testdata absent")
        out = self.path("p.mp4")
        r = run(["render", "-i", image, "-a", audio, "-o", out, "--progress", "json", "--size", "128x128"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "", "stdout belongs to MCP and command output")
        events = json_lines(r.stderr)  # every line parses
        kinds = [e["event"] for e in events]
        self.assertEqual(kinds[0], "start")
        self.assertEqual(kinds[-1], "success")
        progress = [e["progress"] for e in events if e["event"] == "progress"]
        self.assertGreater(len(progress), 5)
        self.assertEqual(progress, sorted(progress))
        self.assertEqual(progress[-1], 1.0)
        self.assertEqual(events[-1]["output"], out)
        self.assertEqual(ffprobe(out)["streams"][0]["width"], 128)

    def test_formats_sizes_presets_and_print_options(self):
        image, audio = testdata("faces/happy.png"), testdata("audio/RD_Radio31_000.wav")
        if not image:
            self.skipTest("../shared/testdata absent")
        mp3 = self.path("speech.mp3")
        tool("ffmpeg", "-y", "-v", "error", "-i", audio, "-t", "2", "-c:a", "libmp3lame", mp3)
        preset = self.path("preset.json")
        with open(preset, "w") as f:
            json.dump({"fps": 30, "crf": 30, "preset": "veryfast", "headMotion": "still"}, f)
        out = self.path("odd.mkv")
        r = run(["render", "-i", image, "-a", mp3, "-o", out, "--options", preset, "--size", "211x101",
                 "--progress", "none"])
        self.assertEqual(r.returncode, 0, r.stderr)
        video = stream(ffprobe(out), "video")
        self.assertEqual((video["width"], video["height"]), (210, 100))  # rounded to even
        self.assertEqual(video["avg_frame_rate"], "30/1")
        # Flags override the preset; --print-options shows the merged request.
        r = run(["render", "-i", image, "-a", mp3, "-o", out, "--options", preset, "--fps", "12",
                 "--print-options"])
        self.assertEqual(r.returncode, 0, r.stderr)
        merged = json.loads(r.stdout)
        self.assertEqual(merged["fps"], 12)
        self.assertEqual(merged["crf"], 30)
        self.assertEqual(merged["headMotion"], "still")

    def test_interrupt_cancels_and_removes_partial_output(self):
        image = testdata("faces/alice.png") or demo_input("astronaut.png")
        if not image:
            self.skipTest("no photo available")
        audio = self.path("long.wav")
        tool("ffmpeg", "-y", "-v", "error", "-f", "lavfi", "-i", "sine=f=200:d=120", audio)
        out = self.path("cancelled.mp4")
        p = subprocess.Popen([BIN, "render", "-i", image, "-a", audio, "-o", out, "--preset", "slow",
                              "--progress", "json"], stderr=subprocess.PIPE, text=True)
        for line in p.stderr:
            if '"stage":"render"' in line and part_files(out):
                break
        p.send_signal(signal.SIGINT)
        err = p.stderr.read()
        p.stderr.close()
        self.assertEqual(p.wait(timeout=60), 130, err)
        self.assertEqual(json_lines(err)[-1]["code"], "Cancelled")
        self.assertNoOutput(out)


class Visemes(TempDirTestCase):
    def test_export_then_import_gives_the_same_track(self):
        image, audio = demo_input("astronaut.png"), demo_input("speech.wav")
        if not image or not audio:
            self.skipTest("demo inputs absent: run scripts/setup.sh --demo-inputs")
        first, second = self.path("v.json"), self.path("v.tsv")
        r = run(["render", "-i", image, "-a", audio, "-o", self.path("a.mp4"), "--size", "128x128",
                 "--export-visemes", first, "--progress", "none"])
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(first) as f:
            track = json.load(f)
        cues = track["mouthCues"]
        self.assertGreater(len(cues), 10)
        self.assertEqual(cues[0]["start"], 0)
        self.assertAlmostEqual(cues[-1]["end"], media_duration(audio), delta=0.05)
        self.assertTrue({c["value"] for c in cues} >= {"X", "A"})
        r = run(["render", "-i", image, "-a", audio, "-o", self.path("b.mp4"), "--size", "128x128",
                 "--visemes", first, "--export-visemes", second, "--progress", "none"])
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(second) as f:
            rows = [line.split("\t") for line in f.read().splitlines() if line]
        self.assertEqual([row[1] for row in rows[:-1]], [c["value"] for c in cues])
        bad = self.path("bad.json")
        with open(bad, "w") as f:
            f.write('{"mouthCues": [{"start": 0, "end": 1, "value": "Q"}]}')
        r = run(["render", "-i", image, "-a", audio, "-o", self.path("c.mp4"), "--visemes", bad,
                 "--progress", "json"])
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(bad, json_lines(r.stderr)[-1]["message"])
        self.assertNoOutput(self.path("c.mp4"))


class Commands(TempDirTestCase):
    def test_help_version_and_unknown(self):
        r = run(["--help"])
        self.assertEqual(r.returncode, 0)
        self.assertIn("render --image FACE --audio SPEECH", r.stdout)
        self.assertIn("Exit codes", r.stdout)
        r = run(["render", "--help"])
        self.assertEqual(r.returncode, 0)
        self.assertIn("--quality-mode", r.stdout)
        self.assertIn("real_time", r.stdout)
        r = run(["--version"])
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"avatar-renderer \d+\.\d+\.\d+")
        r = run(["frobnicate"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown command", r.stderr)
        r = run(["render", "--no-such-flag"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("--no-such-flag", r.stderr)

    def test_transcript_is_aligned_or_the_notes_say_why_not(self):
        image = testdata("faces/happy.png") or demo_input("astronaut.png")
        if not image:
            self.skipTest("no face image: ../shared/testdata absent and no demo inputs")
        if subprocess.run(["sh", "-c", "command -v espeak-ng"], capture_output=True).returncode:
            self.skipTest("espeak-ng not installed")
        speech = self.path("mom.wav")
        tool("espeak-ng", "-v", "en-us", "-w", speech, "My mom bought a map")
        out = self.path("t.mp4")
        common = ["render", "-i", image, "-a", speech, "-o", out, "--size", "128x128",
                  "--progress", "json", "--transcript", "My mom bought a map."]

        def notes(extra):
            r = run(common + extra)
            self.assertEqual(r.returncode, 0, r.stderr)
            return json_lines(r.stderr)[-1]["notes"]

        english = notes(["--viseme-method", "english"])
        if any("pocketsphinx" in n for n in english):
            self.skipTest("English phoneme models absent: " + str(english))
        self.assertIn("visemes: transcript aligned to the audio (5 words)", english)
        spectral = notes([])
        self.assertTrue(any("transcript not used: visemeMethod spectral" in n for n in spectral),
                        spectral)
        # The aligned visemes are not the free phone loop's.
        exported = {}
        for name, extra in (("aligned", []), ("free", ["--transcript", ""])):
            track = self.path(name + ".json")
            r = run(common + ["--viseme-method", "english", "--export-visemes", track] + extra)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(track) as f:
                exported[name] = json.load(f)
        self.assertNotEqual(exported["aligned"], exported["free"])
        # A transcript over its limit is refused before any work, naming the field.
        long_opts = self.path("long.json")
        with open(long_opts, "w") as f:
            json.dump({"transcript": "word " * 25000}, f)
        os.remove(out)
        r = run(common[:-2] + ["--options", long_opts])
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("transcript", r.stderr)
        self.assertIn("at most 100000 bytes", r.stderr)
        self.assertFalse(os.path.exists(out))

    def test_models_lists_files_and_licences(self):
        r = run(["models", "--json"])
        self.assertEqual(r.returncode, 0, r.stderr)
        models = {m["id"]: m for m in json.loads(r.stdout)["models"]}
        for mid in ("face-api-tiny-face-detector", "face-api-landmark-68", "wav2lip", "gfpgan"):
            self.assertIn(mid, models)
        self.assertEqual(models["face-api-landmark-68"]["licence"], "MIT")
        self.assertFalse(models["wav2lip"]["commercialUse"])
        empty = self.path("no-models")
        os.mkdir(empty)
        r = run(["models", "--models-dir", empty])
        self.assertEqual(r.returncode, 0)
        self.assertIn("[missing] wav2lip", r.stdout)
        self.assertIn("licence: MIT", r.stdout)

    def test_schema(self):
        r = run(["schema", "--snake"])
        self.assertEqual(r.returncode, 0)
        schema = json.loads(r.stdout)
        self.assertEqual(schema["required"], ["avatar_path", "audio_path"])


if __name__ == "__main__":
    unittest.main()
