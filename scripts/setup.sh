#!/usr/bin/env bash
# Sets up Avatar Renderer on Debian 12 and renders the demo video.
#
#   scripts/setup.sh            everything: packages, models, demo inputs, build, demo video
#   scripts/setup.sh --deps --models --demo-inputs --build --render-demo   (any subset)
#
# Idempotent: steps whose results exist are skipped. Needs root or sudo for
# the Debian packages; everything else stays inside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PRESET=${AVATAR_PRESET:-release}
BUILD_DIR=$ROOT/build/$PRESET

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

# Debian packages the project needs to build, test and run.
APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache git clang-format
  qt6-base-dev qt6-multimedia-dev qt6-httpserver-dev qt6-websockets-dev
  libqt6sql6-sqlite qt6-qpa-plugins
  libtorch-dev python3-torch
  # Debian's LibTorch links the reference BLAS by default; OpenBLAS (the
  # OpenMP build, sharing LibTorch's thread pool) makes its convolutions
  # ~10x faster on CPU (Wav2Lip 486 -> 48 ms a frame on 2 cores).
  libopenblas0-openmp
  libopencv-dev opencv-data
  libavcodec-dev libavformat-dev libavutil-dev libswscale-dev libswresample-dev ffmpeg
  nlohmann-json3-dev libsqlite3-dev
  googletest libgtest-dev libbenchmark-dev
  espeak-ng sox python3 python3-numpy
  libpocketsphinx-dev pocketsphinx-en-us
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-libav
  xvfb
  # The scale-out queue (serve --queue, avatar-renderer worker) and its tests.
  redis-server libhiredis-dev
  # worker --artifacts s3://... (libcurl SigV4 uploads); its test runs s3rver from npm.
  libcurl4-openssl-dev
  # The container image test (tests/integration/container): a bookworm base
  # from mmdebstrap, imported with podman, built and run with buildah.
  buildah podman mmdebstrap
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@";
  else die "installing packages needs root (or sudo): $*"; fi
}

step_deps() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
  if [ ${#missing[@]} -eq 0 ]; then say "Debian packages: all present"; return; fi
  say "Installing Debian packages: ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# Expected sha256 of a file listed in models/manifest.json.
manifest_sha() {
  python3 - "$1" <<'PY'
import json, sys
m = json.load(open("models/manifest.json"))
for model in m["models"]:
    for f in model["files"]:
        if f["path"] == sys.argv[1]:
            print(f.get("sha256", "")); sys.exit(0)
sys.exit("not in manifest: " + sys.argv[1])
PY
}

face_api_files() {
  python3 -c 'import json
for m in json.load(open("models/manifest.json"))["models"]:
    for f in m["files"]:
        if f["path"].startswith("face-api/"): print(f["path"])'
}

models_ok() {
  local f
  for f in $(face_api_files); do
    [ -f "models/$f" ] || return 1
    [ "$(sha256sum "models/$f" | cut -d' ' -f1)" = "$(manifest_sha "$f")" ] || return 1
  done
}

step_models() {
  if models_ok; then say "face-api models: present and verified"; return; fi
  local pkg sha tmp
  pkg=$(python3 -c 'import json; print(json.load(open("models/manifest.json"))["faceApiPackage"]["npm"])')
  sha=$(python3 -c 'import json; print(json.load(open("models/manifest.json"))["faceApiPackage"]["tarballSha256"])')
  say "Fetching face-api models: npm pack $pkg"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  (cd "$tmp" && npm pack --silent "$pkg" >/dev/null)
  local tgz
  tgz=$(ls "$tmp"/*.tgz)
  [ "$(sha256sum "$tgz" | cut -d' ' -f1)" = "$sha" ] || die "$tgz: sha256 mismatch (expected $sha)"
  tar -xzf "$tgz" -C "$tmp"
  mkdir -p models/face-api
  for f in $(face_api_files); do
    cp "$tmp/package/model/$(basename "$f")" "models/$f"
    [ "$(sha256sum "models/$f" | cut -d' ' -f1)" = "$(manifest_sha "$f")" ] \
      || die "models/$f: sha256 does not match models/manifest.json"
  done
  cp "$tmp/package/LICENSE" models/face-api/LICENSE
  say "face-api models verified in models/face-api/"
}

step_demo_inputs() {
  mkdir -p demo
  if [ ! -f demo/astronaut.png ]; then
    say "Extracting the NASA astronaut portrait (public domain) from Debian's python3-skimage"
    local tmp
    tmp=$(mktemp -d)
    chmod 777 "$tmp"  # apt's _apt user downloads into it
    (cd "$tmp" && apt-get download -q python3-skimage >/dev/null 2>&1) \
      || { as_root apt-get update -q && (cd "$tmp" && apt-get download -q python3-skimage); }
    dpkg-deb -x "$tmp"/python3-skimage_*.deb "$tmp/x"
    cp "$(find "$tmp/x" -path '*skimage/data/astronaut.png' | head -n1)" demo/astronaut.png
    rm -rf "$tmp"
  fi
  if [ ! -f demo/speech.wav ]; then
    say "Synthesising the demo sentence with espeak-ng"
    espeak-ng -v en-us -s 150 -w demo/speech.wav \
      "Hello! I am a talking head, rendered from one still photo. ... Every word you hear moves my lips."
  fi
}

step_build() {
  say "Configuring and building ($PRESET)"
  cmake --preset "$PRESET" >/dev/null
  cmake --build --preset "$PRESET" -j"$(nproc)"
}

step_render_demo() {
  say "Rendering the demo video: demo/demo.mp4"
  "$BUILD_DIR/app/avatar-renderer" render --image demo/astronaut.png --audio demo/speech.wav \
    -o demo/demo.mp4 --progress "${AVATAR_PROGRESS:-auto}"
  ffprobe -v error -show_entries stream=codec_type,codec_name,width,height,duration \
    -of compact=p=0 demo/demo.mp4 >&2
  say "Done: demo/demo.mp4"
}

steps=()
for arg in "$@"; do
  case "$arg" in
    --deps|--models|--demo-inputs|--build|--render-demo) steps+=("${arg#--}") ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) die "unknown option $arg (see --help)" ;;
  esac
done
[ ${#steps[@]} -gt 0 ] || steps=(deps models demo-inputs build render-demo)
for s in "${steps[@]}"; do "step_${s//-/_}"; done
