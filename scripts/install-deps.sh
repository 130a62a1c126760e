#!/usr/bin/env bash
# Installs the Debian 12 packages newsclaim builds, runs and tests with.
# With --tests, also what only the test suite needs (Chromium, for the
# report's browser test; clang with its sanitizer and libFuzzer runtimes,
# for the fuzz targets; nghttpd and openssl, for the HTTP/2 test; Node.js
# and npm, for the WARC test's independent reader); scripts/test.sh passes it, the demo does not.
# Idempotent and non-interactive: packages already present are left alone, and
# apt is only asked for (and its index only refreshed) when something is missing.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake pkg-config python3
  # the product's named libraries
  libcurl4-openssl-dev libgumbo-dev libicu-dev
  # the crawler double-checks that compressed bodies end (libcurl does not)
  zlib1g-dev libbrotli-dev libzstd-dev
  libmecab-dev mecab mecab-ipadic-utf8
  libre2-dev libsqlite3-dev sqlite3
  # glue: JSON, TOML rule files and crawl configs, the command line
  nlohmann-json3-dev libtomlplusplus-dev libcli11-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
)
if [ "${1:-}" = "--tests" ]; then
  # tests/report_browser_test renders the HTML report in headless Chromium
  packages+=(chromium)
  # fuzz/: clang++ -fsanitize=fuzzer,address,undefined (libclang-rt-14-dev
  # holds libFuzzer and the sanitizer runtimes; Debian 12's clang is 14)
  packages+=(clang libclang-rt-14-dev)
  # crawler/fetcher_test speaks HTTP/2 over TLS to nghttpd, with a
  # certificate openssl makes
  packages+=(nghttp2-server openssl)
  # tests/warc_interop_test reads our WARC files back with webrecorder's
  # warcio, which it installs with npm. A machine with its own Node.js
  # (npm on PATH) keeps it: Debian's npm would fight a vendor's nodejs.
  if ! command -v npm >/dev/null 2>&1; then
    packages+=(nodejs npm)
  fi
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present" >&2
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done" >&2
