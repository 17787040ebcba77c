#!/usr/bin/env python3
"""Convert an official PyTorch checkpoint to safetensors for avatar-renderer.

Needs only Python 3 and PyTorch (Debian: apt-get install python3-torch); runs
offline. Reads zip checkpoints (torch >= 1.6) and legacy pickles alike.

What it does:
  * unwraps the weights: `state_dict` (Wav2Lip), `params_ema` else `params`
    (GFPGAN), `generator` + `kp_detector` (FOMM, written with those prefixes),
    or a plain state dict (Diff2Lip);
  * strips DataParallel's `module.` prefixes;
  * drops everything else (optimizer and discriminator state, step counters);
  * writes `<out>.safetensors` atomically, with provenance in __metadata__:
    model, source file name and sha256, licence, converter and torch versions.

Examples:
  python3 scripts/convert_checkpoint.py --model wav2lip wav2lip_gan.pth \
      models/wav2lip/wav2lip_gan.safetensors
  python3 scripts/convert_checkpoint.py --model gfpgan GFPGANv1.4.pth \
      models/gfpgan/GFPGANv1.4.safetensors

Checkpoints are pickles. By default they are read with a restricted
unpickler that builds only tensors, containers and numbers, and refuses to
run code embedded in a file; pass --unsafe-pickle only for files from a
source you trust.
"""

import argparse
import collections
import hashlib
import json
import os
import pickle
import struct
import sys
import types

CONVERTER_VERSION = "1"

# Licences, as in models/manifest.json (used when the manifest is not found).
LICENCES = {
    "wav2lip": "Non-commercial research use only (Wav2Lip licence)",
    "gfpgan": "Apache-2.0 (code and released weights)",
    "fomm": "Non-commercial (first-order-model licence)",
    "diff2lip": "CC-BY-NC-4.0",
}

DTYPES = {
    "torch.float64": "F64",
    "torch.float32": "F32",
    "torch.float16": "F16",
    "torch.bfloat16": "BF16",
    "torch.int64": "I64",
    "torch.int32": "I32",
    "torch.int16": "I16",
    "torch.int8": "I8",
    "torch.uint8": "U8",
    "torch.bool": "BOOL",
}


class ConvertError(Exception):
    pass


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def licence_for(model):
    manifest = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models",
                            "manifest.json")
    try:
        with open(manifest, encoding="utf-8") as f:
            for m in json.load(f)["models"]:
                if m.get("id") == model:
                    return m.get("licence", LICENCES[model])
    except (OSError, ValueError, KeyError):
        pass
    return LICENCES[model]


class _RestrictedUnpickler(pickle.Unpickler):
    """Builds tensors, containers and plain numbers; refuses any other object."""

    def find_class(self, module, name):
        allowed = (
            (module == "collections" and name in ("OrderedDict", "defaultdict"))
            or (module == "torch._utils" and name.startswith("_rebuild_"))
            or (module == "torch" and (name.endswith("Storage") or name in ("Size", "device")
                                       or name in DTYPE_NAMES))
            or (module in ("numpy.core.multiarray", "numpy") and
                name in ("scalar", "_reconstruct", "dtype", "ndarray"))
            or (module == "builtins" and name in ("set", "frozenset", "slice", "complex"))
        )
        if not allowed:
            raise pickle.UnpicklingError(
                f"refusing to load '{module}.{name}': not weights (use --unsafe-pickle only "
                f"for a file you trust)")
        return super().find_class(module, name)


DTYPE_NAMES = {d.split(".")[1] for d in DTYPES} | {"float", "half", "double", "long", "int"}


def _restricted_module():
    return types.SimpleNamespace(
        __name__="restricted_pickle", Unpickler=_RestrictedUnpickler,
        load=lambda f, **kw: _RestrictedUnpickler(f, **kw).load())


def _load_restricted(torch, path, is_zip):
    """torch.load with a restricted unpickler. torch 1.13's weights_only mode
    rejects floats (every optimizer state holds some) and its pickle_module
    argument is ignored, so this calls the loader functions behind torch.load;
    newer torch versions, without them, get weights_only=True."""
    ser = torch.serialization
    if not (hasattr(ser, "_load") and hasattr(ser, "_legacy_load")
            and hasattr(ser, "_open_zipfile_reader")):
        return torch.load(path, map_location="cpu", weights_only=True)
    mod = _restricted_module()
    with open(path, "rb") as f:
        if is_zip:
            with ser._open_zipfile_reader(f) as z:
                return ser._load(z, "cpu", mod, encoding="utf-8")
        return ser._legacy_load(f, "cpu", mod, encoding="utf-8")


def load_checkpoint(torch, path, unsafe):
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic[:2] == b"PK":
        fmt = "zip"
    elif magic[:1] == b"\x80":
        fmt = "legacy pickle"
    else:
        raise ConvertError(f"{path}: not a PyTorch checkpoint (starts with {magic.hex()})")
    try:
        if unsafe:
            obj = torch.load(path, map_location="cpu")
        else:
            obj = _load_restricted(torch, path, fmt == "zip")
    except Exception as e:  # torch raises many types; all mean "cannot read"
        raise ConvertError(f"{path}: cannot read the {fmt} checkpoint: {e}") from e
    return obj, fmt


