//===- ActivationProfileTest.cpp - Tests of profile merging ---------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//

#include "lin/Dialect/Lin/IR/ActivationProfile.h"
#include "lin/Dialect/Lin/IR/LinDialect.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/bit.h"
#include "gtest/gtest.h"

#include <cmath>
#include <limits>
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
  llvm::cantFail(profile.addSamples(samples));
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

constexpr int64_t kMaxCount = std::numeric_limits<int64_t>::max();

/// Whether `error` is a failure whose message contains `text`.
bool failsWith(llvm::Error error, llvm::StringRef text) {
  if (!error)
    return false;
  return llvm::StringRef(llvm::toString(std::move(error))).contains(text);
}

TEST(ActivationProfile, AxisRoundTripsAndMustMatchToMerge) {
  mlir::MLIRContext context;
  context.loadDialect<LinDialect>();
  ActivationProfile channels = profileRelu({1.0f, -2.0f}, 2);
  channels.setAxis(1);
  ProfileAttr attr = channels.toAttr(&context);
  EXPECT_EQ(attr.getAxis(), std::optional<int64_t>(1));
  EXPECT_EQ(attr.getNeuronDim(4), 1);
  EXPECT_EQ(ActivationProfile::fromAttr(attr).getAxis(),
            std::optional<int64_t>(1));
  // Without an axis the neurons are the last dimension.
  EXPECT_EQ(profileRelu({1.0f}, 1).toAttr(&context).getNeuronDim(3), 2);
  // Profiles of different dimensions describe different neurons.
  ActivationProfile features = profileRelu({1.0f, -2.0f}, 2);
  EXPECT_TRUE(failsWith(features.merge(channels), "neuron dimensions"));
  EXPECT_EQ(features.getNumSamples(), 1);
}

TEST(ActivationProfile, SelectNeuronsEqualsProfileOfThoseNeurons) {
  // Three neurons over two samples; keeping neurons 2 and 0 (in that order)
  // profiles as their columns alone would.
  ActivationProfile all =
      profileRelu({1.0f, -2.0f, 3.0f, -4.0f, 5.0f, 0.5f}, 3);
  all.setAxis(1);
  ActivationProfile selected = all.selectNeurons({2, 0});
  ActivationProfile expected = profileRelu({3.0f, 1.0f, 0.5f, -4.0f}, 2);
  expectEqual(selected, expected);
  EXPECT_EQ(selected.getAxis(), std::optional<int64_t>(1));
  EXPECT_EQ(selected.getKind(), ActivationKind::ReLU);
}

TEST(ActivationProfile, MergeRejectsSampleOverflow) {
  ActivationProfile full(ActivationKind::ReLU, 1);
  ASSERT_FALSE(bool(full.addSamples(kMaxCount)));
  full.getMutableCounts()[1] = kMaxCount;
  ActivationProfile one(ActivationKind::ReLU, 1);
  ASSERT_FALSE(bool(one.addSamples(1)));
  one.getMutableCounts()[0] = 1;
  ActivationProfile copy = full;
  EXPECT_TRUE(failsWith(full.merge(one), "sample count overflows"));
  expectEqual(full, copy);
  EXPECT_TRUE(failsWith(one.merge(copy), "sample count overflows"));
}

TEST(ActivationProfile, MergeRejectsCountOverflow) {
  // Inconsistent profiles (counts above the samples) must not wrap either.
  ActivationProfile a(ActivationKind::Clamp, 2);
  a.getMutableCounts()[1 * 2 + 1] = kMaxCount;
  a.getMutableMinimum()[0] = -1.0f;
  ActivationProfile b(ActivationKind::Clamp, 2);
  b.getMutableCounts()[1 * 2 + 1] = 1;
  b.getMutableMinimum()[0] = -2.0f;
  ActivationProfile copy = a;
  EXPECT_TRUE(failsWith(a.merge(b), "count of neuron 1 in piece 1 overflows"));
  expectEqual(a, copy);
}

TEST(ActivationProfile, MergeUpToTheLimit) {
  ActivationProfile a(ActivationKind::ReLU, 1);
  ASSERT_FALSE(bool(a.addSamples(kMaxCount - 1)));
  a.getMutableCounts()[0] = kMaxCount - 1;
  ActivationProfile b(ActivationKind::ReLU, 1);
  ASSERT_FALSE(bool(b.addSamples(1)));
  b.getMutableCounts()[0] = 1;
  ASSERT_FALSE(bool(a.merge(b)));
  EXPECT_EQ(a.getNumSamples(), kMaxCount);
  EXPECT_EQ(a.getCount(0, 0), kMaxCount);
}

