#!/usr/bin/env bash
# Runs the whole test suite from a clean or existing checkout:
# installs what is missing (Debian packages, face-api models, demo inputs),
# builds, checks formatting and runs every ctest test. With AVATAR_ASAN=1 it
# then builds the unit tests again with AddressSanitizer + UBSan (the asan
# preset: -O1, without the studio) and runs them: any memory error, leak or
# undefined behaviour fails. AVATAR_ASAN=all builds everything under it and
# runs the unit and integration tests too (all but the container image and
# chart tests, which run no binary of ours). Off by default: on the 2-core CI
# machine the asan build alone takes about as long as the release build, which
# would take CI past its 30-minute goal.
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
if [[ "${AVATAR_ASAN:-0}" == 1 && "$PRESET" != asan ]]; then
  cmake --preset asan -DAVATAR_BUILD_UI=OFF >/dev/null
  cmake --build --preset asan -j"$(nproc)" --target unit-tests
  ctest --preset asan -L unit
elif [[ "${AVATAR_ASAN:-0}" == all && "$PRESET" != asan ]]; then
  cmake --preset asan -DAVATAR_BUILD_UI=OFF >/dev/null
  cmake --build --preset asan -j"$(nproc)"
  ctest --preset asan -E 'container_image|helm_chart'
fi
