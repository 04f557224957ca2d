//===- FoldAlignmentTest.cpp - Padded widths ------------------------------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// The widths the fold emits layers and stacked matmuls with: a multiple of
// `align` from kMinPaddedWeightElements on, never wider than the original
// layer, nothing with align=1.
//
//===----------------------------------------------------------------------===//

#include "lin/Transforms/FoldAlignment.h"

#include "gtest/gtest.h"

using namespace lin;

TEST(FoldAlignmentTest, LargeMatricesPadToAlign) {
  // fmnist_paper's stacked input matmul: 113 rows on 784 inputs.
  EXPECT_EQ(getAlignedRows(113, 784, 16), 128);
  EXPECT_EQ(getAlignedRows(112, 784, 16), 112);
  EXPECT_EQ(getAlignedRows(113, 784, 8), 120);
  EXPECT_EQ(getAlignedRows(8, kMinPaddedWeightElements / 8, 16), 16);
}

TEST(FoldAlignmentTest, SmallMatricesStayAsTheyAre) {
  // breast_cancer's folded layers: 59 rows on 64 inputs, 51 on 123.
  EXPECT_EQ(getAlignedRows(59, 64, 16), 59);
  EXPECT_EQ(getAlignedRows(51, 123, 16), 51);
  EXPECT_EQ(getAlignedRows(1, 64, 16), 1);
}

TEST(FoldAlignmentTest, AlignOneOrLessPadsNothing) {
  EXPECT_EQ(getAlignedRows(113, 784, 1), 113);
  EXPECT_EQ(getAlignedRows(59, 64, 1), 59);
  EXPECT_EQ(getFoldAlignedWidth(59, 128, 64, 1), 59);
}

TEST(FoldAlignmentTest, FoldedLayersNeverGrowBeyondTheOriginal) {
  EXPECT_EQ(getFoldAlignedWidth(28, 48, 512, 16), 32);
  // 17 of 20 on 512 inputs would pad to 32: left as folded.
  EXPECT_EQ(getFoldAlignedWidth(17, 20, 512, 16), 17);
  EXPECT_EQ(getFoldAlignedWidth(19, 40, 28, 16), 19);
  // Layers the fold does not narrow, and empty ones, keep their width.
  EXPECT_EQ(getFoldAlignedWidth(59, 59, 64, 16), 59);
  EXPECT_EQ(getFoldAlignedWidth(0, 40, 64, 16), 0);
}
