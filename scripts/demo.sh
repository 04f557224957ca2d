#!/usr/bin/env bash
# lin's main job on the shipped example: a 784-256-128-10 ReLU MLP trained on
# Fashion-MNIST (examples/fashion_mnist, imported by torch-mlir).
#   1. profile it on 1,000 calibration images and summarise per layer;
#   2. compress it (profile + fold + cleanup) at the lossless threshold 1.0
#      and at merge-threshold 0.9 (remove-threshold stays 1.0);
#   3. compare test accuracy before and after on 2,000 test images (lin-run).
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

echo "== 1. Profile on examples/fashion_mnist/calib.npy (1,000 images)"
"$lin_opt" "$example/model.mlir" \
  --linearity-profile="data=$example/calib.npy quiet=1" -o "$work/profiled.mlir"
"$lin_opt" "$work/profiled.mlir" --linearity-summary -o /dev/null

accuracy() {
  "$lin_run" "$1" --input "$example/test_x.npy" --labels "$example/test_y.npy" --quiet |
    sed -n 's/^accuracy: //p'
}
before="$(accuracy "$example/model.mlir")"

for options in "threshold=1.0" "merge-threshold=0.9 remove-threshold=1.0"; do
  echo
  echo "== 2. Compress: --linearity-compress=\"data=calib.npy $options\""
  "$lin_opt" "$example/model.mlir" -mlir-print-op-on-diagnostic=false \
    --linearity-compress="data=$example/calib.npy quiet=1 verbose=1 $options report=$work/report.json" \
    -o "$work/compressed.mlir"
  after="$(accuracy "$work/compressed.mlir")"
  echo "test accuracy (2,000 images): before $before, after $after"
done
echo
echo "The compressed IR is plain upstream MLIR: for example"
echo "  $lin_opt $example/model.mlir --linearity-compress=\"data=$example/calib.npy\" -o compressed.mlir"
