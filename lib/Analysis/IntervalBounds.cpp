//===- IntervalBounds.cpp - Sound pre-activation bounds -------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Analysis/IntervalBounds.h"
#include "lin/Analysis/AffineForm.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace lin;

/// Adds the image of the box `in` under `root @ weight` to [lo, hi], in
/// double precision and rounded outwards to float at the end by the caller.
static void accumulateTerm(const Interval &in, const AffineTerm &term,
                           std::vector<double> &lo, std::vector<double> &hi) {
  int64_t m = lo.size();
  if (term.isIdentity()) {
    for (int64_t j = 0; j < m; ++j) {
      lo[j] += in.lower[j];
      hi[j] += in.upper[j];
    }
    return;
  }
  int64_t n = term.weight.getDimSize(0);
  const float *w = term.weight.data();
  for (int64_t i = 0; i < n; ++i) {
    double l = in.lower[i], u = in.upper[i];
    const float *row = w + i * m;
    for (int64_t j = 0; j < m; ++j) {
      double weight = row[j];
      if (weight >= 0) {
        lo[j] += l * weight;
        hi[j] += u * weight;
      } else {
        lo[j] += u * weight;
        hi[j] += l * weight;
      }
    }
  }
}

/// Rounds outwards so that float bounds stay sound after double arithmetic.
static float roundDown(double v) {
  float f = static_cast<float>(v);
  return f > v ? std::nextafter(f, -INFINITY) : f;
}
static float roundUp(double v) {
  float f = static_cast<float>(v);
  return f < v ? std::nextafter(f, INFINITY) : f;
}

std::vector<ActivationBounds>
lin::computeActivationBounds(func::FuncOp func,
                             ConstantTensorEvaluator &constants,
                             double inputLower, double inputUpper) {
  std::vector<ActivationBounds> result;
  DenseMap<Value, Interval> known;
  for (BlockArgument arg : func.getArguments()) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type || type.getRank() != 2 || type.isDynamicDim(1))
      continue;
    int64_t n = type.getDimSize(1);
    known[arg] = Interval{std::vector<float>(n, inputLower),
                          std::vector<float>(n, inputUpper)};
  }
  SmallVector<PiecewiseLinearActivation> activations =
      findPiecewiseLinearActivations(func);
  DenseSet<Value> activationResults;
  for (const PiecewiseLinearActivation &activation : activations)
    activationResults.insert(activation.getResult());
  auto isActivation = [&](Value v) { return activationResults.contains(v); };

  for (PiecewiseLinearActivation &activation : activations) {
    ActivationBounds bounds{activation, {}, {}};
    std::string why;
    FailureOr<AffineForm> form =
        decomposeAffine(activation.getInput(), constants, &why, isActivation);
    if (failed(form)) {
      bounds.whyUnknown = "its pre-activation is not an affine layer: " + why;
      result.push_back(std::move(bounds));
      continue;
    }
    int64_t m = form->numFeatures;
    std::vector<double> lo(m, 0.0), hi(m, 0.0);
    if (form->hasBias())
      for (int64_t j = 0; j < m; ++j)
        lo[j] = hi[j] = form->bias.data()[j];
    for (const AffineTerm &term : form->terms) {
      auto it = known.find(term.root);
      if (it == known.end()) {
        bounds.whyUnknown = "its pre-activation depends on a value without "
                            "bounds (neither a function argument nor a "
                            "bounded activation)";
        break;
      }
      accumulateTerm(it->second, term, lo, hi);
    }
    if (!bounds.isKnown()) {
      result.push_back(std::move(bounds));
      continue;
    }
    Interval &z = bounds.preActivation;
    Interval a;
    for (int64_t j = 0; j < m; ++j) {
      z.lower.push_back(roundDown(lo[j]));
      z.upper.push_back(roundUp(hi[j]));
      auto [low, high] =
          activation.getFunction().getImage(z.lower.back(), z.upper.back());
      a.lower.push_back(roundDown(low));
      a.upper.push_back(roundUp(high));
    }
    known[activation.getResult()] = std::move(a);
    result.push_back(std::move(bounds));
  }
  return result;
}
