#!/usr/bin/env bash
# Builds lin a second time with clang's AddressSanitizer and
# UndefinedBehaviorSanitizer (CMake options LIN_ENABLE_SANITIZERS and
# LIN_BUILD_FUZZERS: the same build holds the libFuzzer targets that
# scripts/fuzz.sh runs) and runs the whole lit suite on it: the .mlir /
# .test regression tests, the GoogleTest unit tests and the Python end-to-end
# tests (which run the instrumented lin-opt / lin-run), all but Plugin/ (see
# below). Ends with one line `N passed, N failed, N skipped` and exits
# non-zero when anything failed.
#
#   LIN_SANITIZE_BUILD_DIR  build directory (default: build-sanitize)
#
# Run scripts/setup.sh first (it installs clang-22 and libclang-rt-22-dev).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${LIN_SANITIZE_BUILD_DIR:-$root/build-sanitize}"
llvm=/usr/lib/llvm-22/bin
if [[ ! -x "$llvm/clang++" ]]; then
  echo "sanitize: $llvm/clang++ is missing; run scripts/setup.sh" >&2
  exit 1
fi

if [[ ! -f "$build/build.ninja" ]]; then
  cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER="$llvm/clang" -DCMAKE_CXX_COMPILER="$llvm/clang++" \
    -DLIN_ENABLE_SANITIZERS=ON -DLIN_BUILD_FUZZERS=ON \
    -DLLVM_EXTERNAL_LIT="$llvm/lit" >/dev/null
fi
ninja -C "$build" all LinUnitTests

# Why each option:
# - allocator_may_return_null: a huge tensor (tests ask for 4e16 bytes) must
#   reach lin's own "cannot allocate" error, as it does without ASan, instead
#   of ASan's allocation-size-too-big report;
# - abort_on_error: a finding kills the process with SIGABRT, so that a test
#   running `not lin-opt ...` (expecting exit 1) fails on it too;
# - allow_user_poisoning=0: llvm/Support/Allocator.h poisons each new slab
#   of a BumpPtrAllocator and unpoisons what it hands out, but only where it
#   is compiled with ASan. When lin's code (e.g. the lin attributes' storage
#   constructors) starts a slab of an MLIRContext allocator, libMLIR (not
#   instrumented) later allocates from it without unpoisoning: ASan's memmove
#   interceptor then reports a false use-after-poison in StringAttr::get, on
#   the parser's error path (Parser::emitWrongTokenError). The fuzzers hit it
#   within a thousand inputs;
# - detect_leaks: on, and no suppression is needed: what Debian's libMLIR /
#   libLLVM keep in globals until exit is still reachable, not a leak.
export ASAN_OPTIONS="allocator_may_return_null=1:abort_on_error=1:allow_user_poisoning=0:detect_leaks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:abort_on_error=1"
export ASAN_SYMBOLIZER_PATH="$llvm/llvm-symbolizer"

# Excluded from this run: Plugin/, which loads the instrumented LinPlugin.so
# into Debian's uninstrumented mlir-opt; the ASan runtime must be the first
# library of a process, so that cannot work.
filter_out='Plugin/'

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
"$llvm/lit" -sv --filter-out "$filter_out" "$build/test" 2>&1 | tee "$log" ||
  status=$?

count() { sed -n "s/^ *$1 *: *\([0-9]*\).*/\1/p" "$log" | head -n1; }
passed=$(($(count Passed || true) + $(count "Expectedly Failed" || true) + 0))
failed=$(($(count Failed || true) + $(count Unresolved || true) + $(count "Timed Out" || true) + $(count "Unexpectedly Passed" || true) + 0))
skipped=$(($(count Unsupported || true) + $(count Skipped || true) + $(count Excluded || true) + 0))
if ((status != 0 && failed == 0)); then
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $((failed > 0 ? 1 : 0))
