#!/usr/bin/env bash
# The main job on the bundled corpus, from a fresh Debian 12 machine:
# installs the packages, builds, serves corpus/site on 127.0.0.1, crawls it
# into a fresh database and prints the contradiction report (Markdown).
# The database stays in build/demo/ for querying afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2 --target newsclaim >/dev/null

work=build/demo
rm -rf "$work"
mkdir -p "$work"

# Serve the corpus on a free loopback port; the first line is the port.
exec 3< <(python3 scripts/serve.py corpus/site 2>"$work/server.log")
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true' EXIT
read -r -u 3 port

db="$work/newsclaim.db"
status=0
build/newsclaim --db "$db" crawl --delay-ms 0 "http://127.0.0.1:$port/" || status=$?
if [ "$status" -gt 1 ]; then
  exit "$status"
fi
build/newsclaim --db "$db" report --format md
echo >&2
echo "demo: database at $db; try: build/newsclaim --db $db query --kind gpu_count" >&2
exit "$status"
