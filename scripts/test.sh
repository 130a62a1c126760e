#!/usr/bin/env bash
# Every test: installs the packages, builds everything (tests included) and
# runs the whole suite with ctest. .ci/run calls this.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh --tests
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNEWSCLAIM_BUILD_TESTS=ON >/dev/null
cmake --build build -j2
if [ ! -d ../shared/data ]; then
  echo "test.sh: ../shared/data is absent; tests that read it will say so and skip" >&2
fi
cd build
ctest --output-on-failure -j2 --timeout 600
