"""scripts/convert_checkpoint.py on random checkpoints in the official layouts,
in both zip and legacy (torch < 1.6) formats; the results load in the C++ nets
(`avatar-renderer nets eval`)."""

import hashlib
import json
import os
import random
import unittest

from nets_fixtures import (TempDirTest, convert, floats, make_checkpoint, read_safetensors,
                           require_binary, require_torch_python, run, write_safetensors, BIN)


class ConvertCheckpoint(TempDirTest):
    def setUp(self):
        super().setUp()
        require_binary(self)
        require_torch_python(self)

    def check_converted(self, ckpt, out, model, entry, fmt, count):
        header, data = read_safetensors(out)
        meta = header.pop("__metadata__")
        self.assertEqual(meta["model"], model)
        with open(ckpt, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        self.assertEqual(meta["source_sha256"], digest)
        self.assertEqual(meta["source_format"], fmt)
        self.assertEqual(meta["source_entry"], entry)
        self.assertTrue(meta["licence"])
        self.assertEqual(len(header), count)
        self.assertFalse([k for k in header if k.startswith("module.")])
        return header, data

    def eval_wav2lip(self, weights, batch=2):
        inputs = os.path.join(self.tmp, "in.safetensors")
        rng = random.Random(3)
        write_safetensors(inputs, {
            "mel": ([batch, 1, 80, 16], [rng.uniform(-4, 4) for _ in range(batch * 1280)]),
            "face": ([batch, 6, 96, 96], [rng.random() for _ in range(batch * 6 * 96 * 96)]),
        })
        out = os.path.join(self.tmp, "out.safetensors")
        run([BIN, "nets", "eval", "--net", "wav2lip", "--weights", weights, "--inputs", inputs,
             "--out", out])
        header, data = read_safetensors(out)
        self.assertEqual(header["out"]["shape"], [batch, 3, 96, 96])
        values = floats(data, header["out"])
        self.assertTrue(all(0.0 <= v <= 1.0 for v in values))
        self.assertGreater(max(values) - min(values), 0.01)

    def test_wav2lip_legacy_and_zip_checkpoints_convert_and_load(self):
        for fmt, name in (("legacy", "legacy pickle"), ("zip", "zip")):
            with self.subTest(fmt=fmt):
                ckpt = make_checkpoint(self.tmp, "wav2lip", "wav2lip", fmt)
                with open(ckpt, "rb") as f:
                    magic = f.read(4)
                self.assertEqual(magic, b"PK\x03\x04" if fmt == "zip" else b"\x80\x02\x8a\x0a")
                out = os.path.join(self.tmp, f"w2l-{fmt}.safetensors")
                p = convert("wav2lip", ckpt, out)
                self.assertIn("dropped: global_epoch, global_step, optimizer", p.stderr)
                header, data = self.check_converted(ckpt, out, "wav2lip", "state_dict", name, 352)
                self.assertEqual(header["face_encoder_blocks.0.0.conv_block.1.num_batches_tracked"]
                                 ["dtype"], "I64")
                self.eval_wav2lip(out)

    def test_gfpgan_takes_params_ema_and_loads(self):
        for fmt in ("zip", "legacy"):
            with self.subTest(fmt=fmt):
                ckpt = make_checkpoint(self.tmp, "gfpgan", "gfpgan", fmt)
                out = os.path.join(self.tmp, f"gfp-{fmt}.safetensors")
                convert("gfpgan", ckpt, out)
                header, data = self.check_converted(
                    ckpt, out, "gfpgan", "params_ema", "zip" if fmt == "zip" else "legacy pickle", 285)
                # params_ema, not params (which the fixture zeroed).
                with open(ckpt + ".head.json") as f:
                    head = json.load(f)
                got = floats(data, header["final_linear.weight"], 4)
                for a, b in zip(got, head["final_linear.weight"]):
                    self.assertAlmostEqual(a, b, places=6)
        inputs = os.path.join(self.tmp, "img.safetensors")
        rng = random.Random(5)
        write_safetensors(inputs, {"image": ([1, 3, 512, 512],
                                             [rng.uniform(-1, 1) for _ in range(3 * 512 * 512)])})
        res = os.path.join(self.tmp, "gfp-out.safetensors")
        run([BIN, "nets", "eval", "--net", "gfpgan", "--weights", out, "--inputs", inputs,
             "--out", res])
        header, _ = read_safetensors(res, with_data=False)
        self.assertEqual(header["out"]["shape"], [1, 3, 512, 512])

    def test_generator_and_kp_detector_are_prefixed_and_the_rest_dropped(self):
        ckpt = make_checkpoint(self.tmp, "wav2lip", "fomm", "legacy")
        out = os.path.join(self.tmp, "fomm.safetensors")
        p = convert("fomm", ckpt, out)
        self.assertIn("dropped: discriminator, epoch, optimizer_generator", p.stderr)
        header, _ = read_safetensors(out, with_data=False)
        meta = header.pop("__metadata__")
        self.assertEqual(meta["source_entry"], "generator+kp_detector")
        self.assertEqual(len(header), 352)
        self.assertTrue(all(k.startswith(("generator.", "kp_detector.")) for k in header))

    def test_plain_state_dict_converts(self):
        ckpt = make_checkpoint(self.tmp, "wav2lip", "plain", "zip")
        out = os.path.join(self.tmp, "plain.safetensors")
        p = convert("diff2lip", ckpt, out)
        header, _ = read_safetensors(out, with_data=False)
        self.assertEqual(header["__metadata__"]["source_entry"], "top level")
        # Diff2Lip's checkpoint is a plain state dict: nothing is reported dropped.
        self.assertNotIn("dropped", p.stderr)

    def test_checkpoint_with_code_is_refused(self):
        evil = os.path.join(self.tmp, "evil.pth")
        marker = os.path.join(self.tmp, "pwned")
        from nets_fixtures import TORCH_PYTHON
        run([TORCH_PYTHON, "-c",
             "import torch, os, sys\n"
             "class E:\n"
             "    def __reduce__(self): return (os.system, ('touch ' + sys.argv[2],))\n"
             "torch.save({'state_dict': {'a': torch.zeros(1)}, 'x': E()}, sys.argv[1])\n",
             evil, marker])
        p = convert("wav2lip", evil, os.path.join(self.tmp, "e.safetensors"), check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("refusing to load 'posix.system'", p.stderr)
        self.assertFalse(os.path.exists(marker), "the pickle ran code")
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "e.safetensors")))

    def test_bad_inputs_are_clear_errors(self):
        text = os.path.join(self.tmp, "notes.txt")
        with open(text, "w") as f:
            f.write("not a checkpoint")
        p = convert("wav2lip", text, os.path.join(self.tmp, "x.safetensors"), check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("not a PyTorch checkpoint", p.stderr)
        p = convert("wav2lip", os.path.join(self.tmp, "absent.pth"),
                    os.path.join(self.tmp, "x.safetensors"), check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("no such file", p.stderr)
        # Converted weights of one model refused by another net, by name.
        ckpt = make_checkpoint(self.tmp, "wav2lip", "wav2lip", "zip")
        out = os.path.join(self.tmp, "w.safetensors")
        convert("wav2lip", ckpt, out)
        inputs = os.path.join(self.tmp, "img.safetensors")
        write_safetensors(inputs, {"image": ([1, 3, 512, 512], [0.0] * (3 * 512 * 512))})
        p = run([BIN, "nets", "eval", "--net", "gfpgan", "--weights", out, "--inputs", inputs,
                 "--out", os.path.join(self.tmp, "o.safetensors")], check=False)
        self.assertEqual(p.returncode, 14)  # model invalid
        self.assertIn("holds weights of model 'wav2lip', not gfpgan", p.stderr)


if __name__ == "__main__":
    unittest.main()
