#!/usr/bin/env bash
# Writes docs/images/driver-frames.png: a driven render seen side by side,
# columns driver | photo | output, rows three moments. The driver is the
# built-in renderer's own output (../shared/testdata's people_0.png,
# Apache-2.0, talking with large head motion); the photo is the demo's NASA
# astronaut, driven through the built-in rig (no weights).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${AVATAR_BIN:-build/release/app/avatar-renderer}
TESTDATA=${AVATAR_TESTDATA:-../shared/testdata}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$BIN" render --image "$TESTDATA/faces/people_0.png" --audio "$TESTDATA/audio/RD_Radio31_000.wav" \
  -o "$tmp/driver.mp4" --size 384x384 --motion-scale 3 --blinks-per-minute 30 --seed 7 \
  --progress none
"$BIN" render --image demo/astronaut.png --audio "$TESTDATA/audio/RD_Radio31_000.wav" \
  --driver-video "$tmp/driver.mp4" -o "$tmp/driven.mp4" --size 384x384 --progress none
# Rows: frames 30, 95, 160, cropped to the heads (384x384 frames).
pick="select='eq(n\,30)+eq(n\,95)+eq(n\,160)'"
ffmpeg -v error -y -i "$tmp/driver.mp4" -vf "$pick,crop=220:220:82:30,tile=1x3" -frames:v 1 \
  "$tmp/a.png"
ffmpeg -v error -y -i "$tmp/driven.mp4" -vf "$pick,crop=220:220:62:0,tile=1x3" -frames:v 1 \
  "$tmp/c.png"
ffmpeg -v error -y -loop 1 -i demo/astronaut.png -vf "scale=384:384,crop=220:220:62:0,tile=1x3" \
  -frames:v 1 "$tmp/b.png"
mkdir -p docs/images
ffmpeg -v error -y -i "$tmp/a.png" -i "$tmp/b.png" -i "$tmp/c.png" \
  -filter_complex "[0][1][2]hstack=3" docs/images/driver-frames.png
echo "wrote docs/images/driver-frames.png" >&2
