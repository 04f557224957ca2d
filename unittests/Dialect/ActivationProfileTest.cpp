//===- ActivationProfileTest.cpp - Tests of profile merging ---------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Dialect/Lin/IR/ActivationProfile.h"
#include "lin/Dialect/Lin/IR/LinDialect.h"

#include "mlir/IR/MLIRContext.h"
#include "gtest/gtest.h"

#include <random>

using namespace lin;

namespace {

/// Profiles `values` (sample-major, `neurons` per sample) as ReLU would.
ActivationProfile profileRelu(llvm::ArrayRef<float> values, int64_t neurons) {
  ActivationProfile profile(ActivationKind::ReLU, neurons);
  int64_t samples = values.size() / neurons;
  auto counts = profile.getMutableCounts();
  auto minimum = profile.getMutableMinimum();
  auto maximum = profile.getMutableMaximum();
  for (int64_t s = 0; s < samples; ++s) {
    for (int64_t j = 0; j < neurons; ++j) {
      float z = values[s * neurons + j];
      counts[(z > 0.0f ? 1 : 0) * neurons + j] += 1;
      minimum[j] = std::min(minimum[j], z);
      maximum[j] = std::max(maximum[j], z);
    }
  }
  profile.addSamples(samples);
  return profile;
}

void expectEqual(const ActivationProfile &a, const ActivationProfile &b) {
  ASSERT_EQ(a.getNumNeurons(), b.getNumNeurons());
  EXPECT_EQ(a.getNumSamples(), b.getNumSamples());
  for (int64_t j = 0; j < a.getNumNeurons(); ++j) {
    for (unsigned p = 0; p < a.getNumPieces(); ++p)
      EXPECT_EQ(a.getCount(p, j), b.getCount(p, j)) << "neuron " << j;
    EXPECT_EQ(a.getMinimum(j), b.getMinimum(j));
    EXPECT_EQ(a.getMaximum(j), b.getMaximum(j));
  }
}

TEST(ActivationProfile, MergeOfShardsEqualsWholeProfile) {
  std::mt19937 rng(42);
  std::normal_distribution<float> dist(0.0f, 1.0f);
  const int64_t neurons = 7, samples = 100;
  std::vector<float> values(neurons * samples);
  for (float &v : values)
    v = dist(rng);
  ActivationProfile whole = profileRelu(values, neurons);

  // Split into three uneven shards and merge in a different order.
  llvm::ArrayRef<float> all(values);
  ActivationProfile a = profileRelu(all.slice(0, 13 * neurons), neurons);
  ActivationProfile b =
      profileRelu(all.slice(13 * neurons, 50 * neurons), neurons);
  ActivationProfile c = profileRelu(all.slice(63 * neurons), neurons);
  ASSERT_FALSE(bool(c.merge(a)));
  ASSERT_FALSE(bool(c.merge(b)));
  expectEqual(c, whole);
}

TEST(ActivationProfile, MergeWithEmptyIsIdentity) {
  std::vector<float> values = {1.0f, -2.0f, 0.0f, 3.0f};
  ActivationProfile profile = profileRelu(values, 2);
  ActivationProfile copy = profile;
  ASSERT_FALSE(bool(profile.merge(ActivationProfile(ActivationKind::ReLU, 2))));
  expectEqual(profile, copy);
  EXPECT_EQ(profile.getCount(0, 1), 1); // -2.0
  EXPECT_EQ(profile.getCount(1, 1), 1); // 3.0
  EXPECT_EQ(profile.getCount(0, 0), 1); // 0.0 is in the inactive piece
  EXPECT_DOUBLE_EQ(profile.getShare(1, 0), 0.5);
}

TEST(ActivationProfile, MergeRejectsMismatchedProfiles) {
  ActivationProfile relu(ActivationKind::ReLU, 3);
  relu.addSamples(0);
  llvm::Error kindError =
      relu.merge(ActivationProfile(ActivationKind::Clamp, 3));
  EXPECT_TRUE(bool(kindError));
  EXPECT_NE(llvm::toString(std::move(kindError)).find("clamp"),
            std::string::npos);
  llvm::Error sizeError =
      relu.merge(ActivationProfile(ActivationKind::ReLU, 4));
  EXPECT_TRUE(bool(sizeError));
  llvm::consumeError(std::move(sizeError));
}

TEST(ActivationProfile, ProvenOnlyWhenBothAre) {
  ActivationProfile proven(ActivationKind::ReLU, 1, ProfileSource::Proven);
  ActivationProfile proven2(ActivationKind::ReLU, 1, ProfileSource::Proven);
  ASSERT_FALSE(bool(proven.merge(proven2)));
  EXPECT_EQ(proven.getSource(), ProfileSource::Proven);
  ASSERT_FALSE(bool(proven.merge(ActivationProfile(ActivationKind::ReLU, 1))));
  EXPECT_EQ(proven.getSource(), ProfileSource::Observed);
}

TEST(ActivationProfile, AttributeRoundTrip) {
  mlir::MLIRContext context;
  context.loadDialect<LinDialect>();
  std::vector<float> values = {1.0f, -2.0f, 0.5f, 3.0f, -1.0f, 4.0f};
  ActivationProfile profile = profileRelu(values, 3);
  ProfileAttr attr = profile.toAttr(&context);
  EXPECT_EQ(attr.getSamples(), 2);
  EXPECT_EQ(attr.getNumNeurons(), 3);
  EXPECT_EQ(attr.getCount(1, 2), 2);
  expectEqual(ActivationProfile::fromAttr(attr), profile);
}

} // namespace
