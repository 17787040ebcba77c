#!/usr/bin/env bash
# Downloads the official neural-net checkpoints named in models/manifest.json
# and converts them to safetensors with scripts/convert_checkpoint.py.
#
# For machines with internet access; CI never runs it (tests use random
# weights). Needs curl, python3 and PyTorch (Debian: apt-get install
# python3-torch).
#
# Usage: scripts/download-models.sh [--models-dir DIR] [--keep] [MODEL...]
#   MODEL       manifest ids with a "download" entry (default: all of them:
#               wav2lip gfpgan)
#   --models-dir where the .safetensors files go (default: models/ of this
#               checkout, or $AVATAR_MODELS_DIR)
#   --keep      keep the downloaded official checkpoints (under
#               <models-dir>/checkpoints/) instead of deleting them
#
# Licences differ: Wav2Lip weights are for non-commercial research only;
# GFPGAN is Apache-2.0. `avatar-renderer models` lists each model's licence.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
manifest="$root/models/manifest.json"
models_dir="${AVATAR_MODELS_DIR:-$root/models}"
keep=0
ids=()

while [[ $# -gt 0 ]]; do
  case "$1" in
    --models-dir) models_dir="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "download-models: unknown option $1" >&2; exit 2 ;;
    *) ids+=("$1"); shift ;;
  esac
done

command -v curl >/dev/null || { echo "download-models: curl is needed" >&2; exit 3; }

# A Python that has PyTorch: $PYTHON, python3, then Debian's /usr/bin/python3.
python=""
for candidate in "${PYTHON:-}" python3 /usr/bin/python3; do
  [[ -n "$candidate" ]] || continue
  if "$candidate" -c 'import torch' 2>/dev/null; then python="$candidate"; break; fi
done
[[ -n "$python" ]] || {
  echo "download-models: PyTorch is needed to convert checkpoints (apt-get install python3-torch)" >&2
  exit 3
}

# id|file|url|sha256|output (relative to the models dir)
entries="$("$python" - "$manifest" <<'EOF'
import json, sys
for m in json.load(open(sys.argv[1]))["models"]:
    d = m.get("download")
    if d:
        print("|".join([m["id"], d["file"], d["url"], d.get("sha256", ""), m["files"][0]["path"]]))
EOF
)"

if [[ ${#ids[@]} -eq 0 ]]; then
  mapfile -t ids < <(cut -d'|' -f1 <<<"$entries")
fi

work="$models_dir/checkpoints"
mkdir -p "$work"
status=0
for id in "${ids[@]}"; do
  line="$(awk -F'|' -v id="$id" '$1 == id' <<<"$entries")"
  if [[ -z "$line" ]]; then
    echo "download-models: no download entry for '$id' in $manifest" >&2
    status=2
    continue
  fi
  IFS='|' read -r _ file url sha out <<<"$line"
  target="$models_dir/$out"
  if [[ -f "$target" ]]; then
    echo "$id: $target already present"
    continue
  fi
  checkpoint="$work/$file"
  if [[ ! -f "$checkpoint" ]]; then
    echo "$id: downloading $url"
    if ! curl -fL --retry 3 --progress-bar -o "$checkpoint.part" "$url"; then
      echo "download-models: $id: download failed; get $file by hand (models/manifest.json," \
        "\"page\") into $work and re-run" >&2
      rm -f "$checkpoint.part"
      status=1
      continue
    fi
    mv "$checkpoint.part" "$checkpoint"
  fi
  # Large Google Drive files answer with an HTML page when a link changed.
  magic="$(head -c 2 "$checkpoint" | od -An -tx1 | tr -d ' \n')"
  if [[ "$magic" != "504b" && "${magic:0:2}" != "80" ]]; then
    echo "download-models: $checkpoint is not a PyTorch checkpoint (a web page?)." >&2
    echo "  Download $file by hand (see models/manifest.json, \"page\") into $work and re-run." >&2
    rm -f "$checkpoint"
    status=1
    continue
  fi
  actual="$(sha256sum "$checkpoint" | cut -d' ' -f1)"
  if [[ -n "$sha" && "$sha" != "$actual" ]]; then
    echo "download-models: $checkpoint has sha256 $actual, expected $sha" >&2
    status=1
    continue
  fi
  echo "$id: sha256 $actual; converting"
  if ! "$python" "$here/convert_checkpoint.py" --model "$id" "$checkpoint" "$target"; then
    status=1
    continue
  fi
  [[ $keep -eq 1 ]] || rm -f "$checkpoint"
done
rmdir "$work" 2>/dev/null || true
exit $status