def is_tensor_dict(torch, d):
    return isinstance(d, dict) and d and all(torch.is_tensor(v) for v in d.values())


def strip_module(name):
    while name.startswith("module."):
        name = name[len("module."):]
    return name


def unwrap(torch, obj, model):
    """Returns (OrderedDict name -> tensor, description of what was taken)."""
    if not isinstance(obj, dict):
        raise ConvertError(f"checkpoint holds a {type(obj).__name__}, not a dict of weights")
    parts = []
    if model == "fomm" or ("generator" in obj and "kp_detector" in obj):
        for key in ("generator", "kp_detector"):
            if not isinstance(obj.get(key), dict):
                raise ConvertError(f"checkpoint has no '{key}' state dict")
            parts.append((key + ".", obj[key], key))
    else:
        for key in ("state_dict", "params_ema", "params"):
            if isinstance(obj.get(key), dict):
                parts.append(("", obj[key], key))
                break
        else:
            if not any(torch.is_tensor(v) for v in obj.values()):
                raise ConvertError("found no weights: no state_dict, params_ema, params, "
                                   "generator/kp_detector, and no tensors at the top level; keys: "
                                   + ", ".join(sorted(map(str, obj.keys()))[:20]))
            parts.append(("", obj, "top level"))
    out = collections.OrderedDict()
    for prefix, sd, _ in parts:
        for name, value in sd.items():
            if not torch.is_tensor(value):
                continue  # e.g. optimizer hyper-parameters mixed into a top-level dict
            key = prefix + strip_module(str(name))
            if key in out:
                raise ConvertError(f"two tensors map to the name '{key}' after stripping 'module.'")
            out[key] = value
    if not out:
        raise ConvertError("the selected state dict holds no tensors")
    taken = {p[2] for p in parts}
    if "top level" in taken:  # a plain state dict: only its non-tensor entries were dropped
        dropped = sorted(str(k) for k, v in obj.items() if not torch.is_tensor(v))
    else:
        dropped = sorted(str(k) for k in obj.keys() if k not in taken)
    return out, "+".join(p[2] for p in parts), dropped


def tensor_bytes(torch, t):
    t = t.detach().cpu().contiguous()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    return t.numpy().tobytes()  # little endian on every platform torch supports here


def write_safetensors(torch, tensors, metadata, path):
    header = collections.OrderedDict()
    header["__metadata__"] = metadata
    blobs = []
    offset = 0
    for name, t in tensors.items():
        dtype = DTYPES.get(str(t.dtype))
        if dtype is None:
            raise ConvertError(f"tensor '{name}' has unsupported dtype {t.dtype}")
        data = tensor_bytes(torch, t)
        header[name] = {"dtype": dtype, "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    part = path + ".part"
    try:
        with open(part, "wb") as f:
            f.write(struct.pack("<Q", len(text)))
            f.write(text)
            for b in blobs:
                f.write(b)
        os.replace(part, path)
    except OSError as e:
        if os.path.exists(part):
            os.remove(part)
        raise ConvertError(f"{path}: cannot write: {e}") from e


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True, choices=sorted(LICENCES),
                   help="which official model the checkpoint holds")
    p.add_argument("checkpoint", help="official checkpoint (.pth, .pth.tar, .pt)")
    p.add_argument("output", help="safetensors file to write")
    p.add_argument("--unsafe-pickle", action="store_true",
                   help="allow arbitrary pickled objects (trusted files only)")
    args = p.parse_args(argv)
    try:
        import torch
    except ImportError:
        print("convert_checkpoint: PyTorch is needed (Debian: apt-get install python3-torch)",
              file=sys.stderr)
        return 3
    try:
        if not os.path.isfile(args.checkpoint):
            raise ConvertError(f"{args.checkpoint}: no such file")
        obj, fmt = load_checkpoint(torch, args.checkpoint, args.unsafe_pickle)
        tensors, taken, dropped = unwrap(torch, obj, args.model)
        metadata = {
            "model": args.model,
            "source_file": os.path.basename(args.checkpoint),
            "source_sha256": sha256_of(args.checkpoint),
            "source_format": fmt,
            "source_entry": taken,
            "licence": licence_for(args.model),
            "converter": "avatar-renderer scripts/convert_checkpoint.py v" + CONVERTER_VERSION,
            "torch_version": torch.__version__,
        }
        write_safetensors(torch, tensors, metadata, args.output)
    except ConvertError as e:
        print(f"convert_checkpoint: {e}", file=sys.stderr)
        return 1
    print(f"{args.output}: {len(tensors)} tensors from '{taken}' of {args.checkpoint} ({fmt})"
          + (f"; dropped: {', '.join(dropped)}" if dropped else ""), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
