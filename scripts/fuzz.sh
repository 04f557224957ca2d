#!/usr/bin/env bash
# Runs lin's libFuzzer targets (fuzz/) for a fixed time each, from seed
# corpora made of the test inputs:
#
#   lin-npy-fuzzer           the .npy reader on arbitrary bytes
#   lin-profile-attr-fuzzer  the #lin.profile attribute parser (round trip)
#   lin-fold-fuzzer          interpreter + profile / prove + fold on mutated
#                            small modules, outputs checked against the
#                            original
#
#   LIN_FUZZ_SECONDS        budget per target in seconds (default 60; CI: 20)
#   LIN_FUZZ_TARGETS        space-separated subset of the targets
#   LIN_SANITIZE_BUILD_DIR  the sanitizer build holding the fuzzers (default
#                           build-sanitize; configured and built by
#                           scripts/sanitize.sh, or here when missing)
#
# New corpus entries accumulate in <build>/fuzz/corpus/<target> across runs.
# Exits non-zero when a target crashes (or hangs, or runs out of memory), and
# prints the reproducer's path; turn each into a regression test (see
# test/Fuzz/README.md). The last line is
# `fuzz: N executions, N crashes (S s per target)`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${LIN_SANITIZE_BUILD_DIR:-$root/build-sanitize}"
seconds="${LIN_FUZZ_SECONDS:-60}"
targets=(${LIN_FUZZ_TARGETS:-lin-npy-fuzzer lin-profile-attr-fuzzer lin-fold-fuzzer})
llvm=/usr/lib/llvm-22/bin

if [[ ! -f "$build/build.ninja" ]]; then
  cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER="$llvm/clang" -DCMAKE_CXX_COMPILER="$llvm/clang++" \
    -DLIN_ENABLE_SANITIZERS=ON -DLIN_BUILD_FUZZERS=ON \
    -DLLVM_EXTERNAL_LIT="$llvm/lit" >/dev/null
fi
ninja -C "$build" lin-fuzzers >/dev/null

work="$build/fuzz"
mkdir -p "$work"
# Seeds: regenerated each run from the test inputs (cheap, and they follow
# the tests), plus the reproducers of past crashes (test/Fuzz/Inputs).
python3 "$root/fuzz/make-seeds.py" --root "$root" --out "$work/seeds"

# ASan as in scripts/sanitize.sh (see there why); libFuzzer reports findings
# itself.
export ASAN_OPTIONS="allocator_may_return_null=1:allow_user_poisoning=0:detect_leaks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export ASAN_SYMBOLIZER_PATH="$llvm/llvm-symbolizer"

total=0
crashes=0
for target in "${targets[@]}"; do
  corpus="$work/corpus/$target"
  artifacts="$work/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  log="$work/$target.log"
  status=0
  # -timeout: one input taking seconds is a hang; -rss_limit_mb: the
  # fuzzers cap lin's tensors far below this, so more is a leak or a bug.
  "$build/bin/$target" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$corpus" "$work/seeds/$target" \
    >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\)/\1/p' "$log" | tail -n1)
  runs=${runs:-0}
  total=$((total + runs))
  if ((status != 0)); then
    crashes=$((crashes + 1))
    reproducer=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n1)
    echo "fuzz: $target FAILED after $runs executions (exit $status)"
    grep -m1 -E "ERROR|runtime error|lin-.*-fuzzer: |deadly signal|timeout|out-of-memory" "$log" || true
    echo "fuzz: reproducer: ${reproducer:-none written}; log: $log"
    echo "fuzz: replay with: $build/bin/$target ${reproducer:-<input>}"
  else
    echo "fuzz: $target: $runs executions in ${seconds} s, no crash"
  fi
done
echo "fuzz: $total executions, $crashes crashes (${seconds} s per target)"
exit $((crashes > 0 ? 1 : 0))
