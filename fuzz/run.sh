#!/usr/bin/env bash
# Runs every libFuzzer target (or the ones named) for SECONDS each.
#   fuzz/run.sh SECONDS [TARGET...]
# For each target: builds its seed corpus from fuzz/seeds/TARGET.list (paths
# under corpus/ and ../shared/data, read at run time, never copied into the
# project) plus the hand-written fuzz/seeds/TARGET/, replays every input
# under fuzz/regressions/TARGET/ (a past finding must stay fixed), then
# fuzzes. The working corpus grows in $FUZZ_BUILD_DIR/fuzz-corpus/TARGET
# across runs; crashes land in $FUZZ_BUILD_DIR/fuzz-artifacts/TARGET/; each
# run appends "date target seconds execs status" (seconds as measured) to
# $FUZZ_BUILD_DIR/fuzz-runs.tsv (docs/hardening.md sums it).
# Exits non-zero when a regression input or a fuzzer fails.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if [ $# -lt 1 ] || ! [[ "$1" =~ ^[0-9]+$ ]]; then
  echo "usage: fuzz/run.sh SECONDS [TARGET...]" >&2
  exit 2
fi
seconds=$1
shift
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for list in fuzz/seeds/*.list; do
    targets+=("$(basename "$list" .list)")
  done
fi

# Seed corpus of one target, rebuilt from its list on every run.
#   PATH [SUFFIX...] [gunzip]
#                      every file under PATH (a file or a folder) whose
#                      name ends with one of the suffixes (all when none);
#                      with "gunzip", ".gz" files are decompressed
#   lines:PATH [SUFFIX...]  as above, but every line of every file is a
#                      seed of its own, its first ',' (CSV) made a newline
#   @max_len N         the longest input the fuzzer makes
make_seeds() {
  local target=$1 dir=$2
  rm -rf "$dir"
  mkdir -p "$dir"
  if [ -d "fuzz/seeds/$target" ]; then
    cp fuzz/seeds/"$target"/* "$dir"/ 2>/dev/null || true
  fi
  local count=0 path suffixes file name by_line
  while read -r path suffixes; do
    case "$path" in ''|'#'*|'@'*) continue ;; esac
    by_line=0
    case "$path" in lines:*) by_line=1; path=${path#lines:} ;; esac
    local gunzip=0
    case " $suffixes " in *" gunzip "*) gunzip=1; suffixes=${suffixes//gunzip/} ;; esac
    suffixes=$(echo $suffixes)
    if [ ! -e "$path" ]; then
      echo "fuzz/run.sh: $target: seed path $path is absent; skipped" >&2
      continue
    fi
    while IFS= read -r -d '' file; do
      if [ -n "$suffixes" ]; then
        local keep=0 suffix
        for suffix in $suffixes; do
          case "$file" in *"$suffix") keep=1 ;; esac
        done
        [ $keep -eq 1 ] || continue
      fi
      if [ $by_line -eq 1 ]; then
        local line
        while IFS= read -r line; do
          count=$((count + 1))
          printf '%s' "${line/,/$'\n'}" > "$dir/seed-$count-line"
        done < <(head -n 2000 "$file")
        continue
      fi
      count=$((count + 1))
      name="seed-$count-$(basename "$file")"
      if [ $gunzip -eq 1 ] && [[ "$file" == *.gz ]]; then
        gunzip -c "$file" > "$dir/${name%.gz}" 2>/dev/null || cp "$file" "$dir/$name"
      else
        cp "$file" "$dir/$name"
      fi
    done < <(find "$path" -type f -print0 | sort -z)
  done < "fuzz/seeds/$target.list"
}

failed=()
mkdir -p "$build/fuzz-corpus" "$build/fuzz-artifacts" "$build/fuzz-seeds"
for target in "${targets[@]}"; do
  binary="$build/fuzz/$target"
  if [ ! -x "$binary" ]; then
    echo "fuzz/run.sh: $binary is not built (cmake -DNEWSCLAIM_BUILD_FUZZ=ON)" >&2
    failed+=("$target")
    continue
  fi
  seeds="$build/fuzz-seeds/$target"
  corpus="$build/fuzz-corpus/$target"
  artifacts="$build/fuzz-artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  make_seeds "$target" "$seeds"
  max_len=$(sed -n 's/^@max_len[[:space:]]*//p' "fuzz/seeds/$target.list")
  max_len=${max_len:-65536}

  # Every past finding first: each input runs once and must not crash.
  if compgen -G "fuzz/regressions/$target/*" >/dev/null; then
    if ! "$binary" fuzz/regressions/"$target"/* > "$artifacts/regressions.log" 2>&1; then
      echo "fuzz/run.sh: $target: a regression input fails again; see $artifacts/regressions.log" >&2
      tail -30 "$artifacts/regressions.log" >&2
      failed+=("$target")
      continue
    fi
  fi

  log="$artifacts/last-run.log"
  status=ok
  started=$SECONDS
  if ! "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len="$max_len" -print_final_stats=1 -artifact_prefix="$artifacts/" \
      "$corpus" "$seeds" > "$log" 2>&1; then
    status=FAILED
    failed+=("$target")
  fi
  elapsed=$((SECONDS - started))
  execs=$(sed -n 's/^stat::number_of_executed_units:[[:space:]]*//p' "$log" | tail -1)
  printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$target" "$elapsed" "${execs:-0}" "$status" \
    >> "$build/fuzz-runs.tsv"
  echo "fuzz/run.sh: $target: ${elapsed}s, ${execs:-0} runs, $status" >&2
  if [ "$status" != ok ]; then
    grep -m1 -A40 "ERROR\|FUZZ_CHECK\|runtime error\|deadly signal" "$log" >&2 || tail -40 "$log" >&2
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz/run.sh: failed: ${failed[*]}" >&2
  exit 1
fi
