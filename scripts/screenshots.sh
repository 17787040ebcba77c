#!/usr/bin/env bash
# Screenshots of Avatar Studio's main states, taken from the real application
# (offscreen Qt platform, QWidget::grab): docs/screenshots/studio-*.png.
#
#   scripts/screenshots.sh [PHOTO [SPEECH]]
#
# Defaults to the demo inputs made by setup (demo/astronaut.png, a NASA
# public-domain portrait, and demo/speech.wav from espeak-ng).
# AVATAR_BUILD_DIR selects the build tree (default build/release).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${AVATAR_BUILD_DIR:-$root/build/release}
photo=${1:-$root/demo/astronaut.png}
speech=${2:-$root/demo/speech.wav}
for f in "$photo" "$speech"; do
  if [[ ! -f $f ]]; then
    echo "screenshots.sh: $f not found (scripts/setup.sh makes the demo inputs)" >&2
    exit 2
  fi
done
if [[ ! -d $build ]]; then
  cmake --preset release -S "$root"
fi
cmake --build "$build" --target avatar-studio-screenshots
QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} AVATAR_MODELS_DIR=${AVATAR_MODELS_DIR:-$root/models} \
  "$build/ui/avatar-studio-screenshots" --out "$root/docs/screenshots" \
  --photo "$photo" --audio "$speech" --theme dark --size 1280x800
echo "screenshots in $root/docs/screenshots"
