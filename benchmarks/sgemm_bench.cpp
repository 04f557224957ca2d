//===- sgemm_bench.cpp - Bare OpenBLAS rate for an MLP's matmuls ----------===//
//
// Part of the lin project: linearity-based compression of neural networks.
//
//===----------------------------------------------------------------------===//
//
// The ceiling for lin's profiler: the matmuls of an MLP forward pass alone
// (no bias, no activation, no data loading), on the system OpenBLAS that lin
// links, over the same samples in the same batches.
//
//   sgemm_bench SAMPLES BATCH REPEATS WIDTH0 WIDTH1 ... WIDTHn
//
// Prints the best of REPEATS passes as `seconds <s> samples_per_second <r>
// gflops <g>`.
//
//===----------------------------------------------------------------------===//

#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

int main(int argc, char **argv) {
  if (argc < 6) {
    std::fprintf(stderr, "usage: %s SAMPLES BATCH REPEATS W0 W1 ... Wn\n",
                 argv[0]);
    return 1;
  }
  long samples = std::atol(argv[1]), batch = std::atol(argv[2]);
  int repeats = std::atoi(argv[3]);
  std::vector<long> widths;
  for (int i = 4; i < argc; ++i)
    widths.push_back(std::atol(argv[i]));
  size_t layers = widths.size() - 1;

  std::mt19937 rng(1);
  std::uniform_real_distribution<float> uniform(-0.5f, 0.5f);
  std::vector<std::vector<float>> weights(layers), activations(layers + 1);
  for (size_t l = 0; l < layers; ++l) {
    weights[l].resize(widths[l] * widths[l + 1]);
    for (float &w : weights[l])
      w = uniform(rng);
  }
  for (size_t l = 0; l <= layers; ++l) {
    activations[l].resize(batch * widths[l]);
    for (float &a : activations[l])
      a = uniform(rng);
  }

  double flops = 0.0;
  for (size_t l = 0; l < layers; ++l)
    flops += 2.0 * samples * widths[l] * widths[l + 1];
  double best = 1e30;
  for (int r = 0; r < repeats; ++r) {
    auto start = std::chrono::steady_clock::now();
    for (long first = 0; first < samples; first += batch) {
      long rows = std::min(batch, samples - first);
      for (size_t l = 0; l < layers; ++l)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows,
                    widths[l + 1], widths[l], 1.0f, activations[l].data(),
                    widths[l], weights[l].data(), widths[l + 1], 0.0f,
                    activations[l + 1].data(), widths[l + 1]);
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    best = std::min(best, seconds);
  }
  std::printf("seconds %.6f samples_per_second %.1f gflops %.2f\n", best,
              samples / best, flops / best / 1e9);
  return 0;
}
