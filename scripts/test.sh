#!/usr/bin/env bash
# Runs the whole test suite from a clean or existing checkout:
# installs what is missing (Debian packages, face-api models, demo inputs),
# builds, checks formatting and runs every ctest test.
#
#   scripts/test.sh [ctest arguments...]     e.g. scripts/test.sh -L unit
set -euo pipefail
cd "$(dirname "$0")/.."
PRESET=${AVATAR_PRESET:-release}
scripts/setup.sh --deps --models --demo-inputs
cmake --preset "$PRESET" >/dev/null
cmake --build --preset "$PRESET" -j"$(nproc)"
cmake --build --preset "$PRESET" --target format-check
ctest --preset "$PRESET" "$@"
