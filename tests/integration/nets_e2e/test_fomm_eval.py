"""`avatar-renderer nets eval --net fomm` end to end: a random checkpoint in
the official vox-cpk.pth.tar layout (legacy pickle: generator and kp_detector
state dicts, discriminator, optimizer state, epoch) goes through
scripts/convert_checkpoint.py and evaluates; bad inputs are named."""

import os
import random
import unittest

from nets_fixtures import (TempDirTest, convert, floats, read_safetensors, require_binary,
                           require_torch_python, run, write_safetensors, BIN, TORCH_PYTHON)

# Under AVATAR_TORCH_PYTHON: the binary's random weights as the official
# checkpoint (unprefixed state dicts), torch < 1.6 legacy format.
MAKE_VOX_CPK = r'''
import sys, json, struct, torch, collections
weights, out = sys.argv[1:3]
with open(weights, "rb") as f:
    n = struct.unpack("<Q", f.read(8))[0]
    header = json.loads(f.read(n))
    data = bytearray(f.read())
types = {"F32": torch.float32, "I64": torch.int64}
parts = {"generator": collections.OrderedDict(), "kp_detector": collections.OrderedDict()}
for name, e in header.items():
    if name == "__metadata__":
        continue
    a, b = e["data_offsets"]
    t = torch.frombuffer(data[a:b], dtype=types[e["dtype"]]) if b > a else torch.zeros(1, dtype=types[e["dtype"]])
    prefix, key = name.split(".", 1)
    parts[prefix][key] = t.reshape(e["shape"]).clone()
optimizer = {"state": {}, "param_groups": [{"lr": 2e-4, "betas": (0.5, 0.999), "params": [0, 1]}]}
ckpt = dict(parts, discriminator={"down_blocks.0.conv.weight": torch.zeros(2)},
            optimizer_generator=optimizer, optimizer_kp_detector=optimizer,
            optimizer_discriminator=optimizer, epoch=99)
torch.save(ckpt, out, _use_new_zipfile_serialization=False)
'''

SIDE = 256


def image(rng, batch):
    return [rng.random() for _ in range(batch * 3 * SIDE * SIDE)]


class FommEval(TempDirTest):
    def setUp(self):
        super().setUp()
        require_binary(self)

    def eval(self, weights, inputs, check=True):
        out = os.path.join(self.tmp, "out.safetensors")
        p = run([BIN, "nets", "eval", "--net", "fomm", "--weights", weights, "--inputs", inputs,
                 "--out", out, "--threads", "2"], check=check)
        return p, out

    def random_weights(self):
        path = os.path.join(self.tmp, "fomm-random.safetensors")
        run([BIN, "nets", "random-weights", "--net", "fomm", "--seed", "3", "--out", path])
        return path

    def test_official_checkpoint_converts_and_evaluates(self):
        require_torch_python(self)
        weights = self.random_weights()
        ckpt = os.path.join(self.tmp, "vox-cpk.pth.tar")
        run([TORCH_PYTHON, "-c", MAKE_VOX_CPK, weights, ckpt])
        with open(ckpt, "rb") as f:
            self.assertEqual(f.read(2), b"\x80\x02")  # legacy pickle, as the released file
        converted = os.path.join(self.tmp, "vox-cpk.safetensors")
        p = convert("fomm", ckpt, converted)
        self.assertIn("271 tensors from 'generator+kp_detector'", p.stderr)
        self.assertIn("dropped: discriminator, epoch, optimizer_discriminator", p.stderr)

        rng = random.Random(5)
        source = image(rng, 2)
        # Sample 0 drives with its own source image; sample 1 with another.
        driving = source[:3 * SIDE * SIDE] + image(rng, 1)
        inputs = os.path.join(self.tmp, "in.safetensors")
        write_safetensors(inputs, {"source": ([2, 3, SIDE, SIDE], source),
                                   "driving": ([2, 3, SIDE, SIDE], driving)})
        _, out = self.eval(converted, inputs)
        header, data = read_safetensors(out)
        self.assertEqual(header["prediction"]["shape"], [2, 3, SIDE, SIDE])
        for k in ("kp_source", "kp_driving"):
            self.assertEqual(header[k]["shape"], [2, 10, 2])
        for k in ("jacobian_source", "jacobian_driving"):
            self.assertEqual(header[k]["shape"], [2, 10, 2, 2])
        pred = floats(data, header["prediction"])
        self.assertTrue(all(0.0 <= v <= 1.0 for v in pred))
        self.assertGreater(max(pred) - min(pred), 0.05)
        kp_s, kp_d = floats(data, header["kp_source"]), floats(data, header["kp_driving"])
        self.assertTrue(all(-1.0 <= v <= 1.0 for v in kp_s + kp_d))
        # Absolute keypoints: the same image has the same keypoints; another differs.
        self.assertEqual(kp_s[:20], kp_d[:20])
        self.assertGreater(max(abs(a - b) for a, b in zip(kp_s[20:], kp_d[20:])), 1e-4)

        # The converted weights are the binary's own: the same outputs.
        header2, data2 = read_safetensors(self.eval(weights, inputs)[1])
        self.assertEqual(data2[slice(*header2["prediction"]["data_offsets"])],
                         data[slice(*header["prediction"]["data_offsets"])])

    def test_bad_inputs_and_weights_are_named(self):
        weights = self.random_weights()
        rng = random.Random(6)
        cases = [
            ({"source": ([1, 3, SIDE, SIDE], image(rng, 1))}, "driving"),
            ({"source": ([1, 3, SIDE, SIDE], image(rng, 1)),
              "driving": ([1, 3, 128, 128], [0.5] * (3 * 128 * 128))},
             "tensor 'driving' must have shape (B, 3, 256, 256)"),
            ({"source": ([1, 3, SIDE, SIDE], image(rng, 1)),
              "driving": ([2, 3, SIDE, SIDE], image(rng, 2))},
             "source and driving have different batch sizes"),
        ]
        for i, (tensors, message) in enumerate(cases):
            with self.subTest(message=message):
                inputs = os.path.join(self.tmp, f"bad{i}.safetensors")
                write_safetensors(inputs, tensors)
                p, out = self.eval(weights, inputs, check=False)
                self.assertNotEqual(p.returncode, 0)
                self.assertIn(message, p.stderr)
                self.assertFalse(os.path.exists(out))
        inputs = os.path.join(self.tmp, "good.safetensors")
        write_safetensors(inputs, {"source": ([1, 3, SIDE, SIDE], image(rng, 1)),
                                   "driving": ([1, 3, SIDE, SIDE], image(rng, 1))})
        other = os.path.join(self.tmp, "wav2lip.safetensors")
        run([BIN, "nets", "random-weights", "--net", "wav2lip", "--out", other])
        p, _ = self.eval(other, inputs, check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("model 'wav2lip', not fomm", p.stderr)


if __name__ == "__main__":
    unittest.main()
