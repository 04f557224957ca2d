#!/usr/bin/env bash
# Installs everything lin needs on a bare Debian 12 or 13 machine, by package
# name, idempotently: the LLVM/MLIR 22 toolchain, clang 22 with its runtime
# libraries (AddressSanitizer, UndefinedBehaviorSanitizer, libFuzzer: the
# second build of scripts/sanitize.sh and scripts/fuzz.sh), OpenBLAS,
# GoogleTest, the Fashion-MNIST data set, and a Python venv (.venv) with the
# pinned frontend packages of python/requirements.txt. Fast when everything
# is in place.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

apt_packages=(
  cmake ninja-build g++ python3 python3-venv
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  clang-22 libclang-rt-22-dev
  libopenblas-dev googletest libgtest-dev
  dataset-fashion-mnist
)

missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python venv for the frontends, tests against PyTorch and benchmarks. The
# stamp records the requirements it was made from, so reruns are instant.
requirements="$root/python/requirements.txt"
venv="$root/.venv"
if [[ -f "$requirements" ]]; then
  stamp="$venv/.lin-requirements.sha256"
  want="$(sha256sum "$requirements" | cut -d' ' -f1)"
  if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
    echo "setup: creating the Python venv in .venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --upgrade pip
    "$venv/bin/pip" install -q -r "$requirements"
    echo "$want" >"$stamp"
  fi
fi

# The lin package (python/pyproject.toml: the `lin` command, lin_frontend,
# lin_toolchain), installed editable so that `.venv/bin/lin` runs this
# checkout's code and finds this checkout's build/bin/lin-opt and lin-run
# (lin_toolchain.locate). No dependencies and no build isolation: the venv
# already holds the pinned requirements, and setuptools (torch requires it),
# so nothing is downloaded. The stamp records the checkout and the
# pyproject.toml.
if [[ -x "$venv/bin/pip" ]]; then
  stamp="$venv/.lin-package.sha256"
  want="$root $(sha256sum "$root/python/pyproject.toml" | cut -d' ' -f1)"
  if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" || ! -x "$venv/bin/lin" ]]; then
    echo "setup: installing the lin package (python/) into .venv"
    "$venv/bin/pip" install -q --no-deps --no-build-isolation -e "$root/python"
    echo "$want" >"$stamp"
  fi
fi
