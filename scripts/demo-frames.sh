#!/usr/bin/env bash
# Renders the demo (if needed) and writes docs/images/demo-frames.png: a strip
# of frames from demo/demo.mp4 around the face, so readers see what the
# built-in talking head does.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${AVATAR_BIN:-build/release/app/avatar-renderer}
[ -f demo/demo.mp4 ] || "$BIN" render --image demo/astronaut.png --audio demo/speech.wav \
  -o demo/demo.mp4 --progress none
mkdir -p docs/images
# Frames 20..55 every 5th, cropped to the head of the 512x512 astronaut portrait.
ffmpeg -v error -y -i demo/demo.mp4 \
  -vf "select='between(n\,20\,55)*not(mod(n-20\,5))',crop=180:200:130:40,scale=180:-2,tile=8x1" \
  -frames:v 1 docs/images/demo-frames.png
ffmpeg -v error -y -i demo/demo.mp4 -vf "select='eq(n\,40)'" -frames:v 1 docs/images/demo-frame.png
echo "wrote docs/images/demo-frames.png and docs/images/demo-frame.png" >&2
