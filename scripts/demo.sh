#!/usr/bin/env bash
# lin's main job on the shipped example: a 784-256-128-10 ReLU MLP trained on
# Fashion-MNIST (examples/fashion_mnist, imported by torch-mlir).
#   1. profile it on 1,000 calibration images and summarise each layer;
#   2. compress it losslessly (profile + fold + cleanup in one pipeline) and
#      print the fold report;
#   3. sweep the merge threshold on the profiled model: parameters and test
#      accuracy (2,000 test images, lin-run) against the original.
# Builds lin first if needed (scripts/test.sh installs everything).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build="${LIN_BUILD_DIR:-$root/build}"
if [[ ! -x "$build/bin/lin-opt" || ! -x "$build/bin/lin-run" ]]; then
  "$root/scripts/setup.sh"
  [[ -f "$build/build.ninja" ]] ||
    cmake -G Ninja -S "$root" -B "$build" -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit >/dev/null
  ninja -C "$build" lin-opt lin-run >/dev/null
fi
lin_opt="$build/bin/lin-opt"
lin_run="$build/bin/lin-run"
example="$root/examples/fashion_mnist"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

accuracy() {
  "$lin_run" "$1" --input "$example/test_x.npy" --labels "$example/test_y.npy" --quiet |
    sed -n 's/^accuracy: //p'
}
# Top-level parameter counts of a fold report.
report_field() { sed -n "s/^  \"$2\": \([0-9]*\).*/\1/p" "$1"; }

echo "== 1. Profile on calib.npy (1,000 validation images)"
"$lin_opt" "$example/model.mlir" \
  --linearity-profile="data=$example/calib.npy quiet=1" -o "$work/profiled.mlir"
"$lin_opt" "$work/profiled.mlir" --linearity-summary -o /dev/null

echo
echo "== 2. Lossless compression: lin-opt model.mlir --linearity-compress=\"data=calib.npy verbose=1\""
"$lin_opt" "$example/model.mlir" \
  --linearity-compress="data=$example/calib.npy quiet=1 verbose=1" -o "$work/compressed.mlir"
echo "test accuracy: original $(accuracy "$example/model.mlir"), compressed $(accuracy "$work/compressed.mlir")"

echo
echo "== 3. Merge-threshold sweep (remove-threshold 1.0, policy=cost)"
before="$(accuracy "$example/model.mlir")"
printf '%-16s %12s %8s %10s\n' merge-threshold parameters ratio accuracy
for t in 1.0 0.9 0.8 0.7 0.6 0.5; do
  "$lin_opt" "$work/profiled.mlir" -mlir-print-op-on-diagnostic=false \
    --linearity-fold="merge-threshold=$t remove-threshold=1.0 report=$work/r.json" \
    -o "$work/folded.mlir"
  total="$(report_field "$work/r.json" params_before)"
  after="$(report_field "$work/r.json" params_after)"
  [[ $t != 1.0 ]] || printf '%-16s %12s %8s %10s\n' original "$total" 1.000 "$before"
  printf '%-16s %12s %8s %10s\n' "$t" "$after" \
    "$(awk -v a="$after" -v b="$total" 'BEGIN { printf "%.3f", a / b }')" \
    "$(accuracy "$work/folded.mlir")"
done