TEST(ActivationProfile, AddSamplesRejectsOverflowAndNegatives) {
  ActivationProfile profile(ActivationKind::ReLU, 1);
  ASSERT_FALSE(bool(profile.addSamples(kMaxCount)));
  EXPECT_TRUE(failsWith(profile.addSamples(1), "sample count overflows"));
  EXPECT_EQ(profile.getNumSamples(), kMaxCount);
  EXPECT_TRUE(failsWith(profile.addSamples(-1), "negative number of samples"));
  EXPECT_EQ(profile.getNumSamples(), kMaxCount);
}

/// Prints `attr` as MLIR text.
std::string print(mlir::Attribute attr) {
  std::string text;
  llvm::raw_string_ostream os(text);
  attr.print(os);
  return text;
}

/// Parses `text` as a #lin.profile (null on failure).
ProfileAttr parseProfile(llvm::StringRef text, mlir::MLIRContext &context) {
  return llvm::dyn_cast_or_null<ProfileAttr>(
      mlir::parseAttribute(text, &context));
}

/// Prints a profile of `values` (as both extrema), parses the text back and
/// expects the same bits and the same text again.
void expectExactRoundTrip(mlir::MLIRContext &context,
                          llvm::ArrayRef<float> values) {
  ActivationProfile profile(ActivationKind::ReLU, values.size(),
                            ProfileSource::Proven);
  llvm::copy(values, profile.getMutableMinimum().begin());
  llvm::copy(values, profile.getMutableMaximum().begin());
  std::string text = print(profile.toAttr(&context));
  ProfileAttr parsed = parseProfile(text, context);
  ASSERT_TRUE(parsed) << text;
  for (auto [i, value] : llvm::enumerate(values)) {
    EXPECT_EQ(llvm::bit_cast<uint32_t>(parsed.getMinimum()[i]),
              llvm::bit_cast<uint32_t>(value))
        << "value " << value << " in " << text;
    EXPECT_EQ(llvm::bit_cast<uint32_t>(parsed.getMaximum()[i]),
              llvm::bit_cast<uint32_t>(value));
  }
  EXPECT_EQ(print(parsed), text);
  // Only non-finite values need the bit-pattern form.
  if (llvm::all_of(values, [](float value) { return std::isfinite(value); })) {
    EXPECT_EQ(text.find("0x"), std::string::npos) << text;
  }
}

TEST(ProfileAttr, ExtremaRoundTripBitExact) {
  mlir::MLIRContext context;
  context.loadDialect<LinDialect>();
  const float inf = std::numeric_limits<float>::infinity();
  expectExactRoundTrip(context, {0.1f, 1.00000012f, -0.0f, 0.0f, 16777217.0f,
                                 1e10f, std::numeric_limits<float>::max(),
                                 std::numeric_limits<float>::lowest(),
                                 std::numeric_limits<float>::min(),
                                 std::numeric_limits<float>::denorm_min(),
                                 1.17549421e-38f, inf, -inf});
  // A sweep over the bit patterns of all binades, both signs; NaN extrema do
  // not verify.
  std::vector<float> values;
  for (uint64_t bits = 0; bits <= 0xFFFFFFFF; bits += 65521) {
    float value = llvm::bit_cast<float>(static_cast<uint32_t>(bits));
    if (std::isnan(value))
      continue;
    values.push_back(value);
    if (values.size() == 4096) {
      expectExactRoundTrip(context, values);
      values.clear();
    }
  }
  expectExactRoundTrip(context, values);
}

TEST(ProfileAttr, EmptyObservedProfileRoundTrips) {
  // Without samples the extrema are +inf / -inf: they must print in a form
  // the parser accepts.
  mlir::MLIRContext context;
  context.loadDialect<LinDialect>();
  ActivationProfile empty(ActivationKind::LeakyReLU, 2);
  std::string text = print(empty.toAttr(&context));
  EXPECT_NE(text.find("minimum = [0x7F800000, 0x7F800000]"), std::string::npos)
      << text;
  EXPECT_NE(text.find("maximum = [0xFF800000, 0xFF800000]"), std::string::npos)
      << text;
  ProfileAttr parsed = parseProfile(text, context);
  ASSERT_TRUE(parsed) << text;
  expectEqual(ActivationProfile::fromAttr(parsed), empty);
}

} // namespace
