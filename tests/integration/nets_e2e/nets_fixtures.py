"""Shared helpers for the neural-backend integration tests: random official-
format checkpoints (made with a Python that has PyTorch), safetensors I/O in
pure Python, and running avatar-renderer."""

import json
import os
import struct
import subprocess
import tempfile
import unittest

BIN = os.environ.get("AVATAR_BIN", "")
SOURCE = os.environ.get("AVATAR_SOURCE_DIR", "")
TORCH_PYTHON = os.environ.get("AVATAR_TORCH_PYTHON", "")
CONVERTER = os.path.join(SOURCE, "scripts", "convert_checkpoint.py")

# Runs under AVATAR_TORCH_PYTHON: builds a checkpoint laid out like the
# official ones from random weights written by the binary.
MAKE_CHECKPOINT = r'''
import sys, json, struct, torch, collections
weights, layout, fmt, out = sys.argv[1:5]
# The values of `avatar-renderer nets random-weights` (plausible scales), in
# the official checkpoint layouts.
with open(weights, "rb") as f:
    n = struct.unpack("<Q", f.read(8))[0]
    header = json.loads(f.read(n))
    data = bytearray(f.read())
types = {"F32": torch.float32, "I64": torch.int64}
sd = collections.OrderedDict()
for name, e in header.items():
    if name == "__metadata__":
        continue
    a, b = e["data_offsets"]
    t = torch.frombuffer(data[a:b], dtype=types[e["dtype"]]) if b > a else torch.zeros(0)
    sd[name] = t.reshape(e["shape"]).clone()
optimizer = {"state": {0: {"step": 10, "exp_avg": torch.zeros(3)}},
             "param_groups": [{"lr": 1e-4, "betas": (0.5, 0.999), "params": [0]}]}
if layout == "wav2lip":
    ckpt = {"state_dict": collections.OrderedDict(("module." + k, v) for k, v in sd.items()),
            "optimizer": optimizer, "global_step": 1000, "global_epoch": 3}
elif layout == "gfpgan":
    ckpt = {"params_ema": sd, "params": collections.OrderedDict((k, v * 0) for k, v in sd.items())}
elif layout == "fomm":
    half = len(sd) // 2
    items = list(sd.items())
    ckpt = {"generator": collections.OrderedDict(items[:half]),
            "kp_detector": collections.OrderedDict(items[half:]),
            "discriminator": {"w": torch.zeros(2)}, "optimizer_generator": optimizer, "epoch": 5}
else:
    ckpt = sd
torch.save(ckpt, out, _use_new_zipfile_serialization=(fmt == "zip"))
with open(out + ".head.json", "w") as f:
    json.dump({k: v.flatten()[:4].tolist() for k, v in sd.items()}, f)
'''


def photo_and_speech():
    """The real test photo and speech (AVATAR_TESTDATA), else the demo
    inputs, else (None, None)."""
    testdata = os.environ.get("AVATAR_TESTDATA", "")
    photo = os.path.join(testdata, "faces", "alice.png")
    speech = os.path.join(testdata, "audio", "hello.wav")
    if os.path.exists(photo) and os.path.exists(speech):
        return photo, speech
    demo = os.path.join(SOURCE, "demo")
    photo, speech = os.path.join(demo, "astronaut.png"), os.path.join(demo, "speech.wav")
    if os.path.exists(photo) and os.path.exists(speech):
        return photo, speech
    return None, None


def run(args, timeout=900, check=True):
    p = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError(f"{args[0]} {' '.join(args[1:4])} ... failed ({p.returncode}):\n"
                             f"{p.stderr[-3000:]}")
    return p


def read_safetensors(path, with_data=True):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read() if with_data else b""
    return header, data


def floats(data, entry, count=None):
    a, b = entry["data_offsets"]
    n = (b - a) // 4 if count is None else count
    return list(struct.unpack("<%df" % n, data[a:a + 4 * n]))


def write_safetensors(path, tensors):
    """tensors: name -> (shape, list of floats)."""
    header, blobs, off = {}, [], 0
    for name, (shape, values) in tensors.items():
        blob = struct.pack("<%df" % len(values), *values)
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [off, off + len(blob)]}
        blobs.append(blob)
        off += len(blob)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def make_checkpoint(workdir, net, layout, fmt):
    """A random checkpoint for `net` in an official layout and format."""
    weights = os.path.join(workdir, net + "-random.safetensors")
    if not os.path.exists(weights):
        run([BIN, "nets", "random-weights", "--net", net, "--out", weights])
    out = os.path.join(workdir, f"{net}-{layout}-{fmt}.pth")
    run([TORCH_PYTHON, "-c", MAKE_CHECKPOINT, weights, layout, fmt, out])
    return out


def convert(model, checkpoint, output, check=True, extra=()):
    return run([TORCH_PYTHON, CONVERTER, "--model", model, *extra, checkpoint, output],
               check=check)


def require_binary(test):
    if not BIN or not os.path.exists(BIN):
        test.skipTest("AVATAR_BIN is not set: run through ctest")


def require_torch_python(test):
    if not TORCH_PYTHON:
        test.skipTest("no Python with PyTorch found (apt-get install python3-torch); "
                      "set AVATAR_TORCH_PYTHON at configure time")


class TempDirTest(unittest.TestCase):
    def setUp(self):
        base = os.environ.get("AVATAR_TEST_TMP") or None
        self._tmp = tempfile.TemporaryDirectory(dir=base, prefix="nets-e2e-")
        self.tmp = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()
