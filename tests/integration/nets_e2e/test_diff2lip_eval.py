"""`avatar-renderer nets eval --net diff2lip|diff2lip_sample` on a random
checkpoint in the official layout (a plain state dict, zip) converted by
scripts/convert_checkpoint.py: output shapes and metadata, the sampler's
step count, and clear errors for bad inputs."""

import json
import os
import random
import struct
import tempfile
import unittest

from nets_fixtures import (TempDirTest, convert, floats, make_checkpoint, read_safetensors,
                           require_binary, require_torch_python, run, BIN)

S = 128


def write_inputs(path, tensors):
    """tensors: name -> (shape, values, 'F32' or 'I64')."""
    header, blobs, off = {}, [], 0
    for name, (shape, values, dtype) in tensors.items():
        blob = struct.pack("<%d%s" % (len(values), "f" if dtype == "F32" else "q"), *values)
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [off, off + len(blob)]}
        blobs.append(blob)
        off += len(blob)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def frame_inputs(batch, first, rng):
    img = batch * 3 * S * S
    mask = [1.0 if (i % (S * S)) >= 64 * S else 0.0 for i in range(batch * S * S)]
    return {
        first: ([batch, 3, S, S], [rng.gauss(0, 1) for _ in range(img)], "F32"),
        "cond_img": ([batch, 3, S, S], [rng.uniform(-1, 1) for _ in range(img)], "F32"),
        "mask": ([batch, 1, S, S], mask, "F32"),
        "ref_img": ([batch, 3, S, S], [rng.uniform(-1, 1) for _ in range(img)], "F32"),
        "mel": ([batch, 80, 16], [rng.uniform(-4, 4) for _ in range(batch * 1280)], "F32"),
    }


class Diff2LipEval(TempDirTest):
    weights = None  # converted once for the class (400 MB)

    @classmethod
    def tearDownClass(cls):
        if cls.weights and os.path.exists(cls.weights):
            os.remove(cls.weights)

    def setUp(self):
        super().setUp()
        require_binary(self)
        require_torch_python(self)
        if Diff2LipEval.weights is None:
            base = os.environ.get("AVATAR_TEST_TMP") or tempfile.gettempdir()
            ckpt = make_checkpoint(self.tmp, "diff2lip", "plain", "zip")
            Diff2LipEval.weights = os.path.join(base, "diff2lip-eval-%d.safetensors" % os.getpid())
            p = convert("diff2lip", ckpt, Diff2LipEval.weights)
            self.assertIn("632 tensors from 'top level'", p.stderr)
        self.weights = Diff2LipEval.weights

    def eval(self, net, inputs, *extra, check=True):
        out = os.path.join(self.tmp, net + "-out.safetensors")
        p = run([BIN, "nets", "eval", "--net", net, "--weights", self.weights, "--inputs", inputs,
                 "--out", out, "--threads", "2", *extra], check=check)
        return p, out

    def test_one_evaluation_and_the_sampler(self):
        rng = random.Random(5)
        inputs = os.path.join(self.tmp, "unet-in.safetensors")
        t = frame_inputs(2, "x", rng)
        t["t"] = ([2], [960, 40], "I64")
        write_inputs(inputs, t)
        _, out = self.eval("diff2lip", inputs)
        header, data = read_safetensors(out)
        self.assertEqual(header["out"]["shape"], [2, 6, S, S])
        self.assertEqual(header["__metadata__"]["net"], "diff2lip")
        values = floats(data, header["out"])
        self.assertGreater(max(values) - min(values), 0.1)

        inputs = os.path.join(self.tmp, "sample-in.safetensors")
        write_inputs(inputs, frame_inputs(1, "noise", rng))
        _, out = self.eval("diff2lip_sample", inputs, "--steps", "2")
        header, data = read_safetensors(out)
        self.assertEqual(header["sample"]["shape"], [1, 3, S, S])
        self.assertEqual(header["__metadata__"]["steps"], "2")
        values = floats(data, header["sample"])
        # The last DDIM step returns the clipped x0 prediction.
        self.assertGreaterEqual(min(values), -1.0)
        self.assertLessEqual(max(values), 1.0)

    def test_bad_inputs_are_clear_errors(self):
        rng = random.Random(6)
        inputs = os.path.join(self.tmp, "bad-t.safetensors")
        t = frame_inputs(1, "x", rng)
        t["t"] = ([1], [1000], "I64")
        write_inputs(inputs, t)
        p, out = self.eval("diff2lip", inputs, check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("t: timestep 1000", p.stderr)
        self.assertFalse(os.path.exists(out))
        t["t"] = ([1], [5], "F32")
        write_inputs(inputs, t)
        p, _ = self.eval("diff2lip", inputs, check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("tensor 't' must be I64", p.stderr)
        del t["t"]
        t["mel"] = ([1, 80, 8], [0.0] * 640, "F32")
        write_inputs(inputs, t)
        p, _ = self.eval("diff2lip", inputs, check=False)
        self.assertIn("tensor 'mel' must have shape (B, 80, 16)", p.stderr)
        p, _ = self.eval("diff2lip_sample", inputs, "--steps", "400", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--steps: cannot take exactly 400 DDIM steps", p.stderr)


if __name__ == "__main__":
    unittest.main()
