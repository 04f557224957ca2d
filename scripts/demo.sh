#!/usr/bin/env bash
# lin's main job on the shipped example: a 784-256-128-10 ReLU MLP trained on
# Fashion-MNIST (examples/fashion_mnist, imported by torch-mlir).
#   1. compress it within an accuracy budget: the smallest model (refitted
#      by least squares) whose accuracy on 300 validation images is at most
#      1 point below the original's, profiled and refitted on 700 others;
#   2. profile it on the 1,000 calibration images and summarise each layer;
#   3. compress it losslessly (profile + fold + cleanup in one pipeline) and
#      print the fold report;
#   4. sweep the threshold on the profiled model: parameters and test
#      accuracy (2,000 test images, lin-run) of the algebraic fold and of the
#      refitted one.
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

# The calibration images split: the first 700 to profile and refit on, the
# last 300 to hold the budget on (never the test images).
"$root/.venv/bin/python" - "$example" "$work" <<'PY'
import sys
import numpy as np
example, work = sys.argv[1:]
x = np.load(f"{example}/calib.npy")
y = np.load(f"{example}/calib_y.npy")
np.save(f"{work}/fit_x.npy", x[:700])
np.save(f"{work}/val_x.npy", x[700:])
np.save(f"{work}/val_y.npy", y[700:])
PY

echo "== 1. Within a budget: lin-opt model.mlir --linearity-compress=\"data=fit_x.npy refit=lstsq"
echo "       budget=1 budget-data=val_x.npy budget-labels=val_y.npy verbose=1\""
"$lin_opt" "$example/model.mlir" -o "$work/budget.mlir" \
  --linearity-compress="data=$work/fit_x.npy refit=lstsq budget=1 \
budget-data=$work/val_x.npy budget-labels=$work/val_y.npy quiet=1 verbose=1" 2>&1
echo "test accuracy: original $(accuracy "$example/model.mlir"), compressed $(accuracy "$work/budget.mlir")"

echo
echo "== 2. Profile on calib.npy (1,000 validation images)"
"$lin_opt" "$example/model.mlir" \
  --linearity-profile="data=$example/calib.npy quiet=1" -o "$work/profiled.mlir"
"$lin_opt" "$work/profiled.mlir" --linearity-summary -o /dev/null 2>&1

echo
echo "== 3. Lossless compression: lin-opt model.mlir --linearity-compress=\"data=calib.npy verbose=1\""
"$lin_opt" "$example/model.mlir" \
  --linearity-compress="data=$example/calib.npy quiet=1 verbose=1" -o "$work/compressed.mlir" 2>&1
echo "test accuracy: original $(accuracy "$example/model.mlir"), compressed $(accuracy "$work/compressed.mlir")"

echo
echo "== 4. Threshold sweep (policy=cost): the algebraic fold and the refit (refit=lstsq)"
before="$(accuracy "$example/model.mlir")"
printf '%-10s %12s %8s %10s %10s\n' threshold parameters ratio algebraic refit
for t in 1.0 0.95 0.9 0.8 0.7 0.6; do
  for refit in none lstsq; do
    "$lin_opt" "$work/profiled.mlir" -mlir-print-op-on-diagnostic=false \
      --linearity-fold="threshold=$t refit=$refit data=$example/calib.npy quiet=1 report=$work/r.json" \
      -o "$work/folded_$refit.mlir"
  done
  total="$(report_field "$work/r.json" params_before)"
  after="$(report_field "$work/r.json" params_after)"
  [[ $t != 1.0 ]] || printf '%-10s %12s %8s %10s %10s\n' original "$total" 1.000 "$before" "$before"
  printf '%-10s %12s %8s %10s %10s\n' "$t" "$after" \
    "$(awk -v a="$after" -v b="$total" 'BEGIN { printf "%.3f", a / b }')" \
    "$(accuracy "$work/folded_none.mlir")" "$(accuracy "$work/folded_lstsq.mlir")"
done
