#!/usr/bin/env bash
# Every test: installs the packages, builds everything (tests included) and
# runs the whole suite with ctest. .ci/run calls this once per stage.
#   scripts/test.sh              RelWithDebInfo build in build/, whole suite
#   scripts/test.sh --sanitize   Debug build with ASan + UBSan in build-asan/,
#                                whole suite; any finding fails its test
#   scripts/test.sh --fuzz [S]   clang libFuzzer build in build-fuzz/; every
#                                target's regression inputs, then S seconds
#                                of fuzzing each (default 30; fuzz/run.sh)
# See docs/hardening.md.
set -euo pipefail
cd "$(dirname "$0")/.."

stage=${1:-release}
case "$stage" in
  release|--release) stage=release ;;
  --sanitize) stage=sanitize ;;
  --fuzz) stage=fuzz ;;
  *) echo "usage: scripts/test.sh [--sanitize | --fuzz [SECONDS]]" >&2; exit 2 ;;
esac

scripts/install-deps.sh --tests
if [ ! -d ../shared/data ]; then
  echo "test.sh: ../shared/data is absent; tests that read it will say so and skip" >&2
fi

case "$stage" in
  release)
    cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNEWSCLAIM_BUILD_TESTS=ON >/dev/null
    cmake --build build -j2
    cd build
    ctest --output-on-failure -j2 --timeout 600
    ;;
  sanitize)
    # Debug keeps every check and frame; -fno-sanitize-recover=all (set by
    # NEWSCLAIM_SANITIZE) makes UBSan findings fatal too. The options reach
    # the newsclaim processes the tests start: a finding aborts (SIGABRT),
    # which no test mistakes for exit code 1 ("some inputs failed").
    cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DNEWSCLAIM_BUILD_TESTS=ON \
      -DNEWSCLAIM_SANITIZE=address,undefined >/dev/null
    cmake --build build-asan -j2
    export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1
    export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1
    cd build-asan
    ctest --output-on-failure -j2 --timeout 900
    ;;
  fuzz)
    seconds=${2:-30}
    cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DNEWSCLAIM_BUILD_TESTS=OFF -DNEWSCLAIM_BUILD_FUZZ=ON >/dev/null
    cmake --build build-fuzz -j2 --target fuzzers
    FUZZ_BUILD_DIR=$(pwd)/build-fuzz fuzz/run.sh "$seconds"
    ;;
esac
